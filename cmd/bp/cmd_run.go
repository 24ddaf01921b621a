package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/blueprint-engine/bp/controller"
	"github.com/blueprint-engine/bp/controller/haproxy"
	"github.com/blueprint-engine/bp/controller/status"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

func init() { register(newRunCommand) }

// runOptions are the flags of bp run.
type runOptions struct {
	vars         varFlags
	lock         lockFlags
	parallelism  int
	listen       string
	interval     time.Duration
	drainTimeout time.Duration
}

func newRunCommand(c *cli) *cobra.Command {
	var opts runOptions
	cmd := &cobra.Command{
		Use:   "run [flags]",
		Short: "Keep the stack healthy and sized to its load (the runtime controller)",
		Long: `Run the controller of the blueprint in the current directory until stopped.

Every -interval, bp run reads the state, probes the members of every
health_check and scrapes the load balancer of every autoscaler, decides, and
changes the stack only as bp apply does: a plan and an apply with the state
lock held, which resize machine groups and replace failed members. Each
decision is logged with its inputs.

Before a scale-in it drains the leaving members in every self-hosted load
balancer (HAProxy's runtime API, reached over SSH with the machine's key and
pinned host key from the state) and waits up to -drain-timeout for their
sessions to end; if the apply fails, the servers that remain are put back.
Autoscaler metrics load_average, cpu and memory are read on the members over
SSH at every evaluation (one command each, connections kept open; inside
containers from their cgroup, since /proc shows the host's figures there)
and averaged over the members that answer.

It serves its status on -listen: a status page at /, Prometheus metrics at
/metrics and a liveness check at /healthz.

SIGTERM or Ctrl-C stops it cleanly: an apply in progress finishes, nothing new
starts. Only one bp run acts on a state: a second one waits until the first
stops, and says so.`,
		Example: `  bp run
  bp run -listen 127.0.0.1:9100 -interval 5s
  curl http://127.0.0.1:9100/metrics`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return c.runRun(cmd, &opts) },
	}
	flags := cmd.Flags()
	opts.vars.register(flags)
	opts.lock.register(flags)
	flags.IntVar(&opts.parallelism, "parallelism", defaultParallelism, "run at most `N` operations at once")
	flags.StringVar(&opts.listen, "listen", "127.0.0.1:9100", "serve the status page and /metrics on `ADDRESS`")
	flags.DurationVar(&opts.interval, "interval", 5*time.Second, "evaluate every `DURATION`")
	flags.DurationVar(&opts.drainTimeout, "drain-timeout", controller.DefaultDrainTimeout, "wait at most `DURATION` for drained servers' sessions to end before a scale-in")
	return cmd
}

func (c *cli) runRun(cmd *cobra.Command, opts *runOptions) error {
	if opts.interval <= 0 {
		return fmt.Errorf("-interval must be positive, not %s", opts.interval)
	}
	if opts.drainTimeout <= 0 {
		return fmt.Errorf("-drain-timeout must be positive, not %s", opts.drainTimeout)
	}
	if opts.parallelism < 1 {
		return fmt.Errorf("-parallelism must be at least 1, not %d", opts.parallelism)
	}
	ctx, stop := c.withInterrupt(cmd.Context())
	defer stop()
	s, err := c.openSession(ctx, sessionOptions{})
	if err != nil {
		return err
	}
	logf := c.runLogger()

	lockPath := "bp.run.lock"
	if local, ok := s.backend.(*state.Local); ok {
		lockPath = local.Path + ".run.lock"
	}
	leader, err := takeLeadership(ctx, lockPath, logf)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return s.fail(errorDiag("Cannot take the bp run lock", err))
	}
	defer leader.release()

	board := status.NewBoard(status.Options{})
	ln, err := net.Listen("tcp", opts.listen)
	if err != nil {
		return s.fail(errorDiag("Cannot serve the status page", fmt.Errorf("%w; choose another address with -listen", err)))
	}
	srv := &http.Server{Handler: board.Handler(nil), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	logf("serving the status page on http://%s/ (metrics at /metrics)", ln.Addr())

	a := &runApplier{c: c, opts: opts, logf: logf}
	hosts := &controller.SSHHosts{}
	defer hosts.Close()
	ctl, err := controller.New(controller.Config{
		State:        backendReader{s.backend},
		Apply:        a,
		Scrape:       statsScraper{},
		Board:        board,
		Hosts:        hosts,
		DrainTimeout: opts.drainTimeout,
		Logf:         logf,
	})
	if err != nil {
		return err
	}
	logf("evaluating every %s", opts.interval)
	ctl.Run(ctx, opts.interval)
	logf("stopped")
	return nil
}

// runLogger logs a line with the time to standard error; it is safe for
// concurrent use.
func (c *cli) runLogger() func(string, ...any) {
	var mu sync.Mutex
	return func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(c.stderr, "%s bp run: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
	}
}

// backendReader reads the state from the backend, without the lock.
type backendReader struct{ b state.Backend }

func (r backendReader) ReadState(ctx context.Context) (*state.State, error) { return r.b.Read(ctx) }

// statsScraper scrapes an HAProxy stats page.
type statsScraper struct{}

func (statsScraper) Scrape(ctx context.Context, url string) (*haproxy.Stats, error) {
	return (&haproxy.Scraper{URL: url}).Scrape(ctx)
}

// runApplier carries out the controller's changes as bp apply does: a new
// session with the state lock, the blueprint read again, a plan with the
// group sizes and replacements, and its apply.
type runApplier struct {
	c    *cli
	opts *runOptions
	logf func(string, ...any)
}

func (a *runApplier) Apply(ctx context.Context, req controller.ApplyRequest) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	// Once started, an apply finishes even when bp run is stopped.
	ctx = context.WithoutCancel(ctx)
	s, err := a.c.openSession(ctx, sessionOptions{lock: "run", lockTimeout: max(a.opts.lock.timeout, time.Minute)})
	if err != nil {
		return errors.New("cannot open the blueprint and lock its state (see above)")
	}
	defer s.close()
	vars, err := s.variables(a.opts.vars.args)
	if err != nil {
		return errors.New("invalid variables (see above)")
	}
	prior, err := s.readState(ctx)
	if err != nil {
		return errors.New("cannot read the state (see above)")
	}
	e := s.engine(vars, a.opts.parallelism, nil)
	defer e.Close()
	p, err := s.planWith(ctx, e, prior, engine.PlanOptions{Mode: plan.Normal, GroupSizes: req.GroupSizes, Replace: req.Replace})
	if err != nil {
		return errors.New("planning failed (see above)")
	}
	if !needsApply(p) {
		return nil
	}
	diags := e.Apply(ctx, p, state.NewSync(prior, s.backend))
	if diags.HasErrors() {
		return s.fail(diags)
	}
	s.warn(diags)
	return nil
}

var _ controller.Applier = (*runApplier)(nil)
var _ controller.StateReader = backendReader{}
var _ controller.StatsScraper = statsScraper{}
