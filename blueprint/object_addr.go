package blueprint

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// ObjectAddr is an address written in a blueprint as a bare reference, as in
// `moved`, `import` and `depends_on`: a resource (optionally one instance of
// it), a module call, or (in depends_on) a configure block.
type ObjectAddr struct {
	// Module is set, and the other fields empty, for a module call.
	Module string
	// Configure is set, and the other fields empty, for a configure block.
	Configure string
	Mode      ResourceMode
	Type      string
	Name      string
	// Key is the instance key (a number or a string), or cty.NilVal.
	Key cty.Value
}

// Kind is "resource", "data", "module" or "configure".
func (a ObjectAddr) Kind() string {
	switch {
	case a.Module != "":
		return "module"
	case a.Configure != "":
		return "configure"
	case a.Mode == DataResourceMode:
		return "data"
	default:
		return "resource"
	}
}

// String renders the address in state form: machine.web[0], data.x.y, module.db.
func (a ObjectAddr) String() string {
	var s string
	switch a.Kind() {
	case "module":
		s = "module." + a.Module
	case "configure":
		s = "configure." + a.Configure
	case "data":
		s = "data." + a.Type + "." + a.Name
	default:
		s = a.Type + "." + a.Name
	}
	if a.Key != cty.NilVal {
		if a.Key.Type() == cty.String {
			s += fmt.Sprintf("[%q]", a.Key.AsString())
		} else {
			s += "[" + a.Key.AsBigFloat().Text('f', -1) + "]"
		}
	}
	return s
}

// ParseObjectAddr reads a resource or module address from a traversal:
// resource.TYPE.NAME, TYPE.NAME, data.TYPE.NAME or module.NAME, each with an
// optional [KEY].
func ParseObjectAddr(tr hcl.Traversal) (ObjectAddr, hcl.Diagnostics) {
	bad := func(detail string) (ObjectAddr, hcl.Diagnostics) {
		return ObjectAddr{}, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid address",
			Detail:   detail + " Write an address such as resource.machine.web, machine.web[0], data.local_image.base or module.db.",
			Subject:  tr.SourceRange().Ptr(),
		}}
	}
	var names []string
	var key cty.Value
	for i, step := range tr {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			names = append(names, s.Name)
		case hcl.TraverseAttr:
			names = append(names, s.Name)
		case hcl.TraverseIndex:
			if i != len(tr)-1 {
				return bad("An index may only come last in an address.")
			}
			if s.Key.IsNull() || !s.Key.IsKnown() || (s.Key.Type() != cty.String && s.Key.Type() != cty.Number) {
				return bad("An instance key must be a number or a string.")
			}
			key = s.Key
		default:
			return bad("This is not an address.")
		}
	}
	switch {
	case len(names) == 2 && names[0] == "module":
		return ObjectAddr{Module: names[1], Key: key}, nil
	case len(names) == 2 && names[0] == "configure":
		if key != cty.NilVal {
			return bad("A configure block has no instances; write configure.NAME without an index.")
		}
		return ObjectAddr{Configure: names[1]}, nil
	case len(names) == 3 && names[0] == "resource":
		return ObjectAddr{Mode: ManagedResourceMode, Type: names[1], Name: names[2], Key: key}, nil
	case len(names) == 3 && names[0] == "data":
		return ObjectAddr{Mode: DataResourceMode, Type: names[1], Name: names[2], Key: key}, nil
	case len(names) == 2 && !reservedRootNames[names[0]]:
		return ObjectAddr{Mode: ManagedResourceMode, Type: names[0], Name: names[1], Key: key}, nil
	}
	return bad(fmt.Sprintf("%q is not a resource or module address.", traversalString(tr)))
}

// traversalString renders a traversal roughly as it was written.
func traversalString(tr hcl.Traversal) string {
	s := ""
	for _, step := range tr {
		switch st := step.(type) {
		case hcl.TraverseRoot:
			s += st.Name
		case hcl.TraverseAttr:
			s += "." + st.Name
		case hcl.TraverseIndex:
			if st.Key.Type() == cty.String && st.Key.IsKnown() && !st.Key.IsNull() {
				s += fmt.Sprintf("[%q]", st.Key.AsString())
			} else if st.Key.Type() == cty.Number && st.Key.IsKnown() && !st.Key.IsNull() {
				s += "[" + st.Key.AsBigFloat().Text('f', -1) + "]"
			} else {
				s += "[...]"
			}
		case hcl.TraverseSplat:
			s += "[*]"
		}
	}
	return s
}
