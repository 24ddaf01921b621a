// Package providertest is the provider conformance kit: it drives any
// [providers.Interface] the way the Blueprint engine does and reports, with
// attribute paths, every place where the provider breaks the interface's
// contract.
//
// A provider's test names a few [Case]s — a resource type, a configuration
// to create it with, one to update it to, how to import it — and calls
// [Run]. For each case the kit checks the schema, configures the provider,
// then plans and applies a create, reads it back, plans again expecting no
// change, updates (in place or by replacement, as the case says), imports by
// ID and compares, deletes, reads after delete expecting nothing, and
// deletes again expecting success. It also reads placeholder states (the
// planned value with unknowns set to null), as the engine does after an
// interrupted create.
//
// For the resource types a provider declares schema-planned
// (plugins.SchemaPlanner, plugins.SchemaCreatePlanner), whose plans bp
// makes itself with package plugins/schemaplan, the kit compares every plan
// it makes with schemaplan's, exactly (unknown values included), and also
// plans each configuration with its values unknown. Run the kit on the
// provider in process for this check: through a plugin Client, the plans
// of declared types are schemaplan's by construction.
//
// The kit works for providers written with package sdk and for providers
// written directly against [providers.Interface] alike.
package providertest
