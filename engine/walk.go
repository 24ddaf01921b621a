package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/blueprint/funcs"
	"github.com/blueprint-engine/bp/engine/dag"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

// errNodeFailed tells the graph walk a node failed; its diagnostics are in
// the walker.
var errNodeFailed = errors.New("failed")

// errNodeInterrupted tells the graph walk a node stopped early because the
// walk was interrupted; the walk reports the interruption once.
var errNodeInterrupted = errors.New("interrupted")

// walker holds what one plan or apply walk shares between its nodes.
type walker struct {
	e    *Engine
	ph   phase
	mode plan.Mode
	vals *values

	// refresh reads every object from its provider before planning it.
	refresh bool
	// prior is the working copy of the state while planning (refreshed,
	// moved, data sources read). Guarded by priorMu.
	priorMu sync.Mutex
	prior   *state.State

	// sem bounds the provider calls of the whole walk: every per-instance
	// operation holds a slot while it runs (see parallel).
	sem chan struct{}
	// interrupted is set when an instance operation was not started because
	// ctx was cancelled.
	interrupted atomic.Bool
	// priorByKey indexes the resources of prior by "path|type.name", so a
	// resource finds its objects in every module instance without a scan.
	// Built before the walk starts and read-only during it.
	priorByKey map[string][]state.ResourceAddr

	mu      sync.Mutex
	diags   hcl.Diagnostics
	changes []*plan.ResourceChange
	drift   []*plan.ResourceChange
	outputs []*plan.OutputChange
	// configureOnly, when not nil, limits the configure blocks applied to
	// these addresses (bp converge -target).
	configureOnly map[string]bool
	// hostChanges are the configure blocks' checked hosts (planning only).
	hostChanges []*plan.HostChange

	// Apply only.
	plan    *plan.Plan
	byAddr  map[string]*plan.ResourceChange // current-object changes by address
	sync    *state.Sync
	deposed map[string]state.DeposedKey // instance → key deposed by create_before_destroy
	movedTo map[string]state.InstanceAddr
	imports map[string]*blueprint.Import
	resDeps map[*node][]*node
	// deleteChanges lists the plan's delete changes by delete-node key.
	deleteChanges map[string][]*plan.ResourceChange
	// forceCBD holds the resources replaced create-before-destroy because
	// a resource that depends on them is (planning only).
	forceCBD map[*node]bool
	// replace holds the instances PlanOptions.Replace forces to be
	// replaced (planning only); see plan_replace.go.
	replace *replaceSet
}

// newWalker returns a walker for one plan or apply.
func newWalker(e *Engine, ph phase, mode plan.Mode, vals *values) *walker {
	return &walker{e: e, ph: ph, mode: mode, vals: vals, sem: make(chan struct{}, e.parallelism)}
}

// parallel calls fn(i) for every i in [0, n), each in a slot of the walk's
// semaphore, so no more than Parallelism run at once across the whole
// walk. Once ctx is cancelled it starts nothing new; calls already running
// finish with a context that is not cancelled, so a provider call in
// flight completes and its result is recorded. It reports whether every
// call was started.
func (w *walker) parallel(ctx context.Context, n int, fn func(ctx context.Context, i int)) bool {
	run := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		acquired := false
		select {
		case w.sem <- struct{}{}:
			acquired = true
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			if acquired {
				<-w.sem
			}
			w.interrupted.Store(true)
			wg.Wait()
			return false
		}
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					w.addDiags(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Internal error",
						Detail: fmt.Sprintf("bp panicked: %v. This is a bug in bp; please report it.", r)}})
				}
				<-w.sem
			}()
			fn(run, i)
		})
	}
	wg.Wait()
	return true
}

func (w *walker) addDiags(d hcl.Diagnostics) {
	if len(d) == 0 {
		return
	}
	w.mu.Lock()
	w.diags = append(w.diags, d...)
	w.mu.Unlock()
}

func (w *walker) addChange(c *plan.ResourceChange) {
	w.mu.Lock()
	w.changes = append(w.changes, c)
	w.mu.Unlock()
}

// fail records diags and returns the error that stops n's dependents.
func (w *walker) fail(d hcl.Diagnostics) error {
	w.addDiags(d)
	return errNodeFailed
}

// walk runs fn over the graph and reports what went wrong outside the
// nodes' own diagnostics: internal errors, and an interruption.
func (w *walker) walk(ctx context.Context, gr *graph, fn func(context.Context, *node) error) {
	res := gr.g.Walk(ctx, dag.WalkOptions{Parallelism: w.e.parallelism}, fn)
	if err := res.Err(); err != nil {
		var cycle *dag.CycleError[*node]
		if errors.As(err, &cycle) {
			w.addDiags(gr.cycles())
			return
		}
	}
	for _, n := range res.With(dag.Failed) {
		out, _ := res.Outcome(n)
		if errors.Is(out.Err, errNodeFailed) || errors.Is(out.Err, errNodeInterrupted) {
			continue
		}
		w.addDiags(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Internal error",
			Detail: fmt.Sprintf("%s: %s. This is a bug in bp; please report it.", n.name, out.Err)}})
	}
	if ctx.Err() == nil || !(res.Interrupted() || w.interrupted.Load()) {
		return
	}
	what := "applied"
	if w.ph == phasePlan {
		what = "planned"
	}
	var notRun []string
	for _, n := range res.With(dag.NotStarted) {
		if n.kind == nodeResource || n.kind == nodeData || n.kind == nodeDelete {
			notRun = append(notRun, n.name)
		}
	}
	detail := fmt.Sprintf("The operation was interrupted (%s): calls to providers already in progress were "+
		"finished and their results recorded, and nothing new was started.", context.Cause(ctx))
	if len(notRun) > 0 {
		const show = 10
		list := notRun
		if len(list) > show {
			list = append(list[:show:show], fmt.Sprintf("and %d more", len(notRun)-show))
		}
		detail += fmt.Sprintf(" Not %s: %s.", what, strings.Join(list, ", "))
	}
	if w.ph == phaseApply {
		detail += " Run bp plan to see what remains to do."
	}
	w.addDiags(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Interrupted", Detail: detail}})
}

// execCommon runs the node kinds that plan and apply evaluate alike.
func (w *walker) execCommon(ctx context.Context, n *node) (bool, error) {
	switch n.kind {
	case nodeProvider:
		// Starting and configuring a provider is not interrupted half-way.
		ctx = context.WithoutCancel(ctx)
		pi, diags := w.e.provs.get(ctx, w.e.root, n.provider, n.rng)
		if diags.HasErrors() {
			return true, w.fail(diags)
		}
		diags = pi.configure(ctx, w.e.scope(w.vals, w.e.root, moduleInstance{}, nil))
		w.addDiags(diags)
		if diags.HasErrors() {
			return true, errNodeFailed
		}
		return true, nil
	case nodeVariable:
		return true, w.evalModuleVariable(n)
	case nodeLocal:
		var diags hcl.Diagnostics
		for _, mi := range w.vals.moduleInstances(pathKey(n.cfg.Path)) {
			v, d := w.e.scope(w.vals, n.cfg, mi, nil).EvalExpr(n.local.Expr, cty.DynamicPseudoType)
			diags = append(diags, d...)
			w.vals.setLocal(mi.addr, n.local.Name, v)
		}
		if diags.HasErrors() {
			return true, w.fail(diags)
		}
		w.addDiags(diags)
		return true, nil
	case nodeModuleCall:
		return true, w.expandModuleCall(n)
	}
	return false, nil
}

// evalModuleVariable sets a called module's variable in each of its
// instances from the call's argument, evaluated in the caller.
func (w *walker) evalModuleVariable(n *node) error {
	v := n.variable
	c := n.cfg
	callName := c.Path[len(c.Path)-1]
	call := c.Parent.Module.ModuleCalls[callName]
	arg := call.Arguments[v.Name]
	var diags hcl.Diagnostics
	for _, mi := range w.vals.moduleInstances(pathKey(c.Path)) {
		val := v.Default
		if arg != nil {
			caller := moduleInstance{addr: mi.parent}
			ik := &instanceKey{countIdx: mi.countIndex, eachKey: mi.eachKey, eachValue: mi.eachValue}
			got, d := w.e.scope(w.vals, c.Parent, caller, ik).EvalExpr(arg.Expr, cty.DynamicPseudoType)
			diags = append(diags, d...)
			if d.HasErrors() {
				continue
			}
			if v.TypeDefaults != nil {
				got = v.TypeDefaults.Apply(got)
			}
			conv, err := convert.Convert(got, v.Type)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid value for module argument",
					Detail:   fmt.Sprintf("The argument %q of module %q is not valid: %s.", v.Name, callName, err),
					Subject:  arg.Expr.Range().Ptr(),
				})
				continue
			}
			if conv.IsNull() && v.Default != cty.NilVal {
				conv = v.Default
			}
			val = conv
		}
		if val == cty.NilVal {
			val = cty.NullVal(v.Type)
		}
		if v.Sensitive {
			val = val.Mark(funcs.SensitiveMark)
		}
		others := map[string]cty.Value{}
		for _, name := range v.ValidationVariables() {
			if o, ok := w.vals.variable(mi.addr, name); ok {
				others[name] = o
			}
		}
		if vd := blueprint.ValidateVariable(v, val, others); len(vd) > 0 {
			// Point at the argument the caller wrote, which is what to fix.
			for _, d := range vd {
				if arg != nil && d.Summary == "Invalid value for variable" {
					d.Summary = "Invalid value for module argument"
					d.Detail = fmt.Sprintf("%s (argument %q of %s)", d.Detail, v.Name, moduleCallDisplay(callName))
					d.Subject = arg.Expr.Range().Ptr()
				}
			}
			diags = append(diags, vd...)
			if vd.HasErrors() {
				continue
			}
		}
		w.vals.setVariable(mi.addr, v.Name, val)
	}
	if diags.HasErrors() {
		return w.fail(diags)
	}
	w.addDiags(diags)
	return nil
}

// moduleCallDisplay names a module call for messages: "module \"web\"", or
// the portable resource a self-hosted module realizes.
func moduleCallDisplay(call string) string {
	if addr, ok := blueprint.IsRealizationCall(call); ok {
		return addr
	}
	return fmt.Sprintf("module %q", call)
}

// expandModuleCall evaluates count/for_each of a module call in each
// instance of the calling module and records the called module's instances.
func (w *walker) expandModuleCall(n *node) error {
	call := n.call
	childPath := pathKey(append(append([]string(nil), n.cfg.Path...), call.Name))
	var diags hcl.Diagnostics
	for _, mi := range w.vals.moduleInstances(pathKey(n.cfg.Path)) {
		exp, keys, d := expand(w.e.scope(w.vals, n.cfg, mi, nil), call.Count, call.ForEach)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		insts := make([]moduleInstance, len(keys))
		for i, k := range keys {
			insts[i] = moduleInstance{
				addr: state.ChildModule(mi.addr, call.Name, k.key), parent: mi.addr, key: k.key,
				countIndex: k.countIdx, eachKey: k.eachKey, eachValue: k.eachValue,
			}
		}
		w.vals.setModuleInstances(childPath, insts)
		w.vals.setCall(mi.addr, call.Name, exp)
	}
	if diags.HasErrors() {
		return w.fail(diags)
	}
	return nil
}

// evalOutput evaluates an output in every instance of its module; root
// outputs are returned by name.
func (w *walker) evalOutput(n *node) (map[string]cty.Value, error) {
	var diags hcl.Diagnostics
	var root cty.Value
	for _, mi := range w.vals.moduleInstances(pathKey(n.cfg.Path)) {
		v, d := w.e.scope(w.vals, n.cfg, mi, nil).EvalExpr(n.output.Expr, cty.DynamicPseudoType)
		diags = append(diags, d...)
		if n.output.Sensitive {
			v = v.Mark(funcs.SensitiveMark)
		}
		w.vals.setOutput(mi.addr, n.output.Name, v)
		if mi.addr == "" {
			root = v
		}
	}
	if diags.HasErrors() {
		return nil, w.fail(diags)
	}
	w.addDiags(diags)
	if n.cfg.Parent != nil {
		return nil, nil
	}
	return map[string]cty.Value{n.output.Name: root}, nil
}

// sensitivePaths returns the paths of val marked sensitive, and val unmarked.
func sensitivePaths(val cty.Value) (cty.Value, []cty.Path) {
	unmarked, pvms := val.UnmarkDeepWithPaths()
	var paths []cty.Path
	for _, pvm := range pvms {
		if _, ok := pvm.Marks[funcs.SensitiveMark]; ok {
			paths = append(paths, pvm.Path)
		}
	}
	return unmarked, paths
}

// markSensitive marks the values at paths sensitive.
func markSensitive(val cty.Value, paths []cty.Path) cty.Value {
	if len(paths) == 0 {
		return val
	}
	pvms := make([]cty.PathValueMarks, len(paths))
	for i, p := range paths {
		pvms[i] = cty.PathValueMarks{Path: p, Marks: cty.NewValueMarks(funcs.SensitiveMark)}
	}
	return val.MarkWithPaths(pvms)
}

// unionPaths merges path lists without duplicates.
func unionPaths(a, b []cty.Path) []cty.Path {
	out := append([]cty.Path(nil), a...)
	for _, p := range b {
		dup := false
		for _, q := range out {
			if p.Equals(q) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, p)
		}
	}
	return out
}

// eachInstance runs fn for every instance key in parallel and collects the
// values references see, unknown for instances that did not run. A false
// from fn sets failed; the bool result is false when the walk was
// interrupted before every instance ran.
func (w *walker) eachInstance(ctx context.Context, keys []instanceKey, ty cty.Type, failed *atomic.Bool, fn func(context.Context, *instanceKey) (cty.Value, bool)) (map[state.InstanceKey]cty.Value, bool) {
	vals := make([]cty.Value, len(keys))
	for i := range vals {
		vals[i] = cty.UnknownVal(ty)
	}
	complete := w.parallel(ctx, len(keys), func(ctx context.Context, i int) {
		v, ok := fn(ctx, &keys[i])
		if !ok {
			failed.Store(true)
		}
		vals[i] = v
	})
	instances := make(map[state.InstanceKey]cty.Value, len(keys))
	for i, k := range keys {
		instances[k.key] = vals[i]
	}
	return instances, complete
}
