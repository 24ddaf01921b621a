package planview

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

// Render writes p for people, the way `bp plan` shows it: changes made
// outside bp (drift), a legend of the symbols used, one block per resource
// change, the output changes, and the summary line
// "Plan: N to add, N to change, N to destroy." — or a "No changes." message.
// It returns the first write error.
func Render(w io.Writer, p *plan.Plan, opts Options) error {
	pr := &printer{w: w, color: opts.Color, symbols: true}
	changes := shownChanges(p.Changes)
	outputs := shownOutputs(p.Outputs)
	hostChanges := p.HostChanges
	hostsChange := false
	for _, h := range hostChanges {
		hostsChange = hostsChange || h.HasChanges()
	}

	if len(p.Drift) > 0 {
		renderDrift(pr, p)
	}
	if p.Mode == plan.RefreshOnly {
		if len(p.Drift) == 0 && !p.Errored {
			pr.raw(pr.bold("No changes.") + " Your infrastructure still matches the blueprint.")
			pr.raw("")
			pr.raw("bp has checked that the real remote objects still match the result of your most recent changes, and found no differences.")
		}
		if len(outputs) > 0 {
			renderOutputChanges(pr, outputs)
		}
		renderErrored(pr, p)
		return pr.err
	}
	if len(changes) == 0 && len(outputs) == 0 && !hostsChange {
		if p.Errored {
			pr.raw(incomplete(pr))
			return pr.err
		}
		if p.Mode == plan.Destroy {
			pr.raw(pr.bold("No changes.") + " No objects need to be destroyed.")
			pr.raw("")
			pr.raw("Either you have not created any objects yet or the existing objects were already deleted outside of bp.")
		} else {
			pr.raw(pr.bold("No changes.") + " Your infrastructure matches the blueprint.")
			pr.raw("")
			pr.raw("bp has compared your real infrastructure against your blueprint and found no differences, so no changes are needed.")
		}
		renderErrored(pr, p)
		return pr.err
	}
	if len(changes) > 0 {
		renderLegend(pr, changes)
		pr.raw("")
		pr.raw("bp will perform the following actions:")
		var group *plan.Realization
		for _, c := range changes {
			if rz := p.RealizationOf(c.Addr.Resource.Module); rz != group {
				group = rz
				if rz != nil {
					pr.raw("")
					pr.raw("  " + pr.bold("# "+rz.Addr+" is self-hosted: "+rz.Summary+", built by "+rz.Module+":"))
				}
			}
			pr.raw("")
			renderChange(pr, c, false)
		}
		pr.raw("")
	}
	if len(hostChanges) > 0 {
		renderHostChanges(pr, hostChanges)
	}
	if len(changes) > 0 || hostsChange {
		pr.raw(summary(pr, p) + hostSummary(p))
	}
	if len(outputs) > 0 {
		renderOutputChanges(pr, outputs)
		if len(changes) == 0 {
			pr.raw("")
			pr.raw("You can apply this plan to save these new output values to the bp state, without changing any real infrastructure.")
		}
	}
	renderErrored(pr, p)
	return pr.err
}

func renderErrored(pr *printer, p *plan.Plan) {
	if p.Errored {
		pr.raw("")
		pr.raw(incomplete(pr))
	}
}

func incomplete(pr *printer) string {
	return pr.paint(ansiBold+ansiRed, "This plan is incomplete:") + " planning stopped on errors, so it cannot be applied."
}

// shownChanges are the changes with something to show: every action but
// no-op, and no-ops that move or import an object.
func shownChanges(all []*plan.ResourceChange) []*plan.ResourceChange {
	var out []*plan.ResourceChange
	for _, c := range all {
		if c.Action != plan.NoOp || c.PrevAddr != nil || c.ImportID != "" {
			out = append(out, c)
		}
	}
	return out
}

func shownOutputs(all []*plan.OutputChange) []*plan.OutputChange {
	var out []*plan.OutputChange
	for _, o := range all {
		if o.Action != plan.NoOp {
			out = append(out, o)
		}
	}
	return out
}

// actionSymbol is the symbol in front of a resource block.
func actionSymbol(a plan.Action) symbol {
	switch a {
	case plan.Create:
		return symCreate
	case plan.Update:
		return symUpdate
	case plan.DeleteThenCreate:
		return symDeleteCreate
	case plan.CreateThenDelete:
		return symCreateDelete
	case plan.Delete:
		return symDelete
	case plan.Read:
		return symRead
	}
	return symNone
}

// legendOrder lists the actions in the order the legend shows them, with
// their description.
var legendOrder = []struct {
	action plan.Action
	text   string
}{
	{plan.Create, "create"},
	{plan.Update, "update in place"},
	{plan.DeleteThenCreate, "destroy and then create replacement"},
	{plan.CreateThenDelete, "create replacement and then destroy"},
	{plan.Delete, "destroy"},
	{plan.Read, "read (data resources)"},
}

func renderLegend(pr *printer, changes []*plan.ResourceChange) {
	used := map[plan.Action]bool{}
	for _, c := range changes {
		used[c.Action] = true
	}
	var rows []string
	for _, l := range legendOrder {
		if used[l.action] {
			rows = append(rows, pr.sym(actionSymbol(l.action))+" "+l.text)
		}
	}
	if len(rows) == 0 {
		return
	}
	pr.raw("Resource actions are indicated with the following symbols:")
	for _, r := range rows {
		pr.raw(r)
	}
}

// summary is the "Plan:" line; imports are counted only when there are any.
func summary(pr *printer, p *plan.Plan) string {
	add, change, destroy := p.Counts()
	imports := 0
	for _, c := range p.Changes {
		if c.ImportID != "" {
			imports++
		}
	}
	var b strings.Builder
	b.WriteString(pr.bold("Plan:") + " ")
	if imports > 0 {
		fmt.Fprintf(&b, "%d to import, ", imports)
	}
	fmt.Fprintf(&b, "%d to add, %d to change, %d to destroy.", add, change, destroy)
	return b.String()
}

// header says what happens to the object of c, like
// "# std_file.f[0] will be created".
func header(c *plan.ResourceChange, drift bool) []string {
	addr := c.Addr.String()
	if c.Deposed != "" {
		addr += " (deposed object " + string(c.Deposed) + ")"
	}
	if drift {
		if c.Action == plan.Delete {
			return []string{"# " + addr + " has been deleted"}
		}
		return []string{"# " + addr + " has changed"}
	}
	var what string
	switch c.Action {
	case plan.Create:
		what = "will be created"
	case plan.Read:
		what = "will be read during apply"
	case plan.Update:
		what = "will be updated in place"
	case plan.DeleteThenCreate, plan.CreateThenDelete:
		what = "must be replaced"
	case plan.Delete:
		what = "will be destroyed"
	case plan.NoOp:
		switch {
		case c.ImportID != "":
			what = "will be imported"
		case c.PrevAddr != nil:
			return []string{"# " + c.PrevAddr.String() + " has moved to " + addr}
		}
	}
	first := "# " + addr + " " + what
	if k := c.Addr.Resource.Type; c.Addr.Resource.Mode == state.Managed && k != "machine" && blueprint.IsPortableKind(k) && c.Provider != "" {
		first += " (natively, by provider " + c.Provider + ")"
	}
	if c.Reason != "" {
		first += " (because " + c.Reason + ")"
	}
	out := []string{first}
	if c.PrevAddr != nil {
		out = append(out, "# (moved from "+c.PrevAddr.String()+")")
	}
	if c.ImportID != "" && c.Action != plan.NoOp {
		out = append(out, "# (imported from "+strconv.Quote(c.ImportID)+")")
	}
	return out
}

// blockHead is `resource "type" "name"` or `data "type" "name"`.
func blockHead(a state.InstanceAddr) string {
	kind := "resource"
	if a.Resource.Mode == state.Data {
		kind = "data"
	}
	return kind + " " + strconv.Quote(a.Resource.Type) + " " + strconv.Quote(a.Resource.Name)
}

// renderChange writes the block of one resource change.
func renderChange(pr *printer, c *plan.ResourceChange, drift bool) {
	for _, h := range header(c, drift) {
		pr.raw("  " + pr.bold(h))
	}
	before := plan.MarkSensitive(c.Before, c.BeforeSensitive)
	after := plan.MarkSensitive(c.After, c.AfterSensitive)
	if c.Action == plan.Delete {
		after = cty.NullVal(cty.DynamicPseudoType)
	}
	d := &differ{replacePaths: c.RequiresReplace}
	// A wholly unknown object (a data source read during apply) is shown
	// attribute by attribute.
	after = expandUnknown(after)
	// An import that changes nothing shows what it adopts.
	showUnchanged := c.Action == plan.NoOp && c.ImportID != ""
	body, hidden := d.attributes(objectOrNull(before), objectOrNull(after), 4, nil, showUnchanged)
	lines := []line{{sym: actionSymbol(c.Action), text: blockHead(c.Addr) + " {"}}
	lines = append(lines, body...)
	if hidden > 0 {
		lines = append(lines, hiddenLine(4, hidden, false, "attribute"))
	}
	lines = append(lines, line{text: "}"})
	pr.lines(lines)
}

// objectOrNull returns v, or a null when v is not a known object (a
// resource value always is one; anything else is shown as absent).
func objectOrNull(v cty.Value) cty.Value {
	if v == cty.NilVal {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return v
}

// expandUnknown turns a wholly unknown object into an object of unknown
// attributes, so that its attributes can be listed.
func expandUnknown(v cty.Value) cty.Value {
	if v == cty.NilVal || v.IsMarked() || v.IsKnown() || !v.Type().IsObjectType() {
		return v
	}
	attrs := map[string]cty.Value{}
	for name, ty := range v.Type().AttributeTypes() {
		attrs[name] = cty.UnknownVal(ty)
	}
	return cty.ObjectVal(attrs)
}

func renderDrift(pr *printer, p *plan.Plan) {
	pr.raw(pr.bold("Note: Objects have changed outside of bp"))
	pr.raw("")
	pr.raw("bp detected the following changes made outside of bp since the last \"bp apply\":")
	for _, c := range p.Drift {
		pr.raw("")
		renderChange(pr, c, true)
	}
	pr.raw("")
	if p.Mode == plan.RefreshOnly {
		pr.raw("This is a refresh-only plan, so bp will not take any actions to undo these. If you were expecting these changes then you can apply this plan to record the updated values in the bp state without changing any remote objects.")
		return
	}
	pr.raw("Unless you have made equivalent changes to your blueprint, or ignored the relevant attributes using ignore_changes, the following plan may include actions to undo or respond to these changes.")
	pr.raw("")
	pr.raw(strings.Repeat("─", 77))
	pr.raw("")
}

func renderOutputChanges(pr *printer, outputs []*plan.OutputChange) {
	if pr.wrote {
		pr.raw("")
	}
	pr.raw(pr.bold("Changes to Outputs:"))
	d := &differ{}
	type entry struct {
		name  string
		sym   symbol
		lines []line
	}
	var entries []entry
	width := 0
	for _, o := range outputs {
		before, after := o.Before, o.After
		if o.Sensitive {
			before, after = markWhole(before), markWhole(after)
		}
		if o.Action == plan.Delete {
			after = cty.NullVal(cty.DynamicPseudoType)
		}
		sym, ls, oc := d.diff(before, after, 0, nil)
		if oc != changed {
			// The plan says it changes (an unknown that may turn out
			// equal, say); show the new value.
			sym, ls = actionSymbol(o.Action), valueLines(after, 0, symNone)
		}
		if o.Action == plan.Create {
			sym = symCreate
		}
		entries = append(entries, entry{keyName(o.Name, false), sym, ls})
		width = max(width, len(keyName(o.Name, false)))
	}
	var lines []line
	for _, e := range entries {
		e.lines[0] = line{sym: e.sym, text: pad(e.name, width) + " = " + e.lines[0].text}
		lines = append(lines, e.lines...)
	}
	pr.lines(lines)
}

// markWhole marks v sensitive as a whole.
func markWhole(v cty.Value) cty.Value {
	if v == cty.NilVal {
		return v
	}
	return plan.MarkSensitive(v, []cty.Path{nil})
}
