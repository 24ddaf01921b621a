package autoscale

import "time"

// window remembers recent clamped recommendations for the scale-in
// stabilization rule.
type window struct {
	entries []windowEntry
}

type windowEntry struct {
	at      time.Time
	desired int
}

// add records a recommendation and forgets those older than span.
func (w *window) add(now time.Time, desired int, span time.Duration) {
	w.entries = append(w.entries, windowEntry{at: now, desired: desired})
	cut := now.Add(-span)
	keep := w.entries[:0]
	for _, e := range w.entries {
		if !e.at.Before(cut) {
			keep = append(keep, e)
		}
	}
	w.entries = keep
}

// highest returns the highest recommendation in the window and when it was
// made (the latest such time); the window is never empty after add.
func (w *window) highest() (int, time.Time) {
	var best windowEntry
	for i, e := range w.entries {
		if i == 0 || e.desired >= best.desired {
			best = e
		}
	}
	return best.desired, best.at
}
