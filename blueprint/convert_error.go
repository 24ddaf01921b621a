package blueprint

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// conversionError describes a failed type conversion, naming the attribute
// or element that did not fit ("attribute \"port\": a number is required")
// so the user can find it in a large value.
func conversionError(err error) string {
	var pe cty.PathError
	if !errors.As(err, &pe) || len(pe.Path) == 0 {
		return err.Error()
	}
	return fmt.Sprintf("%s: %s", pathString(pe.Path), err.Error())
}

// pathString renders a cty.Path as it would be written in an expression.
func pathString(path cty.Path) string {
	var b strings.Builder
	for _, step := range path {
		switch s := step.(type) {
		case cty.GetAttrStep:
			if b.Len() == 0 {
				fmt.Fprintf(&b, "attribute %q", s.Name)
			} else {
				fmt.Fprintf(&b, ".%s", s.Name)
			}
		case cty.IndexStep:
			if b.Len() == 0 {
				b.WriteString("element ")
			}
			switch {
			case !s.Key.IsKnown() || s.Key.IsNull():
				b.WriteString("[?]")
			case s.Key.Type() == cty.String:
				fmt.Fprintf(&b, "[%q]", s.Key.AsString())
			case s.Key.Type() == cty.Number:
				fmt.Fprintf(&b, "[%s]", s.Key.AsBigFloat().Text('f', -1))
			default:
				b.WriteString("[?]")
			}
		}
	}
	return b.String()
}
