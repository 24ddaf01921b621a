package resources

import (
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

// New decodes a kind's arguments into a resource ready to Check and Apply.
// It returns the problems Validate would report, and a nil resource when
// there are any.
func New(kindName string, attrs map[string]any) (Resource, []Problem) {
	k, ok := lookup(kindName)
	if !ok {
		return nil, []Problem{{
			Summary: "Unknown host resource kind",
			Detail: fmt.Sprintf("%q is not a host resource kind.%s The kinds are: %s.",
				kindName, suggest(kindName, kindNames()), strings.Join(kindNames(), ", ")),
		}}
	}
	a := newAttrs(k.spec, attrs)
	r := k.decode(a)
	if len(a.problems) > 0 {
		return nil, a.problems
	}
	return r, nil
}

// NewFromRequest is New for a resource of a request: the kind's
// NameAttribute defaults to the NAME part of the ID (role/KIND.NAME).
func NewFromRequest(res agentapi.Resource) (Resource, []Problem) {
	k, ok := lookup(res.Kind)
	if ok && k.spec.NameAttribute != "" && res.Attrs[k.spec.NameAttribute] == nil {
		if name := NameFromID(res.ID, res.Kind); name != "" {
			attrs := make(map[string]any, len(res.Attrs)+1)
			for key, v := range res.Attrs {
				attrs[key] = v
			}
			attrs[k.spec.NameAttribute] = name
			return New(res.Kind, attrs)
		}
	}
	return New(res.Kind, res.Attrs)
}

// NameFromID returns NAME from an ID of the form "role/KIND.NAME" (or
// "KIND.NAME"), or "" when the ID has another shape.
func NameFromID(id, kind string) string {
	rest := id
	if i := strings.IndexByte(id, '/'); i >= 0 && !strings.HasPrefix(id, kind+".") {
		rest = id[i+1:]
	}
	name, ok := strings.CutPrefix(rest, kind+".")
	if !ok {
		return ""
	}
	return name
}

// attrs reads a kind's arguments, collecting problems instead of failing,
// so one Validate call reports everything wrong at once. Arguments of the
// wrong type are reported by newAttrs and then read as unset.
type attrs struct {
	spec     KindSpec
	values   map[string]any
	problems []Problem
}

func newAttrs(spec KindSpec, values map[string]any) *attrs {
	a := &attrs{spec: spec, values: map[string]any{}}
	var names []string
	for _, s := range spec.Attributes {
		names = append(names, s.Name)
	}
	for name, v := range values {
		s, ok := spec.Attribute(name)
		if !ok {
			a.problem(name, "Unsupported argument", fmt.Sprintf("A %s resource has no argument %q.%s The arguments are: %s.",
				spec.Name, name, suggest(name, names), strings.Join(names, ", ")))
			continue
		}
		if v == nil {
			continue
		}
		norm, ok := normalize(s.Type, v)
		if !ok {
			a.problem(name, "Incorrect attribute type", fmt.Sprintf("%s must be a %s, not %s.", name, s.Type, describe(v, s.Sensitive)))
			continue
		}
		a.values[name] = norm
	}
	for _, s := range spec.Attributes {
		if s.Required && s.Name != spec.NameAttribute && a.values[s.Name] == nil && values[s.Name] == nil {
			a.problem(s.Name, "Missing required argument", fmt.Sprintf("A %s resource needs %s: %s", spec.Name, s.Name, s.Description))
		}
	}
	return a
}

// normalize converts a JSON-ish value to the Go type of t: string, float64,
// bool, []string or map[string]string.
func normalize(t AttrType, v any) (any, bool) {
	switch t {
	case TypeString:
		s, ok := v.(string)
		return s, ok
	case TypeBool:
		b, ok := v.(bool)
		return b, ok
	case TypeNumber:
		switch n := v.(type) {
		case float64:
			return n, !math.IsNaN(n) && !math.IsInf(n, 0)
		case float32:
			return float64(n), true
		case int:
			return float64(n), true
		case int64:
			return float64(n), true
		case int32:
			return float64(n), true
		case uint32:
			return float64(n), true
		case uint64:
			return float64(n), true
		case fmt.Stringer: // json.Number, from a decoder with UseNumber
			lit := n.String()
			f, err := strconv.ParseFloat(lit, 64)
			return f, err == nil && numberLiteral.MatchString(lit) && !math.IsInf(f, 0)
		}
		return nil, false
	case TypeStringList:
		switch l := v.(type) {
		case []string:
			return append([]string(nil), l...), true
		case []any:
			out := make([]string, len(l))
			for i, e := range l {
				s, ok := e.(string)
				if !ok {
					return nil, false
				}
				out[i] = s
			}
			return out, true
		}
		return nil, false
	case TypeAny:
		return v, true
	case TypeStringMap:
		switch m := v.(type) {
		case map[string]string:
			out := make(map[string]string, len(m))
			for k, e := range m {
				out[k] = e
			}
			return out, true
		case map[string]any:
			out := make(map[string]string, len(m))
			for k, e := range m {
				s, ok := e.(string)
				if !ok {
					return nil, false
				}
				out[k] = s
			}
			return out, true
		}
		return nil, false
	}
	return nil, false
}

// numberLiteral is JSON's number syntax.
var numberLiteral = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

// describe names a value's JSON type for a type error, without showing a
// sensitive value.
func describe(v any, sensitive bool) string {
	var kind string
	switch v.(type) {
	case string:
		kind = "a string"
	case bool:
		kind = "a bool"
	case float64, float32, int, int64, int32, uint32, uint64:
		kind = "a number"
	case []any, []string:
		return "a list with a non-string element or of another type"
	case map[string]any, map[string]string:
		return "a map with a non-string value or of another type"
	default:
		return fmt.Sprintf("a %T", v)
	}
	if sensitive {
		return kind
	}
	s := fmt.Sprint(v)
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return fmt.Sprintf("%s (%q)", kind, s)
}

func (a *attrs) problem(attr, summary, detail string) {
	a.problems = append(a.problems, Problem{Attribute: attr, Summary: summary, Detail: detail})
}

// has reports whether the argument is set (and of its type).
func (a *attrs) has(name string) bool { return a.values[name] != nil }

func (a *attrs) str(name string) string {
	s, _ := a.values[name].(string)
	return s
}

func (a *attrs) boolean(name string, def bool) bool {
	if b, ok := a.values[name].(bool); ok {
		return b
	}
	return def
}

func (a *attrs) list(name string) []string {
	l, _ := a.values[name].([]string)
	return l
}

func (a *attrs) strMap(name string) map[string]string {
	m, _ := a.values[name].(map[string]string)
	return m
}

// integer reads a whole number in [lo, hi]; ok is false when unset or
// invalid (invalid is reported).
func (a *attrs) integer(name string, lo, hi int) (n int, ok bool) {
	f, set := a.values[name].(float64)
	if !set {
		return 0, false
	}
	if f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		a.problem(name, "Invalid "+name, fmt.Sprintf("%s must be a whole number from %d to %d, not %v.", name, lo, hi, f))
		return 0, false
	}
	return int(f), true
}

// oneOf reads a string that must be one of allowed; def when unset.
func (a *attrs) oneOf(name, def string, allowed ...string) string {
	if !a.has(name) {
		return def
	}
	s := a.str(name)
	for _, v := range allowed {
		if s == v {
			return s
		}
	}
	a.problem(name, "Invalid "+name, fmt.Sprintf("%s must be %s, not %q.", name, orList(allowed), s))
	return def
}

// required returns a string argument that must be non-empty; the name
// attribute counts as set when the label supplies it.
func (a *attrs) required(name string) string {
	s := a.str(name)
	if s == "" && a.has(name) {
		a.problem(name, "Invalid "+name, fmt.Sprintf("%s must not be empty.", name))
	}
	return s
}

// absPath reads a path argument that, when set, must be absolute and clean
// of NUL bytes.
func (a *attrs) absPath(name string) string {
	p := a.required(name)
	if p == "" {
		return ""
	}
	if !strings.HasPrefix(p, "/") || strings.ContainsRune(p, 0) {
		a.problem(name, "Invalid "+name, fmt.Sprintf("%s must be an absolute path such as \"/etc/motd\", not %q.", name, p))
		return ""
	}
	return p
}

// fileMode reads an octal mode string such as "0644".
func (a *attrs) fileMode(name string) (os.FileMode, bool) {
	if !a.has(name) {
		return 0, false
	}
	s := a.str(name)
	m, err := parseMode(s)
	if err != nil {
		a.problem(name, "Invalid "+name, fmt.Sprintf("%s must be an octal string like \"0644\", not %q.", name, s))
		return 0, false
	}
	return m, true
}

// parseMode parses "644", "0644" or "0o644" (with setuid/setgid/sticky as
// the fourth digit) into an os.FileMode.
func parseMode(s string) (os.FileMode, error) {
	t := strings.TrimPrefix(s, "0o")
	if len(t) < 3 || len(t) > 4 {
		return 0, fmt.Errorf("mode %q: want 3 or 4 octal digits", s)
	}
	n, err := strconv.ParseUint(t, 8, 32)
	if err != nil {
		return 0, fmt.Errorf("mode %q is not octal", s)
	}
	m := os.FileMode(n & 0o777)
	if n&0o4000 != 0 {
		m |= os.ModeSetuid
	}
	if n&0o2000 != 0 {
		m |= os.ModeSetgid
	}
	if n&0o1000 != 0 {
		m |= os.ModeSticky
	}
	return m, nil
}

// formatMode is the inverse of parseMode: "0644", "4755".
func formatMode(m os.FileMode) string {
	n := uint32(m.Perm())
	if m&os.ModeSetuid != 0 {
		n |= 0o4000
	}
	if m&os.ModeSetgid != 0 {
		n |= 0o2000
	}
	if m&os.ModeSticky != 0 {
		n |= 0o1000
	}
	return fmt.Sprintf("%04o", n)
}

// exactlyOne reports a problem unless exactly one of names is set.
func (a *attrs) exactlyOne(names ...string) {
	n := 0
	for _, name := range names {
		if a.has(name) {
			n++
		}
	}
	if n != 1 {
		a.problem(names[0], "Invalid arguments", fmt.Sprintf("Set exactly one of %s (%d are set).", strings.Join(names, ", "), n))
	}
}

func orList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
