package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// commands holds the constructors of the top-level commands, in registration
// order (help lists them sorted by name).
var commands []func(*cli) *cobra.Command

// register adds a top-level command. Each cmd_NAME.go file calls it from its
// init function:
//
//	func init() { register(newPlanCommand) }
//
// The constructor builds a fresh command for every run. It must set Use,
// Short, Long and Example, and return exitCode errors for exit statuses other
// than 0 and 1. It should not set PersistentPreRun(E): the root's runs
// -chdir.
func register(newCommand func(*cli) *cobra.Command) {
	commands = append(commands, newCommand)
}

func init() {
	// Run the root's persistent hooks (-chdir) even if a command adds its own.
	cobra.EnableTraverseRunHooks = true
}

// newRootCommand builds the bp command with every registered command below it.
func newRootCommand(c *cli) *cobra.Command {
	root := &cobra.Command{
		Use:   "bp <command> [flags]",
		Short: "Blueprint plans and applies whole application stacks",
		Long: `Blueprint (bp) reads a directory of *.bp.hcl files describing machines, load
balancers, DNS and what runs on each machine, and makes it so.

Long flags take one dash or two (-check or --check). Put -chdir=DIR before the
command to run it in another directory.`,
		Example: `  bp validate
  bp plan -var web_count=3
  bp apply -auto-approve
  bp fmt -recursive
  bp -chdir=examples/std destroy`,
		Version:       versionText(),
		SilenceErrors: true,
		SilenceUsage:  true,
		// Flag errors print through run, like every other error.
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if c.chdir == "" {
				return nil
			}
			if err := os.Chdir(c.chdir); err != nil {
				return fmt.Errorf("cannot switch to directory %q given by -chdir: %w", c.chdir, err)
			}
			return nil
		},
	}
	root.SetIn(c.stdin)
	root.SetOut(c.stdout)
	root.SetErr(c.stderr)
	root.SetVersionTemplate("{{.Version}}")
	root.CompletionOptions.HiddenDefaultCmd = true

	flags := root.PersistentFlags()
	flags.StringVar(&c.chdir, "chdir", "", "switch to directory `DIR` before running the command")
	flags.BoolVar(&c.noColor, "no-color", false, "never color the output (as does NO_COLOR=1)")

	for _, newCommand := range commands {
		root.AddCommand(newCommand(c))
	}
	return root
}
