package state

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
)

// Mode says whether a resource is managed (created, updated and destroyed
// by bp) or a data source (only read).
type Mode int

const (
	// Managed is a `resource` block.
	Managed Mode = iota
	// Data is a `data` block; its address starts with "data.".
	Data
)

// String returns "managed" or "data", the spelling used in the state file.
func (m Mode) String() string {
	switch m {
	case Managed:
		return "managed"
	case Data:
		return "data"
	default:
		return fmt.Sprintf("Mode(%d)", int(m))
	}
}

// ResourceAddr names a resource (all of its instances): its module instance
// path, its mode, its type and its name. It is comparable and serves as a
// map key.
type ResourceAddr struct {
	// Module is the canonical module instance path, "" for the root module,
	// otherwise like `module.web` or `module.web[0].module.db` (build it with
	// ChildModule or take it from ParseResourceAddr so that equal paths are
	// equal strings).
	Module string
	Mode   Mode
	Type   string
	Name   string
}

// String returns the address as a user types it: `std_null.a`,
// `data.std_file.x`, `module.web[0].machine.x`.
func (a ResourceAddr) String() string {
	var b strings.Builder
	if a.Module != "" {
		b.WriteString(a.Module)
		b.WriteByte('.')
	}
	if a.Mode == Data {
		b.WriteString("data.")
	}
	b.WriteString(a.Type)
	b.WriteByte('.')
	b.WriteString(a.Name)
	return b.String()
}

// Instance returns the address of the instance of a with the given key.
func (a ResourceAddr) Instance(key InstanceKey) InstanceAddr {
	return InstanceAddr{Resource: a, Key: key}
}

// InstanceKey identifies one instance of a resource or module: NoKey (nil)
// for a resource without count or for_each, IntKey for count, StringKey for
// for_each. Every implementation is comparable, so keys work as map keys.
type InstanceKey interface {
	// String returns the key in address syntax: `[3]` or `["k"]`.
	String() string
	// Value returns the key as count.index or each.key sees it.
	Value() cty.Value
	instanceKey()
}

// NoKey is the key of the only instance of a resource without count or
// for_each.
var NoKey InstanceKey

// IntKey is the key of an instance created by count.
type IntKey int

// StringKey is the key of an instance created by for_each.
type StringKey string

func (k IntKey) String() string    { return "[" + strconv.Itoa(int(k)) + "]" }
func (k StringKey) String() string { return "[" + strconv.Quote(string(k)) + "]" }

// Value returns the key as a cty number.
func (k IntKey) Value() cty.Value { return cty.NumberIntVal(int64(k)) }

// Value returns the key as a cty string.
func (k StringKey) Value() cty.Value { return cty.StringVal(string(k)) }

func (IntKey) instanceKey()    {}
func (StringKey) instanceKey() {}

// keyString is InstanceKey.String that also accepts NoKey.
func keyString(k InstanceKey) string {
	if k == nil {
		return ""
	}
	return k.String()
}

// CompareKeys orders keys: NoKey first, then int keys by value, then string
// keys lexically.
func CompareKeys(a, b InstanceKey) int {
	rank := func(k InstanceKey) int {
		switch k.(type) {
		case nil:
			return 0
		case IntKey:
			return 1
		default:
			return 2
		}
	}
	if c := cmp.Compare(rank(a), rank(b)); c != 0 {
		return c
	}
	switch a := a.(type) {
	case IntKey:
		return cmp.Compare(a, b.(IntKey))
	case StringKey:
		return cmp.Compare(a, b.(StringKey))
	}
	return 0
}

// InstanceAddr names one instance of a resource.
type InstanceAddr struct {
	Resource ResourceAddr
	Key      InstanceKey
}

// String returns the address as a user types it: `std_null.a[3]`,
// `module.web[0].machine.x["a"]`.
func (a InstanceAddr) String() string {
	return a.Resource.String() + keyString(a.Key)
}

// CompareResourceAddrs orders resource addresses by module path, mode
// (managed first), type and name. The order is total and stable, which makes
// state files and listings deterministic.
func CompareResourceAddrs(a, b ResourceAddr) int {
	if c := cmp.Compare(a.Module, b.Module); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Mode, b.Mode); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Type, b.Type); c != 0 {
		return c
	}
	return cmp.Compare(a.Name, b.Name)
}

// CompareInstanceAddrs orders instance addresses by resource, then key.
func CompareInstanceAddrs(a, b InstanceAddr) int {
	if c := CompareResourceAddrs(a.Resource, b.Resource); c != 0 {
		return c
	}
	return CompareKeys(a.Key, b.Key)
}

// ChildModule returns the canonical path of instance key of module call name
// inside module instance parent ("" for root): ChildModule("", "web",
// IntKey(0)) is `module.web[0]`.
func ChildModule(parent, name string, key InstanceKey) string {
	child := "module." + name + keyString(key)
	if parent == "" {
		return child
	}
	return parent + "." + child
}

// ParseResourceAddr parses a resource address such as `machine.web`,
// `data.std_file.x` or `module.web[0].machine.x`. An instance key on the
// resource itself is an error; use ParseInstanceAddr for those.
func ParseResourceAddr(s string) (ResourceAddr, error) {
	a, err := ParseInstanceAddr(s)
	if err != nil {
		return ResourceAddr{}, err
	}
	if a.Key != nil {
		return ResourceAddr{}, fmt.Errorf("invalid resource address %q: it names the instance %s; remove the key to name the whole resource %s", s, a.Key, a.Resource)
	}
	return a.Resource, nil
}

// ParseInstanceAddr parses an instance address such as `std_null.a`,
// `std_null.a[3]`, `std_null.a["k"]`, `data.std_file.x` or
// `module.web[0].machine.x["a"]`. Module paths in the result are canonical,
// so String of the result parses back to an equal address.
func ParseInstanceAddr(s string) (InstanceAddr, error) {
	p := addrParser{src: s}
	a, err := p.instance()
	if err != nil {
		return InstanceAddr{}, fmt.Errorf("invalid address %q: %w", s, err)
	}
	return a, nil
}

// parseModulePath parses a module instance path ("" is the root) and returns
// its canonical spelling.
func parseModulePath(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	p := addrParser{src: s}
	var mod strings.Builder
	for {
		if err := p.moduleStep(&mod); err != nil {
			return "", fmt.Errorf("invalid module path %q: %w", s, err)
		}
		if p.done() {
			return mod.String(), nil
		}
		if !p.take('.') {
			return "", fmt.Errorf("invalid module path %q: unexpected %q at offset %d; expected \".\"", s, p.rest(), p.pos)
		}
	}
}

// addrParser is a hand-written scanner over the small address grammar:
//
//	addr   = { "module." name [ ":" name ] [key] "." } [ "data." ] type "." name [key]
//	key    = "[" digits "]" | "[" quoted-string "]"
type addrParser struct {
	src string
	pos int
}

func (p *addrParser) done() bool   { return p.pos >= len(p.src) }
func (p *addrParser) rest() string { return p.src[p.pos:] }

func (p *addrParser) take(c byte) bool {
	if p.pos < len(p.src) && p.src[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

func (p *addrParser) instance() (InstanceAddr, error) {
	if p.src == "" {
		return InstanceAddr{}, fmt.Errorf("the address is empty; expected a resource type and name like \"machine.web\"")
	}
	var mod strings.Builder
	var a InstanceAddr
	for {
		first, err := p.ident("a resource type")
		if err != nil {
			return a, err
		}
		if !p.take('.') {
			return a, fmt.Errorf("expected a resource type and name like \"machine.web\", found only %q", first)
		}
		switch first {
		case "module":
			p.pos -= len("module.")
			if err := p.moduleStep(&mod); err != nil {
				return a, err
			}
			if !p.take('.') {
				if p.done() {
					return a, fmt.Errorf("it names a module instance, not a resource; add the resource type and name like \"%s.machine.web\"", mod.String())
				}
				return a, fmt.Errorf("unexpected %q at offset %d; expected \".\" after the module", p.rest(), p.pos)
			}
			continue
		case "data":
			a.Resource.Mode = Data
			if first, err = p.ident("a data source type"); err != nil {
				return a, err
			}
			if !p.take('.') {
				return a, fmt.Errorf("expected a data source type and name like \"data.std_file.x\", found only %q", "data."+first)
			}
		}
		a.Resource.Module = mod.String()
		a.Resource.Type = first
		if a.Resource.Name, err = p.ident("a resource name"); err != nil {
			return a, err
		}
		if a.Key, err = p.key(); err != nil {
			return a, err
		}
		if !p.done() {
			return a, fmt.Errorf("unexpected %q after the resource address %s", p.rest(), a)
		}
		return a, nil
	}
}

// moduleStep parses `module.NAME[KEY]` and appends its canonical form to mod.
func (p *addrParser) moduleStep(mod *strings.Builder) error {
	if !strings.HasPrefix(p.rest(), "module.") {
		return fmt.Errorf("expected \"module.\" at offset %d, found %q", p.pos, p.rest())
	}
	p.pos += len("module.")
	name, err := p.ident("a module name")
	if err != nil {
		return err
	}
	// A self-hosted realization's module is named after the resource it
	// realizes: module.load_balancer:front.
	if p.take(':') {
		res, err := p.ident("a resource name after \":\"")
		if err != nil {
			return err
		}
		name += ":" + res
	}
	key, err := p.key()
	if err != nil {
		return err
	}
	if mod.Len() > 0 {
		mod.WriteByte('.')
	}
	mod.WriteString("module." + name + keyString(key))
	return nil
}

// ident parses a name: a letter or underscore, then letters, digits,
// underscores and dashes (the HCL identifier rules).
func (p *addrParser) ident(what string) (string, error) {
	start := p.pos
	for !p.done() {
		r, size := utf8.DecodeRuneInString(p.rest())
		ok := r == '_' || unicode.IsLetter(r) || (p.pos > start && (r == '-' || unicode.IsDigit(r)))
		if !ok {
			break
		}
		p.pos += size
	}
	if p.pos == start {
		if p.done() {
			return "", fmt.Errorf("expected %s at the end", what)
		}
		return "", fmt.Errorf("expected %s at offset %d, found %q; names start with a letter or underscore", what, start, p.rest())
	}
	return p.src[start:p.pos], nil
}

// key parses an optional `[N]` or `["s"]`.
func (p *addrParser) key() (InstanceKey, error) {
	if !p.take('[') {
		return NoKey, nil
	}
	start := p.pos
	if p.take('"') {
		for !p.done() {
			c := p.src[p.pos]
			p.pos++
			if c == '\\' && !p.done() {
				p.pos++
				continue
			}
			if c == '"' {
				s, err := strconv.Unquote(p.src[start:p.pos])
				if err != nil {
					return nil, fmt.Errorf("invalid string key %s: %v", p.src[start:p.pos], err)
				}
				if !p.take(']') {
					return nil, fmt.Errorf("expected \"]\" after the key %s", p.src[start:p.pos])
				}
				return StringKey(s), nil
			}
		}
		return nil, fmt.Errorf("unterminated string key starting at offset %d; close it with \"]", start)
	}
	for !p.done() && isDigit(rune(p.src[p.pos])) {
		p.pos++
	}
	digits := p.src[start:p.pos]
	if digits == "" || !p.take(']') {
		return nil, fmt.Errorf("invalid instance key at offset %d: expected a non-negative integer like [0] or a quoted string like [\"a\"]", start-1)
	}
	n, err := strconv.Atoi(digits)
	if err != nil {
		return nil, fmt.Errorf("instance key [%s] is too large", digits)
	}
	return IntKey(n), nil
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }
