package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/blueprint-engine/bp/engine/plan"
)

func init() { register(newShowCommand) }

func newShowCommand(c *cli) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show [flags] [FILE]",
		Short: "Show the state, or a saved plan",
		Long: `Show every object recorded in the state with its attributes, and the outputs.
With FILE, a plan saved by bp plan -out, show that plan instead.

Sensitive values are shown as (sensitive value), in text and in -json (where
they are null). -json prints the machine-readable state or plan format.`,
		Example: `  bp show
  bp show -json | jq '.resources[].address'
  bp plan -out next.plan && bp show next.plan`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return c.showPlanFile(args[0], asJSON)
			}
			s, err := c.openSession(cmd.Context(), sessionOptions{})
			if err != nil {
				return err
			}
			defer s.close()
			st, err := s.readState(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				data, err := plan.StateJSON(st)
				if err != nil {
					return s.fail(errorDiag("Cannot print the state as JSON", err))
				}
				_, err = c.stdout.Write(data)
				return err
			}
			if st.Empty() {
				_, err := fmt.Fprintln(c.stdout, "No state. Run bp apply to create the objects of the blueprint.")
				return err
			}
			if err := c.renderState(st); err != nil {
				return err
			}
			return c.renderOutputs(st.Outputs)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

// showPlanFile prints the plan saved in file.
func (c *cli) showPlanFile(file string, asJSON bool) error {
	p, err := plan.ReadFile(file)
	if err != nil {
		c.printDiagnostics(errorDiag("Cannot read the saved plan", err), nil)
		return exitCode(exitError)
	}
	if !asJSON {
		return c.renderPlan(p)
	}
	data, err := plan.JSON(p)
	if err != nil {
		c.printDiagnostics(errorDiag("Cannot print the plan as JSON", err), nil)
		return exitCode(exitError)
	}
	_, err = c.stdout.Write(data)
	return err
}
