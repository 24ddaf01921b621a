package view

import (
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Options control how a Printer renders diagnostics.
type Options struct {
	// Color turns on ANSI colors: a red "Error", a yellow "Warning", a bold
	// summary and an underline in the severity's color.
	Color bool

	// Width wraps detail paragraphs at this many columns; 0 leaves them as
	// they are. Lines of a detail that start with a space or a tab are taken
	// as preformatted and never wrapped.
	Width int
}

// Printer writes hcl.Diagnostics for people, in this layout:
//
//	Error: Duplicate resource
//
//	  on main.bp.hcl:12:1:
//	    12: resource "machine" "web" {
//	        ^^^^^^^^^^^^^^^^^^^^^^^^^^
//
//	A resource named machine.web was already declared at main.bp.hcl:5:1.
//
// A diagnostic about an expression (one with Expression and EvalContext set)
// also lists, below the snippet, the values it referred to, such as
// "where var.web_count is 0"; sensitive (marked) values are never shown.
//
// The "on" part is printed only for diagnostics with a subject range, the
// snippet only when the file's source is known, the detail only when there is
// one. Every diagnostic ends with a blank line.
type Printer struct {
	w     io.Writer
	files map[string]*hcl.File
	opts  Options
}

// NewPrinter returns a Printer writing to w. files maps the file names used in
// diagnostic ranges to their parsed files (blueprint.Loader.Files gives it);
// it may be nil, in which case no snippets are shown.
func NewPrinter(w io.Writer, files map[string]*hcl.File, opts Options) *Printer {
	return &Printer{w: w, files: files, opts: opts}
}

// Print writes every diagnostic in diags in order. It returns the first write
// error, if any.
func (p *Printer) Print(diags hcl.Diagnostics) error {
	for _, d := range diags {
		if err := p.PrintDiagnostic(d); err != nil {
			return err
		}
	}
	return nil
}

// PrintDiagnostic writes one diagnostic. A nil diagnostic prints nothing.
func (p *Printer) PrintDiagnostic(d *hcl.Diagnostic) error {
	if d == nil {
		return nil
	}
	_, err := io.WriteString(p.w, p.render(d))
	return err
}

func (p *Printer) render(d *hcl.Diagnostic) string {
	var b strings.Builder
	label, st := severityLabel(d.Severity)
	summary := sanitize(d.Summary, false)
	fmt.Fprintf(&b, "%s %s\n", paint(p.opts.Color, st, label+":"), paint(p.opts.Color, styleBold, summary))

	if rng := d.Subject; rng != nil {
		fmt.Fprintf(&b, "\n  on %s:%d:%d:\n", rng.Filename, rng.Start.Line, rng.Start.Column)
		if f := p.files[rng.Filename]; f != nil {
			b.WriteString(snippet(f.Bytes, *rng, p.opts.Color, st))
		}
	}
	for i, line := range expressionValues(d) {
		word := "where"
		if i > 0 {
			word = "  and"
		}
		fmt.Fprintf(&b, "    %s %s\n", paint(p.opts.Color, styleBold, word), sanitize(line, false))
	}

	if detail := strings.TrimRight(sanitize(d.Detail, true), " \t\n"); detail != "" {
		b.WriteString("\n")
		b.WriteString(wrap(detail, p.opts.Width))
		b.WriteString("\n")
	}
	b.WriteString("\n")
	return b.String()
}

// severityLabel names a severity and gives the style it is printed in.
func severityLabel(s hcl.DiagnosticSeverity) (string, style) {
	switch s {
	case hcl.DiagError:
		return "Error", styleRed
	case hcl.DiagWarning:
		return "Warning", styleYellow
	default:
		return "Note", styleBold
	}
}
