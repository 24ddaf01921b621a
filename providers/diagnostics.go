package providers

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// Severity says whether a [Diagnostic] stops the operation.
type Severity int

const (
	// Error means the call failed; the engine stops work that depends on it.
	Error Severity = iota + 1
	// Warning reports a problem the user should know about; work continues.
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return fmt.Sprintf("Severity(%d)", int(s))
	}
}

// Diagnostic is one problem reported by a provider. The engine turns it into
// an hcl.Diagnostic pointing at the blueprint line that set Attribute, or at
// the whole block when Attribute is empty.
type Diagnostic struct {
	Severity Severity
	// Summary is short and fixed, for example "Invalid file mode".
	Summary string
	// Detail is one or more full sentences: what is wrong and how to fix it.
	Detail string
	// Attribute is the path, within the object the call was about, of the
	// attribute at fault; empty for problems with the whole object.
	Attribute cty.Path
}

// Errorf returns an error Diagnostic about the whole object, with the detail
// formatted by fmt.Sprintf.
func Errorf(summary, detailFormat string, args ...any) Diagnostic {
	return Diagnostic{Severity: Error, Summary: summary, Detail: fmt.Sprintf(detailFormat, args...)}
}

// AttributeErrorf returns an error Diagnostic about the attribute at path.
func AttributeErrorf(path cty.Path, summary, detailFormat string, args ...any) Diagnostic {
	return Diagnostic{Severity: Error, Summary: summary, Detail: fmt.Sprintf(detailFormat, args...), Attribute: path}
}

// Warningf returns a warning Diagnostic about the whole object.
func Warningf(summary, detailFormat string, args ...any) Diagnostic {
	return Diagnostic{Severity: Warning, Summary: summary, Detail: fmt.Sprintf(detailFormat, args...)}
}

// AttributeWarningf returns a warning Diagnostic about the attribute at path.
func AttributeWarningf(path cty.Path, summary, detailFormat string, args ...any) Diagnostic {
	return Diagnostic{Severity: Warning, Summary: summary, Detail: fmt.Sprintf(detailFormat, args...), Attribute: path}
}

// FromError returns an error Diagnostic with the given summary whose detail
// is err's message. It returns a zero Diagnostic for a nil err, which
// [Diagnostics.Append] drops.
func FromError(summary string, err error) Diagnostic {
	if err == nil {
		return Diagnostic{}
	}
	return Diagnostic{Severity: Error, Summary: summary, Detail: err.Error()}
}

// Error formats d on one line: "summary: detail (at attribute path)". It
// lets a Diagnostic be used as an error value.
func (d Diagnostic) Error() string {
	var b strings.Builder
	b.WriteString(d.Summary)
	if d.Detail != "" {
		b.WriteString(": ")
		b.WriteString(d.Detail)
	}
	if len(d.Attribute) > 0 {
		b.WriteString(" (at ")
		b.WriteString(FormatPath(d.Attribute))
		b.WriteString(")")
	}
	return b.String()
}

// Diagnostics is a list of problems, in the order they were found. The nil
// Diagnostics means no problems.
type Diagnostics []Diagnostic

// Append returns diags with more added, dropping zero Diagnostics (so that
// Append(FromError(s, nil)) adds nothing).
func (diags Diagnostics) Append(more ...Diagnostic) Diagnostics {
	for _, d := range more {
		if d.Severity == 0 && d.Summary == "" && d.Detail == "" && len(d.Attribute) == 0 {
			continue
		}
		diags = append(diags, d)
	}
	return diags
}

// HasErrors reports whether any Diagnostic has Error severity.
func (diags Diagnostics) HasErrors() bool {
	for _, d := range diags {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Err returns nil when diags has no errors, and otherwise an error joining
// every error Diagnostic (warnings are left out). Each joined error is the
// Diagnostic itself, so errors.As can recover it.
func (diags Diagnostics) Err() error {
	var errs []error
	for _, d := range diags {
		if d.Severity == Error {
			errs = append(errs, d)
		}
	}
	return errors.Join(errs...)
}
