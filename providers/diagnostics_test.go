package providers

import (
	"errors"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestDiagnostics(t *testing.T) {
	path := cty.GetAttrPath("listener").IndexInt(0).GetAttr("port")
	tests := []struct {
		name      string
		diags     Diagnostics
		hasErrors bool
		err       string // expected Err() text; empty means nil
	}{
		{"none", nil, false, ""},
		{"zero values dropped", Diagnostics{}.Append(Diagnostic{}, FromError("x", nil)), false, ""},
		{"warning only", Diagnostics{}.Append(Warningf("Deprecated", "Use %s.", "b")), false, ""},
		{"one error", Diagnostics{}.Append(Errorf("Bad thing", "It is %d.", 3)), true, "Bad thing: It is 3."},
		{"attribute error", Diagnostics{}.Append(AttributeErrorf(path, "Invalid port", "Port %d is out of range.", 0)), true,
			"Invalid port: Port 0 is out of range. (at listener[0].port)"},
		{"errors joined, warnings left out", Diagnostics{}.Append(
			Errorf("A", "a."), AttributeWarningf(path, "W", "w."), FromError("B", errors.New("boom"))), true, "A: a.\nB: boom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.diags.HasErrors(); got != tc.hasErrors {
				t.Errorf("HasErrors() = %v, want %v", got, tc.hasErrors)
			}
			err := tc.diags.Err()
			if tc.err == "" {
				if err != nil {
					t.Errorf("Err() = %q, want nil", err)
				}
				return
			}
			if err == nil || err.Error() != tc.err {
				t.Fatalf("Err() = %v, want %q", err, tc.err)
			}
			var d Diagnostic
			if !errors.As(err, &d) || d.Severity != Error {
				t.Errorf("errors.As(Err(), *Diagnostic) did not recover an error Diagnostic")
			}
		})
	}
}

func TestSeverityString(t *testing.T) {
	for sev, want := range map[Severity]string{Error: "error", Warning: "warning", 0: "Severity(0)"} {
		if got := sev.String(); got != want {
			t.Errorf("Severity(%d).String() = %q, want %q", int(sev), got, want)
		}
	}
}

func TestFormatPath(t *testing.T) {
	tests := []struct {
		name string
		path cty.Path
		want string
	}{
		{"empty", nil, ""},
		{"attribute", cty.GetAttrPath("name"), "name"},
		{"nested", cty.GetAttrPath("listener").IndexInt(2).GetAttr("port"), "listener[2].port"},
		{"map key", cty.GetAttrPath("labels").IndexString(`a"b`), `labels["a\"b"]`},
		{"set element", cty.GetAttrPath("rule").Index(cty.ObjectVal(map[string]cty.Value{"p": cty.NumberIntVal(1)})), "rule[...]"},
		{"unknown key", cty.GetAttrPath("x").Index(cty.UnknownVal(cty.String)), "x[?]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatPath(tc.path); got != tc.want {
				t.Errorf("FormatPath() = %q, want %q", got, tc.want)
			}
		})
	}
	if !strings.Contains(FormatPath(cty.GetAttrPath("a").IndexInt(1)), "[1]") {
		t.Error("integer index not rendered as [1]")
	}
}
