package plan

// Action is what a plan does to one object.
type Action string

// The actions, in the order a summary lists them.
const (
	NoOp Action = "no-op"
	// Create makes a new object.
	Create Action = "create"
	// Read reads a data source during apply, because its configuration is
	// known only then.
	Read Action = "read"
	// Update changes an object in place.
	Update Action = "update"
	// DeleteThenCreate replaces an object: the old one goes first.
	DeleteThenCreate Action = "delete-create"
	// CreateThenDelete replaces an object with create_before_destroy.
	CreateThenDelete Action = "create-delete"
	// Delete removes an object.
	Delete Action = "delete"
)

// IsReplace reports whether the action replaces an object.
func (a Action) IsReplace() bool { return a == DeleteThenCreate || a == CreateThenDelete }

// Creates reports whether the action makes a new object.
func (a Action) Creates() bool { return a == Create || a.IsReplace() }

// Deletes reports whether the action removes an object.
func (a Action) Deletes() bool { return a == Delete || a.IsReplace() }
