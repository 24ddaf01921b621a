package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/cmd/bp/internal/view"
	"github.com/blueprint-engine/bp/engine"
)

func init() { register(newValidateCommand) }

func newValidateCommand(c *cli) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "validate [flags] [DIR]",
		Short: "Check that a blueprint is valid",
		Long: `Check the blueprint in DIR (default: the current directory) without touching
any infrastructure: syntax, structure, names, references and meta-arguments,
and the arguments of every role's host resources (unknown arguments, wrong
types, values the kind does not accept) as far as they are known without a
host.
Errors and warnings are printed with their source location. The exit status is
0 when there are no errors (warnings allowed) and 1 otherwise.

With -json, the result is printed as one JSON object on standard output:
{"valid", "error_count", "warning_count", "diagnostics": [{"severity",
"summary", "detail", "range": {"filename", "start", "end"}}]}.`,
		Example: `  bp validate
  bp validate examples/webapp
  bp validate -json | jq .error_count`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			var files map[string]*hcl.File
			diags := checkBlueprintDir(dir)
			if !diags.HasErrors() {
				l := blueprint.NewLoader()
				cfg, loadDiags := l.LoadDir(dir)
				diags = append(diags, loadDiags...)
				if !loadDiags.HasErrors() {
					diags = append(diags, engine.ValidateRoles(cfg)...)
				}
				files = l.Files()
			}

			if asJSON {
				if err := view.WriteJSON(c.stdout, diags); err != nil {
					return err
				}
			} else {
				c.printDiagnostics(diags, files)
			}
			if diags.HasErrors() {
				return exitCode(exitError)
			}
			if !asJSON {
				fmt.Fprintln(c.stdout, view.Success(c.colorFor(c.stdout)), "The blueprint is valid.")
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON on standard output")
	return cmd
}

// checkBlueprintDir reports a blueprint directory that does not exist or is
// not a directory, before the loader is asked to read it.
func checkBlueprintDir(dir string) hcl.Diagnostics {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Blueprint directory not found",
			Detail: fmt.Sprintf("There is no directory %s. Pass the directory holding the *.bp.hcl files, "+
				"or run bp in it without arguments.", dir),
		}}
	case err != nil:
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read blueprint directory",
			Detail:   fmt.Sprintf("%v. Check the path and its permissions.", err),
		}}
	case !info.IsDir():
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Not a directory",
			Detail: fmt.Sprintf("%s is a file; bp validate checks a whole blueprint directory. "+
				"Pass the directory that holds it instead.", dir),
		}}
	}
	return nil
}
