package hostmetrics

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// The testdata files are real outputs of Command: vm.txt on a Debian
// machine (its container sections taken out), container-cgroup-v1.txt in a
// local-provider machine image run with --cpus 1 --memory 512m (the
// command's own tasks are all it runs); container-cgroup-v2.txt is written
// after the kernel's cgroup v2 documentation.
func TestParse(t *testing.T) {
	tests := []struct {
		name string
		file string
		want Snapshot
	}{
		{"vm: /proc", "vm.txt", Snapshot{Source: SourceProc, Uptime: 11387630 * time.Millisecond, Load1: 4.35,
			CPUBusy: 1401697 + 256205 + 5026 + 2338, CPUTotal: 1401697 + 256205 + 5026 + 2338 + 600580 + 6973,
			MemoryUsed: (24731708 - 23938012) * 1024, MemoryLimit: 24731708 * 1024}},
		{"container: cgroup v1, quota 1 CPU of 2, 512 MiB", "container-cgroup-v1.txt", Snapshot{Source: SourceCgroupV1,
			Uptime: 11387940 * time.Millisecond, Runnable: 0, CPUBusy: 0.022660898, CPUTotal: 11387.94,
			MemoryUsed: 1671168, MemoryLimit: 512 << 20}},
		{"container: cgroup v2, quota 2 CPUs of 4, 1 GiB", "container-cgroup-v2.txt", Snapshot{Source: SourceCgroupV2,
			Uptime: 5230120 * time.Millisecond, Runnable: 3, CPUBusy: 81.5, CPUTotal: 5230.12 * 2,
			MemoryUsed: 402653184 - 134217728, MemoryLimit: 1 << 30}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(readTestdata(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if !near(got.CPUBusy, tc.want.CPUBusy) || !near(got.CPUTotal, tc.want.CPUTotal) {
				t.Errorf("CPU busy/total = %v/%v, want %v/%v", got.CPUBusy, got.CPUTotal, tc.want.CPUBusy, tc.want.CPUTotal)
			}
			got.CPUBusy, got.CPUTotal = tc.want.CPUBusy, tc.want.CPUTotal
			if got != tc.want {
				t.Errorf("Parse =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

func near(a, b float64) bool { return a == b || a > b*0.999999 && a < b*1.000001 }

// TestParseErrors: output that is not the command's says what is wrong.
func TestParseErrors(t *testing.T) {
	v2 := readTestdata(t, "container-cgroup-v2.txt")
	vm := readTestdata(t, "vm.txt")
	tests := []struct{ name, out, want string }{
		{"empty", "", "cut short"},
		{"a banner instead", "Welcome to host!\n", "cut short"},
		{"cut short", strings.Split(vm, "==> nproc")[0], "cut short"},
		{"no uptime", strings.Replace(vm, "==> uptime\n11387.63 ", "==> uptime\nsoon ", 1), `uptime: "soon" is not a number`},
		{"empty uptime", strings.Replace(vm, "==> uptime\n11387.63 6005.80\n", "==> uptime\n", 1), "uptime: missing"},
		{"bad loadavg", strings.Replace(vm, "4.35 4.06", "high 4.06", 1), `loadavg: "high" is not a number`},
		{"no meminfo", strings.Replace(vm, "MemAvailable:", "MemFree2:", 1), "no MemTotal or MemAvailable"},
		{"bad stat", strings.Replace(vm, "cpu  1401697", "intr 1401697", 1), "not the aggregate cpu line"},
		{"container without cgroup files", strings.Replace(v2, "==> /sys/fs/cgroup/cpu.stat", "==> elsewhere", 1), "mount the container's cgroup"},
		{"bad cpu.max", strings.Replace(v2, "200000 100000", "lots", 1), `cpu.max: "lots"`},
		{"bad memory.current", strings.Replace(v2, "402653184", "-1", 1), `memory.current: "-1" is not a whole number`},
		{"no usage_usec", strings.Replace(v2, "usage_usec", "use_usec", 1), "no usage_usec line"},
		{"bad self", strings.Replace(v2, "731 (bash) S 730 731 731 0 -1", "garbage\n", 1), "not a /proc/PID/stat line"},
		{"too many sections", manySections(100), "more than 64 sections"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.out)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

func manySections(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "==> s%d\n%d\n", i, i)
	}
	return b.String() + "==> end\n"
}

// FuzzParse: no output makes Parse panic, and what it accepts is sane
// (a cgroup may use more than its limit for a moment, or after the limit
// was lowered: Usage caps memory at 100%).
func FuzzParse(f *testing.F) {
	for _, name := range []string{"vm.txt", "container-cgroup-v1.txt", "container-cgroup-v2.txt"} {
		f.Add(readTestdata(f, name))
	}
	f.Add("==> container\n==> end\n")
	f.Add("==> self\n)\n==> end\n")
	f.Fuzz(func(t *testing.T, out string) {
		s, err := Parse(out)
		if err != nil {
			return
		}
		if s.MemoryLimit == 0 || s.CPUBusy < 0 || s.CPUTotal < 0 || s.Runnable < 0 {
			t.Errorf("Parse accepted impossible figures: %+v", s)
		}
		var tr Tracker
		tr.Observe(s)
		u := tr.Observe(s)
		if u.Memory < 0 || u.Memory > 100 || u.CPU < 0 || u.CPU > 100 || u.Load1 < 0 {
			t.Errorf("usage out of range: %+v", u)
		}
	})
}
