package planview

import (
	"io"
	"strings"
)

// symbol is the change marker in front of a line.
type symbol string

const (
	symNone         symbol = ""
	symCreate       symbol = "+"
	symUpdate       symbol = "~"
	symDelete       symbol = "-"
	symDeleteCreate symbol = "-/+"
	symCreateDelete symbol = "+/-"
	symRead         symbol = "<="
)

// line is one output line: indent spaces, the symbol column (when the view
// uses symbols) and the text.
type line struct {
	indent int
	sym    symbol
	text   string
}

// Options says how to render.
type Options struct {
	// Color adds ANSI colors: green for +, yellow for ~, red for -, cyan
	// for <=, bold for headers.
	Color bool
}

// ANSI SGR sequences.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// printer writes lines to w, coloring symbols and headers when asked.
type printer struct {
	w       io.Writer
	color   bool
	symbols bool // false: no symbol column (state and output views)
	wrote   bool // something was written
	err     error
}

func (p *printer) paint(code, s string) string {
	if !p.color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p *printer) bold(s string) string { return p.paint(ansiBold, s) }

// sym returns the symbol right-aligned in three columns and colored.
func (p *printer) sym(s symbol) string {
	str := string(s)
	pad := strings.Repeat(" ", max(0, 3-len(str)))
	if !p.color {
		return pad + str
	}
	var b strings.Builder
	b.WriteString(pad)
	if s == symRead {
		b.WriteString(p.paint(ansiCyan, str))
		return b.String()
	}
	for _, r := range str {
		switch r {
		case '+':
			b.WriteString(p.paint(ansiGreen, "+"))
		case '~':
			b.WriteString(p.paint(ansiYellow, "~"))
		case '-':
			b.WriteString(p.paint(ansiRed, "-"))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// raw writes s and a newline.
func (p *printer) raw(s string) {
	if p.err != nil {
		return
	}
	p.wrote = true
	_, p.err = io.WriteString(p.w, s+"\n")
}

// lines writes ls.
func (p *printer) lines(ls []line) {
	for _, l := range ls {
		prefix := strings.Repeat(" ", l.indent)
		if p.symbols {
			prefix += p.sym(l.sym) + " "
		}
		p.raw(strings.TrimRight(prefix+l.text, " "))
	}
}

// appendText appends s to the last line of ls.
func appendText(ls []line, s string) []line {
	ls[len(ls)-1].text += s
	return ls
}
