package blueprint

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// checkName reports a diagnostic if name is not a valid identifier for a
// block label of kind what ("resource", "variable", ...).
func checkName(what, name string, rng hcl.Range) hcl.Diagnostics {
	if hclsyntax.ValidIdentifier(name) {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid " + what + " name",
		Detail: fmt.Sprintf("%q is not a valid %s name. A name must start with a letter or underscore "+
			"and may contain only letters, digits, underscores and dashes.", name, what),
		Subject: rng.Ptr(),
	}}
}

// duplicate builds the diagnostic for a second declaration of the same name.
func duplicate(what, name string, first, second hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Duplicate " + what,
		Detail: fmt.Sprintf("%s %s named %s was already declared at %s. %s names must be unique "+
			"within a module; rename or remove one of them.", capitalize(article(what)), what, name,
			shortRange(first), capitalize(what)),
		Subject: second.Ptr(),
	}
}

// duplicateSingleton builds the diagnostic for a second block of a kind that
// may appear only once in its parent, such as lifecycle in a resource.
func duplicateSingleton(what, parent string, first, second hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Duplicate " + what,
		Detail: fmt.Sprintf("Only one %s is allowed in %s, and there is already one at %s. Merge the "+
			"two into one block.", what, parent, shortRange(first)),
		Subject: second.Ptr(),
	}
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

func shortRange(r hcl.Range) string {
	return fmt.Sprintf("%s:%d,%d", r.Filename, r.Start.Line, r.Start.Column)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
	return string(b)
}
