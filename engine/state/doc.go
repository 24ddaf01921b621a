// Package state holds what bp knows about the real world after a command:
// the objects each resource instance maps to, the root module's outputs, and
// the bookkeeping (lineage, serial) that keeps two copies of a state from
// being confused.
//
// It provides the in-memory model (State, Resource, Instance, Object), the
// resource and instance addresses users type on the command line, the JSON
// file format, the Backend contract for storing a state with locking, the
// local file backend, and Sync, which lets a parallel apply walk record every
// change durably without writing the whole state once per change.
//
// It is not the plan: planned changes, unknown values and config live in the
// engine. Everything in a State is known.
package state
