package status

import (
	"maps"
	"time"
)

// HostObservation is one sample of a machine's host metrics.
type HostObservation struct {
	// Group is the machine's group, Host its address.
	Group, Host string
	// At is when the sample was taken.
	At time.Time
	// Metrics are the metrics known at this sample by name
	// (load_average, cpu, memory); a metric not known yet is absent.
	Metrics map[string]float64
}

type hostKey struct{ group, host string }

// ObserveHost records a machine's latest host metrics, on the page and in
// /metrics (bp_run_host_metric).
func (b *Board) ObserveHost(o HostObservation) {
	o.Metrics = maps.Clone(o.Metrics)
	for name, v := range o.Metrics {
		b.metrics.host.WithLabelValues(o.Group, o.Host, name).Set(v)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.hosts[hostKey{o.Group, o.Host}] = o
}

// ForgetHost drops a machine that left its group, from the page and from
// /metrics.
func (b *Board) ForgetHost(group, host string) {
	b.mu.Lock()
	o, ok := b.hosts[hostKey{group, host}]
	delete(b.hosts, hostKey{group, host})
	b.mu.Unlock()
	if ok {
		for name := range o.Metrics {
			b.metrics.host.DeleteLabelValues(group, host, name)
		}
	}
}
