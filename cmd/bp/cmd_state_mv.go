package main

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/blueprint-engine/bp/engine/state"
)

func init() { stateSubcommands = append(stateSubcommands, newStateMvCommand) }

func newStateMvCommand(c *cli) *cobra.Command {
	var lock lockFlags
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "mv [flags] SOURCE DESTINATION",
		Short: "Move an object to another address in the state",
		Long: `Record the object at SOURCE under the address DESTINATION instead, after a
resource was renamed or moved into a module, so that the next plan does not
destroy and recreate it. The object itself is not touched. Addresses without
a key move the whole resource with all its instances; both must be of the same
resource type. A moved block in the blueprint does the same as part of a plan.`,
		Example: `  bp state mv std_file.old std_file.new
  bp state mv 'std_file.greeting[1]' std_file.extra
  bp state mv -dry-run std_null.a module.web.std_null.a`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.editState(cmd.Context(), "state mv", lock, dryRun, func(st *state.State) hcl.Diagnostics {
				src, err := state.ParseInstanceAddr(args[0])
				if err != nil {
					return addressDiag(err)
				}
				dst, err := state.ParseInstanceAddr(args[1])
				if err != nil {
					return addressDiag(err)
				}
				n := 1
				if src.Key == nil && dst.Key == nil && st.Resource(src.Resource) != nil {
					n = st.Resource(src.Resource).Len()
					err = st.MoveResource(src.Resource, dst.Resource)
				} else {
					err = st.Move(src, dst)
				}
				if err != nil {
					return errorDiag("Cannot move "+src.String(), err)
				}
				verb := "moved"
				if dryRun {
					verb = "would be moved"
				}
				fmt.Fprintf(c.stdout, "Move %q to %q\n%d object(s) %s.\n", src.String(), dst.String(), n, verb)
				return nil
			})
		},
	}
	lock.register(cmd.Flags())
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "show what would move, change nothing")
	return cmd
}
