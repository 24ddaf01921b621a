package plugins

import (
	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// encodeDiagnostics turns diags into their wire form. A path step that
// cannot be encoded cuts the path there, so the diagnostic points at the
// nearest enclosing attribute instead of being lost.
func encodeDiagnostics(diags providers.Diagnostics) []*proto.Diagnostic {
	if len(diags) == 0 {
		return nil
	}
	out := make([]*proto.Diagnostic, len(diags))
	for i, d := range diags {
		out[i] = &proto.Diagnostic{
			Severity:  encodeSeverity(d.Severity),
			Summary:   d.Summary,
			Detail:    d.Detail,
			Attribute: encodePathPrefix(d.Attribute),
		}
	}
	return out
}

func encodePathPrefix(p cty.Path) *proto.AttributePath {
	if len(p) == 0 {
		return nil
	}
	out := &proto.AttributePath{}
	for _, step := range p {
		s, err := encodeStep(step)
		if err != nil {
			break
		}
		out.Steps = append(out.Steps, s)
	}
	return out
}

func encodeSeverity(s providers.Severity) proto.Diagnostic_Severity {
	switch s {
	case providers.Error:
		return proto.Diagnostic_ERROR
	case providers.Warning:
		return proto.Diagnostic_WARNING
	default:
		return proto.Diagnostic_SEVERITY_UNSPECIFIED
	}
}

// decodeDiagnostics turns wire diagnostics back into providers.Diagnostics.
// A diagnostic of unknown severity counts as an error, so that a problem is
// never taken for success; a malformed path is cut before its first bad step.
func decodeDiagnostics(diags []*proto.Diagnostic) providers.Diagnostics {
	if len(diags) == 0 {
		return nil
	}
	out := make(providers.Diagnostics, len(diags))
	for i, d := range diags {
		sev := providers.Error
		if d.GetSeverity() == proto.Diagnostic_WARNING {
			sev = providers.Warning
		}
		out[i] = providers.Diagnostic{
			Severity:  sev,
			Summary:   d.GetSummary(),
			Detail:    d.GetDetail(),
			Attribute: decodePathPrefix(d.GetAttribute()),
		}
	}
	return out
}

func decodePathPrefix(p *proto.AttributePath) cty.Path {
	var out cty.Path
	for _, s := range p.GetSteps() {
		step, err := decodeStep(s)
		if err != nil {
			break
		}
		out = append(out, step)
	}
	return out
}
