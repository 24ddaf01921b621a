package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/engine/state"
)

// These tests run a real bp binary in child processes, to kill it and to
// race two of them on one state.

// buildBP builds bp into a temporary directory and returns its path.
func buildBP(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bp")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// independentFiles is a blueprint of n std_file resources that depend on
// nothing, each writing files/f-I.txt.
func independentFiles(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "resource \"std_file\" \"f%d\" {\n  path    = \"${path.module}/files/f-%d.txt\"\n  content = \"file %d\\n\"\n}\n\n", i, i, i)
	}
	return b.String()
}

// writeBlueprint creates a directory holding main.bp.hcl with src.
func writeBlueprint(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.bp.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// bpCommand returns the command running bp in dir with args.
func bpCommand(bin, dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	return cmd
}

// readStateFile decodes dir/bp.state on its own, then reads it the way bp
// does (with its journal), and returns the latter.
func readStateFile(t *testing.T, dir string) *state.State {
	t.Helper()
	path := filepath.Join(dir, "bp.state")
	data, err := os.ReadFile(path)
	if err == nil && len(bytes.TrimSpace(data)) > 0 {
		if _, err := state.Decode(data); err != nil {
			t.Fatalf("the state file does not decode: %v", err)
		}
	} else if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	st, err := state.NewLocal(path).Read(context.Background())
	if err != nil {
		t.Fatalf("the state does not read: %v", err)
	}
	return st
}

// filesOnDisk lists the std_file files under dir/files, without the
// temporary files of interrupted atomic writes (their names start with a
// dot and no std_file has such a name here).
func filesOnDisk(t *testing.T, dir string) map[string]bool {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "files"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			out[e.Name()] = true
		}
	}
	return out
}

// stateFile is a std_file as the state records it.
type stateFile struct {
	addr string
	// creating is set for a placeholder recorded before the file was
	// written: the file may or may not exist.
	creating bool
}

// filesInState maps the file name of every std_file in st to its record.
func filesInState(st *state.State) map[string]stateFile {
	out := map[string]stateFile{}
	for _, addr := range st.AllInstances() {
		obj := st.Object(addr)
		if obj == nil || addr.Resource.Type != "std_file" {
			continue
		}
		out[filepath.Base(obj.Value.GetAttr("path").AsString())] = stateFile{addr: addr.String(), creating: obj.Status == state.Creating}
	}
	return out
}

// TestCrashDuringApply kills bp apply with SIGKILL at random moments (before
// it starts applying, while it applies, after it finished) and checks that
// the state is always readable, that every file on disk is in it (a create
// is recorded as a placeholder before the file is written), that a file
// recorded as created exists, and that the next apply converges.
func TestCrashDuringApply(t *testing.T) {
	const (
		resources   = 50
		trials      = 30
		parallelism = 2
	)
	bin := buildBP(t)
	src := independentFiles(resources)
	apply := []string{"apply", "-auto-approve", "-parallelism", strconv.Itoa(parallelism)}

	// Calibrate: how long does a whole apply take here?
	start := time.Now()
	calib := writeBlueprint(t, src)
	if out, err := bpCommand(bin, calib, apply...).CombinedOutput(); err != nil {
		t.Fatalf("calibration apply: %v\n%s", err, out)
	}
	full := time.Since(start)
	t.Logf("a whole apply of %d files takes %s", resources, full)

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	var before, during, after, placeholderTrials, writtenPlaceholders int
	for trial := range trials {
		dir := writeBlueprint(t, src)
		// Spread kills from 0 to 1.3 times a whole apply.
		delay := time.Duration(rng.Int64N(int64(full) * 13 / 10))
		cmd := bpCommand(bin, dir, apply...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()

		st := readStateFile(t, dir)
		onDisk := filesOnDisk(t, dir)
		inState := filesInState(st)
		placeholders := 0
		for name, f := range inState {
			if f.creating {
				placeholders++
				if onDisk[name] {
					writtenPlaceholders++
				}
				continue
			}
			if !onDisk[name] {
				t.Errorf("trial %d (killed after %s): %s is recorded as created but %s does not exist", trial, delay, f.addr, name)
			}
		}
		switch {
		case len(onDisk) == 0:
			before++
		case len(inState) == resources && placeholders == 0:
			after++
		default:
			during++
		}
		if placeholders > parallelism {
			t.Errorf("trial %d (killed after %s): %d creates are in progress in the state, more than the %d operations that can be in flight",
				trial, delay, placeholders, parallelism)
		}
		if placeholders > 0 {
			placeholderTrials++
		}
		for name := range onDisk {
			if _, ok := inState[name]; !ok {
				t.Errorf("trial %d (killed after %s): %s exists but is not in the state\n%s", trial, delay, name, out.String())
			}
		}

		if out, err := bpCommand(bin, dir, "apply", "-auto-approve").CombinedOutput(); err != nil {
			t.Fatalf("trial %d: the apply after the crash failed: %v\n%s", trial, err, out)
		}
		st = readStateFile(t, dir)
		inState = filesInState(st)
		if got := len(inState); got != resources {
			t.Errorf("trial %d: after the second apply the state has %d files, want %d", trial, got, resources)
		}
		for _, f := range inState {
			if f.creating {
				t.Errorf("trial %d: after the second apply %s is still being created", trial, f.addr)
			}
		}
		if got := len(filesOnDisk(t, dir)); got != resources {
			t.Errorf("trial %d: after the second apply there are %d files, want %d", trial, got, resources)
		}
		if out, err := bpCommand(bin, dir, "plan", "-detailed-exitcode").CombinedOutput(); err != nil {
			t.Errorf("trial %d: the plan after convergence is not empty: %v\n%s", trial, err, out)
		}
	}
	t.Logf("killed %d times before the first file, %d times during the apply, %d times after; %d trials left creates in progress, %d of whose files were written",
		before, during, after, placeholderTrials, writtenPlaceholders)
	if during == 0 {
		t.Errorf("no trial killed bp during the apply; the delays are not spread well")
	}
}

// TestInterruptedApply sends SIGINT to bp apply while it creates files: it
// must stop starting new work, finish what is in flight, record every file
// it wrote, release the lock and exit with status 1.
func TestInterruptedApply(t *testing.T) {
	const resources = 100
	bin := buildBP(t)
	dir := writeBlueprint(t, independentFiles(resources))
	cmd := bpCommand(bin, dir, "apply", "-auto-approve", "-parallelism", "1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var out strings.Builder
	sc := bufio.NewScanner(stdout)
	signalled := false
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if !signalled && strings.Contains(sc.Text(), "Creation complete") {
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			signalled = true
		}
	}
	err = cmd.Wait()
	if !signalled {
		t.Fatalf("bp apply created nothing:\n%s\n%s", out.String(), stderr.String())
	}
	if code := exitStatusOf(err); code != 1 {
		t.Errorf("exit status %d, want 1\n%s\n%s", code, out.String(), stderr.String())
	}
	for _, want := range []string{interruptMessage, "interrupted"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr.String())
		}
	}
	if strings.Contains(out.String(), "Apply complete!") {
		t.Errorf("an interrupted apply claims to be complete:\n%s", out.String())
	}

	onDisk, inState := filesOnDisk(t, dir), filesInState(readStateFile(t, dir))
	if len(onDisk) == 0 || len(onDisk) >= resources {
		t.Errorf("%d of %d files were written; the interrupt should stop the apply midway", len(onDisk), resources)
	}
	for name := range onDisk {
		if _, ok := inState[name]; !ok {
			t.Errorf("%s was written but is not in the state", name)
		}
	}
	for name, f := range inState {
		if f.creating {
			t.Errorf("%s is still being created after the interrupted apply returned", f.addr)
		}
		if !onDisk[name] {
			t.Errorf("%s is in the state but %s does not exist", f.addr, name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "bp.state.lock")); !os.IsNotExist(err) {
		t.Errorf("the lock file is still there after an interrupted apply: %v", err)
	}
	if out, err := bpCommand(bin, dir, "apply", "-auto-approve").CombinedOutput(); err != nil {
		t.Fatalf("the apply after the interrupt failed: %v\n%s", err, out)
	}
	if got := len(filesInState(readStateFile(t, dir))); got != resources {
		t.Errorf("after the second apply the state has %d files, want %d", got, resources)
	}
}

// TestConcurrentApplyLock runs two bp apply on one state: the first holds
// the lock while it waits for confirmation, the second must fail at once
// naming the holder, and the first must then finish.
func TestConcurrentApplyLock(t *testing.T) {
	bin := buildBP(t)
	dir := writeBlueprint(t, independentFiles(3))

	first := bpCommand(bin, dir, "apply")
	stdin, err := first.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := first.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var firstErr bytes.Buffer
	first.Stderr = &firstErr
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer first.Process.Kill()

	// Wait for the question: the first process holds the lock by then.
	prompted := make(chan string, 1)
	copied := make(chan struct{})
	var rest bytes.Buffer
	go func() {
		defer close(copied)
		r := bufio.NewReader(stdout)
		var seen strings.Builder
		for {
			b, err := r.ReadByte()
			if err != nil {
				prompted <- seen.String()
				return
			}
			seen.WriteByte(b)
			if strings.HasSuffix(seen.String(), "Only 'yes' will be accepted: ") {
				prompted <- seen.String()
				_, _ = io.Copy(&rest, r)
				return
			}
		}
	}()
	select {
	case out := <-prompted:
		if !strings.Contains(out, "Only 'yes'") {
			t.Fatalf("the first apply ended without asking:\n%s\n%s", out, firstErr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the first apply never asked for confirmation")
	}

	start := time.Now()
	second := bpCommand(bin, dir, "apply", "-auto-approve")
	out, err := second.CombinedOutput()
	elapsed := time.Since(start)
	if code := exitStatusOf(err); code != 1 {
		t.Fatalf("the second apply exited with %d, want 1:\n%s", code, out)
	}
	for _, want := range []string{
		"Error acquiring the state lock",
		fmt.Sprintf("(pid %d on ", first.Process.Pid),
		`for "apply"`,
		"bp force-unlock",
	} {
		if !strings.Contains(flat(out), want) {
			t.Errorf("the second apply's error does not say %q:\n%s", want, out)
		}
	}
	if bytes.Contains(out, []byte("Creating...")) {
		t.Errorf("the second apply changed something:\n%s", out)
	}
	if elapsed > 10*time.Second {
		t.Errorf("the second apply took %s to fail; it should fail at once", elapsed)
	}

	// With -lock-timeout the second one waits, then gives up.
	start = time.Now()
	out, err = bpCommand(bin, dir, "plan", "-lock-timeout=300ms").CombinedOutput()
	if code := exitStatusOf(err); code != 1 || !strings.Contains(flat(out), "gave up after waiting") {
		t.Errorf("plan -lock-timeout exited with %d:\n%s", code, out)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Errorf("plan -lock-timeout=300ms gave up after %s", waited)
	}

	if _, err := io.WriteString(stdin, "yes\n"); err != nil {
		t.Fatal(err)
	}
	stdin.Close()
	// Read everything before Wait closes the pipe.
	<-copied
	if err := first.Wait(); err != nil {
		t.Fatalf("the first apply failed after the second was refused: %v\n%s\n%s", err, rest.String(), firstErr.String())
	}
	if !strings.Contains(rest.String(), "Apply complete! Resources: 3 added, 0 changed, 0 destroyed.") {
		t.Errorf("the first apply did not complete:\n%s", rest.String())
	}
	if n := len(readStateFile(t, dir).AllInstances()); n != 3 {
		t.Errorf("the state has %d instances, want 3", n)
	}
}

// flat joins the words of out with single spaces, so that messages can be
// found whatever the line wrapping.
func flat(out []byte) string {
	return strings.Join(strings.Fields(string(out)), " ")
}

// exitStatusOf returns the exit status in err from exec, 0 for nil, -1 for
// other errors.
func exitStatusOf(err error) int {
	if err == nil {
		return 0
	}
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode()
	}
	return -1
}
