package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

func init() { register(newApplyCommand) }

// applyOptions are the flags of bp apply and bp destroy.
type applyOptions struct {
	operationFlags
	autoApprove bool
}

func newApplyCommand(c *cli) *cobra.Command {
	var opts applyOptions
	cmd := &cobra.Command{
		Use:   "apply [flags] [FILE]",
		Short: "Create, change and destroy objects to match the blueprint",
		Long: `Plan as bp plan does, show the plan, ask for confirmation, then carry it out:
create, change and destroy objects so that they match the blueprint in the
current directory. Only the answer 'yes' goes ahead; -auto-approve skips the
question (for scripts and CI).

With FILE, a plan saved by bp plan -out, apply exactly that plan without
asking. bp refuses a saved plan when the state changed since it was made, or
when the blueprint's files did.

Progress is printed as each object is created, changed or destroyed, and every
object is recorded in the state as soon as its operation ends. On Ctrl-C, bp
starts nothing new, lets the operations in progress finish and saves them; a
second Ctrl-C exits at once.`,
		Example: `  bp apply
  bp apply -auto-approve -var web_count=3
  bp plan -out release.plan && bp apply release.plan
  bp apply -refresh-only -auto-approve   # record changes made outside bp`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file := ""
			if len(args) == 1 {
				file = args[0]
			}
			return c.runApply(cmd, &opts, "apply", file)
		},
	}
	flags := cmd.Flags()
	opts.operationFlags.register(flags)
	flags.BoolVar(&opts.autoApprove, "auto-approve", false, "apply without asking for confirmation")
	flags.BoolVar(&opts.destroy, "destroy", false, "destroy every object in the state (as bp destroy does)")
	flags.BoolVar(&opts.refreshOnly, "refresh-only", false, "only record changes made outside bp in the state")
	return cmd
}

// runApply runs bp apply (operation "apply") and bp destroy (operation
// "destroy", with opts.destroy set): plan or read the saved plan in file,
// confirm, apply, summarize.
func (c *cli) runApply(cmd *cobra.Command, opts *applyOptions, operation, file string) error {
	if err := opts.check(); err != nil {
		return err
	}
	mode, err := opts.mode()
	if err != nil {
		return err
	}
	popts, err := opts.planOptions(mode)
	if err != nil {
		return err
	}
	if file != "" {
		switch {
		case len(opts.replace) > 0:
			return errors.New("-replace cannot be used with a saved plan: give it to bp plan -out instead")
		case opts.vars.given():
			return errors.New("-var and -var-file cannot be used with a saved plan: it applies with the values it was made with")
		case opts.destroy || opts.refreshOnly || !opts.refresh:
			return errors.New("-destroy, -refresh-only and -refresh cannot be used with a saved plan: they were decided when it was made")
		}
	}

	ctx, stop := c.withInterrupt(cmd.Context())
	defer stop()
	s, err := c.openSession(ctx, sessionOptions{lock: operation, lockTimeout: opts.lock.timeout})
	if err != nil {
		return err
	}
	defer s.close()
	prior, err := s.readState(ctx)
	if err != nil {
		return err
	}

	prog := newProgress(c.stdout)
	var p *plan.Plan
	var e *engine.Engine
	if file != "" {
		if p, err = s.readSavedPlan(file, prior); err != nil {
			return err
		}
		e = s.engine(p.Variables, opts.parallelism, prog)
		defer e.Close()
	} else {
		vars, err := s.variables(opts.vars.args)
		if err != nil {
			return err
		}
		e = s.engine(vars, opts.parallelism, prog)
		defer e.Close()
		if p, err = s.planWith(ctx, e, prior, popts); err != nil {
			return err
		}
		if err := c.renderPlan(p); err != nil {
			return err
		}
		// Drift alone only updates the record: nothing to ask about.
		if p.HasChanges() && !opts.autoApprove {
			if err := c.approve(ctx, p.Mode); err != nil {
				return err
			}
		}
	}

	var outputs map[string]*state.Output
	if needsApply(p) {
		sy := state.NewSync(prior, s.backend)
		diags := e.Apply(ctx, p, sy)
		prog.stop()
		if diags.HasErrors() {
			return s.fail(diags)
		}
		s.warn(diags)
		outputs = sy.Snapshot().Outputs
	} else {
		outputs = prior.Outputs
	}

	added, changed, destroyed := prog.counts()
	if p.Mode == plan.Destroy {
		fmt.Fprintf(c.stdout, "\nDestroy complete! Resources: %d destroyed.\n", destroyed)
		return nil
	}
	fmt.Fprintf(c.stdout, "\nApply complete! Resources: %d added, %d changed, %d destroyed.", added, changed, destroyed)
	if prog.hostsConverged > 0 {
		fmt.Fprintf(c.stdout, " Hosts: %d converged, %d resources changed.", prog.hostsConverged, prog.hostResourcesChanged)
	}
	fmt.Fprintln(c.stdout)
	return c.renderOutputs(outputs)
}

// readSavedPlan reads the plan in file and checks that it still applies:
// made against the current state (same lineage and serial) from the current
// blueprint (same files).
func (s *session) readSavedPlan(file string, current *state.State) (*plan.Plan, error) {
	p, err := plan.ReadFile(file)
	if err != nil {
		return nil, s.fail(errorDiag("Cannot read the saved plan", err))
	}
	if diags := checkSavedPlan(p, current); diags.HasErrors() {
		return nil, s.fail(diags)
	}
	changed, err := p.ConfigChanged(blueprintDir)
	if err != nil {
		return nil, s.fail(errorDiag("Cannot compare the saved plan with the blueprint", err))
	}
	if len(changed) > 0 {
		return nil, s.fail(hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Saved plan is stale",
			Detail: fmt.Sprintf("The blueprint changed since the plan was made: %s. Run bp plan again.",
				strings.Join(changed, ", ")),
		}})
	}
	return p, nil
}

// checkSavedPlan refuses a saved plan made against another state than
// current, or against an older version of it. A plan made when there was no
// state yet applies to a state that is still empty, which then takes the
// plan's lineage.
func checkSavedPlan(p *plan.Plan, current *state.State) hcl.Diagnostics {
	if p.Errored {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Saved plan is incomplete",
			Detail: "The plan stopped on errors when it was made, so it cannot be applied. Fix them and run bp plan again."}}
	}
	if current.Serial == 0 && current.Empty() && p.StateSerial == 0 {
		current.Lineage = p.StateLineage
		return nil
	}
	if p.StateLineage != current.Lineage {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Saved plan is for another state",
			Detail: fmt.Sprintf("The plan was made against the state of lineage %s, but this blueprint's state has lineage %s. Run bp plan again.",
				p.StateLineage, current.Lineage)}}
	}
	if p.StateSerial != current.Serial {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Saved plan is stale",
			Detail: fmt.Sprintf("The state changed since the plan was made (serial %d, now %d). Run bp plan again.",
				p.StateSerial, current.Serial)}}
	}
	return nil
}

// approve asks whether to go ahead with a plan of mode and returns nil only
// on 'yes'.
func (c *cli) approve(ctx context.Context, mode plan.Mode) error {
	question, what := "Do you want to perform these actions?", "Apply"
	switch mode {
	case plan.Destroy:
		question, what = "Do you really want to destroy all resources?", "Destroy"
	case plan.RefreshOnly:
		question = "Would you like to update the state to reflect these detected changes?"
	}
	yes, err := c.confirm(ctx, question)
	switch {
	case errors.Is(err, errNoAnswer):
		c.printDiagnostics(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: what + " cancelled",
			Detail: "No answer was given: standard input is closed or empty. Answer 'yes' at the prompt, or run with -auto-approve to go ahead without asking."}}, nil)
		return exitCode(exitError)
	case err != nil && ctx.Err() != nil:
		fmt.Fprintf(c.stdout, "%s cancelled.\n", what)
		return exitCode(exitError)
	case err != nil:
		c.printDiagnostics(errorDiag(what+" cancelled", fmt.Errorf("cannot read the answer: %w", err)), nil)
		return exitCode(exitError)
	case !yes:
		fmt.Fprintf(c.stdout, "%s cancelled: only 'yes' goes ahead.\n", what)
		return exitCode(exitError)
	}
	return nil
}
