package dag

import "strings"

// DOT renders the graph in Graphviz DOT syntax, naming each vertex with
// name. Every vertex is listed in vertex order, then every edge as
// "dependent" -> "dependency" grouped the same way, so the output is the same
// on every run for a graph built the same way. Names are quoted and escaped;
// two vertices with the same name are drawn as one node.
func (g *Graph[V]) DOT(name func(V) string) string {
	var b strings.Builder
	b.WriteString("digraph {\n")
	names := make([]string, len(g.slots))
	for i := range g.slots {
		if s := &g.slots[i]; s.live {
			names[i] = dotQuote(name(s.v))
			b.WriteString("\t" + names[i] + "\n")
		}
	}
	for i := range g.slots {
		g.slots[i].deps.each(func(d int32) {
			b.WriteString("\t" + names[i] + " -> " + names[d] + "\n")
		})
	}
	b.WriteString("}\n")
	return b.String()
}

// dotEscaper escapes a name for a DOT double-quoted ID: quotes and
// backslashes are escaped, and line breaks become \n, which Graphviz draws as
// a line break.
var dotEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

func dotQuote(s string) string { return `"` + dotEscaper.Replace(s) + `"` }
