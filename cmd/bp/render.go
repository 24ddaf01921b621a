package main

import (
	"fmt"

	"github.com/blueprint-engine/bp/cmd/bp/internal/planview"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

// renderPlan prints p for people on standard output.
func (c *cli) renderPlan(p *plan.Plan) error {
	return planview.Render(c.stdout, p, c.viewOptions())
}

// renderState prints the objects and outputs of s on standard output.
func (c *cli) renderState(s *state.State) error {
	return planview.RenderState(c.stdout, s, c.viewOptions())
}

// renderOutputs prints outputs under an "Outputs:" heading, as bp apply
// ends; nothing when there are none.
func (c *cli) renderOutputs(outputs map[string]*state.Output) error {
	if len(outputs) == 0 {
		return nil
	}
	if _, err := fmt.Fprintf(c.stdout, "\n%s\n\n", c.bold("Outputs:")); err != nil {
		return err
	}
	return planview.RenderOutputs(c.stdout, outputs, c.viewOptions())
}

// viewOptions are the planview options for standard output.
func (c *cli) viewOptions() planview.Options {
	return planview.Options{Color: c.colorFor(c.stdout)}
}

// bold renders s in bold when standard output takes color.
func (c *cli) bold(s string) string {
	if !c.colorFor(c.stdout) {
		return s
	}
	return "\x1b[1m" + s + "\x1b[0m"
}
