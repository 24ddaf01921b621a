package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/plan"
)

// A configure block converges its hosts after the machines exist. Planning
// runs the agent in check mode on hosts that exist already, so the plan
// shows what would change on them; hosts created by the plan are listed as
// pending with the roles that will run. Applying converges every host.

// configureHost is one host of a configure block, with what the roles see of
// it as `host`.
type configureHost struct {
	target HostTarget
	// obj is the machine's value (unmarked).
	obj   cty.Value
	index int
	// pending is set when the machine is not created yet: its address is
	// known only after apply.
	pending bool
}

// planConfigure adds the host changes of a configure block to the plan.
func (w *walker) planConfigure(ctx context.Context, n *node) error {
	var diags hcl.Diagnostics
	for _, mi := range w.vals.moduleInstances(pathKey(n.cfg.Path)) {
		addr := configureAddr(mi.addr, n.configure)
		hosts, allPending, d := w.configureHosts(n, mi)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		roles := n.configure.RoleNames()
		if allPending {
			w.addHostChanges(&plan.HostChange{Configure: addr, Host: "(hosts known after apply)", Roles: roles, Pending: true})
			continue
		}
		var check []configureHost
		for _, h := range hosts {
			hc := &plan.HostChange{Configure: addr, Host: h.target.Name, Address: h.target.Address, Roles: roles}
			switch {
			case h.pending:
				hc.Pending = true
			case !w.refresh:
				hc.Unchecked = "not checked: refresh was skipped"
			case w.e.hosts == nil:
				hc.Unchecked = "not checked: this command cannot reach hosts"
			default:
				check = append(check, h)
				continue
			}
			w.addHostChanges(hc)
		}
		if len(check) == 0 {
			continue
		}
		outcomes, d := w.runConfigure(ctx, n, mi, addr, check, true)
		diags = append(diags, d...)
		for _, o := range outcomes {
			w.addHostChanges(hostChange(addr, roles, o))
		}
	}
	w.addDiags(diags)
	if diags.HasErrors() {
		return errNodeFailed
	}
	return nil
}

// applyConfigure converges the hosts of a configure block.
func (w *walker) applyConfigure(ctx context.Context, n *node) error {
	var diags hcl.Diagnostics
	for _, mi := range w.vals.moduleInstances(pathKey(n.cfg.Path)) {
		addr := configureAddr(mi.addr, n.configure)
		hosts, allPending, d := w.configureHosts(n, mi)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		if allPending || len(hosts) == 0 || (w.configureOnly != nil && !w.configureOnly[addr]) {
			continue
		}
		if w.e.hosts == nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot configure hosts",
				Detail:  fmt.Sprintf("%s has hosts to converge, but this command was started without a way to reach them.", addr),
				Subject: n.configure.DeclRange.Ptr()})
			continue
		}
		var ready []configureHost
		for _, h := range hosts {
			if h.pending {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Host address unknown",
					Detail:  fmt.Sprintf("%s of %s has no address after apply, so its roles cannot run. Check that the machine was created.", h.target.Name, addr),
					Subject: n.configure.Hosts.Range().Ptr()})
				continue
			}
			ready = append(ready, h)
		}
		_, d = w.runConfigure(ctx, n, mi, addr, ready, false)
		diags = append(diags, d...)
	}
	w.addDiags(diags)
	if diags.HasErrors() {
		return errNodeFailed
	}
	return nil
}

// runConfigure converges (or checks) hosts and turns failures into
// diagnostics that point at the failing resource's declaration.
func (w *walker) runConfigure(ctx context.Context, n *node, mi moduleInstance, addr string, hosts []configureHost, check bool) ([]HostOutcome, hcl.Diagnostics) {
	roles := w.configureRoles(n)
	byName := map[string]configureHost{}
	targets := make([]HostTarget, len(hosts))
	for i, h := range hosts {
		targets[i] = h.target
		byName[h.target.Name] = h
	}
	hooks, _ := w.e.hooks.(HostHooks)
	var evalDiags syncDiags
	var unknownMu sync.Mutex
	unknown := map[string][]string{}
	req := ConfigureHostsRequest{
		Configure: addr, Check: check, Hosts: targets,
		MaxParallel: n.configure.Rollout.MaxParallel, Parallelism: w.e.parallelism,
		Verify: verifyUnlessCheck(check, n.configure.Rollout.HealthCheck),
		Desired: func(t HostTarget, facts map[string]any) ([]DesiredHostResource, error) {
			h := byName[t.Name]
			out, unk, d := w.desiredHostResources(n, mi, roles, h, facts, check)
			evalDiags.add(d)
			unknownMu.Lock()
			unknown[t.Name] = unk
			unknownMu.Unlock()
			if d.HasErrors() {
				return nil, errRolesInvalid
			}
			return out, nil
		},
	}
	if hooks != nil {
		req.Progress = func(host string, r HostResourceResult) { hooks.HostResult(addr, host, r) }
		for _, t := range targets {
			hooks.PreConfigure(addr, t.Name, check)
		}
	}
	// Convergence that started is not cut short by an interrupt: the agent
	// finishes its run, so the host is never left half-written.
	outcomes := w.e.hosts.ConfigureHosts(context.WithoutCancel(ctx), req)
	diags := evalDiags.get()
	for i := range outcomes {
		o := &outcomes[i]
		for _, id := range unknown[o.Host] {
			o.Results = append(o.Results, HostResourceResult{ID: id, Status: HostUnknown,
				Changes: []string{"arguments known after apply"}})
		}
	}
	for _, o := range outcomes {
		if hooks != nil {
			hooks.PostConfigure(addr, o)
		}
		diags = append(diags, hostDiagnostics(addr, o, roles, check, n.configure.DeclRange)...)
	}
	if !check {
		diags = append(diags, w.recordFirstUseHostKeys(targets, outcomes, n.configure.DeclRange)...)
	}
	return outcomes, diags
}

// errRolesInvalid is what Desired returns when a host's roles could not be
// evaluated; the evaluation's diagnostics say why.
var errRolesInvalid = errors.New("the roles could not be evaluated for this host; see the errors above")

// hostDiagnostics reports what failed on a host. A failed resource points
// at its declaration in the role.
func hostDiagnostics(addr string, o HostOutcome, roles []*blueprint.Role, check bool, rng hcl.Range) hcl.Diagnostics {
	what := "Configuration"
	if check {
		what = "Checking the configuration"
	}
	var diags hcl.Diagnostics
	if o.NotStarted {
		return hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: "Host not configured",
			Detail:  fmt.Sprintf("%s of %s was not converged because an earlier rollout batch failed.", o.Host, addr),
			Subject: rng.Ptr()}}
	}
	if o.Err != nil && !errors.Is(o.Err, errRolesInvalid) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError,
			Summary: fmt.Sprintf("%s of %s failed", what, o.Host),
			Detail:  fmt.Sprintf("%s (%s): %s", addr, o.Address, o.Err), Subject: rng.Ptr()})
	}
	for _, r := range append(append([]HostResourceResult(nil), o.Results...), o.Handlers...) {
		if r.Status != HostFailed {
			continue
		}
		subject := rng
		if hr := findHostResource(roles, r.ID); hr != nil {
			subject = hr.DeclRange
		}
		detail := fmt.Sprintf("On %s (%s), %s failed: %s", o.Host, o.Address, r.ID, strings.TrimSpace(r.Error))
		if out := strings.TrimSpace(r.Output); out != "" {
			detail += "\n\nOutput:\n" + out
		}
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError,
			Summary: fmt.Sprintf("%s of %s failed at %s", what, o.Host, r.ID),
			Detail:  detail, Subject: subject.Ptr()})
	}
	return diags
}

// hostChange records a checked host in the plan.
func hostChange(addr string, roles []string, o HostOutcome) *plan.HostChange {
	hc := &plan.HostChange{Configure: addr, Host: o.Host, Address: o.Address, Roles: roles}
	if o.Err != nil {
		hc.Error = o.Err.Error()
	}
	for _, r := range o.Results {
		switch r.Status {
		case HostUnchanged:
			hc.Unchanged++
		case HostSkipped:
		default:
			hc.Resources = append(hc.Resources, planHostResource(r))
		}
	}
	for _, r := range o.Handlers {
		if r.Status != HostUnchanged {
			hc.Handlers = append(hc.Handlers, planHostResource(r))
		}
	}
	return hc
}

func planHostResource(r HostResourceResult) plan.HostResourceChange {
	return plan.HostResourceChange{ID: r.ID, Status: string(r.Status), Changes: r.Changes, Diff: r.Diff, Error: r.Error, Action: r.Action}
}

func (w *walker) addHostChanges(hc *plan.HostChange) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.hostChanges = append(w.hostChanges, hc)
}

// configureAddr is the address of a configure block in a module instance.
func configureAddr(mod string, c *blueprint.Configure) string {
	if mod == "" {
		return "configure." + c.Name
	}
	return mod + ".configure." + c.Name
}

// configureRoles returns the roles a configure block names, in order.
func (w *walker) configureRoles(n *node) []*blueprint.Role {
	var out []*blueprint.Role
	for _, name := range n.configure.RoleNames() {
		if r := n.cfg.Module.Roles[name]; r != nil {
			out = append(out, r)
		}
	}
	return out
}

// findHostResource finds a host resource by its ID, "ROLE/KIND.NAME".
func findHostResource(roles []*blueprint.Role, id string) *blueprint.HostResource {
	role, addr, ok := strings.Cut(id, "/")
	if !ok {
		return nil
	}
	for _, r := range roles {
		if r.Name != role {
			continue
		}
		for _, hr := range r.Resources {
			if hr.Addr() == addr {
				return hr
			}
		}
	}
	return nil
}

// HostHooks is an optional extension of Hooks for live output of host
// configuration. The engine calls it when its Hooks implement it.
type HostHooks interface {
	// PreConfigure is called before a host is checked or converged.
	PreConfigure(configure, host string, check bool)
	// HostResult is called for each host resource result as it arrives.
	HostResult(configure, host string, r HostResourceResult)
	// PostConfigure is called once a host is done.
	PostConfigure(configure string, o HostOutcome)
}
