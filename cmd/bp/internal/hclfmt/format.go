package hclfmt

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Extensions are the file name endings `bp fmt` formats: blueprint files and
// variable files. JSON syntax (*.bp.json) is left alone.
var Extensions = []string{".bp.hcl", ".bpvars.hcl"}

// Match reports whether the file name ends in one of Extensions.
func Match(name string) bool {
	for _, ext := range Extensions {
		if strings.HasSuffix(name, ext) && len(name) > len(ext) {
			return true
		}
	}
	return false
}

// Result is the outcome of formatting one source.
type Result struct {
	// Formatted is the canonical form of the source; nil when Diagnostics
	// has errors.
	Formatted []byte

	// Changed reports whether Formatted differs from the source.
	Changed bool

	// File is the parsed source, so that diagnostics can be printed with
	// snippets. It is set even when the source has syntax errors.
	File *hcl.File

	// Diagnostics holds the syntax errors of the source.
	Diagnostics hcl.Diagnostics
}

// maxPasses bounds how often the formatter is re-run to reach a fixed point.
const maxPasses = 3

// Format returns the canonical form of src, a file of HCL native syntax named
// filename (the name is used in diagnostics only). A source with syntax errors
// is reported in Diagnostics and gets no formatted form. Format promises that
// formatting its output again changes nothing and that its output parses.
func Format(src []byte, filename string) Result {
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	res := Result{File: file, Diagnostics: diags}
	if diags.HasErrors() {
		return res
	}

	out := src
	stable := false
	for range maxPasses {
		next := hclwrite.Format(out)
		stable = bytes.Equal(next, out)
		out = next
		if stable {
			break
		}
	}
	if !stable {
		res.Diagnostics = append(res.Diagnostics, formatterFault(filename, "formatting it does not reach a stable result"))
		return res
	}
	if _, d := hclsyntax.ParseConfig(out, filename, hcl.InitialPos); d.HasErrors() {
		res.Diagnostics = append(res.Diagnostics, formatterFault(filename, fmt.Sprintf("the formatted text no longer parses (%s)", d.Error())))
		return res
	}
	res.Formatted = out
	res.Changed = !bytes.Equal(out, src)
	return res
}

// formatterFault reports a file the formatter cannot handle safely; the file
// is then left as it is.
func formatterFault(filename, why string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Cannot format file",
		Detail: fmt.Sprintf("%s was left unchanged because %s. This is a bug in bp fmt; "+
			"please report it with the file attached.", filename, why),
		Subject: &hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos},
	}
}
