package powerdns

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// pdnsServer is a real pdns_server with the gsqlite3 backend, started for
// one test and stopped when it ends.
type pdnsServer struct {
	APIURL  string
	APIKey  string
	DNSAddr string // host:port answering DNS over UDP and TCP
	log     string
}

// schemaPaths are where Debian's pdns-backend-sqlite3 ships the schema.
var schemaPaths = []string{
	"/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql",
	"/usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql",
}

// startPDNS starts pdns_server on free loopback ports and waits for its API.
// A missing component fails the test with what to install: the server is
// part of what `make test` sets up.
func startPDNS(t *testing.T) *pdnsServer {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a PowerDNS server; skipped with -short")
	}
	server, err := exec.LookPath("pdns_server")
	if err != nil {
		t.Fatalf("pdns_server is not installed: %v. Install the Debian packages pdns-server, pdns-backend-sqlite3 and sqlite3 (the project's setup script does).", err)
	}
	sqlite, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatalf("sqlite3 is not installed: %v. Install the Debian package sqlite3.", err)
	}
	schema := ""
	for _, p := range schemaPaths {
		if _, err := os.Stat(p); err == nil {
			schema = p
			break
		}
	}
	if schema == "" {
		t.Fatalf("the PowerDNS sqlite3 schema is missing (looked at %s). Install the Debian package pdns-backend-sqlite3.", strings.Join(schemaPaths, ", "))
	}
	if _, err := os.Stat("/usr/lib/x86_64-linux-gnu/pdns/libgsqlite3backend.so"); err != nil {
		if matches, _ := filepath.Glob("/usr/lib/*/pdns/libgsqlite3backend.so"); len(matches) == 0 {
			t.Fatalf("the PowerDNS gsqlite3 backend is missing. Install the Debian package pdns-backend-sqlite3.")
		}
	}

	dir := t.TempDir()
	db := filepath.Join(dir, "pdns.sqlite3")
	cmd := exec.Command(sqlite, db, ".read "+schema)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("creating the PowerDNS database: %v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(dir, "pdns.conf"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	dnsPort := freeDNSPort(t)
	apiPort := freeTCPPort(t)
	s := &pdnsServer{
		APIURL:  fmt.Sprintf("http://127.0.0.1:%d", apiPort),
		APIKey:  "test-key-" + fmt.Sprint(time.Now().UnixNano()),
		DNSAddr: fmt.Sprintf("127.0.0.1:%d", dnsPort),
		log:     filepath.Join(dir, "pdns.log"),
	}
	logFile, err := os.Create(s.log)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{
		"--config-dir=" + dir,
		"--socket-dir=" + dir,
		"--daemon=no", "--guardian=no", "--disable-syslog=yes",
		"--local-address=127.0.0.1", fmt.Sprintf("--local-port=%d", dnsPort),
		"--launch=gsqlite3", "--gsqlite3-database=" + db,
		"--api=yes", "--api-key=" + s.APIKey,
		"--webserver=yes", "--webserver-address=127.0.0.1", fmt.Sprintf("--webserver-port=%d", apiPort),
		"--webserver-allow-from=127.0.0.0/8",
		"--enable-lua-records=yes",
		// Health checks every second, so failover tests take seconds.
		"--lua-health-checks-interval=1",
		// No caches: a test reads its own writes through DNS at once.
		"--cache-ttl=0", "--query-cache-ttl=0", "--negquery-cache-ttl=0",
		// No security poll: tests run without outside DNS.
		"--security-poll-suffix=",
		"--receiver-threads=1", "--distributor-threads=1",
	}
	proc := exec.Command(server, args...)
	proc.Stdout, proc.Stderr = logFile, logFile
	if err := proc.Start(); err != nil {
		t.Fatalf("starting pdns_server: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- proc.Wait() }()
	t.Cleanup(func() {
		_ = proc.Process.Kill()
		<-exited
		logFile.Close()
		if t.Failed() {
			if b, err := os.ReadFile(s.log); err == nil {
				t.Logf("pdns_server log:\n%s", b)
			}
		}
	})

	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case err := <-exited:
			exited <- err
			b, _ := os.ReadFile(s.log)
			t.Fatalf("pdns_server exited at start (%v):\n%s", err, b)
		default:
		}
		req, _ := http.NewRequest(http.MethodGet, s.APIURL+"/api/v1/servers/localhost", nil)
		req.Header.Set("X-API-Key", s.APIKey)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(s.log)
			t.Fatalf("the PowerDNS API at %s did not answer within 20s:\n%s", s.APIURL, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// freeTCPPort returns a loopback TCP port nothing listens on.
func freeTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// freeDNSPort returns a loopback port free for both TCP and UDP.
func freeDNSPort(t *testing.T) int {
	t.Helper()
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		u, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		l.Close()
		if err == nil {
			u.Close()
			return port
		}
	}
	t.Fatal("no loopback port free for both TCP and UDP")
	return 0
}

// answer is the result of one DNS query.
type answer struct {
	Rcode   int
	Records []string // the answer section's data, one string per record
}

// query asks the server for name and type over UDP.
func (s *pdnsServer) query(t *testing.T, name string, qtype uint16) answer {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	c := &dns.Client{Timeout: 5 * time.Second}
	r, _, err := c.Exchange(m, s.DNSAddr)
	if err != nil {
		t.Fatalf("DNS query %s %s to %s: %v", name, dns.TypeToString[qtype], s.DNSAddr, err)
	}
	a := answer{Rcode: r.Rcode}
	for _, rr := range r.Answer {
		if rr.Header().Rrtype != qtype {
			continue
		}
		a.Records = append(a.Records, strings.TrimPrefix(rr.String(), rr.Header().String()))
	}
	return a
}

// waitFor queries until ok accepts the answer or the timeout passes, and
// returns the last answer with whether it was accepted.
func (s *pdnsServer) waitFor(t *testing.T, name string, qtype uint16, timeout time.Duration, ok func(answer) bool) (answer, bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		a := s.query(t, name, qtype)
		if ok(a) {
			return a, true
		}
		if time.Now().After(deadline) {
			return a, false
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// api calls the server's API directly, behind the provider's back.
func (s *pdnsServer) api(t *testing.T, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, s.APIURL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-API-Key", s.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, path, err)
	}
	return resp.StatusCode, string(b)
}
