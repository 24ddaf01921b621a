// Package blueprint loads a directory of blueprint files (*.bp.hcl, *.bp.json)
// into a typed configuration model, evaluates its expressions with go-cty and
// reports every problem as an hcl.Diagnostic with a source range.
//
// It is the first stage of the pipeline: files → blueprint → engine. It knows
// the language (blocks, arguments, references, functions, variables) and
// nothing about graphs, plans, state or providers' behaviour.
package blueprint
