package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/blueprint-engine/bp/engine/state"
)

func init() { register(newStateCommand) }

// stateSubcommands are the constructors of the bp state subcommands, each
// in its own cmd_state_NAME.go file.
var stateSubcommands []func(*cli) *cobra.Command

func newStateCommand(c *cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "state",
		Short: "Inspect and edit the recorded state",
		Long: `Inspect the objects recorded in the blueprint's state, and edit the record
without touching the objects themselves: rename an object after a refactoring
(mv), or forget it (rm). Commands that change the state take its lock and keep
the previous state in the backup file.`,
		Example: `  bp state list
  bp state show 'std_file.greeting[0]'
  bp state mv std_file.old std_file.new
  bp state rm std_null.index
  bp state pull > backup.state`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		},
	}
	for _, newSub := range stateSubcommands {
		cmd.AddCommand(newSub(c))
	}
	return cmd
}

// editState runs fn on the state under the lock, for operation, and writes
// the result unless dryRun is set or fn fails.
func (c *cli) editState(ctx context.Context, operation string, lock lockFlags, dryRun bool, fn func(*state.State) hcl.Diagnostics) error {
	s, err := c.openSession(ctx, sessionOptions{lock: operation, lockTimeout: lock.timeout})
	if err != nil {
		return err
	}
	defer s.close()
	st, err := s.readState(ctx)
	if err != nil {
		return err
	}
	if diags := fn(st); diags.HasErrors() {
		return s.fail(diags)
	}
	if dryRun {
		return nil
	}
	if err := s.backend.Write(ctx, st); err != nil {
		return s.fail(errorDiag("Failed to save the state", err))
	}
	return nil
}

// instancesAt returns the instances of st that addr names: an instance
// address names that instance, a resource address (no key) all its
// instances.
func instancesAt(st *state.State, addr string) ([]state.InstanceAddr, hcl.Diagnostics) {
	a, err := state.ParseInstanceAddr(addr)
	if err != nil {
		return nil, addressDiag(err)
	}
	if st.Instance(a) != nil {
		return []state.InstanceAddr{a}, nil
	}
	if a.Key == nil {
		if r := st.Resource(a.Resource); r != nil {
			var out []state.InstanceAddr
			for _, k := range r.Keys() {
				out = append(out, a.Resource.Instance(k))
			}
			return out, nil
		}
	}
	return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No such object in the state",
		Detail: fmt.Sprintf("The state holds nothing at %s. Run bp state list to see the addresses it holds.", a)}}
}

// addressDiag explains an address that does not parse.
func addressDiag(err error) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid address",
		Detail: sentence(err.Error()) + ` Write an address such as std_file.a, 'std_file.a[0]' or 'module.web.std_file.a["k"]' (quote it for the shell).`}}
}

// matchesAddr reports whether the instance at inst is selected by the
// address filter: the instance itself, its resource, or a module it is in.
func matchesAddr(inst state.InstanceAddr, filter string) bool {
	s := inst.String()
	return s == filter || strings.HasPrefix(s, filter+"[") || strings.HasPrefix(s, filter+".")
}
