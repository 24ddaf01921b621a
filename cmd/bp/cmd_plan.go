package main

import (
	"context"
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/spf13/cobra"

	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

func init() { register(newPlanCommand) }

// planOptions are the flags of bp plan.
type planOptions struct {
	operationFlags
	out              string
	detailedExitCode bool
	asJSON           bool
}

func newPlanCommand(c *cli) *cobra.Command {
	var opts planOptions
	cmd := &cobra.Command{
		Use:   "plan [flags]",
		Short: "Show the changes that apply would make",
		Long: `Compare the blueprint in the current directory with the recorded state and the
real objects, and show what bp apply would create, change and destroy. Nothing
is changed, except that the state is locked while planning.

Objects are first read from their providers (refresh), so changes made outside
bp show up as drift; -refresh=false plans from the recorded state alone.
-destroy plans the removal of everything; -refresh-only plans only to record
drift in the state.

-out FILE saves the plan with a snapshot of the blueprint; bp apply FILE then
applies exactly that plan, or refuses if the state or the blueprint changed.

Exit status: 0 on success, 1 on errors. With -detailed-exitcode: 0 when there
are no changes, 2 when there are changes, 1 on errors.`,
		Example: `  bp plan
  bp plan -var web_count=3 -var-file prod.bpvars.hcl
  bp plan -out tomorrow.plan && bp apply tomorrow.plan
  bp plan -detailed-exitcode -refresh=false   # CI: exit 2 when something would change
  bp plan -json | jq '.summary'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runPlan(cmd, &opts)
		},
	}
	flags := cmd.Flags()
	opts.operationFlags.register(flags)
	flags.BoolVar(&opts.destroy, "destroy", false, "plan to destroy every object in the state")
	flags.BoolVar(&opts.refreshOnly, "refresh-only", false, "plan only to record changes made outside bp in the state")
	flags.StringVar(&opts.out, "out", "", "save the plan to `FILE` for bp apply FILE")
	flags.BoolVar(&opts.detailedExitCode, "detailed-exitcode", false, "exit with status 2 when there are changes, 0 when there are none")
	flags.BoolVar(&opts.asJSON, "json", false, "print the plan as JSON on standard output (no progress lines)")
	return cmd
}

func (c *cli) runPlan(cmd *cobra.Command, opts *planOptions) error {
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
	ctx, stop := c.withInterrupt(cmd.Context())
	defer stop()
	s, err := c.openSession(ctx, sessionOptions{lock: "plan", lockTimeout: opts.lock.timeout})
	if err != nil {
		return err
	}
	defer s.close()
	vars, err := s.variables(opts.vars.args)
	if err != nil {
		return err
	}
	prior, err := s.readState(ctx)
	if err != nil {
		return err
	}
	var hooks engine.Hooks
	if !opts.asJSON {
		hooks = newProgress(c.stdout)
	}
	e := s.engine(vars, opts.parallelism, hooks)
	defer e.Close()
	p, err := s.planWith(ctx, e, prior, popts)
	if err != nil {
		return err
	}

	if opts.asJSON {
		data, err := plan.JSON(p)
		if err != nil {
			return s.fail(errorDiag("Cannot print the plan as JSON", err))
		}
		if _, err := c.stdout.Write(data); err != nil {
			return err
		}
	} else if err := c.renderPlan(p); err != nil {
		return err
	}

	if opts.out != "" {
		if err := s.savePlan(p, opts.out); err != nil {
			return err
		}
		if !opts.asJSON {
			fmt.Fprintf(c.stdout, "\nSaved the plan to: %s\n\nTo perform exactly these actions, run:\n    bp apply %s\n", opts.out, opts.out)
		}
	}
	if opts.detailedExitCode && p.HasChanges() {
		return exitCode(exitChanges)
	}
	return nil
}

// savePlan writes p to path with a snapshot of the blueprint, for bp apply
// FILE.
func (s *session) savePlan(p *plan.Plan, path string) error {
	files, err := plan.SnapshotConfig(blueprintDir)
	if err != nil {
		return s.fail(errorDiag("Cannot save the plan", err))
	}
	p.ConfigFiles = files
	if err := plan.WriteFile(path, p); err != nil {
		return s.fail(errorDiag("Cannot save the plan", err))
	}
	return nil
}

// planWith plans the session's blueprint against prior with opts (as
// makePlan does, with every engine option: -replace, bp run's group sizes).
// It prints the diagnostics; on errors it returns an exitCode error.
func (s *session) planWith(ctx context.Context, e *engine.Engine, prior *state.State, opts engine.PlanOptions) (*plan.Plan, error) {
	p, diags := e.Plan(ctx, prior, opts)
	if diags.HasErrors() || p == nil || p.Errored {
		if !diags.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Planning failed",
				Detail: "The plan stopped on errors; fix them and plan again."})
		}
		return nil, s.fail(diags)
	}
	s.warn(diags)
	return p, nil
}
