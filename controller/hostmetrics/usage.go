package hostmetrics

import (
	"math"
	"time"
)

// Metric names, as an autoscaler's metric blocks name them.
const (
	LoadAverage = "load_average"
	CPU         = "cpu"
	Memory      = "memory"
)

// Names are the metrics a Usage holds, in order.
var Names = []string{LoadAverage, CPU, Memory}

// loadWindow is the time constant of the load average: 1 minute.
const loadWindow = time.Minute

// Usage is how busy a host is.
type Usage struct {
	// Load1 is the 1-minute load average.
	Load1 float64
	// CPU is the percentage of the host's CPU used since the previous
	// snapshot (0–100, over all CPUs); NaN for a host's first snapshot.
	CPU float64
	// Memory is the percentage of memory in use (0–100).
	Memory float64
}

// Metric returns the named metric, false for a name that is not a host
// metric or a value not known yet.
func (u Usage) Metric(name string) (float64, bool) {
	var v float64
	switch name {
	case LoadAverage:
		v = u.Load1
	case CPU:
		v = u.CPU
	case Memory:
		v = u.Memory
	default:
		return 0, false
	}
	return v, !math.IsNaN(v)
}

// Tracker turns one host's successive snapshots into Usage. The zero
// value is ready to use; a Tracker is used by one goroutine.
type Tracker struct {
	prev Snapshot
	have bool
	// load is a container's averaged task count.
	load float64
}

// Observe takes the host's next snapshot and returns its usage. A
// snapshot whose clock went back (the host rebooted) or whose source
// changed starts over, as the first one does.
func (t *Tracker) Observe(s Snapshot) Usage {
	u := Usage{CPU: math.NaN(), Memory: math.NaN()}
	if s.MemoryLimit > 0 {
		u.Memory = math.Min(100, 100*float64(s.MemoryUsed)/float64(s.MemoryLimit))
	}
	dt := s.Uptime - t.prev.Uptime
	continued := t.have && s.Source == t.prev.Source && dt >= 0
	if continued {
		busy, total := s.CPUBusy-t.prev.CPUBusy, s.CPUTotal-t.prev.CPUTotal
		if total > 0 && busy >= 0 {
			u.CPU = math.Min(100, 100*busy/total)
		}
	}
	if s.Source == SourceProc {
		u.Load1 = s.Load1
	} else {
		n := float64(s.Runnable)
		if continued {
			// The kernel's exponential decay, with the sampling interval
			// for its 5 s tick.
			e := math.Exp(-dt.Seconds() / loadWindow.Seconds())
			t.load = t.load*e + n*(1-e)
		} else {
			t.load = n
		}
		u.Load1 = t.load
	}
	t.prev, t.have = s, true
	return u
}
