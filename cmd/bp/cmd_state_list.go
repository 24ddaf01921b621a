package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/blueprint-engine/bp/engine/state"
)

func init() { stateSubcommands = append(stateSubcommands, newStateListCommand) }

func newStateListCommand(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "list [ADDR...]",
		Short: "List the objects in the state",
		Long: `List the address of every resource instance recorded in the state, one per
line, in address order. With ADDR arguments, list only the instances they
name: an instance, all instances of a resource, or everything in a module.`,
		Example: `  bp state list
  bp state list std_file.greeting module.web`,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := c.openSession(cmd.Context(), sessionOptions{})
			if err != nil {
				return err
			}
			defer s.close()
			st, err := s.readState(cmd.Context())
			if err != nil {
				return err
			}
			for _, inst := range st.AllInstances() {
				selected := len(args) == 0
				for _, filter := range args {
					selected = selected || matchesAddr(inst, filter)
				}
				if !selected {
					continue
				}
				if obj := st.Object(inst); obj != nil && obj.Status == state.Creating {
					fmt.Fprintln(c.stdout, inst.String()+" (creating)")
				} else {
					fmt.Fprintln(c.stdout, inst)
				}
			}
			return nil
		},
	}
}
