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
// # Plans bp makes without the plugin
//
// A resource type with no PlanModify and no Required or Int attribute (at
// any depth) is planned from its schema alone, by package
// plugins/schemaplan: the engine's proposal with Defaults in place,
// Computed attributes unknown on create and kept on update, replacement
// when a ForceNew attribute changes (planned afresh as a create), the
// prior private data kept. [Serve] declares such types to bp
// ([plugins.SchemaPlanner]), and bp then computes their plans itself with
// that same package instead of calling the plugin. Likewise a type with no
// Validate and no Required or Int attribute is validated by bp alone
// ([plugins.SchemaOnlyValidator]). Adding a PlanModify, a Validate, a
// Required or an Int attribute to a type makes bp ask the plugin again;
// nothing else is needed. The conformance kit checks every plan of a
// declared type against schemaplan's.
//
// It is not the wire protocol (that is package plugins) and not a place for
// provider-specific logic. To check a provider against the engine's contract,
// run the conformance kit in package providertest from the provider's tests.
package sdk
