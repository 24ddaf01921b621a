package resources

import (
	"context"
	"strings"
	"sync"
	"testing"
)

// convergeCase is one kind test on this machine: setup prepares dir, attrs
// are the resource's arguments, holds reports whether the host is in the
// desired state.
type convergeCase struct {
	name  string
	kind  string
	setup func(t *testing.T, dir string)
	attrs func(dir string) map[string]any
	holds func(t *testing.T, dir string) bool
	// wantChange is a substring of the first check's changes.
	wantChange string
	// wantDiff is a substring of the first check's diff text.
	wantDiff string
}

// runConvergeCase checks the kind's contract: check reports the change
// without making it, apply makes it, and a second check finds nothing.
func runConvergeCase(t *testing.T, env *Env, tc convergeCase) {
	t.Helper()
	dir := t.TempDir()
	if tc.setup != nil {
		tc.setup(t, dir)
	}
	ctx := context.Background()
	attrs := tc.attrs(dir)
	r := mustNew(t, tc.kind, attrs)
	if tc.holds(t, dir) {
		t.Fatal("the desired state holds before anything ran; the case tests nothing")
	}
	d, err := r.Check(ctx, env)
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	if !d.Changed() {
		t.Fatal("check found nothing to change")
	}
	if !strings.Contains(strings.Join(d.Changes, "\n"), tc.wantChange) {
		t.Errorf("changes %q do not mention %q", d.Changes, tc.wantChange)
	}
	if !strings.Contains(d.Text, tc.wantDiff) {
		t.Errorf("diff does not contain %q:\n%s", tc.wantDiff, d.Text)
	}
	if tc.holds(t, dir) {
		t.Fatal("check changed the host")
	}
	if err := r.Apply(ctx, env); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if !tc.holds(t, dir) {
		t.Fatal("apply did not bring the host to the desired state")
	}
	again := mustNew(t, tc.kind, attrs)
	d, err = again.Check(ctx, env)
	if err != nil {
		t.Fatalf("second check: %v", err)
	}
	if d.Changed() {
		t.Fatalf("second check still finds changes: %q\n%s", d.Changes, d.Text)
	}
}

func mustNew(t *testing.T, kind string, attrs map[string]any) Resource {
	t.Helper()
	r, problems := New(kind, attrs)
	if problems != nil {
		t.Fatalf("New(%s): %v", kind, problems)
	}
	return r
}

// fakeRunner records commands and answers them with respond, or runs them
// for real when respond returns ok = false.
type fakeRunner struct {
	mu      sync.Mutex
	calls   []string
	respond func(c Command) (CommandResult, bool)
}

func (f *fakeRunner) Run(ctx context.Context, c Command) (CommandResult, error) {
	f.mu.Lock()
	f.calls = append(f.calls, c.String())
	f.mu.Unlock()
	if f.respond != nil {
		if res, ok := f.respond(c); ok {
			return res, nil
		}
	}
	return ExecRunner{}.Run(ctx, c)
}

func (f *fakeRunner) callsWith(prefix string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}
