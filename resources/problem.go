package resources

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a resource's arguments. Attribute names
// the argument ("" when the problem is about the whole block), so bp can
// point a diagnostic at it.
type Problem struct {
	Attribute string
	// Summary is short and fixed, such as "Invalid mode".
	Summary string
	// Detail is a full sentence: what is wrong and how to fix it.
	Detail string
}

// Error formats the problem as one line.
func (p Problem) Error() string {
	if p.Attribute == "" {
		return p.Summary + ": " + p.Detail
	}
	return fmt.Sprintf("%s: %s: %s", p.Attribute, p.Summary, p.Detail)
}

// Validate checks a kind's arguments without touching the host: that the
// kind exists, that every argument is known and of its type, that required
// ones are set, and each kind's own rules (such as "mode must be an octal
// string like \"0644\""). A nil value means the argument is not set. The
// NameAttribute may be absent: the block label supplies it.
func Validate(kind string, attrs map[string]any) []Problem {
	_, problems := New(kind, attrs)
	return problems
}

// problemsError joins problems into one error message for a result line.
func problemsError(problems []Problem) string {
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.Error()
	}
	return "invalid arguments: " + strings.Join(msgs, "; ")
}

// suggest returns ` Did you mean "x"?` when a name is close to one of
// names, or "".
func suggest(name string, names []string) string {
	best, bestDist := "", 3
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	for _, n := range sorted {
		if d := editDistance(name, n); d < bestDist {
			best, bestDist = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
