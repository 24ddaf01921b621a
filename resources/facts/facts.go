// Package facts gathers the facts bp-agent reports about its host: OS and
// version from /etc/os-release, architecture, kernel, init system, package
// manager, CPUs, memory and addresses. Standard library only.
package facts

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

// Source is where Gather reads; tests point it at fixtures.
type Source struct {
	// Root prefixes the files read (/etc/os-release, /proc/...); "" is /.
	Root string
	// LookPath finds package-manager binaries; nil means exec.LookPath.
	LookPath func(string) (string, error)
	// Interfaces lists addresses; nil means net.InterfaceAddrs.
	Interfaces func() ([]net.Addr, error)
}

// Gather returns the host's facts. Facts it cannot read stay zero.
func Gather(agentVersion string) agentapi.Facts { return Source{}.Gather(agentVersion) }

// Gather reads the facts from s.
func (s Source) Gather(agentVersion string) agentapi.Facts {
	f := agentapi.Facts{Arch: runtime.GOARCH, AgentVersion: agentVersion, Addresses: []string{}}
	f.Hostname, _ = os.Hostname()
	if b, err := os.ReadFile(s.Root + "/proc/sys/kernel/hostname"); err == nil && s.Root != "" {
		f.Hostname = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile(s.Root + "/proc/sys/kernel/osrelease"); err == nil {
		f.Kernel = strings.TrimSpace(string(b))
	}
	osr := ParseOSRelease(readFile(s.Root + "/etc/os-release"))
	f.OS, f.OSVersion = osr["ID"], osr["VERSION_ID"]
	f.OSFamily = f.OS
	if like := strings.Fields(osr["ID_LIKE"]); len(like) > 0 {
		f.OSFamily = like[0]
	}
	f.Init = "other"
	if fi, err := os.Stat(s.Root + "/run/systemd/system"); err == nil && fi.IsDir() {
		f.Init = "systemd"
	}
	look := s.LookPath
	if look == nil {
		look = exec.LookPath
	}
	for _, pm := range []struct{ bin, name string }{{"apt-get", "apt"}, {"dnf", "dnf"}, {"apk", "apk"}} {
		if _, err := look(pm.bin); err == nil {
			f.PackageManager = pm.name
			break
		}
	}
	f.CPUs = countCPUs(readFile(s.Root + "/proc/cpuinfo"))
	if f.CPUs == 0 {
		f.CPUs = runtime.NumCPU()
	}
	f.MemoryMB = memTotalMB(readFile(s.Root + "/proc/meminfo"))
	addrs := s.Interfaces
	if addrs == nil {
		addrs = net.InterfaceAddrs
	}
	if list, err := addrs(); err == nil {
		for _, a := range list {
			ipnet, ok := a.(*net.IPNet)
			if !ok || ipnet.IP.IsLoopback() || ipnet.IP.IsLinkLocalUnicast() {
				continue
			}
			f.Addresses = append(f.Addresses, ipnet.IP.String())
		}
	}
	return f
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// ParseOSRelease parses os-release(5) KEY=value lines, unquoting values.
func ParseOSRelease(text string) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		if uq, err := strconv.Unquote(v); err == nil && (strings.HasPrefix(v, `"`)) {
			v = uq
		} else {
			v = strings.Trim(v, `"'`)
		}
		out[k] = v
	}
	return out
}

func countCPUs(cpuinfo string) int {
	n := 0
	for _, line := range strings.Split(cpuinfo, "\n") {
		if k, _, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "processor" {
			n++
		}
	}
	return n
}

func memTotalMB(meminfo string) int {
	for _, line := range strings.Split(meminfo, "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				kb, err := strconv.Atoi(f[0])
				if err == nil {
					return kb / 1024
				}
			}
		}
	}
	return 0
}
