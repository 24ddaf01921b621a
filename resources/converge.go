package resources

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

// sensitiveText replaces diffs and output of sensitive resources.
const sensitiveText = "(sensitive)"

// Converge runs a request on this host, as the agent's converge command
// does: it checks (and in apply mode applies) each resource in order and
// emits one Result line each, stops at the first failure (the rest are
// reported skipped), records notifications in env.StateDir before moving
// on, and at the end of a run without failures delivers every pending
// notification once, emitting one Handler line each. In check mode nothing
// on the host or in the state directory changes.
//
// It returns the Done line, which it has not emitted. An error means the
// run could not be carried out (the pending file is unreadable, or emit
// failed); it is the protocol's internal error.
func Converge(ctx context.Context, env *Env, req *agentapi.Request, emit func(agentapi.Line) error) (*agentapi.Done, error) {
	start := time.Now()
	check := req.Mode == agentapi.ModeCheck
	pending, err := loadPending(env.StateDir)
	if err != nil {
		return nil, err
	}
	if check {
		pending.path = "" // report, never persist
	}

	seq := make([]Resource, len(req.Resources))
	problems := make([][]Problem, len(req.Resources))
	byID := map[string]int{}
	for i, res := range req.Resources {
		seq[i], problems[i] = NewFromRequest(res)
		byID[res.ID] = i
	}
	for i, r := range seq {
		if l, ok := r.(Linker); ok {
			l.Link(seq, i)
		}
	}

	done := &agentapi.Done{}
	failed := false
	for i, res := range req.Resources {
		result := &agentapi.Result{ID: res.ID}
		switch {
		case failed:
			result.Status = agentapi.StatusSkipped
			done.Skipped++
		case ctx.Err() != nil:
			result.Status, result.Error = agentapi.StatusFailed, "interrupted: "+ctx.Err().Error()
		case problems[i] != nil:
			result.Status, result.Error = agentapi.StatusFailed, problemsError(problems[i])
		default:
			t0 := time.Now()
			convergeOne(ctx, env, seq[i], res, check, result)
			if check && result.Status == agentapi.StatusFailed && done.Changed > 0 {
				// Nothing changed in check mode, so a resource that needs
				// an earlier one's change (the user it is owned by, the
				// package providing its command) cannot be checked yet:
				// the apply checks it after that change.
				result.Status, result.Diff = agentapi.StatusChanged, ""
				result.Changes = []string{"not checked until the changes above are made (" + result.Error + ")"}
				result.Error = ""
			}
			if result.Status == agentapi.StatusChanged && len(res.Notify) > 0 {
				if err := notify(req, byID, pending, res); err != nil {
					result.Status, result.Error = agentapi.StatusFailed, err.Error()
				}
			}
			result.DurationMS = time.Since(t0).Milliseconds()
		}
		switch result.Status {
		case agentapi.StatusFailed:
			failed = true
			done.Failed++
		case agentapi.StatusChanged:
			done.Changed++
		case agentapi.StatusUnchanged:
			done.Unchanged++
		}
		if res.Source != "" && result.Error != "" {
			result.Error = fmt.Sprintf("%s (%s)", result.Error, res.Source)
		}
		if err := emit(result); err != nil {
			return nil, err
		}
	}
	if !failed {
		handlersFailed, err := deliver(ctx, env, req, seq, byID, pending, check, emit)
		if err != nil {
			return nil, err
		}
		done.Failed += handlersFailed
	}
	done.DurationMS = time.Since(start).Milliseconds()
	return done, nil
}

// convergeOne checks and, unless check, applies one resource, filling in
// result.
func convergeOne(ctx context.Context, env *Env, r Resource, res agentapi.Resource, check bool, result *agentapi.Result) {
	d, err := r.Check(ctx, env)
	if err == nil && d.Changed() && !check {
		env.applies++
		err = r.Apply(ctx, env)
	}
	if d != nil {
		result.Changes, result.Diff = d.Changes, d.Text
	}
	if o, ok := r.(OutputReporter); ok {
		result.Output = o.Output()
	}
	var cmdErr *CommandError
	if errors.As(err, &cmdErr) && result.Output == "" {
		result.Output = cmdErr.Output
	}
	switch {
	case err != nil:
		result.Status, result.Error = agentapi.StatusFailed, err.Error()
	case d.Changed():
		result.Status = agentapi.StatusChanged
	default:
		result.Status = agentapi.StatusUnchanged
	}
	if res.Sensitive {
		if result.Diff != "" {
			result.Diff = sensitiveText
		}
		if result.Output != "" {
			result.Output = sensitiveText
		}
		if cmdErr != nil {
			result.Error = fmt.Sprintf("command exited with status %d", cmdErr.ExitCode)
		}
	}
}

// notify adds the resource's notify targets to the pending set.
func notify(req *agentapi.Request, byID map[string]int, pending *pendingSet, res agentapi.Resource) error {
	for _, target := range res.Notify {
		n := pendingNotify{ID: target, By: res.ID}
		if i, ok := byID[target]; ok {
			n.Attrs = req.Resources[i].Attrs
		}
		if err := pending.add(n); err != nil {
			return fmt.Errorf("recording the notification of %s: %w", target, err)
		}
	}
	return nil
}

// deliver runs the pending handlers and returns how many failed. A
// delivered notification leaves the pending set; a failed one stays for
// the next run.
func deliver(ctx context.Context, env *Env, req *agentapi.Request, seq []Resource, byID map[string]int,
	pending *pendingSet, check bool, emit func(agentapi.Line) error) (int, error) {
	failed := 0
	for _, n := range append([]pendingNotify(nil), pending.items...) {
		var target Notifiable
		if i, ok := byID[n.ID]; ok {
			target, _ = seq[i].(Notifiable)
		} else if r, problems := NewFromRequest(agentapi.Resource{ID: n.ID, Kind: "service", Attrs: n.Attrs}); problems == nil {
			target, _ = r.(Notifiable)
		}
		if target == nil {
			env.logf("dropping notification of %s: not a service this agent can restart", n.ID)
			if err := pending.remove(n.ID); err != nil {
				return failed, err
			}
			continue
		}
		action := target.HandlerAction()
		if action == "" {
			env.logf("not restarting %s: the service is meant to be stopped", n.ID)
			if err := pending.remove(n.ID); err != nil {
				return failed, err
			}
			continue
		}
		line := &agentapi.Handler{ID: n.ID, Action: action, Status: agentapi.StatusChanged}
		if !check {
			if err := target.Deliver(ctx, env); err != nil {
				line.Status, line.Error = agentapi.StatusFailed, err.Error()
				failed++
			} else if err := pending.remove(n.ID); err != nil {
				line.Status, line.Error = agentapi.StatusFailed, err.Error()
				failed++
			}
		}
		if err := emit(line); err != nil {
			return failed, err
		}
	}
	return failed, nil
}
