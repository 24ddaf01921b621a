package converge_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/blueprint-engine/bp/converge"
	"github.com/blueprint-engine/bp/converge/testhost"
)

// bytesSource serves fixed content for every architecture.
type bytesSource []byte

func (b bytesSource) Agent(string) ([]byte, error) { return b, nil }

var _ converge.AgentSource = bytesSource(nil)

func inode(t *testing.T, path string) uint64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o755 {
		t.Errorf("%s has mode %v, want 0755", path, info.Mode().Perm())
	}
	return info.Sys().(*syscall.Stat_t).Ino
}

func TestEnsureAgent(t *testing.T) {
	t.Parallel()
	host := testhost.Start(t, testhost.Options{})
	target := host.Target
	target.AgentRoot = t.TempDir()
	conn := dial(t, target)
	ctx := context.Background()

	fake, err := converge.AgentDir(fakeAgentDir).Agent(runtime.GOARCH)
	if err != nil {
		t.Fatal(err)
	}
	path, err := conn.EnsureAgent(ctx, converge.AgentDir(fakeAgentDir))
	if err != nil {
		t.Fatal(err)
	}
	if dir := filepath.Dir(filepath.Dir(path)); dir != target.AgentRoot || filepath.Base(path) != "bp-agent" || len(filepath.Base(filepath.Dir(path))) != 64 {
		t.Fatalf("path = %s, want %s/<sha256>/bp-agent", path, target.AgentRoot)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, fake) {
		t.Fatal("uploaded agent differs from the build")
	}
	if out, err := conn.Output(ctx, path+" version"); err != nil || string(out) != "fake-1\n" {
		t.Fatalf("uploaded agent: %q, %v", out, err)
	}
	first := inode(t, path)

	t.Run("present build is not uploaded again", func(t *testing.T) {
		again, err := conn.EnsureAgent(ctx, converge.AgentDir(fakeAgentDir))
		if err != nil || again != path {
			t.Fatalf("EnsureAgent = %s, %v; want %s", again, err, path)
		}
		if inode(t, path) != first {
			t.Error("the agent was uploaded again although the host had it")
		}
	})
	t.Run("changed build is uploaded", func(t *testing.T) {
		changed := append(append([]byte{}, fake...), "trailing bytes change the hash"...)
		other, err := conn.EnsureAgent(ctx, bytesSource(changed))
		if err != nil {
			t.Fatal(err)
		}
		if other == path {
			t.Fatal("a different build got the same path")
		}
		if got, _ := os.ReadFile(other); !bytes.Equal(got, changed) {
			t.Error("uploaded agent differs from the changed build")
		}
		inode(t, other)
	})
	t.Run("non-executable file is replaced", func(t *testing.T) {
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		again, err := conn.EnsureAgent(ctx, converge.AgentDir(fakeAgentDir))
		if err != nil || again != path {
			t.Fatalf("EnsureAgent = %s, %v", again, err)
		}
		if inode(t, path) == first {
			t.Error("a non-executable agent was not replaced")
		}
	})
	t.Run("no temporary files left", func(t *testing.T) {
		matches, _ := filepath.Glob(filepath.Join(target.AgentRoot, "*", "*.tmp"))
		if len(matches) > 0 {
			t.Errorf("left over: %v", matches)
		}
	})
}

func TestEnsureAgentMissingBuild(t *testing.T) {
	t.Parallel()
	host := testhost.Start(t, testhost.Options{})
	target := host.Target
	target.AgentRoot = t.TempDir()
	conn := dial(t, target)
	empty := t.TempDir()
	_, err := conn.EnsureAgent(context.Background(), converge.AgentDir(empty))
	want := filepath.Join(empty, converge.AgentFileName(runtime.GOARCH))
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "BP_AGENT_DIR") {
		t.Fatalf("error = %v, want one naming %s and $BP_AGENT_DIR", err, want)
	}
}

func TestDefaultAgentSource(t *testing.T) {
	t.Setenv(converge.AgentDirEnv, fakeAgentDir)
	got, err := converge.DefaultAgentSource().Agent(runtime.GOARCH)
	want, _ := os.ReadFile(filepath.Join(fakeAgentDir, converge.AgentFileName(runtime.GOARCH)))
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("with $BP_AGENT_DIR: %d bytes, %v", len(got), err)
	}
	t.Setenv(converge.AgentDirEnv, "")
	_, err = converge.DefaultAgentSource().Agent("arm64")
	exe, _ := os.Executable()
	exe, _ = filepath.EvalSymlinks(exe)
	for _, want := range []string{filepath.Dir(exe), filepath.Join(filepath.Dir(exe), "..", "lib", "bp")} {
		if err == nil || !strings.Contains(err.Error(), filepath.Join(want, "bp-agent-linux-arm64")) {
			t.Errorf("error = %v, want it to name %s", err, want)
		}
	}
}
