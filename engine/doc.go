// Package engine turns a loaded blueprint and the last state into a plan,
// and a plan into reality through providers: it builds the dependency graph
// of everything the blueprint declares, walks it in parallel to plan (refresh,
// expand count/for_each, ask providers what each change means) and to apply
// (create, update, replace and delete objects, recording each in state the
// moment it completes).
//
// It knows no HCL syntax and no concrete provider: expressions are evaluated
// through the blueprint package's Scope, and providers are reached only
// through providers.Interface.
package engine
