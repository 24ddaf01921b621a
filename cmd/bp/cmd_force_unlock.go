package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { register(newForceUnlockCommand) }

func newForceUnlockCommand(c *cli) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "force-unlock [flags] LOCK_ID",
		Short: "Remove a state lock left behind",
		Long: `Remove the lock on the blueprint's state whose ID is LOCK_ID, as printed by the
command that ran into it. The ID must match the lock's, so that you only break
a lock you have looked at.

Only do this when the process that held the lock is gone: a bp command that
still runs would go on changing the state unaware. Asks for confirmation
unless -force is given.`,
		Example: `  bp force-unlock 5f1e2c3a-9c1d-4c55-8d1e-2b0f6f1d9e41
  bp force-unlock -force 5f1e2c3a-9c1d-4c55-8d1e-2b0f6f1d9e41`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := c.openSession(cmd.Context(), sessionOptions{})
			if err != nil {
				return err
			}
			defer s.close()
			if !force {
				fmt.Fprintf(c.stdout, "bp will remove the lock %s on the state in %s.\nIf the process that holds it is still running, it may corrupt the state.\n", args[0], s.statePath)
				yes, err := c.confirm(cmd.Context(), "Do you really want to force-unlock?")
				if err != nil || !yes {
					fmt.Fprintln(c.stdout, "Force-unlock cancelled: only 'yes' goes ahead (or use -force).")
					return exitCode(exitError)
				}
			}
			if err := s.backend.ForceUnlock(args[0]); err != nil {
				return s.fail(errorDiag("Failed to unlock the state", err))
			}
			_, err = fmt.Fprintln(c.stdout, "The state has been unlocked.")
			return err
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "do not ask for confirmation")
	return cmd
}
