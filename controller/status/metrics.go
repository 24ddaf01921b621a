package status

import (
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the Prometheus series a Board exports. Every name starts
// with bp_run_, the process that serves them.
type metrics struct {
	size, desired, min, max *prometheus.GaugeVec
	observed, target        *prometheus.GaugeVec
	decisions               *prometheus.CounterVec
	probeResults            *prometheus.CounterVec
	probeHealthy            *prometheus.GaugeVec
	scrapeLast              *prometheus.GaugeVec
	scrapeErrors            *prometheus.CounterVec
	host                    *prometheus.GaugeVec
	drains                  *prometheus.CounterVec
	drainSeconds            *prometheus.GaugeVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	gauge := func(name, help string, labels ...string) *prometheus.GaugeVec {
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "bp_run", Name: name, Help: help}, labels)
		reg.MustRegister(g)
		return g
	}
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "bp_run", Name: name, Help: help}, labels)
		reg.MustRegister(c)
		return c
	}
	return &metrics{
		size:         gauge("group_size", "Current number of members of a machine group.", "group"),
		desired:      gauge("group_desired", "Number of members the autoscaler wants.", "group"),
		min:          gauge("group_min", "Lower bound of the group size.", "group"),
		max:          gauge("group_max", "Upper bound of the group size.", "group"),
		observed:     gauge("metric_observed", "Last observed value of a tracked metric (NaN without fresh data).", "group", "metric"),
		target:       gauge("metric_target", "Target value of a tracked metric.", "group", "metric"),
		decisions:    counter("decisions_total", "Autoscaling decisions by direction (out, in, hold).", "group", "direction"),
		probeResults: counter("probe_results_total", "Health check probes by result (success, failure).", "check", "target", "result"),
		probeHealthy: gauge("probe_healthy", "1 when a health check target is healthy, 0 when unhealthy or not yet known.", "check", "target"),
		scrapeLast:   gauge("scrape_last_success_timestamp_seconds", "Unix time of the last successful scrape of a metrics source.", "source"),
		scrapeErrors: counter("scrape_errors_total", "Failed scrapes of a metrics source.", "source"),
		host:         gauge("host_metric", "Last host metric of a group member read over SSH (load_average; cpu and memory in percent).", "group", "host", "metric"),
		drains:       counter("drains_total", "Load balancer servers drained before a scale-in, by outcome (drained, cut_short, failed).", "load_balancer", "outcome"),
		drainSeconds: gauge("drain_seconds", "How long the latest drain waited for the sessions of its servers to end.", "load_balancer"),
	}
}
