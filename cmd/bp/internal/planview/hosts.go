package planview

import (
	"fmt"
	"strings"

	"github.com/blueprint-engine/bp/engine/plan"
)

// renderHostChanges shows, per host of each configure block, what
// converging it would change: one line per host resource with its changes
// and file diffs, the services that would restart, and hosts whose
// machines are created by the plan with the roles that will run on them.
func renderHostChanges(pr *printer, hosts []*plan.HostChange) {
	if pr.wrote {
		pr.raw("")
	}
	pr.raw("Host configuration:")
	for _, h := range hosts {
		pr.raw("")
		where := h.Host
		if h.Address != "" && !strings.Contains(h.Host, h.Address) {
			where += " (" + h.Address + ")"
		}
		roles := strings.Join(h.Roles, ", ")
		switch {
		case h.Pending:
			pr.raw(fmt.Sprintf("  %s %s %s: roles %s will run once the machine exists",
				pr.sym(symCreate), pr.bold("# "+h.Configure), pr.bold("on "+where), roles))
			continue
		case h.Unchecked != "":
			pr.raw(fmt.Sprintf("      # %s on %s: %s", h.Configure, where, h.Unchecked))
			continue
		case h.Error != "":
			pr.raw(fmt.Sprintf("  %s %s on %s: %s", pr.paint(ansiRed, "!"), pr.bold("# "+h.Configure), where, h.Error))
			continue
		case !h.HasChanges():
			pr.raw(fmt.Sprintf("      # %s on %s: up to date (%d resources)", h.Configure, where, h.Unchanged))
			continue
		}
		pr.raw(fmt.Sprintf("  %s %s %s: %d to change, %d unchanged", pr.sym(symUpdate),
			pr.bold("# "+h.Configure), pr.bold("on "+where), len(h.Resources), h.Unchanged))
		for _, r := range h.Resources {
			renderHostResource(pr, r)
		}
		for _, r := range h.Handlers {
			action := r.Action
			if action == "" {
				action = "restart"
			}
			pr.raw(fmt.Sprintf("      %s %s: %s (notified)", pr.sym(symUpdate), r.ID, action))
		}
	}
	pr.raw("")
}

func renderHostResource(pr *printer, r plan.HostResourceChange) {
	sym := pr.sym(symUpdate)
	switch r.Status {
	case "failed":
		sym = pr.paint(ansiRed, "  !")
	case "unknown":
		sym = pr.paint(ansiCyan, "  ?")
	}
	head := fmt.Sprintf("      %s %s", sym, r.ID)
	if len(r.Changes) > 0 {
		head += ": " + strings.Join(r.Changes, ", ")
	}
	if r.Error != "" {
		head += ": " + pr.paint(ansiRed, r.Error)
	}
	pr.raw(head)
	if r.Diff == "" {
		return
	}
	for _, l := range strings.Split(strings.TrimRight(r.Diff, "\n"), "\n") {
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
			l = pr.bold(l)
		case strings.HasPrefix(l, "+"):
			l = pr.paint(ansiGreen, l)
		case strings.HasPrefix(l, "-"):
			l = pr.paint(ansiRed, l)
		case strings.HasPrefix(l, "@@"):
			l = pr.paint(ansiCyan, l)
		}
		pr.raw("          " + l)
	}
}

// hostSummary is the host part of the summary line, or "" when no host
// changes.
func hostSummary(p *plan.Plan) string {
	hosts, resources := p.HostCounts()
	if hosts == 0 {
		return ""
	}
	noun := "hosts"
	if hosts == 1 {
		noun = "host"
	}
	return fmt.Sprintf(" Hosts: %d %s to converge, %d resources to change.", hosts, noun, resources)
}
