package haproxy

import (
	"fmt"
	"time"
)

// RateSource says how Load.RequestsPerSecond was measured.
type RateSource string

const (
	// RateInstant: HAProxy's own rate over its last second.
	RateInstant RateSource = "instant"
	// RateCounter: the request counter's growth between two snapshots,
	// steadier than the instant rate when snapshots are seconds apart.
	RateCounter RateSource = "counter"
)

// Load is a backend's load reduced to per-member values, what an autoscaler
// tracks.
type Load struct {
	// Backend is the backend's name.
	Backend string
	// At is the snapshot time.
	At time.Time
	// Members counts the servers that take new requests (Serving).
	Members int
	// RequestsPerSecond is the whole backend's request rate.
	RequestsPerSecond float64
	// RateSource says how RequestsPerSecond was measured.
	RateSource RateSource
	// RequestsPerMember is RequestsPerSecond / Members; with no serving
	// member it is the whole rate, as if one member had to carry it.
	RequestsPerMember float64
	// SessionsPerMember is the backend's current sessions / Members, with
	// the same rule for no serving member.
	SessionsPerMember float64
	// ResponseTime is the backend's average response time.
	ResponseTime time.Duration
}

// Load computes the per-member load of the named backend. When prev holds
// an earlier snapshot of the same backend whose request counter has not
// been reset, the request rate is the counter's growth per second between
// the two; otherwise it is HAProxy's instant rate.
func (s *Stats) Load(backend string, prev *Stats) (Load, error) {
	b, ok := s.Backend(backend)
	if !ok {
		names := make([]string, len(s.Backends))
		for i, b := range s.Backends {
			names[i] = b.Name
		}
		return Load{}, fmt.Errorf("HAProxy has no backend %q (it has %q); check the load balancer's backend name", backend, names)
	}
	l := Load{Backend: b.Name, At: s.At, ResponseTime: b.ResponseTime,
		RequestsPerSecond: b.SessionRate, RateSource: RateInstant}
	for _, srv := range b.Servers {
		if srv.Serving() {
			l.Members++
		}
	}
	if prev != nil {
		if pb, ok := prev.Backend(backend); ok {
			dt := s.At.Sub(prev.At).Seconds()
			if dt > 0 && b.RequestsTotal >= pb.RequestsTotal {
				l.RequestsPerSecond = float64(b.RequestsTotal-pb.RequestsTotal) / dt
				l.RateSource = RateCounter
			}
		}
	}
	share := float64(max(l.Members, 1))
	l.RequestsPerMember = l.RequestsPerSecond / share
	l.SessionsPerMember = float64(b.Sessions) / share
	return l, nil
}
