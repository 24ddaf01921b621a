package planview

import (
	"io"
	"sort"

	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

// RenderState writes s for people, the way `bp show` prints it: every
// object with its attributes (sensitive ones hidden), then the outputs. It
// returns the first write error.
func RenderState(w io.Writer, s *state.State, opts Options) error {
	pr := &printer{w: w, color: opts.Color}
	if s == nil || s.Empty() {
		pr.raw("The state is empty. No resources are represented.")
		return pr.err
	}
	first := true
	for _, addr := range s.AllInstances() {
		inst := s.Instance(addr)
		show := func(o *state.Object, dk state.DeposedKey) {
			if !first {
				pr.raw("")
			}
			first = false
			head := "# " + addr.String() + ":"
			if dk != "" {
				head += " (deposed object " + string(dk) + ")"
			}
			switch o.Status {
			case state.Tainted:
				head += " (tainted)"
			case state.Creating:
				head += " (being created when an apply was interrupted)"
			}
			pr.raw(pr.bold(head))
			v := plan.MarkSensitive(o.Value, o.SensitivePaths)
			body, _ := (&differ{}).attributes(v, v, 4, nil, true)
			lines := append([]line{{text: blockHead(addr) + " {"}}, body...)
			pr.lines(append(lines, line{text: "}"}))
		}
		if inst.Current != nil {
			show(inst.Current, "")
		}
		for _, dk := range inst.DeposedKeys() {
			show(inst.Deposed[dk], dk)
		}
	}
	if len(s.Outputs) > 0 {
		if pr.wrote {
			pr.raw("")
			pr.raw("")
		}
		pr.raw(pr.bold("Outputs:"))
		pr.raw("")
		renderOutputs(pr, s.Outputs)
	}
	return pr.err
}

// RenderOutputs writes outputs as `name = value` lines in name order, the
// way `bp apply` and `bp output` print them; a sensitive output is written
// `name = <sensitive>`. It returns the first write error.
func RenderOutputs(w io.Writer, outputs map[string]*state.Output, opts Options) error {
	pr := &printer{w: w, color: opts.Color}
	renderOutputs(pr, outputs)
	return pr.err
}

func renderOutputs(pr *printer, outputs map[string]*state.Output) {
	names := make([]string, 0, len(outputs))
	for name := range outputs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		o := outputs[name]
		var ls []line
		if o.Sensitive {
			ls = []line{{text: "<sensitive>"}}
		} else {
			ls = valueLines(o.Value, 0, symNone)
		}
		ls[0].text = keyName(name, false) + " = " + ls[0].text
		pr.lines(ls)
	}
}
