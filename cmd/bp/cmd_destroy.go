package main

import (
	"github.com/spf13/cobra"
)

func init() { register(newDestroyCommand) }

func newDestroyCommand(c *cli) *cobra.Command {
	var opts applyOptions
	cmd := &cobra.Command{
		Use:   "destroy [flags]",
		Short: "Destroy every object the blueprint manages",
		Long: `Plan the removal of every object recorded in the state, show the plan, ask for
confirmation, then destroy the objects, dependents first. Only the answer 'yes'
goes ahead; -auto-approve skips the question.

Objects whose resource has lifecycle { prevent_destroy = true } stop the plan
with an error. It is the same as bp apply -destroy.`,
		Example: `  bp destroy
  bp destroy -auto-approve -var-file prod.bpvars.hcl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.destroy = true
			return c.runApply(cmd, &opts, "destroy", "")
		},
	}
	flags := cmd.Flags()
	opts.operationFlags.register(flags)
	flags.BoolVar(&opts.autoApprove, "auto-approve", false, "destroy without asking for confirmation")
	return cmd
}
