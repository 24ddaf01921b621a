package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/blueprint-engine/bp/cmd/bp/internal/hclfmt"
	"github.com/blueprint-engine/bp/cmd/bp/internal/udiff"
)

func init() { register(newFmtCommand) }

// stdinPath is the path argument that makes bp fmt read standard input.
const stdinPath = "-"

// fmtOptions are the flags of bp fmt.
type fmtOptions struct {
	check, diff, recursive, list, write bool
}

func newFmtCommand(c *cli) *cobra.Command {
	var opts fmtOptions
	cmd := &cobra.Command{
		Use:   "fmt [flags] [PATH...]",
		Short: "Rewrite blueprint files in canonical format",
		Long: `Rewrite *.bp.hcl and *.bpvars.hcl files in the canonical layout: two-space
indentation, aligned equals signs, normalized spacing.

PATH is a directory (default: the current one), a file, or - to format standard
input to standard output. Directories are formatted one level deep unless
-recursive is given; directories whose names start with a dot are skipped. A file
with syntax errors is reported and never rewritten.

Exit status: 0 when done, 1 on errors (such as syntax errors), 3 with -check
when some file is not formatted.`,
		Example: `  bp fmt                 # format the blueprint in this directory
  bp fmt -recursive      # and in every directory below it
  bp fmt -check -diff    # CI: show what is not formatted, change nothing
  bp fmt - < main.bp.hcl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.check {
				opts.write = false
			}
			if len(args) == 0 {
				args = []string{"."}
			}
			f := &formatter{cli: c, opts: opts, files: map[string]*hcl.File{}}
			if len(args) == 1 && args[0] == stdinPath {
				f.formatStdin()
			} else {
				for _, path := range args {
					f.formatPath(path)
				}
			}

			c.printDiagnostics(f.diags, f.files)
			switch {
			case f.diags.HasErrors():
				return exitCode(exitError)
			case opts.check && f.unformatted:
				return exitCode(exitUnformatted)
			}
			return nil
		},
	}
	flags := cmd.Flags()
	flags.BoolVar(&opts.check, "check", false, "only check: exit with status 3 if any file is not formatted, write nothing")
	flags.BoolVar(&opts.diff, "diff", false, "show the changes as a unified diff")
	flags.BoolVar(&opts.recursive, "recursive", false, "also format the directories below each directory")
	flags.BoolVar(&opts.list, "list", true, "print the name of every file that is not formatted")
	flags.BoolVar(&opts.write, "write", true, "rewrite files that are not formatted (off with -check)")
	return cmd
}

// formatter runs one bp fmt, collecting diagnostics and the parsed files they
// point into.
type formatter struct {
	*cli
	opts        fmtOptions
	files       map[string]*hcl.File
	diags       hcl.Diagnostics
	unformatted bool
}

// formatStdin formats standard input. The result goes to standard output,
// unless -check or -diff ask only for a verdict or a diff.
func (f *formatter) formatStdin() {
	const name = "<stdin>"
	src, err := io.ReadAll(f.stdin)
	if err != nil {
		f.fail("Cannot read standard input", err.Error()+".")
		return
	}
	formatted, ok := f.format(name, src)
	if !ok {
		return
	}
	if f.unformattedNow(src, formatted) && f.opts.diff {
		f.stdout.Write(udiff.Unified(name+".orig", src, name, formatted))
	}
	if !f.opts.check && !f.opts.diff {
		f.stdout.Write(formatted)
	}
}

// formatPath formats a file or the blueprint files in a directory, as given on
// the command line.
func (f *formatter) formatPath(path string) {
	info, err := os.Stat(path)
	switch {
	case path == stdinPath:
		f.fail("Standard input mixed with paths", `The path "-" formats standard input to standard output and cannot be combined with other paths. Pass it as the only path.`)
	case errors.Is(err, fs.ErrNotExist):
		f.fail("No such file or directory", fmt.Sprintf("There is no %s. bp fmt takes directories, *.bp.hcl and *.bpvars.hcl files, or - for standard input.", path))
	case err != nil:
		f.fail("Cannot read "+path, err.Error()+".")
	case info.IsDir():
		f.formatDir(path)
	case !hclfmt.Match(path):
		f.fail("Not a blueprint file", fmt.Sprintf("bp fmt formats only files named *%s; %s is not one of them.",
			strings.Join(hclfmt.Extensions, " or *"), path))
	default:
		f.formatFile(path)
	}
}

// formatDir formats the matching files in dir, then, with -recursive, the
// directories below it. Directories whose names start with a dot (.git, .bp)
// are skipped, and symbolic links to directories are not followed.
func (f *formatter) formatDir(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		f.fail("Cannot read directory "+dir, err.Error()+".")
		return
	}
	var subdirs []string
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		switch {
		case e.IsDir():
			if f.opts.recursive && !strings.HasPrefix(e.Name(), ".") {
				subdirs = append(subdirs, path)
			}
		case hclfmt.Match(e.Name()):
			f.formatFile(path)
		}
	}
	for _, sub := range subdirs {
		f.formatDir(sub)
	}
}

// formatFile formats one file: lists it, rewrites it and shows its diff as
// the options say, when it is not formatted.
func (f *formatter) formatFile(path string) {
	src, err := os.ReadFile(path)
	if err != nil {
		f.fail("Cannot read file", err.Error()+".")
		return
	}
	formatted, ok := f.format(path, src)
	if !ok || !f.unformattedNow(src, formatted) {
		return
	}
	if f.opts.list {
		fmt.Fprintln(f.stdout, path)
	}
	if f.opts.write {
		// The file exists, so WriteFile keeps its permissions.
		if err := os.WriteFile(path, formatted, 0o644); err != nil {
			f.fail("Cannot write file", fmt.Sprintf("%v. The file was not formatted.", err))
			return
		}
	}
	if f.opts.diff {
		f.stdout.Write(udiff.Unified(path+".orig", src, path, formatted))
	}
}

// format returns the canonical form of src, or false after recording the
// diagnostics of a source with syntax errors.
func (f *formatter) format(name string, src []byte) ([]byte, bool) {
	res := hclfmt.Format(src, name)
	f.files[name] = res.File
	f.diags = append(f.diags, res.Diagnostics...)
	return res.Formatted, !res.Diagnostics.HasErrors()
}

// unformattedNow records and reports whether formatting changed src.
func (f *formatter) unformattedNow(src, formatted []byte) bool {
	changed := string(src) != string(formatted)
	f.unformatted = f.unformatted || changed
	return changed
}

// fail records an error that has no source location.
func (f *formatter) fail(summary, detail string) {
	f.diags = append(f.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail})
}
