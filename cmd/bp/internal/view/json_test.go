package view

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestNewReport(t *testing.T) {
	subject := &hcl.Range{
		Filename: "main.bp.hcl",
		Start:    hcl.Pos{Line: 2, Column: 3, Byte: 10},
		End:      hcl.Pos{Line: 2, Column: 8, Byte: 15},
	}
	tests := []struct {
		name  string
		diags hcl.Diagnostics
		want  Report
	}{
		{
			name:  "no diagnostics",
			diags: nil,
			want:  Report{Valid: true, Diagnostics: []JSONDiagnostic{}},
		},
		{
			name:  "warnings only stay valid",
			diags: hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: "W"}},
			want: Report{Valid: true, WarningCount: 1, Diagnostics: []JSONDiagnostic{
				{Severity: "warning", Summary: "W"},
			}},
		},
		{
			name: "error with range",
			diags: hcl.Diagnostics{
				{Severity: hcl.DiagError, Summary: "E", Detail: "D", Subject: subject},
				nil,
				{Severity: hcl.DiagWarning, Summary: "W"},
			},
			want: Report{Valid: false, ErrorCount: 1, WarningCount: 1, Diagnostics: []JSONDiagnostic{
				{Severity: "error", Summary: "E", Detail: "D", Range: &JSONRange{
					Filename: "main.bp.hcl",
					Start:    JSONPos{Line: 2, Column: 3, Byte: 10},
					End:      JSONPos{Line: 2, Column: 8, Byte: 15},
				}},
				{Severity: "warning", Summary: "W"},
			}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := json.Marshal(NewReport(tc.diags))
			want, _ := json.Marshal(tc.want)
			if !bytes.Equal(got, want) {
				t.Errorf("NewReport:\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestWriteJSONGolden(t *testing.T) {
	diags := hcl.Diagnostics{
		{
			Severity: hcl.DiagError,
			Summary:  "Duplicate resource",
			Detail:   "A resource named machine.web was already declared at main.bp.hcl:1:1.",
			Subject: &hcl.Range{
				Filename: "main.bp.hcl",
				Start:    hcl.Pos{Line: 6, Column: 1, Byte: 72},
				End:      hcl.Pos{Line: 6, Column: 25, Byte: 96},
			},
		},
		{Severity: hcl.DiagWarning, Summary: "Deprecated flag"},
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, diags); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "testdata/golden/report.json", buf.Bytes())
}
