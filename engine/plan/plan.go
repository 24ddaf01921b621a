package plan

import (
	"sort"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/engine/state"
)

// Mode is the kind of plan.
type Mode string

// Plan modes.
const (
	// Normal makes the objects match the blueprint.
	Normal Mode = "normal"
	// Destroy removes every object in state.
	Destroy Mode = "destroy"
	// RefreshOnly only records changes made outside bp in state.
	RefreshOnly Mode = "refresh-only"
)

// Plan is the set of changes one `bp plan` proposes.
type Plan struct {
	Mode Mode
	// Changes has one entry per resource instance the plan looks at, no-ops
	// included, in address order.
	Changes []*ResourceChange
	// Drift lists objects that changed outside bp since the last apply, as
	// found by refresh.
	Drift []*ResourceChange
	// Outputs are the root module's outputs after apply.
	Outputs []*OutputChange
	// HostChanges has one entry per host of every configure block: what
	// converging it would change (found by the agent's check mode) or, for
	// machines not created yet, which roles will run.
	HostChanges []*HostChange
	// Realizations lists the portable resources built by self-hosted
	// modules, so a plan can show each one's expansion under it.
	Realizations []*Realization
	// Variables are the root variables the plan was made with; apply
	// evaluates the blueprint with the same values.
	Variables map[string]cty.Value
	// PriorState is the state the plan starts from, after refresh.
	PriorState *state.State
	// StateLineage and StateSerial identify the state the plan was made
	// against; applying refuses when the stored state has moved on.
	StateLineage string
	StateSerial  uint64
	// ConfigFiles is a snapshot of the blueprint: path relative to the root
	// directory → content.
	ConfigFiles map[string][]byte
	// Errored marks a plan that stopped on errors and must not be applied.
	Errored bool
}

// ResourceChange is the planned change of one resource instance.
type ResourceChange struct {
	Addr state.InstanceAddr
	// Provider is the provider configuration key, such as "std" or "local.east".
	Provider string
	Action   Action
	// Before is the prior object (null for create); After the planned one
	// (null for delete), which may hold unknown values (known after apply).
	Before, After cty.Value
	// BeforeSensitive and AfterSensitive are the paths of sensitive values.
	BeforeSensitive, AfterSensitive []cty.Path
	// RequiresReplace lists the attributes whose change forces replacement.
	RequiresReplace []cty.Path
	// Reason says why, when the cause is not the configuration itself:
	// "deleted outside bp", "no longer in the blueprint", "count reduced".
	Reason string
	// PrevAddr is set when a moved block renamed the instance.
	PrevAddr *state.InstanceAddr
	// ImportID is set when an import block adopts the object.
	ImportID string
	// Private is the provider's planned private data.
	Private []byte
	// Deposed is set for the change of a deposed object (create_before_destroy
	// left over).
	Deposed state.DeposedKey
}

// OutputChange is the planned value of a root output.
type OutputChange struct {
	Name          string
	Action        Action
	Before, After cty.Value
	Sensitive     bool
}

// Counts returns how many objects the plan adds, changes and destroys, as
// the summary line says them.
func (p *Plan) Counts() (add, change, destroy int) {
	for _, c := range p.Changes {
		switch c.Action {
		case Create:
			add++
		case Update:
			change++
		case Delete:
			destroy++
		case DeleteThenCreate, CreateThenDelete:
			add++
			destroy++
		}
	}
	return add, change, destroy
}

// HasChanges reports whether applying the plan would change anything:
// objects, outputs, or (for refresh-only plans) the recorded drift.
func (p *Plan) HasChanges() bool {
	for _, c := range p.Changes {
		if c.Action != NoOp {
			return true
		}
	}
	for _, o := range p.Outputs {
		if o.Action != NoOp {
			return true
		}
	}
	for _, h := range p.HostChanges {
		if h.HasChanges() {
			return true
		}
	}
	return p.Mode == RefreshOnly && len(p.Drift) > 0
}

// Sort orders changes and outputs by address, for stable output.
func (p *Plan) Sort() {
	byAddr := func(list []*ResourceChange) {
		sort.SliceStable(list, func(i, j int) bool {
			if c := state.CompareInstanceAddrs(list[i].Addr, list[j].Addr); c != 0 {
				return c < 0
			}
			return list[i].Deposed < list[j].Deposed
		})
	}
	byAddr(p.Changes)
	byAddr(p.Drift)
	sort.Slice(p.Outputs, func(i, j int) bool { return p.Outputs[i].Name < p.Outputs[j].Name })
	sort.SliceStable(p.HostChanges, func(i, j int) bool {
		if a, b := p.HostChanges[i], p.HostChanges[j]; a.Configure != b.Configure {
			return a.Configure < b.Configure
		}
		return false
	})
}
