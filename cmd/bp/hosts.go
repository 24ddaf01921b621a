package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/blueprint-engine/bp/converge"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/resources/agentapi"
)

// sshHosts converges hosts over SSH with bp-agent: the engine's
// HostConfigurer as bp runs it.
type sshHosts struct {
	agent converge.AgentSource
	// retryFor is how long a connection is retried while a new machine
	// boots.
	retryFor time.Duration
}

// newSSHHosts returns the configurer bp uses, with the agent builds found
// by converge.DefaultAgentSource (BP_AGENT_DIR, or next to bp).
func newSSHHosts() *sshHosts {
	return &sshHosts{agent: converge.DefaultAgentSource(), retryFor: 2 * time.Minute}
}

// ConfigureHosts runs one converge (or check) per host, in parallel and in
// rollout batches, and reports each host's outcome.
func (h *sshHosts) ConfigureHosts(ctx context.Context, req engine.ConfigureHostsRequest) []engine.HostOutcome {
	jobs := make([]converge.HostJob, len(req.Hosts))
	for i, t := range req.Hosts {
		jobs[i] = converge.HostJob{
			Target: h.target(t),
			Agent:  h.agent,
			Request: converge.RunRequest{Build: func(f agentapi.Facts) (agentapi.Request, error) {
				return agentRequest(req, t, f)
			}},
			OnEvent: func(l agentapi.Line) {
				if r, ok := l.(*agentapi.Result); ok && req.Progress != nil {
					req.Progress(t.Name, hostResult(*r))
				}
			},
		}
		if req.Verify != nil {
			jobs[i].Verify = func(ctx context.Context) error { return req.Verify(ctx, t) }
		}
	}
	results := converge.Run(ctx, jobs, converge.Options{
		Parallelism: req.Parallelism, BatchSize: req.MaxParallel, StopOnBatchFailure: req.MaxParallel > 0,
	})
	out := make([]engine.HostOutcome, len(results))
	for i, r := range results {
		o := engine.HostOutcome{Host: req.Hosts[i].Name, Address: req.Hosts[i].Address, HostKey: r.HostKey,
			HostKeys: r.HostKeys, Facts: factsMap(r.Result.Facts), Elapsed: r.Timing.Total()}
		for _, res := range r.Result.Resources {
			o.Results = append(o.Results, hostResult(res))
		}
		for _, hd := range r.Result.Handlers {
			o.Handlers = append(o.Handlers, engine.HostResourceResult{ID: hd.ID, Status: engine.HostStatus(hd.Status),
				Error: hd.Error, Action: string(hd.Action)})
		}
		var notStarted *converge.NotStartedError
		var failed *converge.FailedError
		var mismatch *converge.HostKeyMismatchError
		switch {
		case r.Err == nil:
		case errors.As(r.Err, &notStarted):
			o.NotStarted = true
		case errors.As(r.Err, &failed):
			// The failed resources are in Results, with their errors.
		case errors.As(r.Err, &mismatch):
			mismatch.Remedy = recordedKeyRemedy(req.Hosts[i], mismatch.Address)
			o.Err = r.Err
		default:
			o.Err = r.Err
		}
		out[i] = o
	}
	return out
}

// recordedKeyRemedy is the advice for a host key mismatch at address when
// the pinned key is one bp recorded at first contact (trust on first use),
// or "" for keys the provider or the blueprint gave.
func recordedKeyRemedy(t engine.HostTarget, address string) string {
	for cur := &t; cur != nil; cur = cur.Bastion {
		if cur.HostKeyRecorded && engine.HostKeyAddress(*cur) == address {
			return fmt.Sprintf("bp recorded the pinned key when it first reached %s. If the machine was rebuilt on purpose, run `bp converge -forget-host-key %s` to trust the key it presents now.", address, address)
		}
	}
	return ""
}

// target is how converge reaches a host.
func (h *sshHosts) target(t engine.HostTarget) converge.Target {
	ct := converge.Target{Name: t.Name, Address: t.Address, Port: t.Port, User: t.User,
		PrivateKey: []byte(t.PrivateKey), HostKey: t.HostKey, RetryFor: h.retryFor}
	if t.Bastion != nil {
		b := h.target(*t.Bastion)
		ct.Bastion = &b
	}
	return ct
}

// agentRequest builds the agent's request for one host from the engine's
// desired resources, computed with the facts the agent reported.
func agentRequest(req engine.ConfigureHostsRequest, t engine.HostTarget, f agentapi.Facts) (agentapi.Request, error) {
	desired, err := req.Desired(t, factsMap(f))
	if err != nil {
		return agentapi.Request{}, err
	}
	mode := agentapi.ModeApply
	if req.Check {
		mode = agentapi.ModeCheck
	}
	r := agentapi.Request{Version: agentapi.ProtocolVersion, Mode: mode, Resources: make([]agentapi.Resource, len(desired))}
	for i, d := range desired {
		r.Resources[i] = agentapi.Resource{ID: d.ID, Kind: d.Kind, Attrs: d.Attrs, Notify: d.Notify,
			Sensitive: d.Sensitive, Source: d.Source}
	}
	return r, nil
}

func hostResult(r agentapi.Result) engine.HostResourceResult {
	return engine.HostResourceResult{ID: r.ID, Status: engine.HostStatus(r.Status), Changes: r.Changes,
		Diff: r.Diff, Output: r.Output, Error: r.Error}
}

// factsMap is the facts as roles see them in host.facts.
func factsMap(f agentapi.Facts) map[string]any {
	raw, err := json.Marshal(f)
	if err != nil {
		return map[string]any{}
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return map[string]any{}
	}
	return m
}

var _ engine.HostConfigurer = (*sshHosts)(nil)
