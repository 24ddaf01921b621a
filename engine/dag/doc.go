// Package dag is a generic directed acyclic graph and its parallel walker.
//
// A Graph holds vertices of any comparable type (pointers, strings, small
// structs) and edges meaning "A depends on B". It answers structural questions
// (dependencies, dependents, transitive closures, roots and leaves), finds
// every dependency cycle so a caller can report each one in a single
// diagnostic, orders vertices topologically, renders Graphviz DOT, and walks
// the graph calling a function for each vertex once all its dependencies have
// succeeded, many at a time.
//
// The package knows nothing of resources, configuration or providers: the
// engine builds graphs of its own vertex type and gives them meaning. Every
// operation is linear in the size of the graph or better, and the cycle and
// ordering algorithms are iterative, so graphs of hundreds of thousands of
// vertices (including long chains) are fine.
//
// A Graph is not safe for concurrent mutation; concurrent reads (including
// concurrent walks) are safe while nothing mutates it. Walk works on a
// snapshot taken when it starts, so the walk function may change the graph
// without affecting the walk in progress.
package dag
