package blueprint

import (
	"fmt"
	"strings"

	goversion "github.com/hashicorp/go-version"
)

// Version is the version of the Blueprint language and of bp itself, checked
// against `required_version`. Release builds set it with -ldflags.
var Version = "0.1.0"

// ParseConstraint parses a version constraint such as ">= 0.1, < 2.0".
func ParseConstraint(s string) (goversion.Constraints, error) {
	c, err := goversion.NewConstraint(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a valid version constraint: %s", s, strings.TrimSuffix(err.Error(), "."))
	}
	return c, nil
}

// VersionSatisfies reports whether version v meets constraint c.
func VersionSatisfies(v, c string) (bool, error) {
	cons, err := ParseConstraint(c)
	if err != nil {
		return false, err
	}
	ver, err := goversion.NewVersion(strings.TrimPrefix(v, "v"))
	if err != nil {
		return false, fmt.Errorf("%q is not a valid version", v)
	}
	// Pre-releases of this version satisfy constraints on the version itself,
	// so a 0.1.0-dev build runs blueprints that require ">= 0.1".
	return cons.Check(ver.Core()), nil
}
