package hostmetrics

import (
	"bufio"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Source says where a Snapshot's figures come from.
type Source string

const (
	// SourceProc: the kernel-wide figures of /proc (a VM or bare metal).
	SourceProc Source = "proc"
	// SourceCgroupV1 and SourceCgroupV2: a container's own cgroup.
	SourceCgroupV1 Source = "cgroup v1"
	SourceCgroupV2 Source = "cgroup v2"
)

// Snapshot is one reading of a host's counters, as Parse finds them in
// the output of Command.
type Snapshot struct {
	// Source says where the figures come from.
	Source Source
	// Uptime is the kernel's uptime, the clock the counters are read
	// against.
	Uptime time.Duration
	// Load1 is the 1-minute load average of /proc/loadavg (SourceProc).
	Load1 float64
	// Runnable counts the container's tasks that run or wait (states R
	// and D), not counting the sampling command; 0 for SourceProc.
	Runnable int
	// CPUBusy and CPUTotal are cumulative counters in one unit (seconds
	// for a cgroup, clock ticks for /proc): the CPU time used and the CPU
	// time there was to use. Their growth between two snapshots gives the
	// share of CPU used.
	CPUBusy, CPUTotal float64
	// MemoryUsed and MemoryLimit are in bytes.
	MemoryUsed, MemoryLimit uint64
}

// maxSections bounds how much of a reply Parse looks at; a real reply has
// a dozen sections.
const maxSections = 64

// Parse reads the output of Command. It fails, saying what is missing,
// when a figure that the host's kind needs is absent or malformed.
func Parse(out string) (Snapshot, error) {
	sections, err := split(out)
	if err != nil {
		return Snapshot{}, err
	}
	var s Snapshot
	up, err := firstFloat(sections, "uptime")
	if err != nil {
		return s, err
	}
	s.Uptime = time.Duration(up * float64(time.Second))
	memTotal, memAvailable, err := meminfo(sections["meminfo"])
	if err != nil {
		return s, err
	}
	if _, container := sections["container"]; !container {
		s.Source = SourceProc
		if s.Load1, err = firstFloat(sections, "loadavg"); err != nil {
			return s, err
		}
		if s.CPUBusy, s.CPUTotal, err = procStat(sections["stat"]); err != nil {
			return s, err
		}
		s.MemoryUsed, s.MemoryLimit = memTotal-min(memAvailable, memTotal), memTotal
		return s, nil
	}
	cpus, err := firstFloat(sections, "nproc")
	if err != nil {
		return s, err
	}
	if err := s.cgroup(sections, cpus, memTotal); err != nil {
		return s, err
	}
	s.Runnable, err = runnable(sections)
	return s, err
}

// cgroup reads a container's CPU and memory from its cgroup files.
func (s *Snapshot) cgroup(sec map[string]string, cpus float64, memTotal uint64) error {
	var (
		busySeconds, quota float64
		used, limit        uint64
		inactive           uint64
	)
	switch {
	case has(sec, "/sys/fs/cgroup/cpu.stat"):
		s.Source = SourceCgroupV2
		usec, err := keyed(sec, "/sys/fs/cgroup/cpu.stat", "usage_usec")
		if err != nil {
			return err
		}
		busySeconds = float64(usec) / 1e6
		if quota, err = cpuMax(sec["/sys/fs/cgroup/cpu.max"]); err != nil {
			return err
		}
		if used, err = firstUint(sec, "/sys/fs/cgroup/memory.current"); err != nil {
			return err
		}
		limit = memTotal
		if v := strings.TrimSpace(sec["/sys/fs/cgroup/memory.max"]); v != "max" {
			if limit, err = firstUint(sec, "/sys/fs/cgroup/memory.max"); err != nil {
				return err
			}
		}
		inactive, _ = keyed(sec, "/sys/fs/cgroup/memory.stat", "inactive_file")
	case has(sec, "/sys/fs/cgroup/cpuacct/cpuacct.usage"):
		s.Source = SourceCgroupV1
		ns, err := firstUint(sec, "/sys/fs/cgroup/cpuacct/cpuacct.usage")
		if err != nil {
			return err
		}
		busySeconds = float64(ns) / 1e9
		if q, err := firstFloat(sec, "/sys/fs/cgroup/cpu/cpu.cfs_quota_us"); err == nil && q > 0 {
			p, err := firstFloat(sec, "/sys/fs/cgroup/cpu/cpu.cfs_period_us")
			if err != nil || p <= 0 {
				return fmt.Errorf("cpu.cfs_period_us is missing or not positive beside a CPU quota")
			}
			quota = q / p
		}
		if used, err = firstUint(sec, "/sys/fs/cgroup/memory/memory.usage_in_bytes"); err != nil {
			return err
		}
		if limit, err = firstUint(sec, "/sys/fs/cgroup/memory/memory.limit_in_bytes"); err != nil {
			return err
		}
		inactive, _ = keyed(sec, "/sys/fs/cgroup/memory/memory.stat", "total_inactive_file")
	default:
		return fmt.Errorf("the host is a container but its cgroup's cpu.stat (v2) or cpuacct.usage (v1) cannot be read, and /proc there shows the whole host's figures; mount the container's cgroup at /sys/fs/cgroup")
	}
	if quota > 0 {
		cpus = min(cpus, quota)
	}
	if !(cpus > 0) {
		return fmt.Errorf("the container may use %v CPUs; nproc and its CPU quota must be positive", cpus)
	}
	// A limit above the machine's memory (v1's "unlimited" is 2^63) is no
	// limit.
	if limit == 0 || limit > memTotal {
		limit = memTotal
	}
	s.CPUBusy = busySeconds
	s.CPUTotal = s.Uptime.Seconds() * cpus
	s.MemoryUsed, s.MemoryLimit = used-min(inactive, used), limit
	return nil
}

// split cuts the output into its sections, by name.
func split(out string) (map[string]string, error) {
	sections := map[string]string{}
	var name string
	var body strings.Builder
	flush := func() {
		if name != "" {
			sections[name] = body.String()
		}
		body.Reset()
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if n, ok := strings.CutPrefix(line, "==> "); ok {
			flush()
			if len(sections) >= maxSections {
				return nil, fmt.Errorf("the host metrics command printed more than %d sections; is the login shell printing extra output?", maxSections)
			}
			name = n
			continue
		}
		if name != "" {
			body.WriteString(line)
			body.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the host metrics command's output: %w", err)
	}
	flush()
	if _, ok := sections["end"]; !ok {
		return nil, fmt.Errorf("the host metrics command's output is cut short (no end marker)")
	}
	return sections, nil
}

func has(sec map[string]string, name string) bool {
	_, ok := sec[name]
	return ok
}

// firstFloat is the first field of a section, a finite number.
func firstFloat(sec map[string]string, name string) (float64, error) {
	f := strings.Fields(sec[name])
	if len(f) == 0 {
		return 0, fmt.Errorf("%s: missing from the host metrics command's output", name)
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, fmt.Errorf("%s: %q is not a number", name, f[0])
	}
	return v, nil
}

// firstUint is the first field of a section, a whole number.
func firstUint(sec map[string]string, name string) (uint64, error) {
	f := strings.Fields(sec[name])
	if len(f) == 0 {
		return 0, fmt.Errorf("%s: missing from the host metrics command's output", name)
	}
	v, err := strconv.ParseUint(f[0], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a whole number", name, f[0])
	}
	return v, nil
}

// keyed is the value of a "key value" line of a section.
func keyed(sec map[string]string, name, key string) (uint64, error) {
	for line := range strings.Lines(sec[name]) {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == key {
			v, err := strconv.ParseUint(f[1], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%s: %s %q is not a whole number", name, key, f[1])
			}
			return v, nil
		}
	}
	return 0, fmt.Errorf("%s: no %s line", name, key)
}

// cpuMax is a cgroup v2 cpu.max quota in CPUs, 0 for none.
func cpuMax(text string) (float64, error) {
	f := strings.Fields(text)
	if len(f) == 0 || f[0] == "max" {
		return 0, nil
	}
	q, err1 := strconv.ParseFloat(f[0], 64)
	p := 100000.0
	var err2 error
	if len(f) > 1 {
		p, err2 = strconv.ParseFloat(f[1], 64)
	}
	if err1 != nil || err2 != nil || !(q > 0) || !(p > 0) || math.IsInf(q, 0) || math.IsInf(p, 0) {
		return 0, fmt.Errorf("cpu.max: %q is not \"max PERIOD\" or \"QUOTA PERIOD\"", strings.TrimSpace(text))
	}
	return q / p, nil
}

// meminfo returns MemTotal and MemAvailable in bytes.
func meminfo(text string) (total, available uint64, err error) {
	var gotTotal, gotAvail bool
	for line := range strings.Lines(text) {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		var dst *uint64
		switch f[0] {
		case "MemTotal:":
			dst, gotTotal = &total, true
		case "MemAvailable:":
			dst, gotAvail = &available, true
		default:
			continue
		}
		kb, err := strconv.ParseUint(f[1], 10, 64)
		if err != nil || kb > math.MaxUint64/1024 {
			return 0, 0, fmt.Errorf("meminfo: %s %q is not a size in kB", f[0], f[1])
		}
		*dst = kb * 1024
	}
	if !gotTotal || !gotAvail || total == 0 {
		return 0, 0, fmt.Errorf("meminfo: no MemTotal or MemAvailable (Linux 3.14 or later reports both)")
	}
	return total, available, nil
}

// procStat reads the aggregate "cpu" line of /proc/stat: busy and total
// clock ticks.
func procStat(text string) (busy, total float64, err error) {
	f := strings.Fields(text)
	if len(f) < 8 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("stat: the first line is not the aggregate cpu line of /proc/stat: %q", firstLine(text))
	}
	// user nice system idle iowait irq softirq steal; guest time is
	// already counted in user.
	var v [8]float64
	for i := range v {
		n, err := strconv.ParseUint(f[i+1], 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("stat: cpu field %d %q is not a whole number", i+1, f[i+1])
		}
		v[i] = float64(n)
	}
	busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
	return busy, busy + v[3] + v[4], nil
}

// runnable counts tasks in state R or D outside the sampling command's
// session.
func runnable(sec map[string]string) (int, error) {
	self := sec["self"]
	i := strings.LastIndexByte(self, ')')
	f := strings.Fields(self[i+1:])
	if i < 0 || len(f) < 4 {
		return 0, fmt.Errorf("self: %q is not a /proc/PID/stat line", firstLine(self))
	}
	session := f[3]
	n := 0
	for line := range strings.Lines(sec["tasks"]) {
		f := strings.Fields(line)
		if len(f) == 2 && (f[0] == "R" || f[0] == "D") && f[1] != session {
			n++
		}
	}
	return n, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
