package sdk

import "context"

// Provider describes a whole provider: its configuration, resource types and
// data sources. Turn it into the engine's interface with [Provider.Interface],
// or serve it as a plugin with [Serve].
type Provider struct {
	// Name is the provider's local name, such as "kv"; resource type names
	// start with it ("kv_entry").
	Name string
	// Version is the provider's semantic version, such as "0.1.0".
	Version string
	// Description explains the provider block, in documentation.
	Description string
	// Config declares the provider block's attributes.
	Config Attributes
	// Configure receives the provider block's values, with Defaults applied,
	// and returns the meta value (an API client, a directory) handed to
	// every resource and data source call. It is called once, before any
	// such call. A nil Configure gives a nil meta.
	Configure func(ctx context.Context, config *ResourceData) (meta any, diags Diagnostics)
	// Resources maps resource type names to their descriptions.
	Resources map[string]*Resource
	// DataSources maps data source type names to their descriptions.
	DataSources map[string]*DataSource
}

// CRUDFunc is the signature of a resource's Create, Read, Update and Delete,
// of PlanModify, and of a data source's Read. d holds the object's values;
// meta is what the provider's Configure returned.
type CRUDFunc func(ctx context.Context, d *ResourceData, meta any) Diagnostics

// Resource describes one resource type.
//
// The SDK adds a Computed String attribute "id" unless the author declares
// one; Create must set it with [ResourceData.SetID].
type Resource struct {
	// Description explains the resource type, in documentation.
	Description string
	// Attributes and Blocks declare the resource's values.
	Attributes Attributes
	Blocks     Blocks

	// Validate checks the configuration beyond what the schema says (ranges,
	// formats, combinations). Values may be unknown: check
	// [ResourceData.IsKnown] before judging one. Optional.
	Validate func(d *ResourceData) Diagnostics
	// PlanModify adjusts a plan: d holds the planned values, with the prior
	// state behind [ResourceData.HasChange]. It may set Computed attributes
	// the provider can already tell, or mark them unknown with
	// [ResourceData.SetUnknown] when an update will change them. Optional;
	// it must have no side effects. Without it (and without Required or Int
	// attributes), bp plans the type itself, without calling the plugin:
	// see the package documentation.
	PlanModify CRUDFunc

	// Create creates the object from the planned values in d and sets the
	// Computed ones, at least the id. It must succeed when the object
	// already exists in the desired shape. When it fails after creating
	// something, it must still set the id so the object is recorded.
	Create CRUDFunc
	// Read refreshes d from the real object, or calls [ResourceData.SetGone]
	// when there is none. d may be a placeholder recorded before an
	// interrupted create: the id and other values unknown at plan time are
	// then empty, and Read should find the object by the values it has or
	// report it gone. A Read that leaves the id empty reports it gone.
	Read CRUDFunc
	// Update changes the object in place to the planned values in d. If it
	// fails, the prior state is kept, so the next plan proposes the change
	// again. A nil Update makes every configurable attribute ForceNew.
	Update CRUDFunc
	// Delete deletes the object described by d. It must succeed when the
	// object is already gone.
	Delete CRUDFunc
	// Import prepares d, whose id is already set to the ID the user gave, so
	// that Read can find the object, for example by setting the attributes
	// the ID encodes. A nil Import passes the ID through unchanged. Read is
	// always called next; an import whose Read finds nothing fails.
	Import func(ctx context.Context, id string, d *ResourceData, meta any) Diagnostics
}

// DataSource describes one data source type.
type DataSource struct {
	// Description explains the data source, in documentation.
	Description string
	// Attributes and Blocks declare the data source's values: its arguments
	// and the Computed results Read sets.
	Attributes Attributes
	Blocks     Blocks
	// Validate checks the configuration, like [Resource.Validate]. Optional.
	Validate func(d *ResourceData) Diagnostics
	// Read sets the Computed attributes from the arguments in d.
	Read CRUDFunc
}
