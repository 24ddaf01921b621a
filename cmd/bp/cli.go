package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/blueprint-engine/bp/cmd/bp/internal/view"
)

// Exit statuses of bp. Commands other than exitOK are returned as an
// exitCode error.
const (
	exitOK    = 0
	exitError = 1
	// exitChanges is "success, and there are changes", for commands with
	// -detailed-exitcode (plan).
	exitChanges = 2
	// exitUnformatted is bp fmt -check finding files that are not formatted.
	exitUnformatted = 3
)

// exitCode is an error that ends bp with the given exit status and no further
// message. A command returns it once it has printed everything the user needs
// to see, e.g. `return exitCode(exitChanges)`.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

var _ error = exitCode(0)

// cli is what every command shares: the standard streams, the environment and
// the global flags. Commands get it from their constructor.
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// environ lists the environment as KEY=VALUE, for BP_VAR_ variables.
	environ func() []string

	// chdir is the -chdir flag: the directory to switch to before running.
	chdir string
	// noColor is the -no-color flag.
	noColor bool
}

// run executes the command line args and returns the exit status.
func run(args []string, c *cli) int {
	root := newRootCommand(c)
	root.SetArgs(rewriteArgs(root, args))
	cmd, err := root.ExecuteC()
	return c.exitStatus(cmd, err)
}

// exitStatus turns the outcome of cmd into an exit status. An exitCode is
// passed through silently; any other error (cobra's unknown command or flag,
// a wrong number of arguments, a command's plain error) is printed as an
// error diagnostic pointing at the command's help.
func (c *cli) exitStatus(cmd *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	var code exitCode
	if errors.As(err, &code) {
		return int(code)
	}
	// Cobra puts suggestions ("Did you mean this?") on the lines after the
	// error itself.
	summary, detail, _ := strings.Cut(err.Error(), "\n")
	detail = strings.TrimSpace(detail)
	if cmd != nil {
		detail = strings.TrimSpace(detail + "\n\nRun \"" + cmd.CommandPath() + " -help\" for usage.")
	}
	c.printDiagnostics(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail}}, nil)
	return exitError
}

// colorFor reports whether output to w may use color: not with -no-color or
// NO_COLOR (https://no-color.org), yes with FORCE_COLOR, otherwise only when
// w is a terminal.
func (c *cli) colorFor(w io.Writer) bool {
	switch {
	case c.noColor || c.getenv("NO_COLOR") != "":
		return false
	case c.getenv("FORCE_COLOR") != "":
		return true
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// defaultWidth is the width detail text is wrapped at when the output is not a
// terminal.
const defaultWidth = 78

// widthFor returns the column detail text written to w is wrapped at.
func (c *cli) widthFor(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 20 {
			return width - 1
		}
	}
	return defaultWidth
}

// printDiagnostics writes diags to standard error. files gives the sources
// for snippets (blueprint.Loader.Files); it may be nil.
func (c *cli) printDiagnostics(diags hcl.Diagnostics, files map[string]*hcl.File) {
	p := view.NewPrinter(c.stderr, files, view.Options{
		Color: c.colorFor(c.stderr),
		Width: c.widthFor(c.stderr),
	})
	// There is nowhere left to report a failure to write to standard error.
	_ = p.Print(diags)
}
