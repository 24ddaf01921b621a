package facts

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestGatherFromFixture(t *testing.T) {
	root := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("etc/os-release", "PRETTY_NAME=\"Ubuntu 24.04 LTS\"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"24.04\"\n")
	write("proc/cpuinfo", "processor\t: 0\nmodel name\t: x\n\nprocessor\t: 1\n")
	write("proc/meminfo", "MemTotal:        2048000 kB\nMemFree: 1 kB\n")
	write("proc/sys/kernel/osrelease", "6.1.0-test\n")
	write("proc/sys/kernel/hostname", "web-0\n")
	if err := os.MkdirAll(filepath.Join(root, "run/systemd/system"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := Source{
		Root: root,
		LookPath: func(bin string) (string, error) {
			if bin == "dnf" {
				return "/usr/bin/dnf", nil
			}
			return "", errors.New("not found")
		},
		Interfaces: func() ([]net.Addr, error) {
			return []net.Addr{
				&net.IPNet{IP: net.ParseIP("127.0.0.1"), Mask: net.CIDRMask(8, 32)},
				&net.IPNet{IP: net.ParseIP("10.1.2.3"), Mask: net.CIDRMask(24, 32)},
				&net.IPNet{IP: net.ParseIP("fe80::1"), Mask: net.CIDRMask(64, 128)},
				&net.IPNet{IP: net.ParseIP("2001:db8::5"), Mask: net.CIDRMask(64, 128)},
			}, nil
		},
	}
	f := src.Gather("v-test")
	checks := []struct{ name, got, want string }{
		{"hostname", f.Hostname, "web-0"},
		{"os", f.OS, "ubuntu"},
		{"os_version", f.OSVersion, "24.04"},
		{"os_family", f.OSFamily, "debian"},
		{"arch", f.Arch, runtime.GOARCH},
		{"kernel", f.Kernel, "6.1.0-test"},
		{"init", f.Init, "systemd"},
		{"package_manager", f.PackageManager, "dnf"},
		{"agent_version", f.AgentVersion, "v-test"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if f.CPUs != 2 || f.MemoryMB != 2000 {
		t.Errorf("cpus, memory_mb = %d, %d; want 2, 2000", f.CPUs, f.MemoryMB)
	}
	if len(f.Addresses) != 2 || f.Addresses[0] != "10.1.2.3" || f.Addresses[1] != "2001:db8::5" {
		t.Errorf("addresses = %v, want [10.1.2.3 2001:db8::5]", f.Addresses)
	}
}

func TestGatherThisHost(t *testing.T) {
	f := Gather("x")
	if f.OS == "" || f.Kernel == "" || f.CPUs < 1 || f.MemoryMB < 1 || f.PackageManager != "apt" {
		t.Errorf("facts of this Debian host look wrong: %+v", f)
	}
}

func TestParseOSRelease(t *testing.T) {
	got := ParseOSRelease("# c\nID=debian\nNAME=\"Debian GNU/Linux\"\nX='y'\nbad line\n")
	if got["ID"] != "debian" || got["NAME"] != "Debian GNU/Linux" || got["X"] != "y" || len(got) != 3 {
		t.Errorf("got %v", got)
	}
}
