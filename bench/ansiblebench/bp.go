package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// bpCLI runs the bp binary in a blueprint directory, as a user would.
type bpCLI struct {
	bin string // path of bp; the agents are next to it
	dir string // the blueprint directory
	log *os.File
	// cpu is the user+system CPU time of the last command run.
	cpu time.Duration
}

// buildBP builds bp and the agent for this machine's architecture into
// dir, as make build does, from the module at root.
func buildBP(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "bp")
	builds := []struct {
		out, pkg string
		env      []string
	}{
		{bin, "./cmd/bp", nil},
		{filepath.Join(dir, "bp-agent-linux-"+runtime.GOARCH), "./cmd/bp-agent", []string{"GOOS=linux", "GOARCH=" + runtime.GOARCH}},
	}
	for _, b := range builds {
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", b.out, b.pkg)
		cmd.Dir = root
		cmd.Env = append(append(os.Environ(), "CGO_ENABLED=0"), b.env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go build %s: %v\n%s", b.pkg, err, out)
		}
	}
	return bin, nil
}

// run runs bp with args and returns its wall time (process start to exit)
// and output. The output is also appended to the log. A non-zero exit is
// an error carrying the output's tail.
func (c *bpCLI) run(ctx context.Context, args ...string) (time.Duration, string, error) {
	cmd := exec.CommandContext(ctx, c.bin, args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if cmd.ProcessState != nil {
		c.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	fmt.Fprintf(c.log, "\n$ bp %s   (%s)\n%s", strings.Join(args, " "), took.Round(time.Millisecond), out.String())
	if err != nil {
		return took, out.String(), fmt.Errorf("bp %s: %v\n%s", strings.Join(args, " "), err, tail(out.String(), 30))
	}
	return took, out.String(), nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// bpSummary matches the last line of bp converge and bp apply.
var bpSummary = regexp.MustCompile(`Hosts: (\d+) converged, (\d+) resources changed`)

// hostChanges returns how many host resources bp reported changed, and
// false when its output has no such summary (apply with nothing to do).
func hostChanges(out string) (int, bool) {
	m := bpSummary.FindAllStringSubmatch(out, -1)
	if len(m) == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(m[len(m)-1][2])
	if err != nil {
		return 0, false
	}
	return n, true
}

// machine is what the benchmark needs of a machine in bp's state to reach
// it without bp: its name, address, pinned host key and login.
type machine struct {
	Name       string
	Address    string
	HostKey    string
	User       string
	PrivateKey string
}

// machines reads the machines of resource type machine from bp state pull.
func (c *bpCLI) machines(ctx context.Context) ([]machine, error) {
	cmd := exec.CommandContext(ctx, c.bin, "state", "pull")
	cmd.Dir = c.dir
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("bp state pull: %v", err)
	}
	return parseMachines(out)
}

// parseMachines extracts the machines from a bp state document.
func parseMachines(doc []byte) ([]machine, error) {
	var st struct {
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Instances []struct {
				Attributes struct {
					Name       string `json:"name"`
					Address    string `json:"address"`
					HostKey    string `json:"host_key"`
					User       string `json:"ssh_user"`
					PrivateKey string `json:"ssh_private_key"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(doc, &st); err != nil {
		return nil, fmt.Errorf("reading bp state: %v", err)
	}
	var ms []machine
	for _, r := range st.Resources {
		if r.Mode != "managed" || r.Type != "machine" {
			continue
		}
		for _, in := range r.Instances {
			a := in.Attributes
			if a.Name == "" || a.Address == "" || a.HostKey == "" || a.PrivateKey == "" {
				return nil, fmt.Errorf("machine %q in state lacks its name, address, host_key or ssh_private_key", a.Name)
			}
			if a.User == "" {
				a.User = "root"
			}
			ms = append(ms, machine(a))
		}
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("bp state has no machines")
	}
	sort.Slice(ms, func(i, j int) bool { return naturalLess(ms[i].Name, ms[j].Name) })
	return ms, nil
}

// naturalLess orders "m-2" before "m-10".
func naturalLess(a, b string) bool {
	ta, na := splitNumber(a)
	tb, nb := splitNumber(b)
	if ta != tb {
		return ta < tb
	}
	return na < nb
}

func splitNumber(s string) (string, int) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n, _ := strconv.Atoi(s[i:])
	return s[:i], n
}
