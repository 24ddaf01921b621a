package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { register(newGraphCommand) }

func newGraphCommand(c *cli) *cobra.Command {
	var vars varFlags
	cmd := &cobra.Command{
		Use:   "graph [flags]",
		Short: "Print the dependency graph in Graphviz DOT form",
		Long: `Print the graph bp plans with: one node per resource, data source, output and
module call of the blueprint, and an edge for every dependency. Render it with
Graphviz's dot. Objects that are only in the state (about to be destroyed) are
included.`,
		Example: `  bp graph | dot -Tsvg > graph.svg
  bp graph -var web_count=3`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := c.openSession(cmd.Context(), sessionOptions{})
			if err != nil {
				return err
			}
			defer s.close()
			values, err := s.variables(vars.args)
			if err != nil {
				return err
			}
			st, err := s.readState(cmd.Context())
			if err != nil {
				return err
			}
			e := s.engine(values, defaultParallelism, nil)
			defer e.Close()
			dot, diags := e.GraphDOT(cmd.Context(), st)
			if diags.HasErrors() {
				return s.fail(diags)
			}
			s.warn(diags)
			_, err = fmt.Fprint(c.stdout, dot)
			return err
		},
	}
	vars.register(cmd.Flags())
	return cmd
}
