// Package planview renders plans, states and outputs for people, the way
// `bp plan`, `bp apply`, `bp show` and `bp output` print them: one block per
// resource change with +/~/- markers, the attributes one per line, values
// known only after apply and sensitive values written as placeholders, and
// a summary line.
//
// It only formats. Whether to use color, which stream to write to and what
// the exit code is are the caller's decisions. The machine-readable forms
// live in engine/plan (plan.JSON, plan.StateJSON).
//
// Sensitive values are never written: a value marked sensitive, or at a
// path the plan or state records as sensitive, is shown as
// "(sensitive value)" wherever it appears, including inside lists, maps,
// heredocs and outputs.
package planview
