// Package schemaplan is the plan of a resource change that follows from the
// resource type's schema alone: the plan a provider makes when it adds
// nothing of its own. The SDK's plugins make exactly this plan for their
// resource types without PlanModify, and bp's plugin client makes it
// itself, without a call, for the types a plugin declares schema-planned
// (see plugins.SchemaPlanner). Both sides use this one package, so the two
// cannot drift apart.
//
// It is not a place for provider logic, nor for checks of the
// configuration: a provider that needs either plans for itself.
package schemaplan
