package powerdns

import (
	"fmt"
	"strings"
)

// apex is the record name that stands for the zone itself.
const apex = "@"

// absolute returns name with exactly one trailing dot: the form the API
// uses for zone names, RRset names and target host names.
func absolute(name string) string {
	return strings.TrimSuffix(name, ".") + "."
}

// recordFQDN returns the absolute name of the record called name (relative,
// or "@" for the apex) in zone.
func recordFQDN(zone, name string) string {
	if name == apex {
		return absolute(zone)
	}
	return name + "." + absolute(zone)
}

// checkZoneName reports why s is not a usable zone name, or nil. A trailing
// dot is allowed.
func checkZoneName(s string) error {
	t := strings.TrimSuffix(s, ".")
	if t == "" {
		return fmt.Errorf("the zone name is empty; write a domain such as \"example.test\"")
	}
	if len(t) > 253 {
		return fmt.Errorf("%q is %d characters long; a DNS name has at most 253", s, len(t))
	}
	for _, label := range strings.Split(t, ".") {
		if err := checkLabel(label, false); err != nil {
			return fmt.Errorf("%q is not a valid zone name: %w", s, err)
		}
	}
	return nil
}

// checkRecordName reports why s is not a usable relative record name, or
// nil. "@" is the apex; the first label may be "*" (a wildcard); labels may
// start with "_" (as in "_sip._tcp").
func checkRecordName(s string) error {
	switch {
	case s == apex:
		return nil
	case s == "":
		return fmt.Errorf("the record name is empty; write \"@\" for the zone apex")
	case strings.HasSuffix(s, "."):
		return fmt.Errorf("%q ends with a dot; write the name relative to the zone (\"www\", or \"@\" for the apex), not as an absolute name", s)
	case len(s) > 253:
		return fmt.Errorf("%q is %d characters long; a DNS name has at most 253", s, len(s))
	}
	for i, label := range strings.Split(s, ".") {
		if err := checkLabel(label, i == 0); err != nil {
			return fmt.Errorf("%q is not a valid record name: %w", s, err)
		}
	}
	return nil
}

// checkHostname reports why s is not a usable target host name (of a
// CNAME, MX or SRV record), or nil. A trailing dot is allowed; "." alone is
// the root, which SRV and MX use to say "no service".
func checkHostname(s string) error {
	if s == "." {
		return nil
	}
	t := strings.TrimSuffix(s, ".")
	if t == "" {
		return fmt.Errorf("the host name is empty")
	}
	if len(t) > 253 {
		return fmt.Errorf("%q is %d characters long; a DNS name has at most 253", s, len(t))
	}
	for _, label := range strings.Split(t, ".") {
		if err := checkLabel(label, false); err != nil {
			return fmt.Errorf("%q is not a valid host name: %w", s, err)
		}
	}
	return nil
}

// checkLabel checks one DNS label: 1 to 63 letters, digits, hyphens and
// underscores, not starting or ending with a hyphen; "*" when wildcard is
// allowed.
func checkLabel(label string, wildcard bool) error {
	if wildcard && label == "*" {
		return nil
	}
	if label == "" {
		return fmt.Errorf("it has an empty label (two dots in a row, or a leading dot)")
	}
	if len(label) > 63 {
		return fmt.Errorf("label %q is %d characters long; a label has at most 63", label, len(label))
	}
	if label[0] == '-' || label[len(label)-1] == '-' {
		return fmt.Errorf("label %q starts or ends with a hyphen", label)
	}
	for _, c := range label {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return fmt.Errorf("label %q contains %q; use letters, digits, hyphens and underscores", label, c)
		}
	}
	return nil
}

// sameName reports whether two DNS names are equal, ignoring case and a
// trailing dot.
func sameName(a, b string) bool {
	return strings.EqualFold(absolute(a), absolute(b))
}
