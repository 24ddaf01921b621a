package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// maxAgentSize is the limit the design sets for the uploaded agent.
const maxAgentSize = 8 << 20

// TestBinarySize builds the release agent (static, stripped) for both
// target architectures and checks it stays under 8 MB.
func TestBinarySize(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-builds the agent twice")
	}
	for _, arch := range []string{"amd64", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "bp-agent")
			cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, ".")
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, msg)
			}
			fi, err := os.Stat(out)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("linux/%s: %d bytes (%.2f MiB)", arch, fi.Size(), float64(fi.Size())/(1<<20))
			if fi.Size() >= maxAgentSize {
				t.Errorf("linux/%s agent is %d bytes, over the %d limit", arch, fi.Size(), maxAgentSize)
			}
		})
	}
}

// TestStdlibOnly keeps the agent free of third-party modules, which is
// what keeps it small.
func TestStdlibOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if .Module}}{{.Module.Path}}{{end}}", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, mod := range splitLines(string(out)) {
		if mod != "" && mod != "github.com/blueprint-engine/bp" {
			t.Errorf("bp-agent depends on module %s; the agent must use the standard library only", mod)
		}
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
