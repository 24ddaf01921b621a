package status

import (
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrapeMetrics fetches /metrics and parses it with Prometheus' own parser.
func scrapeMetrics(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %s", resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics is not the Prometheus text format: %v", err)
	}
	return fams
}

// value finds the sample of family name whose labels include all of want.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	t.Helper()
	f, ok := fams[name]
	if !ok {
		t.Fatalf("no metric family %s", name)
	}
next:
	for _, m := range f.Metric {
		labels := map[string]string{}
		for _, l := range m.Label {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if labels[k] != v {
				continue next
			}
		}
		switch {
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Counter != nil:
			return m.Counter.GetValue()
		}
	}
	t.Fatalf("no %s sample with labels %v", name, want)
	return 0
}

func TestMetrics(t *testing.T) {
	srv := httptest.NewServer(fixedBoard(t).Handler(nil))
	defer srv.Close()
	fams := scrapeMetrics(t, srv.URL)
	web := map[string]string{"group": "machine_group.web"}
	tests := []struct {
		name   string
		family string
		labels map[string]string
		want   float64
	}{
		{"size", "bp_run_group_size", web, 5},
		{"desired", "bp_run_group_desired", web, 5},
		{"min", "bp_run_group_min", web, 2},
		{"max", "bp_run_group_max", web, 5},
		{"other group", "bp_run_group_size", map[string]string{"group": "machine_group.api"}, 1},
		{"observed", "bp_run_metric_observed", map[string]string{"group": "machine_group.web", "metric": "requests_per_member"}, 50},
		{"target", "bp_run_metric_target", map[string]string{"group": "machine_group.web", "metric": "response_time_ms"}, 250},
		{"scale-outs", "bp_run_decisions_total", map[string]string{"group": "machine_group.web", "direction": "out"}, 2},
		{"holds", "bp_run_decisions_total", map[string]string{"group": "machine_group.web", "direction": "hold"}, 8},
		{"probe successes", "bp_run_probe_results_total", map[string]string{"target": "10.0.0.2:80", "result": "success"}, 1},
		{"probe failures", "bp_run_probe_results_total", map[string]string{"target": "10.0.0.4:80", "result": "failure"}, 1},
		{"healthy target", "bp_run_probe_healthy", map[string]string{"check": "health_check.web", "target": "10.0.0.3:80"}, 1},
		{"unhealthy target", "bp_run_probe_healthy", map[string]string{"target": "10.0.0.4:80"}, 0},
		{"last scrape", "bp_run_scrape_last_success_timestamp_seconds", map[string]string{"source": "haproxy 10.0.0.9"}, float64(t0.Unix() + 85)},
		{"scrape errors", "bp_run_scrape_errors_total", map[string]string{"source": "ssh 10.0.0.2"}, 1},
		{"host cpu", "bp_run_host_metric", map[string]string{"host": "10.0.0.6", "metric": "cpu"}, 63.2},
		{"host load", "bp_run_host_metric", map[string]string{"host": "10.0.0.7", "metric": "load_average"}, 0.42},
		{"drained", "bp_run_drains_total", map[string]string{"load_balancer": "load_balancer.front", "outcome": "drained"}, 1},
		{"cut short", "bp_run_drains_total", map[string]string{"outcome": "cut_short"}, 1},
		{"latest drain took", "bp_run_drain_seconds", map[string]string{"load_balancer": "load_balancer.front"}, 30},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := value(t, fams, tc.family, tc.labels); got != tc.want {
				t.Errorf("%s%v = %g, want %g", tc.family, tc.labels, got, tc.want)
			}
		})
	}
	t.Run("no data is NaN", func(t *testing.T) {
		if got := value(t, fams, "bp_run_metric_observed", map[string]string{"metric": "load1"}); !math.IsNaN(got) {
			t.Errorf("observed load1 = %g, want NaN", got)
		}
	})
	t.Run("no scale-in yet", func(t *testing.T) {
		for _, m := range fams["bp_run_decisions_total"].Metric {
			for _, l := range m.Label {
				if l.GetName() == "direction" && l.GetValue() == "in" {
					t.Errorf("a scale-in was counted: %v", m)
				}
			}
		}
	})
}

func TestHandler(t *testing.T) {
	var failing error
	b := fixedBoard(t)
	b.ForgetProbe("health_check.web", "10.0.0.4:80")
	srv := httptest.NewServer(b.Handler(func() error { return failing }))
	defer srv.Close()
	get := func(path string) (int, string, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
	}
	tests := []struct {
		name     string
		path     string
		fail     error
		code     int
		ctype    string
		contains string
	}{
		{"page", "/", nil, 200, "text/html; charset=utf-8", "<svg"},
		{"healthz", "/healthz", nil, 200, "text/plain; charset=utf-8", "ok\n"},
		{"healthz failing", "/healthz", errors.New("lost the state lock"), 503, "text/plain; charset=utf-8", "unhealthy: lost the state lock"},
		{"unknown path", "/nope", nil, 404, "", "404"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			failing = tc.fail
			code, ctype, body := get(tc.path)
			if code != tc.code || (tc.ctype != "" && ctype != tc.ctype) || !strings.Contains(body, tc.contains) {
				t.Errorf("GET %s = %d %s %q; want %d %s containing %q", tc.path, code, ctype, body, tc.code, tc.ctype, tc.contains)
			}
		})
	}
	fams := scrapeMetrics(t, srv.URL)
	for _, m := range fams["bp_run_probe_healthy"].Metric {
		for _, l := range m.Label {
			if l.GetValue() == "10.0.0.4:80" {
				t.Error("a forgotten target is still in /metrics")
			}
		}
	}
}
