package pluginbench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuMeter measures the CPU time of this process (bp's side) and of its
// plugin child processes. A busy machine disturbs CPU time far less than
// wall time, so the two together tell what the protocol costs and what the
// machine's load added.
type cpuMeter struct {
	self, children time.Duration
}

func startCPU(b *testing.B) *cpuMeter {
	return &cpuMeter{self: selfCPU(b), children: childrenCPU(b)}
}

// elapsed returns the CPU time spent by bp and by the plugins since start.
func (m *cpuMeter) elapsed(b *testing.B) (bp, plugins time.Duration) {
	return selfCPU(b) - m.self, childrenCPU(b) - m.children
}

func selfCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// childrenCPU is the user and system time so far of the running child
// processes of this one, from /proc (in clock ticks of 10 ms).
func childrenCPU(b *testing.B) time.Duration {
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		b.Fatal(err)
	}
	self := os.Getpid()
	var total time.Duration
	for _, path := range stats {
		raw, err := os.ReadFile(path)
		if err != nil {
			continue // the process has gone
		}
		ppid, cpu, err := parseStat(string(raw))
		if err != nil {
			b.Fatalf("%s: %v", path, err)
		}
		if ppid == self {
			total += cpu
		}
	}
	return total
}

// parseStat returns the parent pid and the user plus system time of a
// /proc/PID/stat line.
func parseStat(line string) (ppid int, cpu time.Duration, err error) {
	// The command name, field 2, is in parentheses and may hold spaces.
	end := strings.LastIndexByte(line, ')')
	if end < 0 {
		return 0, 0, fmt.Errorf("no command name in %q", line)
	}
	fields := strings.Fields(line[end+1:])
	if len(fields) < 13 {
		return 0, 0, fmt.Errorf("too few fields in %q", line)
	}
	if ppid, err = strconv.Atoi(fields[1]); err != nil { // field 4
		return 0, 0, err
	}
	var ticks int64
	for _, f := range fields[11:13] { // utime and stime, fields 14 and 15
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, 0, err
		}
		ticks += n
	}
	return ppid, time.Duration(ticks) * 10 * time.Millisecond, nil
}

func TestParseStat(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		ppid    int
		cpu     time.Duration
		wantErr bool
	}{
		{"plain", "42 (bp-provider-std) S 7 42 7 0 -1 4194560 100 0 0 0 12 3 0 0 20 0 8 0 1 1 1", 7, 150 * time.Millisecond, false},
		{"name with spaces and parentheses", "42 (a (b) c) R 9 42 7 0 -1 0 0 0 0 0 1 1 0 0 20 0 8 0 1 1 1", 9, 20 * time.Millisecond, false},
		{"truncated", "42 (x) S 7 42", 0, 0, true},
		{"no name", "42 x S 7", 0, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ppid, cpu, err := parseStat(tc.line)
			if (err != nil) != tc.wantErr || ppid != tc.ppid || cpu != tc.cpu {
				t.Fatalf("parseStat = %d, %v, %v; want %d, %v, error %v", ppid, cpu, err, tc.ppid, tc.cpu, tc.wantErr)
			}
		})
	}
}
