// Package providers defines the contract between the Blueprint engine and the
// providers that create, read, update and delete infrastructure objects: the
// [Interface] every provider implements, the [Schema] model that describes a
// provider's configuration, resource types and data sources, [Diagnostics]
// for reporting problems, [ProposedNewObject] (the engine's starting point for
// a plan) and the registry of built-in providers.
//
// Providers know no HCL syntax and no dependency graph. The engine does all
// expression evaluation: a provider only ever receives cty values that already
// conform to the implied type of its schema ([Schema.ImpliedType]). Values
// passed across this interface carry no cty marks; sensitivity is expressed by
// the schema ([Schema.SensitivePaths]) and re-applied by the engine.
//
// Built-in providers live in sub-packages (std is one) and register themselves
// with [RegisterBuiltin] in init. External providers are plugin binaries served
// by the plugins package, which adapts them to the same [Interface].
package providers
