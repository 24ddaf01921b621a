package engine

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/state"
)

// nodeKind says what a graph node stands for.
type nodeKind int

const (
	nodeProvider nodeKind = iota
	nodeVariable          // a variable of a called module (root ones are given)
	nodeLocal
	nodeModuleCall // expands a module call into module instances
	nodeResource   // plans or applies a managed resource's instances
	nodeData       // reads a data source
	nodeOutput
	nodeConfigure
	nodeDelete // deletes the instances of a resource the plan deletes
)

// node is one vertex of the engine's graph: a declaration of the blueprint
// (every module instance of it), or the deletion of a resource's objects.
type node struct {
	kind nodeKind
	// cfg is the module the declaration belongs to.
	cfg  *blueprint.Config
	name string // as shown in `bp graph` and cycle errors

	resource  *blueprint.Resource
	local     *blueprint.Local
	output    *blueprint.Output
	variable  *blueprint.Variable
	call      *blueprint.ModuleCall
	configure *blueprint.Configure
	provider  string // provider configuration key, for provider nodes and resources
	// orphan is set on delete nodes of resources no longer in the blueprint.
	orphan *state.ResourceAddr
	// deleteKey is "path|type.name" of the resource a delete node deletes.
	deleteKey string

	rng hcl.Range
}

// pathKey joins a config path into a map key: "" for the root, "web.db".
func pathKey(path []string) string { return strings.Join(path, ".") }

func (n *node) String() string { return n.name }

// key is the "path|type.name" key of the resource a resource, data or
// delete node stands for.
func (n *node) key() string {
	if n.kind == nodeDelete {
		return n.deleteKey
	}
	return key2(n.cfg.Path, resourceKey(n.resource))
}

// resourceKey is the key of a resource within its module: "type.name" or
// "data.type.name", matching blueprint.ResourceRef.String.
func resourceKey(r *blueprint.Resource) string {
	return blueprint.ResourceRef{Mode: r.Mode, Type: r.Type, Name: r.Name}.String()
}

// modulePrefix renders a config path for node names: "module.web.module.db.".
func modulePrefix(path []string) string {
	var b strings.Builder
	for _, p := range path {
		b.WriteString("module.")
		b.WriteString(p)
		b.WriteString(".")
	}
	return b.String()
}

// stateAddr is the state address of a resource in a module instance.
func stateAddr(mod string, r *blueprint.Resource) state.ResourceAddr {
	mode := state.Managed
	if r.Mode == blueprint.DataResourceMode {
		mode = state.Data
	}
	return state.ResourceAddr{Module: mod, Mode: mode, Type: r.Type, Name: r.Name}
}
