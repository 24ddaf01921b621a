// Package sdk is what a provider author imports to write a Blueprint provider
// plugin in a few dozen lines: declare each resource type's attributes with
// [Attribute] and [Block], implement Create, Read, Update and Delete on a
// [ResourceData], and call [Serve] from main.
//
// The SDK turns a [Provider] into the engine's [providers.Interface] and keeps
// that interface's contract for the author: it plans Computed attributes as
// unknown on create and keeps their prior values on update, applies Defaults,
// checks Required attributes, computes RequiresReplace from ForceNew
// attributes, dispatches apply to Create, Update or Delete, turns a Read that
// finds nothing into a null state, imports by ID, and reports a panic in
// author code as an error diagnostic instead of crashing the plugin.
//
// It is not the wire protocol (that is package plugins) and not a place for
// provider-specific logic. To check a provider against the engine's contract,
// run the conformance kit in package providertest from the provider's tests.
package sdk
