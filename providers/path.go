package providers

import (
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// FormatPath renders p the way a user would write the reference in a
// blueprint: attribute steps joined by dots, index steps in brackets, for
// example `listener[0].port` or `labels["tier"]`. Set elements, which have no
// written form, render as `[...]`.
func FormatPath(p cty.Path) string {
	var b strings.Builder
	for _, step := range p {
		switch s := step.(type) {
		case cty.GetAttrStep:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Name)
		case cty.IndexStep:
			b.WriteString(formatIndex(s.Key))
		default:
			b.WriteString("[?]")
		}
	}
	return b.String()
}

func formatIndex(key cty.Value) string {
	if key.IsNull() || !key.IsKnown() {
		return "[?]"
	}
	switch key.Type() {
	case cty.String:
		return fmt.Sprintf("[%q]", key.AsString())
	case cty.Number:
		return "[" + key.AsBigFloat().Text('f', -1) + "]"
	default:
		return "[...]"
	}
}
