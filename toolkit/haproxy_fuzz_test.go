package toolkit

import (
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// FuzzHAProxyConfig renders the HAProxy configuration for targets, a
// health check path and interval that the module's validations accept, and
// checks that no value can add a line or a directive: the rendered file has
// the shape of the one for plain values.
func FuzzHAProxyConfig(f *testing.F) {
	for _, seed := range []struct{ target, path, interval string }{
		{"10.0.0.1", "/", "2s"},
		{"web-1.internal", "/healthz?full=1", "500ms"},
		{"10.0.0.1\n\tstats admin if TRUE", "/", "2s"},
		{"a", "/x\nlisten evil", "1s"},
		{"a", "/", "2s\n\tserver x 1.2.3.4:80"},
		{"-a", "/#", "10"},
	} {
		f.Add(seed.target, seed.path, seed.interval)
	}
	shape := func(cfg string) []string {
		var out []string
		for _, line := range strings.Split(cfg, "\n") {
			if f := strings.Fields(line); len(f) > 0 {
				out = append(out, f[0])
			} else {
				out = append(out, "")
			}
		}
		return out
	}
	render := func(t *testing.T, target, path, interval string) string {
		return renderHAProxy(t, lbVars{
			listeners: []cty.Value{listener(80, 0, "")},
			targets:   []string{target},
			health:    health(path, interval, 0, 0),
		}.values(StatsPort, "/run/haproxy/admin.sock"))
	}
	f.Fuzz(func(t *testing.T, target, path, interval string) {
		if target == "" || path == "" || interval == "" {
			return // null in the module: defaults apply
		}
		if len(failedValidations(t, "load_balancer", "targets", cty.ListVal([]cty.Value{cty.StringVal(target)}))) > 0 ||
			len(failedValidations(t, "load_balancer", "health_check", health(path, interval, 0, 0))) > 0 {
			return
		}
		got := render(t, target, path, interval)
		want := render(t, "10.0.0.1", "/", "2s")
		if g, w := shape(got), shape(want); strings.Join(g, " ") != strings.Join(w, " ") {
			t.Fatalf("values %q %q %q change the configuration's structure:\n%s", target, path, interval, got)
		}
	})
}
