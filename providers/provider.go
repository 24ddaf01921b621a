package providers

import (
	"context"

	"github.com/zclconf/go-cty/cty"
)

// Interface is what every provider implements, built in or behind the plugin
// protocol. Each call takes a request struct and returns a response struct
// carrying its own Diagnostics, so fields can be added without breaking
// implementations.
//
// # Values
//
// Every cty.Value the engine passes conforms to the implied type of the
// relevant schema ([Schema.ImpliedType]), carries no marks, and has already
// been evaluated: a provider never sees HCL. Values a provider returns must
// conform to the same type. A null value of the object type means "no
// object". Private byte slices are opaque to the engine; it stores them with
// the state and hands them back on the next call about the same object.
//
// # Order and concurrency
//
//   - GetSchema and the Validate calls may be made at any time, any number of
//     times, concurrently with each other, before or after Configure. They
//     must have no side effects. Validate calls may see unknown values.
//   - Configure is called exactly once, before any resource or data source
//     call (Plan, Apply, Read, Import, ReadDataSource).
//   - After Configure returns without errors, all resource and data source
//     calls may run concurrently with each other, for different objects. The
//     engine never runs two calls about the same object at the same time.
//   - Stop may be called at any time from another goroutine. Close is called
//     last, after every other call has returned; no call follows it.
//
// Cancelling a call's ctx means the same as Stop for that call.
//
// # Plan and apply
//
// PlanResourceChange has no side effects and may be called any number of
// times. Every value it plans as known must be exactly what
// ApplyResourceChange returns; only unknown planned values may be decided by
// apply. Non-Computed attributes must be planned equal to the configuration.
//
// ApplyResourceChange creates when PriorState is null, deletes when
// PlannedState is null (and must then return a null NewState), and otherwise
// updates in place. It must be idempotent: a create of an object that already
// exists in the desired shape succeeds, and a delete of an object that is
// already gone succeeds. On failure it still returns in NewState whatever
// exists (a null value if nothing was created), because the engine records
// NewState even when Diagnostics hold errors.
//
// ReadResource refreshes the state of an existing object without changing the
// object. A null NewState means the object no longer exists.
type Interface interface {
	// GetSchema returns the provider's schemas. It must return the same
	// result on every call.
	GetSchema(ctx context.Context) GetSchemaResponse

	// ValidateProviderConfig checks the provider block's values beyond what
	// the schema already guarantees.
	ValidateProviderConfig(ctx context.Context, req ValidateProviderConfigRequest) ValidateProviderConfigResponse
	// ValidateResourceConfig checks a resource's configuration beyond what
	// the schema already guarantees (ranges, formats, combinations).
	ValidateResourceConfig(ctx context.Context, req ValidateResourceConfigRequest) ValidateResourceConfigResponse
	// ValidateDataSourceConfig checks a data source's configuration.
	ValidateDataSourceConfig(ctx context.Context, req ValidateDataSourceConfigRequest) ValidateDataSourceConfigResponse

	// Configure gives the provider its configuration (wholly known). It is
	// called once, before any resource or data source call.
	Configure(ctx context.Context, req ConfigureRequest) ConfigureResponse

	// PlanResourceChange decides what applying ProposedNewState to the
	// object in PriorState will produce, and which changes force replacement.
	PlanResourceChange(ctx context.Context, req PlanResourceChangeRequest) PlanResourceChangeResponse
	// ApplyResourceChange makes the object match PlannedState: create,
	// update in place, or delete (null PlannedState).
	ApplyResourceChange(ctx context.Context, req ApplyResourceChangeRequest) ApplyResourceChangeResponse
	// ReadResource returns the current state of the object described by
	// CurrentState, or a null NewState if the object is gone. CurrentState
	// may be a placeholder the engine recorded before an interrupted create:
	// the planned value with every value unknown at plan time set to null.
	// Read must tolerate such nulls, finding the object by the attributes it
	// has (a name, a path) or reporting it gone.
	ReadResource(ctx context.Context, req ReadResourceRequest) ReadResourceResponse
	// ImportResourceState finds an existing object by the user-supplied ID
	// and returns its state so that Blueprint can manage it. The engine calls
	// ReadResource on each imported object afterwards.
	ImportResourceState(ctx context.Context, req ImportResourceStateRequest) ImportResourceStateResponse
	// ReadDataSource reads a data source. Its Config is wholly known: the
	// engine defers the read until every value is known.
	ReadDataSource(ctx context.Context, req ReadDataSourceRequest) ReadDataSourceResponse

	// Stop asks every in-flight call to return as soon as it safely can. It
	// returns once the request is made, not when the calls have returned.
	Stop(ctx context.Context) error
	// Close releases the provider's resources (connections, processes).
	Close() error
}

// GetSchemaResponse is the result of [Interface.GetSchema].
type GetSchemaResponse struct {
	Schema      ProviderSchema
	Diagnostics Diagnostics
}

// ValidateProviderConfigRequest is the input of [Interface.ValidateProviderConfig].
type ValidateProviderConfigRequest struct {
	// Config is the provider block's value; it may contain unknown values.
	Config cty.Value
}

// ValidateProviderConfigResponse is the result of [Interface.ValidateProviderConfig].
type ValidateProviderConfigResponse struct {
	Diagnostics Diagnostics
}

// ValidateResourceConfigRequest is the input of [Interface.ValidateResourceConfig].
type ValidateResourceConfigRequest struct {
	TypeName string
	// Config is the resource block's value; it may contain unknown values.
	Config cty.Value
}

// ValidateResourceConfigResponse is the result of [Interface.ValidateResourceConfig].
type ValidateResourceConfigResponse struct {
	Diagnostics Diagnostics
}

// ValidateDataSourceConfigRequest is the input of [Interface.ValidateDataSourceConfig].
type ValidateDataSourceConfigRequest struct {
	TypeName string
	// Config is the data block's value; it may contain unknown values.
	Config cty.Value
}

// ValidateDataSourceConfigResponse is the result of [Interface.ValidateDataSourceConfig].
type ValidateDataSourceConfigResponse struct {
	Diagnostics Diagnostics
}

// ConfigureRequest is the input of [Interface.Configure].
type ConfigureRequest struct {
	// Config is the provider block's value, wholly known. It is a null value
	// of the provider schema's implied type when no provider block is written.
	Config cty.Value
}

// ConfigureResponse is the result of [Interface.Configure].
type ConfigureResponse struct {
	Diagnostics Diagnostics
}

// PlanResourceChangeRequest is the input of [Interface.PlanResourceChange].
type PlanResourceChangeRequest struct {
	TypeName string
	// PriorState is the object's state after refresh; null when the object
	// is to be created (including the create half of a replacement).
	PriorState cty.Value
	// ProposedNewState is the engine's proposal, built by
	// [ProposedNewObject]; null when the object is to be destroyed, in which
	// case PlannedState must be null too.
	ProposedNewState cty.Value
	// Config is the resource block's value; it may contain unknown values.
	// Null when the object is to be destroyed.
	Config cty.Value
	// PriorPrivate is the Private data stored with PriorState.
	PriorPrivate []byte
}

// PlanResourceChangeResponse is the result of [Interface.PlanResourceChange].
type PlanResourceChangeResponse struct {
	// PlannedState is what the object will look like after apply, with
	// unknown values for what only apply can tell.
	PlannedState cty.Value
	// RequiresReplace lists the paths whose change cannot be made in place.
	// When it is non-empty the engine replaces the object: it destroys and
	// creates it, planning the create half with a second call whose
	// PriorState is null.
	RequiresReplace []cty.Path
	// PlannedPrivate is passed to ApplyResourceChange as PlannedPrivate.
	PlannedPrivate []byte
	Diagnostics    Diagnostics
}

// ApplyResourceChangeRequest is the input of [Interface.ApplyResourceChange].
type ApplyResourceChangeRequest struct {
	TypeName string
	// PriorState is null for a create.
	PriorState cty.Value
	// PlannedState is the result of PlanResourceChange; null for a delete.
	// The engine plans again at apply time, once upstream values are known,
	// so it may hold fewer unknown values than the saved plan showed.
	PlannedState cty.Value
	// Config is the resource block's value, wholly known; null for a delete.
	Config cty.Value
	// PlannedPrivate is the PlannedPrivate returned by PlanResourceChange.
	PlannedPrivate []byte
}

// ApplyResourceChangeResponse is the result of [Interface.ApplyResourceChange].
type ApplyResourceChangeResponse struct {
	// NewState is the object's state after apply, wholly known; null after a
	// delete or when a create failed before anything existed.
	NewState cty.Value
	// Private is stored with NewState and returned on later calls.
	Private     []byte
	Diagnostics Diagnostics
}

// ReadResourceRequest is the input of [Interface.ReadResource].
type ReadResourceRequest struct {
	TypeName string
	// CurrentState is the state recorded after the last apply or read.
	CurrentState cty.Value
	// Private is the Private data stored with CurrentState.
	Private []byte
}

// ReadResourceResponse is the result of [Interface.ReadResource].
type ReadResourceResponse struct {
	// NewState is the object as it is now; null if it no longer exists.
	NewState cty.Value
	// Private replaces the stored Private data.
	Private     []byte
	Diagnostics Diagnostics
}

// ImportResourceStateRequest is the input of [Interface.ImportResourceState].
type ImportResourceStateRequest struct {
	TypeName string
	// ID identifies the existing object in the provider's own terms (a file
	// path, a cloud resource ID), as written in the import block.
	ID string
}

// ImportResourceStateResponse is the result of [Interface.ImportResourceState].
type ImportResourceStateResponse struct {
	// Imported holds the objects found; usually one.
	Imported    []ImportedResource
	Diagnostics Diagnostics
}

// ImportedResource is one object found by [Interface.ImportResourceState].
type ImportedResource struct {
	TypeName string
	// State may be partial (only identifying attributes set); the engine
	// completes it with ReadResource.
	State   cty.Value
	Private []byte
}

// ReadDataSourceRequest is the input of [Interface.ReadDataSource].
type ReadDataSourceRequest struct {
	TypeName string
	// Config is the data block's value, wholly known.
	Config cty.Value
}

// ReadDataSourceResponse is the result of [Interface.ReadDataSource].
type ReadDataSourceResponse struct {
	// State is the data source's value, wholly known.
	State       cty.Value
	Diagnostics Diagnostics
}
