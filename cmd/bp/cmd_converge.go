package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/state"
)

func init() { register(newConvergeCommand) }

// convergeOptions are the flags of bp converge.
type convergeOptions struct {
	vars        varFlags
	lock        lockFlags
	parallelism int
	targets     []string
	forgetKeys  []string
}

func newConvergeCommand(c *cli) *cobra.Command {
	var opts convergeOptions
	cmd := &cobra.Command{
		Use:   "converge [flags]",
		Short: "Converge hosts to their roles without changing any resource",
		Long: `Run only the configuration step: every configure block (or those named with
-target) converges its hosts, as the state records them, to their roles. No
machine or other resource is created, changed or destroyed; if the blueprint
needs such changes, bp converge says so and leaves them to bp apply.

Each host is reached over SSH with its pinned host key, the agent is uploaded
if the host lacks this build, and the whole role is converged in one run. A
host without a host key from its provider or blueprint is trusted the first
time bp reaches it and its key is recorded in the state; later runs refuse a
host that presents another key. -forget-host-key ADDR forgets a recorded key
(a machine rebuilt on purpose), so the host is trusted anew.
Hosts converge in parallel (-parallelism), in rollout batches when the
configure block has a rollout block. A failing resource stops its host; other
hosts go on, and bp converge exits with status 1.`,
		Example: `  bp converge
  bp converge -target configure.web
  bp converge -parallelism 50
  bp converge -forget-host-key 10.0.0.5:22`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runConverge(cmd, &opts)
		},
	}
	flags := cmd.Flags()
	opts.vars.register(flags)
	opts.lock.register(flags)
	flags.IntVar(&opts.parallelism, "parallelism", defaultParallelism, "converge at most `N` hosts at once")
	flags.StringArrayVar(&opts.targets, "target", nil, "converge only the configure block at `ADDR` (repeatable)")
	flags.StringArrayVar(&opts.forgetKeys, "forget-host-key", nil, "forget the host key recorded for `HOST:PORT` and trust the key it presents now (repeatable)")
	return cmd
}

func (c *cli) runConverge(cmd *cobra.Command, opts *convergeOptions) error {
	if opts.parallelism < 1 {
		return fmt.Errorf("-parallelism must be at least 1, not %d", opts.parallelism)
	}
	ctx, stop := c.withInterrupt(cmd.Context())
	defer stop()
	s, err := c.openSession(ctx, sessionOptions{lock: "converge", lockTimeout: opts.lock.timeout})
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
	prog := newProgress(c.stdout)
	prog.refresh = false
	e := s.engine(vars, opts.parallelism, prog)
	defer e.Close()
	sy := state.NewSync(prior, s.backend)
	diags := e.Converge(ctx, prior, sy, engine.ConvergeOptions{Targets: opts.targets, ForgetHostKeys: opts.forgetKeys})
	prog.stop()
	if diags.HasErrors() {
		return s.fail(diags)
	}
	s.warn(diags)
	fmt.Fprintf(c.stdout, "\nConverge complete! Hosts: %d converged, %d resources changed.\n", prog.hostsConverged, prog.hostResourcesChanged)
	return nil
}
