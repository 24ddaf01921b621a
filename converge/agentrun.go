package converge

import (
	"context"
	"errors"
	"fmt"
	"path"
	"runtime"
	"sync"
	"time"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

// AgentRun is what ConvergeAgent did on one host.
type AgentRun struct {
	// AgentPath is where the agent build is on the host.
	AgentPath string
	// Uploaded is set when the host lacked the build and it was uploaded.
	Uploaded bool
	// Upload is the time spent uploading (zero when nothing was uploaded).
	Upload time.Duration
	// Execs counts the SSH execs the converge took: 1 when the host had the
	// build, 2 when it was uploaded first.
	Execs int
	// Result is the converge's result (partial after an error).
	Result Result
}

// ConvergeAgent converges the host with the agent build src supplies, in
// ONE SSH exec when the host already has that build: the exec's sh prelude
// runs the agent if it is there, and otherwise answers with the host's
// architecture and the builds it has, at no extra exec. Only then is the
// build for the host's architecture uploaded (as EnsureAgent does) and the
// converge run again. Converge's contract holds for the run; onEvent and
// req.Build are called only for the run that reaches the agent.
//
// Which build to look for first is a guess: the architecture this host
// reported earlier in this process, else bp's own. A wrong guess costs the
// same one extra exec as a missing agent.
func (c *Conn) ConvergeAgent(ctx context.Context, src AgentSource, req RunRequest, onEvent func(agentapi.Line)) (AgentRun, error) {
	run := AgentRun{Result: Result{ExitStatus: -1}}
	host := c.target.DisplayName()
	goarch, err := c.guessArch(src)
	if err != nil {
		return run, fmt.Errorf("host %s: %w", host, err)
	}
	root := c.target.agentRoot()
	for attempt := 1; ; attempt++ {
		_, sum, err := agentDigest(src, goarch)
		if err != nil {
			return run, fmt.Errorf("host %s: %w", host, err)
		}
		run.AgentPath = path.Join(root, sum, AgentBinaryName)
		run.Execs++
		run.Result, err = c.Converge(ctx, run.AgentPath, req, onEvent)
		var missing *agentMissingError
		if !errors.As(err, &missing) {
			if err == nil || run.Result.Facts.Arch != "" {
				knownArch.Store(c.archKey(), goarch)
			}
			return run, err
		}
		if attempt > 1 {
			return run, fmt.Errorf("host %s: bp-agent is still missing at %s right after it was uploaded; is %s on a file system that drops files or executable modes (noexec)?", host, run.AgentPath, root)
		}
		var present map[string]bool
		goarch, present, err = parseProbe(missing.probe)
		if err != nil {
			return run, fmt.Errorf("host %s: %w", host, err)
		}
		knownArch.Store(c.archKey(), goarch)
		content, sum, err := agentDigest(src, goarch)
		if err != nil {
			return run, fmt.Errorf("host %s: %w", host, err)
		}
		if p := path.Join(root, sum, AgentBinaryName); !present[p] {
			t0 := time.Now()
			err := c.upload(ctx, content, p)
			run.Upload += time.Since(t0)
			if err != nil {
				return run, c.uploadError(err, p)
			}
			run.Uploaded = true
		}
	}
}

// knownArch remembers, per host address, the architecture its agent ran
// on, so later converges of the host in this process look for the right
// build at once.
var knownArch sync.Map // archKey → goarch

func (c *Conn) archKey() string { return c.target.hostKey() }

// guessArch picks the architecture whose build to look for first: the one
// this host ran before, else bp's own, else any src has.
func (c *Conn) guessArch(src AgentSource) (string, error) {
	if a, ok := knownArch.Load(c.archKey()); ok {
		return a.(string), nil
	}
	var firstErr error
	for _, goarch := range []string{runtime.GOARCH, "amd64", "arm64"} {
		_, _, err := agentDigest(src, goarch)
		if err == nil {
			return goarch, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return "", firstErr
}
