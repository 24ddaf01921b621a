package toolkit

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint/funcs"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ with the current output")

// lbVars are the template vars the load_balancer module passes, built from
// module variables shaped as the engine passes them: every block attribute
// present, null when unset.
type lbVars struct {
	listeners []cty.Value
	targets   []string
	health    cty.Value // an object or null
	balance   cty.Value // a string or null
}

var (
	nullNum = cty.NullVal(cty.Number)
	nullStr = cty.NullVal(cty.String)
	// healthType is the object type of the health_check variable.
	healthType = cty.Object(map[string]cty.Type{
		"path": cty.String, "interval": cty.String, "healthy_threshold": cty.Number, "unhealthy_threshold": cty.Number,
	})
)

// listener returns a listener block value; zero targetPort and empty
// protocol are left null.
func listener(port, targetPort int64, protocol string) cty.Value {
	tp, proto := nullNum, nullStr
	if targetPort != 0 {
		tp = cty.NumberIntVal(targetPort)
	}
	if protocol != "" {
		proto = cty.StringVal(protocol)
	}
	return cty.ObjectVal(map[string]cty.Value{"port": cty.NumberIntVal(port), "target_port": tp, "protocol": proto})
}

func health(path, interval string, healthy, unhealthy int64) cty.Value {
	v := map[string]cty.Value{"path": nullStr, "interval": nullStr, "healthy_threshold": nullNum, "unhealthy_threshold": nullNum}
	if path != "" {
		v["path"] = cty.StringVal(path)
	}
	if interval != "" {
		v["interval"] = cty.StringVal(interval)
	}
	if healthy != 0 {
		v["healthy_threshold"] = cty.NumberIntVal(healthy)
	}
	if unhealthy != 0 {
		v["unhealthy_threshold"] = cty.NumberIntVal(unhealthy)
	}
	return cty.ObjectVal(v)
}

func (v lbVars) values(statsPort int64, adminSocket string) map[string]cty.Value {
	targets := cty.ListValEmpty(cty.String)
	if len(v.targets) > 0 {
		ts := make([]cty.Value, len(v.targets))
		for i, t := range v.targets {
			ts[i] = cty.StringVal(t)
		}
		targets = cty.ListVal(ts)
	}
	listeners := cty.ListValEmpty(listener(1, 0, "").Type())
	if len(v.listeners) > 0 {
		listeners = cty.ListVal(v.listeners)
	}
	h, b := v.health, v.balance
	if h == cty.NilVal {
		h = cty.NullVal(healthType)
	}
	if b == cty.NilVal {
		b = nullStr
	}
	return map[string]cty.Value{
		"name": cty.StringVal("front"), "listeners": listeners, "targets": targets,
		"health_check": h, "balance": b,
		"stats_port": cty.NumberIntVal(statsPort), "admin_socket": cty.StringVal(adminSocket),
		// The engine passes the host being configured to every template.
		"host": cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("lb-front")}),
	}
}

// renderHAProxy renders the module's haproxy.cfg.tpl as the template kind
// does.
func renderHAProxy(t *testing.T, vars map[string]cty.Value) string {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	moduleDir := filepath.Join(dir, "load_balancer")
	path := filepath.Join(moduleDir, "haproxy.cfg.tpl")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out, diags := funcs.RenderTemplate(src, path, vars, funcs.Table(moduleDir))
	if diags.HasErrors() {
		t.Fatalf("rendering haproxy.cfg.tpl: %s", diags.Error())
	}
	return out
}

// haproxyBinary returns HAProxy's path, failing the test when it is
// missing: make setup installs it.
func haproxyBinary(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("haproxy")
	if err != nil {
		for _, p := range []string{"/usr/sbin/haproxy", "/usr/local/sbin/haproxy"} {
			if _, serr := os.Stat(p); serr == nil {
				return p
			}
		}
		t.Fatalf("haproxy is not installed (%v); run `make setup`, which installs the Debian package haproxy", err)
	}
	return bin
}

// checkHAProxyConfig runs haproxy -c on cfg and fails on errors or warnings.
func checkHAProxyConfig(t *testing.T, cfg string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(haproxyBinary(t), "-c", "-f", path).CombinedOutput()
	if err != nil {
		t.Fatalf("haproxy -c rejects the configuration: %v\n%s", err, out)
	}
	if bytes.Contains(out, []byte("[WARNING]")) || bytes.Contains(out, []byte("[ALERT]")) {
		t.Errorf("haproxy -c warns about the configuration:\n%s", out)
	}
}

func TestHAProxyConfigGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		vars lbVars
		want []string // fragments the output must hold, beyond the golden file
	}{
		{"defaults", lbVars{listeners: []cty.Value{listener(80, 0, "")}, targets: []string{"10.88.0.11", "10.88.0.12"}},
			[]string{"option httpchk GET /\n", "balance roundrobin", "inter 2s rise 2 fall 2", "server 10.88.0.12 10.88.0.12:80\n"}},
		{"http and tcp listeners", lbVars{
			listeners: []cty.Value{listener(80, 8080, "http"), listener(5432, 0, "tcp")},
			targets:   []string{"10.88.0.11", "10.88.0.12", "10.88.0.11"},
			health:    health("/healthz", "500ms", 3, 1),
			balance:   cty.StringVal("leastconn"),
		}, []string{"option httpchk GET /healthz", "balance leastconn", "inter 500ms rise 3 fall 1", "server 10.88.0.11 10.88.0.11:8080", "mode tcp", "server 10.88.0.12 10.88.0.12:5432"}},
		{"partial health check", lbVars{listeners: []cty.Value{listener(8000, 0, "")}, targets: []string{"localhost"}, health: health("", "5s", 0, 0)},
			[]string{"option httpchk GET /\n", "inter 5s rise 2 fall 2", "server localhost localhost:8000"}},
		{"no targets", lbVars{listeners: []cty.Value{listener(80, 0, "")}}, []string{"backend targets_80"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := renderHAProxy(t, tc.vars.values(StatsPort, "/run/haproxy/admin.sock"))
			golden := filepath.Join("testdata", "haproxy", strings.ReplaceAll(tc.name, " ", "_")+".cfg")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("haproxy.cfg differs from %s (go test -update rewrites it):\n--- got\n%s", golden, got)
			}
			for _, frag := range append(tc.want, "bind :8404", "stats uri /stats") {
				if !strings.Contains(got, frag) {
					t.Errorf("haproxy.cfg lacks %q", frag)
				}
			}
			checkHAProxyConfig(t, got)
		})
	}
}
