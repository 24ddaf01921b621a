package sdk

import (
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

// Diagnostic is one problem reported to the user; see [providers.Diagnostic].
type Diagnostic = providers.Diagnostic

// Diagnostics is a list of problems; nil means none. Its HasErrors and Err
// methods tell whether a call failed.
type Diagnostics = providers.Diagnostics

// Error returns one error about the whole object. summary is short and fixed
// ("Cannot write entry"); detail says what is wrong and how to fix it.
func Error(summary, detail string) Diagnostics {
	return Diagnostics{{Severity: providers.Error, Summary: summary, Detail: detail}}
}

// Warning returns one warning about the whole object.
func Warning(summary, detail string) Diagnostics {
	return Diagnostics{{Severity: providers.Warning, Summary: summary, Detail: detail}}
}

// FromError returns one error with the given summary whose detail is err's
// message, or nil when err is nil, so `return sdk.FromError("Cannot read
// entry", err)` reports nothing on success.
func FromError(summary string, err error) Diagnostics {
	if err == nil {
		return nil
	}
	return Error(summary, err.Error())
}

// AttributeError returns one error about the attribute at path, so the user
// sees the blueprint line that set it. path names a top-level attribute
// ("content") or reaches into blocks with dots and list indexes
// ("rule.0.port"). For other paths (map keys), build a [Diagnostic] with a
// cty.Path.
func AttributeError(path, summary, detail string) Diagnostics {
	return Diagnostics{{Severity: providers.Error, Summary: summary, Detail: detail, Attribute: parsePath(path)}}
}

// parsePath turns "rule.0.port" into rule[0].port: numeric steps after the
// first are list indexes, all others attribute names.
func parsePath(s string) cty.Path {
	if s == "" {
		return nil
	}
	var p cty.Path
	for i, part := range strings.Split(s, ".") {
		if n, err := strconv.Atoi(part); err == nil && i > 0 {
			p = p.Index(cty.NumberIntVal(int64(n)))
			continue
		}
		p = p.GetAttr(part)
	}
	return p
}
