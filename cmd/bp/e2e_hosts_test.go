package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	"golang.org/x/crypto/openpgp"
	"golang.org/x/crypto/openpgp/armor"
	"golang.org/x/crypto/openpgp/clearsign"
	"golang.org/x/crypto/openpgp/packet"
	"golang.org/x/crypto/ssh"

	"github.com/blueprint-engine/bp/converge"
	"github.com/blueprint-engine/bp/providers/local"
	"github.com/blueprint-engine/bp/resources"
)

// These tests converge real machines of the local provider (system
// containers with systemd and sshd) through the bp command line, run in
// process: the blueprints under testdata/e2e are applied, planned, changed
// behind bp's back and destroyed, as a user would. Each test creates its
// own machines under its own project name and destroys them in a cleanup,
// which also removes whatever bp destroy leaves behind.

// e2eBlueprint is one test's copy of a blueprint under testdata/e2e, the
// machines it creates and the way to drive bp on it.
type e2eBlueprint struct {
	t *testing.T
	// dir is the blueprint directory bp runs in; fixtures is the absolute
	// path of testdata/e2e.
	dir, fixtures string
	project       string
	vars          map[string]cty.Value
	api           *client.Client
}

// newE2EBlueprint copies testdata/e2e/FIXTURE into a temporary directory
// and prepares bp to run there: the agent built from this tree, a project
// name of its own, and a cleanup that destroys what the test created.
func newE2EBlueprint(t *testing.T, fixture string) *e2eBlueprint {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end: creates machines of the local provider")
	}
	start, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(start) }) // bp's -chdir changes the process's directory
	t.Setenv(converge.AgentDirEnv, buildTestAgent(t, start))

	ctx := context.Background()
	eng, err := local.Connect(ctx, local.ConnectOptions{})
	if err != nil {
		t.Fatalf("the end-to-end host tests need the container engine that `make setup` starts: %v", err)
	}
	host := eng.Host()
	eng.Close()
	api, err := client.NewClientWithOpts(client.WithHost(host), client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatalf("connecting to %s: %v", host, err)
	}
	t.Cleanup(func() { api.Close() })

	b := &e2eBlueprint{t: t, dir: t.TempDir(), fixtures: filepath.Join(start, "testdata", "e2e"), api: api}
	b.project = "e2e-" + strings.ToLower(strings.TrimPrefix(t.Name(), "Test")) + "-" + randomSuffix(t)
	b.vars = map[string]cty.Value{"project": cty.StringVal(b.project)}
	b.copyIn(fixture)
	b.setVars(nil)
	t.Cleanup(b.destroy)
	return b
}

// buildTestAgent builds bp-agent for this machine's architecture into a
// temporary directory, as bp finds it through $BP_AGENT_DIR.
func buildTestAgent(t *testing.T, pkgDir string) string {
	t.Helper()
	dir := t.TempDir()
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := exec.Command(gobin, "build", "-trimpath", "-ldflags=-s -w",
		"-o", filepath.Join(dir, converge.AgentFileName(runtime.GOARCH)), "github.com/blueprint-engine/bp/cmd/bp-agent")
	cmd.Dir = pkgDir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building bp-agent: %v\n%s", err, out)
	}
	return dir
}

func randomSuffix(t *testing.T) string {
	var b [3]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

// in returns b for use in the subtest t, so that its failures end t.
func (b *e2eBlueprint) in(t *testing.T) *e2eBlueprint {
	c := *b
	c.t = t
	return &c
}

// copyIn copies the files under testdata/e2e/FIXTURE into the blueprint
// directory, replacing files of the same name.
func (b *e2eBlueprint) copyIn(fixture string) {
	b.t.Helper()
	src := filepath.Join(b.fixtures, fixture)
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(b.dir, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		b.t.Fatalf("copying fixture %s: %v", fixture, err)
	}
}

// setVars adds vars to the blueprint's variables and writes them all to
// test.auto.bpvars.hcl, which every bp command reads.
func (b *e2eBlueprint) setVars(vars map[string]cty.Value) {
	b.t.Helper()
	for k, v := range vars {
		b.vars[k] = v
	}
	names := make([]string, 0, len(b.vars))
	for k := range b.vars {
		names = append(names, k)
	}
	sort.Strings(names)
	f := hclwrite.NewEmptyFile()
	for _, k := range names {
		f.Body().SetAttributeValue(k, b.vars[k])
	}
	if err := os.WriteFile(filepath.Join(b.dir, "test.auto.bpvars.hcl"), f.Bytes(), 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// edit replaces old by new in a file of the blueprint directory.
func (b *e2eBlueprint) edit(file, old, new string) {
	b.t.Helper()
	path := filepath.Join(b.dir, file)
	data, err := os.ReadFile(path)
	if err != nil {
		b.t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		b.t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// lineOf returns the line number of the first line of file holding text.
func (b *e2eBlueprint) lineOf(file, text string) int {
	b.t.Helper()
	data, err := os.ReadFile(filepath.Join(b.dir, file))
	if err != nil {
		b.t.Fatal(err)
	}
	for i, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, text) {
			return i + 1
		}
	}
	b.t.Fatalf("%s has no line with %q", file, text)
	return 0
}

// bp runs bp with args in the blueprint directory and returns its exit
// status and output.
func (b *e2eBlueprint) bp(args ...string) (int, string, string) {
	b.t.Helper()
	start := time.Now()
	code, stdout, stderr := bpIn(b.t, b.dir, "", args...)
	b.t.Logf("bp %s: exit %d after %s", strings.Join(args, " "), code, time.Since(start).Round(10*time.Millisecond))
	return code, stdout, stderr
}

// mustBP runs bp and fails the test unless it exits with status want.
func (b *e2eBlueprint) mustBP(want int, args ...string) (stdout, stderr string) {
	b.t.Helper()
	code, stdout, stderr := b.bp(args...)
	if code != want {
		b.t.Fatalf("bp %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, stdout, stderr)
	}
	return stdout, stderr
}

// ssh runs a shell command on a machine with bp ssh and returns its
// standard output; a failing command fails the test.
func (b *e2eBlueprint) ssh(machine, command string) string {
	b.t.Helper()
	stdout, _ := b.mustBP(0, "ssh", machine, "--", command)
	return stdout
}

// addresses returns an output that is a list of strings.
func (b *e2eBlueprint) addresses(output string) []string {
	b.t.Helper()
	stdout, _ := b.mustBP(0, "output", "-json", output)
	var addrs []string
	if err := json.Unmarshal([]byte(stdout), &addrs); err != nil {
		b.t.Fatalf("bp output -json %s: %v\n%s", output, err, stdout)
	}
	return addrs
}

// nginxStarts counts how often nginx started on a machine: the roles add
// an ExecStartPost that appends a line per start.
func (b *e2eBlueprint) nginxStarts(machine string) int {
	b.t.Helper()
	out := strings.TrimSpace(b.ssh(machine, "wc -l < /var/log/bp-e2e-nginx-starts"))
	n, err := strconv.Atoi(out)
	if err != nil {
		b.t.Fatalf("counting nginx starts on %s: %q", machine, out)
	}
	return n
}

// destroy runs bp destroy, then removes whatever the project still has on
// the engine. Leftovers after a successful destroy of a passing test are
// an error: destroy must leave no container and no network.
func (b *e2eBlueprint) destroy() {
	code, stdout, stderr := bpIn(b.t, b.dir, "", "destroy", "-auto-approve")
	if code != 0 {
		b.t.Errorf("cleanup: bp destroy: exit %d\n%s%s", code, stdout, stderr)
	}
	strict := code == 0 && !b.t.Failed()
	ctx := context.Background()
	label := filters.NewArgs(filters.Arg("label", "bp.project="+b.project))
	list, err := b.api.ContainerList(ctx, container.ListOptions{All: true, Filters: label})
	if err != nil {
		b.t.Errorf("cleanup: listing containers: %v", err)
	}
	for _, c := range list {
		if strict {
			b.t.Errorf("cleanup: bp destroy left container %v", c.Names)
		}
		if err := b.api.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true}); err != nil {
			b.t.Errorf("cleanup: removing container %v: %v", c.Names, err)
		}
	}
	nets, err := b.api.NetworkList(ctx, network.ListOptions{Filters: label})
	if err != nil {
		b.t.Errorf("cleanup: listing networks: %v", err)
	}
	for _, n := range nets {
		if strict {
			b.t.Errorf("cleanup: bp destroy left network %s", n.Name)
		}
		if err := b.api.NetworkRemove(ctx, n.ID); err != nil {
			b.t.Errorf("cleanup: removing network %s: %v", n.Name, err)
		}
	}
}

// hostSection returns the part of a plan about one host of a configure
// block: from its "# configure.NAME on HOST" line to the next host or the
// summary.
func hostSection(t *testing.T, plan, configure, host string) string {
	t.Helper()
	head := "# " + configure + " on " + host + " "
	i := strings.Index(plan, head)
	if i < 0 {
		t.Fatalf("the plan has no section for %s on %s:\n%s", configure, host, plan)
	}
	rest := plan[i+len(head):]
	end := len(rest)
	for _, next := range []string{"# configure.", "\nPlan:"} {
		if j := strings.Index(rest, next); j >= 0 && j < end {
			end = j
		}
	}
	// The next host's line starts before its "# configure.".
	if j := strings.LastIndex(rest[:end], "\n"); j >= 0 {
		end = j
	}
	return plan[i : i+len(head)+end]
}

// changedIDs returns the host resources that progress output reports as
// changed on host, in order.
func changedIDs(stdout, host string) []string {
	var ids []string
	prefix := host + ": ~ "
	for _, line := range strings.Split(stdout, "\n") {
		if id, ok := strings.CutPrefix(line, prefix); ok {
			ids = append(ids, strings.TrimSuffix(id, " changed"))
		}
	}
	return ids
}

// httpGet fetches url and returns the response (its body read into body).
func httpGet(t *testing.T, url string) (resp *http.Response, body string) {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", url, err)
	}
	return resp, string(data)
}

// TestHostsWebapp is the webapp story of DESIGN §1 on real machines: two
// machines with nginx and a page templated per host; a second plan finds
// nothing to do; an edited template shows its diff and a pending restart
// on every host, and applying it restarts nginx exactly once per host.
func TestHostsWebapp(t *testing.T) {
	b := newE2EBlueprint(t, "webapp")
	hosts := []string{"machine.web[0]", "machine.web[1]"}

	stdout, _ := b.mustBP(0, "apply", "-auto-approve")
	if !strings.Contains(stdout, "Hosts: 2 converged") {
		t.Errorf("apply does not report 2 converged hosts:\n%s", stdout)
	}
	addrs := b.addresses("addresses")
	if len(addrs) != 2 {
		t.Fatalf("addresses = %q, want 2", addrs)
	}
	for i, addr := range addrs {
		resp, body := httpGet(t, "http://"+addr+"/")
		want := fmt.Sprintf("Welcome from web-%d (debian 12, ", i)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, want) || !strings.HasSuffix(body, " CPUs)\n") {
			t.Errorf("GET http://%s/: %s %q, want 200 and a page starting with %q", addr, resp.Status, body, want)
		}
	}

	t.Run("second plan has no changes", func(t *testing.T) {
		b := b.in(t)
		b.mustBP(0, "plan", "-detailed-exitcode")
	})

	before := map[string]int{}
	for _, h := range hosts {
		before[h] = b.nginxStarts(h)
	}
	b.edit("templates/site.conf.tpl", "# EDIT HERE", "add_header X-Bp-Edit v2 always;")

	t.Run("edited template shows on every host", func(t *testing.T) {
		b := b.in(t)
		stdout, _ := b.mustBP(exitChanges, "plan", "-detailed-exitcode")
		for _, h := range hosts {
			section := hostSection(t, stdout, "configure.web", h)
			for _, want := range []string{
				"~ app/template./etc/nginx/sites-enabled/default",
				"-  # EDIT HERE",
				"+  add_header X-Bp-Edit v2 always;",
				"~ app/service.nginx: restart (notified)",
				"1 to change",
			} {
				if !strings.Contains(section, want) {
					t.Errorf("the plan for %s lacks %q:\n%s", h, want, section)
				}
			}
		}
	})

	t.Run("apply restarts nginx once per host", func(t *testing.T) {
		b := b.in(t)
		stdout, _ := b.mustBP(0, "apply", "-auto-approve")
		if !strings.Contains(stdout, "Hosts: 2 converged, 2 resources changed.") {
			t.Errorf("apply summary:\n%s", stdout)
		}
		for i, h := range hosts {
			if got := b.nginxStarts(h); got != before[h]+1 {
				t.Errorf("%s: nginx started %d times during the apply, want once", h, got-before[h])
			}
			if resp, _ := httpGet(t, "http://"+addrs[i]+"/"); resp.Header.Get("X-Bp-Edit") != "v2" {
				t.Errorf("%s serves without the edited header: %v", h, resp.Header)
			}
		}
	})

	t.Run("apply again changes nothing", func(t *testing.T) {
		b := b.in(t)
		starts := map[string]int{}
		for _, h := range hosts {
			starts[h] = b.nginxStarts(h)
		}
		stdout, _ := b.mustBP(0, "apply", "-auto-approve")
		if !strings.Contains(stdout, "No changes.") || len(changedIDs(stdout, hosts[0]))+len(changedIDs(stdout, hosts[1])) > 0 {
			t.Errorf("apply summary:\n%s", stdout)
		}
		for _, h := range hosts {
			if got := b.nginxStarts(h); got != starts[h] {
				t.Errorf("%s: nginx started %d times, want 0", h, got-starts[h])
			}
		}
	})
}

// TestHostsEveryKind converges a role using every host resource kind on a
// machine that exists already, so the role is first planned in check mode:
// the plan lists every resource and changes nothing; the apply changes
// each; a second plan finds nothing. Then a file and a service are changed
// behind bp's back: the plan shows that drift without repairing it, and
// the apply repairs it.
func TestHostsEveryKind(t *testing.T) {
	b := newE2EBlueprint(t, "kinds/machine")
	b.mustBP(0, "apply", "-auto-approve")
	const box = "machine.box"

	// The test serves the download on the host's address on the machines'
	// network, which is the machine's default gateway.
	route := strings.Fields(b.ssh(box, "ip -4 route show default"))
	if len(route) < 3 || route[0] != "default" || route[1] != "via" {
		t.Fatalf("no default route on %s: %q", box, route)
	}
	blob := make([]byte, 64<<10)
	rand.Read(blob)
	var downloads atomic.Int32
	ln, err := net.Listen("tcp", net.JoinHostPort(route[2], "0"))
	if err != nil {
		t.Fatalf("listening on the machines' gateway: %v", err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		downloads.Add(1)
		w.Write(blob)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	sum := sha256.Sum256(blob)

	key, inRelease := signedAptRepository(t, "bpdemo", runtime.GOARCH)
	b.setVars(map[string]cty.Value{
		"download_url":    cty.StringVal("http://" + ln.Addr().String() + "/blob.bin"),
		"download_sha256": cty.StringVal(hex.EncodeToString(sum[:])),
		"apt_key":         cty.StringVal(key),
		"apt_inrelease":   cty.StringVal(inRelease),
	})
	b.copyIn("kinds/roles")

	kinds := map[string]bool{}
	for _, k := range resources.Kinds() {
		kinds[k.Name] = true
	}
	// allKinds fails unless the IDs ("kinds/KIND.NAME") cover every kind.
	allKinds := func(t *testing.T, what string, ids []string) {
		t.Helper()
		seen := map[string]bool{}
		for _, id := range ids {
			kind, _, _ := strings.Cut(strings.TrimPrefix(id, "kinds/"), ".")
			seen[kind] = true
		}
		for k := range kinds {
			if !seen[k] {
				t.Errorf("%s: no %s resource", what, k)
			}
		}
	}

	var planned []string
	t.Run("plan lists every resource and changes nothing", func(t *testing.T) {
		b := b.in(t)
		stdout, _ := b.mustBP(exitChanges, "plan", "-detailed-exitcode")
		section := hostSection(t, stdout, "configure.box", box)
		for _, line := range strings.Split(section, "\n") {
			if id, ok := strings.CutPrefix(strings.TrimSpace(line), "~ kinds/"); ok {
				id, _, _ = strings.Cut(id, ": ")
				planned = append(planned, "kinds/"+id)
			}
		}
		allKinds(t, "the plan", planned)
		if !strings.Contains(section, "0 unchanged") {
			t.Errorf("the plan finds resources already in place on a fresh machine:\n%s", section)
		}
		if got := b.ssh(box, "test -e /srv/demo || echo no directory; getent passwd bpdemo || echo no user"); got != "no directory\nno user\n" {
			t.Errorf("the plan changed the machine: %q", got)
		}
	})

	ok := t.Run("first apply changes every resource", func(t *testing.T) {
		b := b.in(t)
		stdout, _ := b.mustBP(0, "apply", "-auto-approve")
		changed := changedIDs(stdout, box)
		allKinds(t, "the apply", changed)
		if len(planned) > 0 && strings.Join(changed, " ") != strings.Join(planned, " ") {
			t.Errorf("changed %q,\nplanned %q", changed, planned)
		}
		if !strings.Contains(stdout, fmt.Sprintf("%s: Converged after", box)) || !strings.Contains(stdout, " changed, 0 unchanged") {
			t.Errorf("apply output:\n%s", stdout)
		}
	})

	if !ok {
		return
	}

	t.Run("the machine is as the role says", func(t *testing.T) {
		b := b.in(t)
		checks := []struct{ name, command, want string }{
			{"group", "getent group bpdemo", "bpdemo:x:2345:"},
			{"user", "id bpdemo", "uid=2345(bpdemo) gid=2345(bpdemo) groups=2345(bpdemo)"},
			{"authorized keys", "cat /home/bpdemo/.ssh/authorized_keys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH6GLaQ6WjpWDGz+E8YOwOQk2wq0mBDcgMsYQf21Ei0j bpdemo@e2e"},
			{"directory", "stat -c '%U:%G %a' /srv/demo", "bpdemo:bpdemo 750"},
			{"file", "stat -c %a /srv/demo/motd && cat /srv/demo/motd", "640\nmanaged by bp"},
			{"template", "cat /srv/demo/host.txt", "written for every kind on box (" + runtime.GOARCH + ")"},
			{"link", "readlink /srv/demo/current", "/srv/demo/host.txt"},
			{"line", "cat /etc/bp-demo.conf", "banner = on"},
			{"cron", "cat /etc/cron.d/bp-demo", "*/5 * * * * bpdemo true"},
			{"service", "systemctl is-active bp-demo; systemctl is-enabled bp-demo", "active\nenabled"},
			{"package", "dpkg-query -W -f '${Status}' git", "install ok installed"},
			{"exec", "git -C /srv/git/demo.git log --format=%s", "seed"},
			{"git", "cat /srv/demo/checkout/README", "seeded by exec"},
			{"download", "sha256sum /srv/demo/blob.bin", hex.EncodeToString(sum[:]) + "  /srv/demo/blob.bin"},
			{"apt_repository", "ls /var/lib/apt/lists/", "_srv_apt_dists_bpdemo_InRelease"},
		}
		for _, c := range checks {
			t.Run(c.name, func(t *testing.T) {
				b := b.in(t)
				if got := strings.TrimSpace(b.ssh(box, c.command)); !strings.Contains(got, c.want) {
					t.Errorf("%s:\n%s\nwant it to contain %q", c.command, got, c.want)
				}
			})
		}
	})

	t.Run("second plan has no changes", func(t *testing.T) {
		b := b.in(t)
		b.mustBP(0, "plan", "-detailed-exitcode")
	})

	b.ssh(box, "echo drift >> /srv/demo/motd && systemctl stop bp-demo")
	t.Run("plan shows drift without repairing it", func(t *testing.T) {
		b := b.in(t)
		stdout, _ := b.mustBP(exitChanges, "plan", "-detailed-exitcode")
		section := hostSection(t, stdout, "configure.box", box)
		for _, want := range []string{"2 to change", "~ kinds/file./srv/demo/motd", "-drift", "~ kinds/service.bp-demo"} {
			if !strings.Contains(section, want) {
				t.Errorf("the plan lacks %q:\n%s", want, section)
			}
		}
		if got := b.ssh(box, "cat /srv/demo/motd; systemctl is-active bp-demo || true"); got != "managed by bp\ndrift\ninactive\n" {
			t.Errorf("after the plan the machine has %q, want the drift still there", got)
		}
	})

	t.Run("apply repairs drift", func(t *testing.T) {
		b := b.in(t)
		stdout, _ := b.mustBP(0, "apply", "-auto-approve")
		if got := changedIDs(stdout, box); strings.Join(got, " ") != "kinds/file./srv/demo/motd kinds/service.bp-demo" {
			t.Errorf("changed %q, want the file and the service", got)
		}
		if got := b.ssh(box, "cat /srv/demo/motd; systemctl is-active bp-demo"); got != "managed by bp\nactive\n" {
			t.Errorf("after the apply the machine has %q", got)
		}
	})

	if n := downloads.Load(); n != 1 {
		t.Errorf("the file was downloaded %d times, want once (it is not fetched again while it matches)", n)
	}
}

// signedAptRepository returns a new ASCII-armored signing key and the
// InRelease file, signed with it, of an APT repository with one suite,
// component main and an empty package list for arch.
func signedAptRepository(t *testing.T, suite, arch string) (key, inRelease string) {
	t.Helper()
	cfg := &packet.Config{DefaultHash: crypto.SHA256, RSABits: 2048}
	entity, err := openpgp.NewEntity("bp e2e", "test repository", "e2e@example.test", cfg)
	if err != nil {
		t.Fatal(err)
	}
	var pub strings.Builder
	w, err := armor.Encode(&pub, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := entity.Serialize(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	empty := sha256.Sum256(nil)
	release := fmt.Sprintf("Origin: bp-e2e\nLabel: bp-e2e\nSuite: %s\nCodename: %s\nDate: %s\nArchitectures: %s\nComponents: main\nSHA256:\n %x 0 main/binary-%s/Packages\n",
		suite, suite, time.Now().UTC().Add(-time.Hour).Format("Mon, 02 Jan 2006 15:04:05 UTC"), arch, empty, arch)
	var signed strings.Builder
	sw, err := clearsign.Encode(&signed, entity.PrivateKey, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sw.Write([]byte(release)); err != nil {
		t.Fatal(err)
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	return pub.String() + "\n", signed.String()
}

// TestHostsFailures runs a role that fails on purpose on real machines: a
// failing resource stops its host with a message naming the resource, its
// line and the command's output, while the other host converges; a
// notification made before the failure is delivered by the next run, once;
// and a rollout stops after the batch that failed.
func TestHostsFailures(t *testing.T) {
	b := newE2EBlueprint(t, "failures")
	hosts := []string{"machine.web[0]", "machine.web[1]"}
	gateLine := b.lineOf("main.bp.hcl", `  exec "gate" {`)
	var addrs []string

	ok := t.Run("failing resource stops only its host", func(t *testing.T) {
		b := b.in(t)
		b.setVars(map[string]cty.Value{"fail_host": cty.NumberIntVal(1)})
		stdout, stderr := b.mustBP(exitError, "apply", "-auto-approve")
		msg := flat([]byte(stderr))
		for _, want := range []string{
			"Error: Configuration of machine.web[1] failed at site/exec.gate",
			fmt.Sprintf("on main.bp.hcl:%d:", gateLine),
			"site/exec.gate failed: command exited with status 3",
			fmt.Sprintf("(main.bp.hcl:%d)", gateLine),
			"Output: gate closed on web-1",
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("the error lacks %q:\n%s", want, stderr)
			}
		}
		if strings.Contains(msg, "machine.web[0] failed") {
			t.Errorf("machine.web[0] is reported failed:\n%s", stderr)
		}
		if !strings.Contains(stdout, "machine.web[0]: Converged after") || !strings.Contains(stdout, "machine.web[1]: Converge failed") {
			t.Errorf("progress:\n%s", stdout)
		}
		addrs = b.addresses("addresses")
		if len(addrs) != 2 {
			t.Fatalf("addresses = %q", addrs)
		}
		if resp, _ := httpGet(t, "http://"+addrs[0]+"/"); resp.Header.Get("X-Bp-Revision") != "v1" {
			t.Errorf("machine.web[0] is not converged: %s %v", resp.Status, resp.Header)
		}
	})
	if !ok {
		return
	}

	b.setVars(map[string]cty.Value{"fail_host": cty.NumberIntVal(-1)})
	b.mustBP(0, "apply", "-auto-approve")

	ok = t.Run("notification survives a failure", func(t *testing.T) {
		b := b.in(t)
		before := map[string]int{}
		for _, h := range hosts {
			before[h] = b.nginxStarts(h)
		}
		b.setVars(map[string]cty.Value{"fail_host": cty.NumberIntVal(1), "revision": cty.StringVal("v2")})
		b.mustBP(exitError, "apply", "-auto-approve")
		if got := b.nginxStarts(hosts[0]) - before[hosts[0]]; got != 1 {
			t.Errorf("machine.web[0]: nginx started %d times, want once", got)
		}
		if got := b.nginxStarts(hosts[1]) - before[hosts[1]]; got != 0 {
			t.Errorf("machine.web[1]: nginx started %d times in a failed run, want 0", got)
		}
		if resp, _ := httpGet(t, "http://"+addrs[1]+"/"); resp.Header.Get("X-Bp-Revision") != "v1" {
			t.Errorf("machine.web[1] serves %q before its restart, want v1", resp.Header.Get("X-Bp-Revision"))
		}

		b.setVars(map[string]cty.Value{"fail_host": cty.NumberIntVal(-1)})
		stdout, _ := b.mustBP(exitChanges, "plan", "-detailed-exitcode")
		section := hostSection(t, stdout, "configure.web", hosts[1])
		if !strings.Contains(section, "~ site/service.nginx: restart (notified)") || strings.Contains(section, "template") {
			t.Errorf("the plan for machine.web[1] should show only the pending restart:\n%s", section)
		}
		if !strings.Contains(hostSection(t, stdout, "configure.web", hosts[0]), "up to date") {
			t.Errorf("the plan has changes for machine.web[0]:\n%s", stdout)
		}

		before[hosts[1]] = b.nginxStarts(hosts[1])
		b.mustBP(0, "apply", "-auto-approve")
		if got := b.nginxStarts(hosts[1]) - before[hosts[1]]; got != 1 {
			t.Errorf("machine.web[1]: the pending restart started nginx %d times, want once", got)
		}
		if resp, _ := httpGet(t, "http://"+addrs[1]+"/"); resp.Header.Get("X-Bp-Revision") != "v2" {
			t.Errorf("machine.web[1] serves %q after its restart, want v2", resp.Header.Get("X-Bp-Revision"))
		}
		b.mustBP(0, "plan", "-detailed-exitcode")
	})
	if !ok {
		return
	}

	t.Run("rollout stops after a failed batch", func(t *testing.T) {
		b := b.in(t)
		b.copyIn("failures/rollout")
		b.setVars(map[string]cty.Value{"fail_host": cty.NumberIntVal(0), "revision": cty.StringVal("v3")})
		stdout, stderr := b.mustBP(exitError, "apply", "-auto-approve")
		if !strings.Contains(stdout, "machine.web[1]: Not converged: an earlier rollout batch failed") {
			t.Errorf("progress:\n%s", stdout)
		}
		msg := flat([]byte(stderr))
		for _, want := range []string{
			"Error: Configuration of machine.web[0] failed at site/exec.gate",
			"machine.web[1] of configure.web was not converged because an earlier rollout batch failed",
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("the output lacks %q:\n%s", want, stderr)
			}
		}
		if got := b.ssh(hosts[1], "grep -o 'X-Bp-Revision [a-z0-9]*' /etc/nginx/sites-enabled/default"); got != "X-Bp-Revision v2\n" {
			t.Errorf("machine.web[1] was changed: %q", got)
		}
		if got := b.ssh(hosts[0], "grep -o 'X-Bp-Revision [a-z0-9]*' /etc/nginx/sites-enabled/default"); got != "X-Bp-Revision v3\n" {
			t.Errorf("machine.web[0] did not converge up to the failure: %q", got)
		}
	})
}

// TestHostKeyMismatch recreates a configured machine's container outside
// bp, with the same name and address but new host keys: bp converge
// refuses to connect and shows both fingerprints; bp apply then sees the
// machine is gone, recreates it and pins its new key.
func TestHostKeyMismatch(t *testing.T) {
	b := newE2EBlueprint(t, "hostkey")
	b.mustBP(0, "apply", "-auto-approve")
	stdout, _ := b.mustBP(0, "output", "-raw", "host_key")
	pinned, _, _, _, err := ssh.ParseAuthorizedKey([]byte(stdout))
	if err != nil {
		t.Fatalf("host_key output %q: %v", stdout, err)
	}
	stdout, _ = b.mustBP(0, "output", "-raw", "address")
	address := strings.TrimSpace(stdout)

	recreateContainer(t, b, "bp-"+b.project+"-box", address)
	presented := hostKeyAt(t, address, pinned.Type())
	if ssh.FingerprintSHA256(presented) == ssh.FingerprintSHA256(pinned) {
		t.Fatalf("the recreated machine has the old host key %s: the test cannot check a mismatch", ssh.FingerprintSHA256(pinned))
	}

	t.Run("converge refuses the new key", func(t *testing.T) {
		b := b.in(t)
		stdout, stderr := b.mustBP(exitError, "converge")
		t.Logf("bp converge refused the machine:\n%s", stderr)
		msg := flat([]byte(stderr))
		for _, want := range []string{"host key mismatch", ssh.FingerprintSHA256(pinned), ssh.FingerprintSHA256(presented), address + ":22"} {
			if !strings.Contains(msg, want) {
				t.Errorf("the error lacks %q:\n%s%s", want, stdout, stderr)
			}
		}
		if idx := strings.Index(msg, ssh.FingerprintSHA256(pinned)); idx > strings.Index(msg, ssh.FingerprintSHA256(presented)) {
			t.Errorf("the pinned fingerprint should come first:\n%s", stderr)
		}
	})

	t.Run("apply recreates the machine and pins its key", func(t *testing.T) {
		b := b.in(t)
		stdout, _ := b.mustBP(0, "apply", "-auto-approve")
		if !strings.Contains(stdout, "machine.box: Creation complete") || !strings.Contains(stdout, "Hosts: 1 converged") {
			t.Errorf("apply:\n%s", stdout)
		}
		b.mustBP(0, "converge")
	})
}

// TestHostsTrustOnFirstUse configures a machine on its plain address,
// without the host key its provider knows: bp trusts it on first contact
// and records its key in the state. Two configure blocks on the machine
// take turns on it. A new host key then stops bp converge with both
// fingerprints, until -forget-host-key trusts the new key.
func TestHostsTrustOnFirstUse(t *testing.T) {
	b := newE2EBlueprint(t, "tofu")
	stdout, _ := b.mustBP(0, "apply", "-auto-approve")
	if !strings.Contains(stdout, "Hosts: 2 converged") {
		t.Errorf("apply:\n%s", stdout)
	}
	out, _ := b.mustBP(0, "output", "-raw", "address")
	address := strings.TrimSpace(out)
	hostAddr := net.JoinHostPort(address, "22")
	var recorded ssh.PublicKey

	ok := t.Run("apply records the key of the host it trusted", func(t *testing.T) {
		recorded = b.in(t).recordedHostKey(hostAddr)
		if recorded == nil {
			t.Fatalf("the state records no host key for %s", hostAddr)
		}
		// The machine's own key of the same type, read from its sshd.
		if want := hostKeyAt(t, address, recorded.Type()); ssh.FingerprintSHA256(recorded) != ssh.FingerprintSHA256(want) {
			t.Errorf("recorded %s, the host presents %s", ssh.FingerprintSHA256(recorded), ssh.FingerprintSHA256(want))
		}
	})
	t.Run("configure blocks on one host take turns", func(t *testing.T) {
		spans := parseSpans(t, b.in(t).ssh("machine.box", "cat /root/spans"))
		if len(spans) != 2 {
			t.Fatalf("spans %v, want first and second", spans)
		}
		a, c := spans["first"], spans["second"]
		if a[0] < c[1] && c[0] < a[1] {
			t.Errorf("the configure blocks converged the host at the same time: first %v, second %v", a, c)
		}
	})
	if !ok {
		return
	}

	// The machine comes back with new host keys (rebuilt, or intercepted).
	b.ssh("machine.box", "rm -f /etc/ssh/ssh_host_* && ssh-keygen -A >/dev/null && systemctl restart ssh")
	presented := hostKeyAt(t, address, recorded.Type())
	if ssh.FingerprintSHA256(presented) == ssh.FingerprintSHA256(recorded) {
		t.Fatalf("the host kept its key %s: the test cannot check a mismatch", ssh.FingerprintSHA256(recorded))
	}

	ok = t.Run("converge refuses the new key", func(t *testing.T) {
		b := b.in(t)
		stdout, stderr := b.mustBP(exitError, "converge")
		msg := flat([]byte(stderr))
		for _, want := range []string{"host key mismatch", hostAddr, ssh.FingerprintSHA256(recorded), ssh.FingerprintSHA256(presented),
			"bp converge -forget-host-key " + hostAddr} {
			if !strings.Contains(msg, want) {
				t.Errorf("the error lacks %q:\n%s%s", want, stdout, stderr)
			}
		}
		if got := b.recordedHostKey(hostAddr); got == nil || ssh.FingerprintSHA256(got) != ssh.FingerprintSHA256(recorded) {
			t.Errorf("the recorded key changed after a mismatch")
		}
	})
	if !ok {
		return
	}
	t.Run("forget-host-key trusts the new key", func(t *testing.T) {
		b := b.in(t)
		stdout, _ := b.mustBP(0, "converge", "-forget-host-key", hostAddr)
		if !strings.Contains(stdout, "Hosts: 2 converged") {
			t.Errorf("converge:\n%s", stdout)
		}
		if got := b.recordedHostKey(hostAddr); got == nil || ssh.FingerprintSHA256(got) != ssh.FingerprintSHA256(presented) {
			t.Errorf("recorded key after forgetting: %v, want %s", got, ssh.FingerprintSHA256(presented))
		}
		b.mustBP(0, "converge")
	})
}

// recordedHostKey returns the host key the state records for address
// ("host:port"), or nil.
func (b *e2eBlueprint) recordedHostKey(address string) ssh.PublicKey {
	b.t.Helper()
	stdout, _ := b.mustBP(0, "state", "pull")
	var st struct {
		HostKeys map[string]string `json:"host_keys"`
	}
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		b.t.Fatalf("bp state pull: %v", err)
	}
	line, ok := st.HostKeys[address]
	if !ok {
		return nil
	}
	key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		b.t.Fatalf("recorded host key of %s %q: %v", address, line, err)
	}
	return key
}

// parseSpans reads "start NAME NANOS" and "end NAME NANOS" lines into
// NAME → [start, end].
func parseSpans(t *testing.T, out string) map[string][2]int64 {
	t.Helper()
	spans := map[string][2]int64{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("span line %q", line)
		}
		n, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			t.Fatalf("span line %q: %v", line, err)
		}
		s := spans[f[1]]
		switch f[0] {
		case "start":
			s[0] = n
		case "end":
			s[1] = n
		default:
			t.Fatalf("span line %q", line)
		}
		spans[f[1]] = s
	}
	for name, s := range spans {
		if s[0] == 0 || s[1] < s[0] {
			t.Fatalf("span %s = %v: a start without an end", name, s)
		}
	}
	return spans
}

// recreateContainer replaces a machine's container, behind bp's back, by a
// new one from the same image with the same name, labels and address,
// which generates new host keys on its first boot.
func recreateContainer(t *testing.T, b *e2eBlueprint, name, address string) {
	t.Helper()
	ctx := context.Background()
	old, err := b.api.ContainerInspect(ctx, name)
	if err != nil {
		t.Fatalf("inspecting %s: %v", name, err)
	}
	var netName string
	var aliases []string
	for n, ep := range old.NetworkSettings.Networks {
		if ep.IPAddress == address {
			netName, aliases = n, ep.Aliases
		}
	}
	if netName == "" {
		t.Fatalf("%s has no address %s on any network: %+v", name, address, old.NetworkSettings.Networks)
	}
	if err := b.api.ContainerRemove(ctx, old.ID, container.RemoveOptions{Force: true}); err != nil {
		t.Fatalf("removing %s: %v", name, err)
	}
	cfg := &container.Config{Image: old.Image, Hostname: old.Config.Hostname, Tty: true,
		StopSignal: old.Config.StopSignal, Labels: old.Config.Labels}
	host := &container.HostConfig{CapAdd: []string{"SYS_ADMIN", "NET_ADMIN"}}
	net := &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{
		netName: {IPAMConfig: &network.EndpointIPAMConfig{IPv4Address: address}, Aliases: aliases},
	}}
	created, err := b.api.ContainerCreate(ctx, cfg, host, net, nil, name)
	if err != nil {
		t.Fatalf("recreating %s: %v", name, err)
	}
	if err := b.api.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
		t.Fatalf("starting the new %s: %v", name, err)
	}
}

// hostKeyAt waits for sshd at address and returns its host key of type
// keyType, read from the handshake (no login is needed).
func hostKeyAt(t *testing.T, address, keyType string) ssh.PublicKey {
	t.Helper()
	var key ssh.PublicKey
	cfg := &ssh.ClientConfig{
		User: "root", Timeout: 5 * time.Second, HostKeyAlgorithms: []string{keyType},
		HostKeyCallback: func(_ string, _ net.Addr, k ssh.PublicKey) error {
			key = k
			return errKeySeen
		},
	}
	deadline := time.Now().Add(time.Minute)
	var last error
	for time.Now().Before(deadline) {
		c, err := ssh.Dial("tcp", net.JoinHostPort(address, "22"), cfg)
		if c != nil {
			c.Close()
		}
		if key != nil {
			return key
		}
		last = err
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("sshd at %s did not show a host key within a minute: %v", address, last)
	return nil
}

var errKeySeen = fmt.Errorf("host key seen")

// TestE2EHelpers checks the output parsing the end-to-end tests rely on,
// on output shaped like bp's.
func TestE2EHelpers(t *testing.T) {
	plan := `Host configuration:

    ~ # configure.web on machine.web[0] (10.0.0.2): 1 to change, 3 unchanged
        ~ app/service.nginx: restart (notified)

    ~ # configure.web on machine.web[1] (10.0.0.3): 0 to change, 4 unchanged

Plan: 0 to add, 0 to change, 0 to destroy.
`
	tests := []struct {
		name, host, want, notWant string
	}{
		{name: "first host", host: "machine.web[0]", want: "restart (notified)", notWant: "~ #"},
		{name: "last host stops at the summary", host: "machine.web[1]", want: "4 unchanged", notWant: "Plan:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := hostSection(t, plan, "configure.web", tc.host)
			if !strings.Contains(got, tc.want) || strings.Contains(got, tc.notWant) {
				t.Errorf("section %q: want %q, not %q", got, tc.want, tc.notWant)
			}
		})
	}
	progress := "machine.box: Converging (configure.box)...\nmachine.box: ~ kinds/file./etc/x changed\nmachine.other: ~ kinds/file./etc/y changed\nmachine.box: ~ kinds/exec.seed changed\n"
	got := changedIDs(progress, "machine.box")
	if strings.Join(got, " ") != "kinds/file./etc/x kinds/exec.seed" {
		t.Errorf("changedIDs = %q", got)
	}
}
