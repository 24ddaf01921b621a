package agentapi

// LineType is the "type" member of every line the agent writes.
type LineType string

// The line types, in the order they appear on the agent's stdout.
const (
	TypeFacts   LineType = "facts"
	TypeResult  LineType = "result"
	TypeHandler LineType = "handler"
	TypeDone    LineType = "done"
)

// Line is one line of the agent's output: *FactsLine, *Result, *Handler or
// *Done.
type Line interface {
	// LineType is the value of the line's "type" member.
	LineType() LineType
}

// Status is the outcome of one resource or handler.
type Status string

const (
	// StatusUnchanged: the resource already was as desired.
	StatusUnchanged Status = "unchanged"
	// StatusChanged: the resource was changed (check mode: would change).
	StatusChanged Status = "changed"
	// StatusFailed: checking or changing the resource failed; Error says why.
	StatusFailed Status = "failed"
	// StatusSkipped: an earlier resource failed, so this one was not run.
	StatusSkipped Status = "skipped"
)

// Action is what a handler does to a notified service.
type Action string

const (
	// ActionRestart restarts the service.
	ActionRestart Action = "restart"
	// ActionReload reloads it (reload_command, or `systemctl reload`).
	ActionReload Action = "reload"
)

// FactsLine is the first line the agent writes, before it reads the request.
type FactsLine struct {
	Type  LineType `json:"type"` // always TypeFacts
	Facts Facts    `json:"facts"`
}

// Result is the outcome of converging one resource.
type Result struct {
	Type   LineType `json:"type"` // always TypeResult
	ID     string   `json:"id"`
	Status Status   `json:"status"`
	// Changes are short human lines, such as "mode 0644 → 0600" or
	// "install nginx".
	Changes []string `json:"changes,omitempty"`
	// Diff is a unified diff for files, templates and lines, or
	// "(sensitive)" when the resource is sensitive.
	Diff string `json:"diff,omitempty"`
	// Output is the tail of a command's output (exec, failed package
	// calls), "(sensitive)" when the resource is sensitive.
	Output string `json:"output,omitempty"`
	// Error says why the resource failed.
	Error      string `json:"error,omitempty"`
	DurationMS int64  `json:"duration_ms"`
}

// Handler is the outcome of restarting or reloading one notified service.
type Handler struct {
	Type   LineType `json:"type"` // always TypeHandler
	ID     string   `json:"id"`
	Action Action   `json:"action"`
	// Status is StatusChanged or StatusFailed.
	Status Status `json:"status"`
	Error  string `json:"error,omitempty"`
}

// Done is the last line of a run that did not stop on an internal error.
// Counts are of resources, except that Failed also counts failed handlers
// (a failed restart stays pending and fails the run).
type Done struct {
	Type       LineType `json:"type"` // always TypeDone
	Changed    int      `json:"changed"`
	Unchanged  int      `json:"unchanged"`
	Failed     int      `json:"failed"`
	Skipped    int      `json:"skipped"`
	DurationMS int64    `json:"duration_ms"`
}

// LineType implements Line.
func (*FactsLine) LineType() LineType { return TypeFacts }

// LineType implements Line.
func (*Result) LineType() LineType { return TypeResult }

// LineType implements Line.
func (*Handler) LineType() LineType { return TypeHandler }

// LineType implements Line.
func (*Done) LineType() LineType { return TypeDone }

var (
	_ Line = (*FactsLine)(nil)
	_ Line = (*Result)(nil)
	_ Line = (*Handler)(nil)
	_ Line = (*Done)(nil)
)
