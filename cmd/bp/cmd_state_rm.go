package main

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/blueprint-engine/bp/engine/state"
)

func init() { stateSubcommands = append(stateSubcommands, newStateRmCommand) }

func newStateRmCommand(c *cli) *cobra.Command {
	var lock lockFlags
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "rm [flags] ADDR...",
		Short: "Forget objects without destroying them",
		Long: `Remove the objects at the given addresses from the state. The objects
themselves are not destroyed: bp simply stops managing them, and the next plan
proposes to create them again if they are still in the blueprint (import them
to manage them again). An address without a key removes every instance of the
resource.`,
		Example: `  bp state rm std_null.index
  bp state rm 'std_file.greeting[0]' std_random.password`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.editState(cmd.Context(), "state rm", lock, dryRun, func(st *state.State) hcl.Diagnostics {
				var remove []state.InstanceAddr
				for _, arg := range args {
					addrs, diags := instancesAt(st, arg)
					if diags.HasErrors() {
						return diags
					}
					remove = append(remove, addrs...)
				}
				verb := "Removed"
				if dryRun {
					verb = "Would remove"
				}
				n := 0
				for _, a := range remove {
					if st.Instance(a) == nil {
						continue // named twice
					}
					st.RemoveInstance(a)
					fmt.Fprintf(c.stdout, "%s %s\n", verb, a)
					n++
				}
				fmt.Fprintf(c.stdout, "%d object(s) %s from the state; the objects themselves were not touched.\n", n, map[bool]string{false: "removed", true: "would be removed"}[dryRun])
				return nil
			})
		},
	}
	lock.register(cmd.Flags())
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "show what would be removed, change nothing")
	return cmd
}
