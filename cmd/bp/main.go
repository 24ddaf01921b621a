// Command bp is the Blueprint command line: it validates, formats, plans and
// applies blueprints, and inspects and edits their state.
//
// This package is the CLI only: flags, output rendering and exit codes. Each
// top-level command lives in its own cmd_NAME.go file and registers itself
// from an init function (see register), so adding a command is adding a file.
//
// Conventions shared by every command, as in Terraform:
//   - long flags may be written with one dash or two (-check or --check);
//   - -chdir=DIR switches directory before the command runs;
//   - color only on a terminal, never with -no-color or NO_COLOR set,
//     always with FORCE_COLOR set (for CI logs that render color);
//   - exit status 0 on success, 1 on errors, 2 for "success with changes"
//     (-detailed-exitcode), 3 when bp fmt -check finds unformatted files.
package main

import "os"

// version is the Blueprint release this binary was built as, set at link time:
//
//	go build -ldflags "-X main.version=1.2.3" ./cmd/bp
var version = "0.1.0-dev"

func main() {
	os.Exit(bpMain())
}

// bpMain runs bp with the process's arguments and standard streams and
// returns the exit status.
func bpMain() int {
	return run(os.Args[1:], &cli{
		stdin:   os.Stdin,
		stdout:  os.Stdout,
		stderr:  os.Stderr,
		getenv:  os.Getenv,
		environ: os.Environ,
	})
}
