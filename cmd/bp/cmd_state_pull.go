package main

import (
	"github.com/spf13/cobra"

	"github.com/blueprint-engine/bp/engine/state"
)

func init() { stateSubcommands = append(stateSubcommands, newStatePullCommand) }

func newStatePullCommand(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "pull",
		Short: "Print the raw state",
		Long: `Print the state as the backend stores it, in the state file format, with
every value — sensitive ones included, so handle the output with care. Prints
nothing when no state has been stored yet.`,
		Example: `  bp state pull > backup.state
  bp state pull | jq .serial`,
		Args: cobra.NoArgs,
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
			if st.Serial == 0 && st.Empty() {
				return nil
			}
			data, err := state.Encode(st)
			if err != nil {
				return s.fail(errorDiag("Cannot encode the state", err))
			}
			_, err = c.stdout.Write(data)
			return err
		},
	}
}
