package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update", false, "rewrite the cmp files of testdata/script/*.txtar from actual output")

// TestMain makes this test binary double as bp, so scripts run the real
// command line in a child process.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"bp": func() { os.Exit(bpMain()) },
	})
}

// TestScripts runs testdata/script/*.txtar: what a user types and sees.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       *updateScripts,
		Setup:               copyExamples,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"exitcode": cmdExitCode,
		},
	})
}

// copyExamples puts the blueprint files of ../../examples/std under
// $WORK/examples/std, so scripts run the examples users read.
func copyExamples(env *testscript.Env) error {
	for _, name := range []string{"std"} {
		src := filepath.Join("..", "..", "examples", name)
		dst := filepath.Join(env.WorkDir, "examples", name)
		files, err := filepath.Glob(filepath.Join(src, "*.bp.hcl"))
		if err != nil || len(files) == 0 {
			return fmt.Errorf("no blueprint files in %s (%v)", src, err)
		}
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return err
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), data, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// cmdExitCode is the script command "exitcode N prog [args...]": it runs prog
// like exec and fails unless it exits with status N.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N prog [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %q is not a number", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = exit.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}
