package planview

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
)

// Placeholders written instead of values.
const (
	sensitiveText = "(sensitive value)"
	unknownText   = "(known after apply)"
)

// valueLines renders v whole, without a diff. The first line's text is the
// start of the value, to follow "name = "; its indent and symbol are the
// caller's. Nested lines are at indent+4 with symbol sym; closing brackets at
// indent. Null attributes of objects are left out.
func valueLines(v cty.Value, indent int, sym symbol) []line {
	if v == cty.NilVal {
		return []line{{text: "null"}}
	}
	if v.IsMarked() {
		return []line{{text: sensitiveText}}
	}
	if !v.IsKnown() {
		return []line{{text: unknownText}}
	}
	if v.IsNull() {
		return []line{{text: "null"}}
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		s := v.AsString()
		if isMultiline(s) {
			out := []line{{text: "<<-EOT"}}
			for _, l := range splitLines(s) {
				out = append(out, line{indent: indent + 4, text: sanitize(l)})
			}
			return append(out, line{indent: indent, text: "EOT"})
		}
		return []line{{text: quote(s)}}
	case ty.IsPrimitiveType():
		return []line{{text: primitive(v)}}
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		if v.LengthInt() == 0 {
			return []line{{text: "[]"}}
		}
		out := []line{{text: "["}}
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			el := valueLines(ev, indent+4, sym)
			el[0].indent, el[0].sym = indent+4, sym
			out = append(out, appendText(el, ",")...)
		}
		return append(out, line{indent: indent, text: "]"})
	case ty.IsMapType() || ty.IsObjectType():
		type entry struct {
			name string
			val  cty.Value
		}
		var entries []entry
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			if ty.IsObjectType() && isNull(ev) {
				continue
			}
			entries = append(entries, entry{keyName(k.AsString(), ty.IsMapType()), ev})
		}
		if len(entries) == 0 {
			return []line{{text: "{}"}}
		}
		width := 0
		for _, e := range entries {
			width = max(width, utf8.RuneCountInString(e.name))
		}
		out := []line{{text: "{"}}
		for _, e := range entries {
			el := valueLines(e.val, indent+4, sym)
			el[0] = line{indent: indent + 4, sym: sym, text: pad(e.name, width) + " = " + el[0].text}
			out = append(out, el...)
		}
		return append(out, line{indent: indent, text: "}"})
	default:
		return []line{{text: "(" + ty.FriendlyName() + ")"}}
	}
}

// isNull reports whether v is a known null, looking through marks.
func isNull(v cty.Value) bool {
	if v == cty.NilVal {
		return true
	}
	raw, _ := v.Unmark()
	return raw.IsKnown() && raw.IsNull()
}

// primitive renders a known, non-null, unmarked number or bool.
func primitive(v cty.Value) string {
	switch v.Type() {
	case cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case cty.Bool:
		return strconv.FormatBool(v.True())
	case cty.String:
		return quote(v.AsString())
	}
	return fmt.Sprintf("(%s)", v.Type().FriendlyName())
}

// isMultiline reports whether s is shown as a heredoc.
func isMultiline(s string) bool {
	return strings.Contains(strings.TrimSuffix(s, "\n"), "\n")
}

// splitLines splits s into lines, without the newline that ends the last.
func splitLines(s string) []string {
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// quote writes s as an HCL string literal, escaping what a terminal would
// otherwise interpret.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '$' && strings.HasPrefix(s[i:], "${"), r == '%' && strings.HasPrefix(s[i:], "%{"):
			b.WriteRune(r)
			b.WriteRune(r)
		case r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ':
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// sanitize makes one line of a heredoc safe for a terminal.
func sanitize(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' && r != '\t' }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' && r != '\t' {
			fmt.Fprintf(&b, `\u%04X`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// keyName renders a map key quoted and an object attribute bare when it is
// an identifier.
func keyName(k string, isMap bool) string {
	if !isMap && isIdent(k) {
		return k
	}
	return quote(k)
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || i > 0 && (r == '-' || unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

func pad(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

func sortStrings(s []string) []string {
	slices.Sort(s)
	return s
}
