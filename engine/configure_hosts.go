package engine

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/gocty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/state"
)

// configureHosts evaluates a configure block's hosts expression to the
// machines it names. allPending is set when not even the list of hosts is
// known yet (it depends on values known only after apply).
func (w *walker) configureHosts(n *node, mi moduleInstance) (hosts []configureHost, allPending bool, diags hcl.Diagnostics) {
	expr := n.configure.Hosts
	v, diags := w.e.scope(w.vals, n.cfg, mi, nil).EvalExpr(expr, cty.DynamicPseudoType)
	if diags.HasErrors() {
		return nil, false, diags
	}
	v, _ = v.UnmarkDeep()
	if !v.IsKnown() {
		return nil, true, nil
	}
	var objs []cty.Value
	if err := flattenHosts(v, &objs); err != nil {
		return nil, false, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid hosts",
			Detail: fmt.Sprintf("The hosts of configure %q must be machines (objects with an address), a list of them, "+
				"or a resource with count or for_each: %s.", n.configure.Name, err),
			Subject: expr.Range().Ptr()}}
	}
	names := w.hostNames(n, mi)
	for i, obj := range objs {
		if !obj.IsKnown() {
			return nil, true, nil
		}
		h := configureHost{obj: obj, index: i}
		var decl *blueprint.Resource
		h.target.Name, decl = names.nameOf(obj, i)
		if obj.Type().HasAttribute("address") && !obj.GetAttr("address").IsKnown() {
			h.pending = true
			hosts = append(hosts, h)
			continue
		}
		t, err := hostTarget(obj)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid host",
				Detail:  fmt.Sprintf("Host %s of configure %q cannot be reached: %s.", h.target.Name, n.configure.Name, err),
				Subject: expr.Range().Ptr()})
			continue
		}
		t.Name = h.target.Name
		if decl != nil && decl.Connection != nil {
			scope := w.e.scope(w.vals, n.cfg, mi, nil)
			scope.Self = obj
			known, d := applyConnection(scope, decl.Connection, &t)
			diags = append(diags, d...)
			if d.HasErrors() {
				continue
			}
			if !known {
				h.pending = true
				hosts = append(hosts, h)
				continue
			}
		}
		if t.Address == "" {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid host",
				Detail:  fmt.Sprintf("Host %s of configure %q has no address: give the resource an address attribute, or a connection block with host.", t.Name, n.configure.Name),
				Subject: expr.Range().Ptr()})
			continue
		}
		w.pinRecordedHostKeys(&t)
		h.target = t
		hosts = append(hosts, h)
	}
	return hosts, false, diags
}

// flattenHosts appends the machine objects in v to out: a machine is an
// object with an "address" attribute; lists, tuples, sets and maps of
// machines (a resource with count or for_each) are walked in order.
func flattenHosts(v cty.Value, out *[]cty.Value) error {
	if v.IsNull() {
		return nil
	}
	if !v.IsKnown() {
		*out = append(*out, v)
		return nil
	}
	ty := v.Type()
	if ty.IsObjectType() && (ty.HasAttribute("address") || !allObjects(v)) {
		*out = append(*out, v)
		return nil
	}
	if ty.IsObjectType() || ty.IsMapType() || ty.IsListType() || ty.IsTupleType() || ty.IsSetType() {
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if err := flattenHosts(e, out); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("found a %s", ty.FriendlyName())
}

// allObjects reports whether every attribute of the object v is an
// object: a resource with for_each, rather than one machine.
func allObjects(v cty.Value) bool {
	for _, ty := range v.Type().AttributeTypes() {
		if !ty.IsObjectType() {
			return false
		}
	}
	return len(v.Type().AttributeTypes()) > 0
}

// hostTarget reads how to reach a machine from its attributes: address,
// ssh_user (default root), ssh_port (default 22), ssh_private_key and
// host_key.
func hostTarget(obj cty.Value) (HostTarget, error) {
	t := HostTarget{User: "root", Port: 22}
	str := func(name string, dst *string) error {
		if !obj.Type().HasAttribute(name) {
			return nil
		}
		v := obj.GetAttr(name)
		if v.IsNull() {
			return nil
		}
		if !v.IsKnown() || v.Type() != cty.String {
			return fmt.Errorf("its %s is not a known string", name)
		}
		*dst = v.AsString()
		return nil
	}
	for name, dst := range map[string]*string{"address": &t.Address, "ssh_user": &t.User,
		"ssh_private_key": &t.PrivateKey, "host_key": &t.HostKey} {
		if err := str(name, dst); err != nil {
			return t, err
		}
	}
	if obj.Type().HasAttribute("ssh_port") {
		if p := obj.GetAttr("ssh_port"); !p.IsNull() && p.IsKnown() {
			if err := gocty.FromCtyValue(p, &t.Port); err != nil {
				return t, fmt.Errorf("its ssh_port is not a port number")
			}
		}
	}
	return t, nil
}

// hostNamer names hosts by the resource instance they are the value of.
type hostNamer struct {
	addrs []string
	vals  []cty.Value
	// decls are the resources the instances belong to, for their
	// connection blocks; nil for data sources.
	decls []*blueprint.Resource
}

// hostNames collects the instances of the resources the hosts expression
// refers to, so each host can be named by its address in the blueprint. A
// reference to a self-hosted resource (a machine_group) names the
// resources of the module instances that realize it, so a group's members
// read module.machine_group:web.machine.member[0].
func (w *walker) hostNames(n *node, mi moduleInstance) *hostNamer {
	hn := &hostNamer{}
	refs, _ := blueprint.References(n.configure.Hosts)
	w.vals.mu.RLock()
	defer w.vals.mu.RUnlock()
	for _, ref := range refs {
		rr, ok := ref.Subject.(blueprint.ResourceRef)
		if !ok {
			continue
		}
		if rz := n.cfg.Module.Realizations[rr.String()]; rz != nil {
			child := pathKey(append(append([]string(nil), n.cfg.Path...), rz.Call))
			for _, cmi := range w.vals.modules[child] {
				if cmi.parent != mi.addr {
					continue
				}
				for _, name := range sortedNames(w.vals.resources[cmi.addr]) {
					if typ, rname, ok := strings.Cut(name, "."); ok && typ != "data" {
						hn.addInstances(cmi.addr, state.Managed, typ, rname, w.vals.resources[cmi.addr][name], nil)
					}
				}
			}
			continue
		}
		mode := state.Managed
		var decl *blueprint.Resource
		if rr.Mode == blueprint.DataResourceMode {
			mode = state.Data
		} else {
			decl = n.cfg.Module.Resources[rr.Type+"."+rr.Name]
		}
		hn.addInstances(mi.addr, mode, rr.Type, rr.Name, w.vals.resources[mi.addr][rr.String()], decl)
	}
	return hn
}

// addInstances adds the instances of one resource, in key order.
func (hn *hostNamer) addInstances(module string, mode state.Mode, typ, name string, rv *resourceValues, decl *blueprint.Resource) {
	if rv == nil {
		return
	}
	raddr := state.ResourceAddr{Module: module, Mode: mode, Type: typ, Name: name}
	keys := make([]state.InstanceKey, 0, len(rv.instances))
	for k := range rv.instances {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return state.CompareKeys(keys[i], keys[j]) < 0 })
	for _, k := range keys {
		v, _ := rv.instances[k].UnmarkDeep()
		hn.addrs = append(hn.addrs, raddr.Instance(k).String())
		hn.vals = append(hn.vals, v)
		hn.decls = append(hn.decls, decl)
	}
}

// nameOf returns the address of the instance whose value obj is, or
// "host[i]" when it is none of them, and the resource it belongs to. A
// host that is a projection of an instance ({ name = m.name, address =
// m.address }) is named after the one instance whose attributes agree with
// the known attributes of the host.
func (hn *hostNamer) nameOf(obj cty.Value, i int) (string, *blueprint.Resource) {
	for j, v := range hn.vals {
		if v.RawEquals(obj) {
			return hn.addrs[j], hn.decls[j]
		}
	}
	found := -1
	for j, v := range hn.vals {
		if projectionOf(obj, v) {
			if found >= 0 {
				found = -1
				break
			}
			found = j
		}
	}
	if found >= 0 {
		return hn.addrs[found], hn.decls[found]
	}
	return fmt.Sprintf("host[%d]", i), nil
}

// projectionOf reports whether the known attributes of the object obj
// that v has too are equal in both, and there is at least one.
func projectionOf(obj, v cty.Value) bool {
	if obj.IsNull() || v.IsNull() || !v.IsKnown() || !obj.Type().IsObjectType() || !v.Type().IsObjectType() {
		return false
	}
	compared := 0
	for name := range obj.Type().AttributeTypes() {
		a := obj.GetAttr(name)
		if !a.IsWhollyKnown() {
			continue
		}
		if !v.Type().HasAttribute(name) {
			continue
		}
		if !v.GetAttr(name).RawEquals(a) {
			return false
		}
		compared++
	}
	return compared > 0
}

// hostValue is what a role sees as `host`.
func hostValue(h configureHost, facts map[string]any) cty.Value {
	name := h.target.Name
	if h.obj.Type().HasAttribute("name") {
		if v := h.obj.GetAttr("name"); v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
			name = v.AsString()
		}
	}
	labels := cty.MapValEmpty(cty.String)
	if h.obj.Type().HasAttribute("labels") {
		if v := h.obj.GetAttr("labels"); v.IsKnown() && !v.IsNull() {
			labels = v
		}
	}
	address := cty.UnknownVal(cty.String)
	if h.target.Address != "" {
		address = cty.StringVal(h.target.Address)
	}
	return cty.ObjectVal(map[string]cty.Value{
		"name":    cty.StringVal(name),
		"address": address,
		"index":   cty.NumberIntVal(int64(h.index)),
		"labels":  labels,
		"facts":   jsonToCty(facts),
	})
}

// syncDiags collects diagnostics from several goroutines.
type syncDiags struct {
	mu    sync.Mutex
	diags hcl.Diagnostics
}

// add appends d, leaving out diagnostics already there: the same mistake
// in a role is found once per host.
func (s *syncDiags) add(d hcl.Diagnostics) {
	s.mu.Lock()
	defer s.mu.Unlock()
next:
	for _, nd := range d {
		for _, od := range s.diags {
			if od.Summary == nd.Summary && od.Detail == nd.Detail && fmt.Sprint(od.Subject) == fmt.Sprint(nd.Subject) {
				continue next
			}
		}
		s.diags = append(s.diags, nd)
	}
}

func (s *syncDiags) get() hcl.Diagnostics {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.diags
}
