package main

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/blueprint-engine/bp/engine/state"
)

func init() { stateSubcommands = append(stateSubcommands, newStateShowCommand) }

func newStateShowCommand(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "show ADDR",
		Short: "Show one object in the state",
		Long: `Show the attributes recorded for the resource instance at ADDR. Sensitive
values are hidden.`,
		Example: `  bp state show std_random.password
  bp state show 'std_file.greeting[0]'`,
		Args: cobra.ExactArgs(1),
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
			addr, err := state.ParseInstanceAddr(args[0])
			if err != nil {
				return s.fail(addressDiag(err))
			}
			r := st.Resource(addr.Resource)
			if r == nil || st.Instance(addr) == nil {
				detail := "The state holds nothing at " + addr.String() + ". Run bp state list to see the addresses it holds."
				if r != nil && addr.Key == nil {
					detail = addr.String() + " has several instances; name one, such as " + addr.Resource.Instance(r.Keys()[0]).String() + "."
				}
				return s.fail(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No such object in the state", Detail: detail}})
			}
			one := state.New()
			inst := st.Instance(addr)
			if inst.Current != nil {
				one.SetInstance(addr, r.Provider, inst.Current)
			}
			for _, dk := range inst.DeposedKeys() {
				one.SetDeposed(addr, dk, r.Provider, inst.Deposed[dk])
			}
			return c.renderState(one)
		},
	}
}
