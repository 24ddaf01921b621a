package haproxy

import (
	"strings"
	"time"
)

// Stats is one snapshot of an HAProxy's statistics.
type Stats struct {
	// At is when the snapshot was taken; zero when parsed from text that
	// did not come through Scrape or ShowStat.
	At time.Time
	// Frontends are the listening proxies, in HAProxy's order.
	Frontends []Frontend
	// Backends are the server pools with their servers, in HAProxy's order.
	Backends []Backend
}

// Backend returns the named backend, or false when there is none.
func (s *Stats) Backend(name string) (Backend, bool) {
	for _, b := range s.Backends {
		if b.Name == name {
			return b, true
		}
	}
	return Backend{}, false
}

// Frontend is a listening proxy.
type Frontend struct {
	Name string
	// Status is OPEN, STOP or FULL.
	Status string
	// Sessions is the current number of sessions (scur).
	Sessions int64
	// SessionRate is sessions per second over the last second (rate).
	SessionRate float64
	// RequestRate is HTTP requests per second over the last second
	// (req_rate).
	RequestRate float64
	// RequestsTotal counts HTTP requests since start (req_tot).
	RequestsTotal int64
}

// Backend is a server pool and what flows through it.
type Backend struct {
	Name string
	// Status is UP when at least one server serves, DOWN otherwise.
	Status string
	// Sessions is the current number of sessions (scur).
	Sessions int64
	// SessionRate is sessions per second over the last second (rate); in
	// HTTP mode every request is one backend session.
	SessionRate float64
	// RequestsTotal counts requests since start: req_tot in HTTP mode,
	// stot (sessions) in TCP mode.
	RequestsTotal int64
	// ResponseTime is the average response time over the last 1024
	// requests (rtime); 0 in TCP mode.
	ResponseTime time.Duration
	// Servers are the pool's members, in HAProxy's order.
	Servers []Server
}

// Server is one member of a backend.
type Server struct {
	Name string
	// Status is the server's state, parsed from RawStatus.
	Status Status
	// RawStatus is HAProxy's own word, e.g. "UP 1/3" or "MAINT (via b/s)".
	RawStatus string
	// Address is host:port (addr); empty on HAProxy versions without it.
	Address string
	// Weight is the effective weight (weight).
	Weight int64
	// Sessions is the current number of sessions (scur).
	Sessions int64
	// SessionRate is sessions per second over the last second (rate).
	SessionRate float64
	// RequestsTotal counts requests since start: req_tot in HTTP mode,
	// stot in TCP mode.
	RequestsTotal int64
	// ResponseTime is the average response time over the last 1024
	// requests (rtime).
	ResponseTime time.Duration
	// CheckStatus is the last health check's result, e.g. L7OK or L4CON.
	CheckStatus string
}

// Status is a server's state as HAProxy reports it, reduced to what a
// controller acts on.
type Status string

const (
	// StatusUp: the server takes traffic (UP, UP n/m going down, or
	// "no check" for a server without health checks).
	StatusUp Status = "UP"
	// StatusDown: health checks fail (DOWN, DOWN n/m going up).
	StatusDown Status = "DOWN"
	// StatusDrain: an operator or agent drained it; it serves existing
	// sessions and persistent clients, takes no new ones.
	StatusDrain Status = "DRAIN"
	// StatusMaint: in maintenance, takes no traffic at all.
	StatusMaint Status = "MAINT"
	// StatusNoLB: up but excluded from load balancing by its check (NOLB).
	StatusNoLB Status = "NOLB"
	// StatusUnknown: a word this package does not know.
	StatusUnknown Status = "UNKNOWN"
)

// parseStatus reduces HAProxy's status column to a Status. HAProxy appends
// details to the word ("UP 1/3", "MAINT (via b/s)", "MAINT(resolution)",
// "DRAIN (agent)"), so the word is matched as a prefix.
func parseStatus(raw string) Status {
	raw = strings.TrimSpace(raw)
	if raw == "no check" {
		return StatusUp
	}
	for _, s := range []Status{StatusUp, StatusDown, StatusDrain, StatusMaint, StatusNoLB} {
		if rest, ok := strings.CutPrefix(raw, string(s)); ok && (rest == "" || rest[0] == ' ' || rest[0] == '(') {
			return s
		}
	}
	return StatusUnknown
}

// Serving reports whether the server takes new requests.
func (s Server) Serving() bool { return s.Status == StatusUp }
