package converge_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/blueprint-engine/bp/converge"
)

// fakeAgentDir holds the fake agent build, as bp-agent-linux-<GOARCH>.
var fakeAgentDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "converge-fakeagent")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fakeAgentDir = dir
	if err := buildAgent("./internal/fakeagent", filepath.Join(dir, converge.AgentFileName(runtime.GOARCH))); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildAgent builds a static linux binary of pkg at out.
func buildAgent(pkg, out string, flags ...string) error {
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	args := append(append([]string{"build", "-trimpath"}, flags...), "-o", out, pkg)
	cmd := exec.Command(gobin, args...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %v\n%s", pkg, err, output)
	}
	return nil
}
