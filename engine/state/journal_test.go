package state

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// journalFixture writes a state of n instances with a fresh Local, so that
// the next writes of that Local go to the journal.
func journalFixture(t *testing.T, n int) (path string, b *Local, s *State) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "bp.state")
	b = NewLocal(path)
	s = New()
	for i := range n {
		s.SetInstance(mustAddr(t, fmt.Sprintf("t.a[%d]", i)), "p", obj(fmt.Sprint(i)))
	}
	if err := b.Write(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return path, b, s
}

func TestJournalRecordsChangesAndCompacts(t *testing.T) {
	ctx := context.Background()
	path, b, s := journalFixture(t, 50)
	base, _ := os.ReadFile(path)

	s.SetInstance(mustAddr(t, "t.a[3]"), "p", obj("changed"))
	s.RemoveInstance(mustAddr(t, "t.a[4]"))
	s.SetInstance(mustAddr(t, `module.m.u.b["x"]`), "q", obj("new"))
	if err := b.Write(ctx, s); err != nil {
		t.Fatal(err)
	}
	s.SetOutput("o", &Output{Value: cty.StringVal("v"), Sensitive: true})
	s.SetInstance(mustAddr(t, "t.a[5]"), "p", nil)
	if err := b.Write(ctx, s); err != nil {
		t.Fatal(err)
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, base) {
		t.Error("small changes rewrote the state file instead of the journal")
	}
	journal, err := os.ReadFile(path + ".journal")
	if err != nil {
		t.Fatal(err)
	}
	if lines := bytes.Count(journal, []byte("\n")); lines != 2 || len(journal) > len(base)/4 {
		t.Errorf("journal has %d lines and %d bytes; want 2 short lines", lines, len(journal))
	}
	got, err := NewLocal(path).Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	assertStatesEqual(t, got, s)

	if err := b.Compact(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".journal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("journal left after Compact: %v", err)
	}
	data, _ := os.ReadFile(path)
	fromFile, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	assertStatesEqual(t, fromFile, s)
}

func TestJournalFoldedWhenItOutgrowsTheState(t *testing.T) {
	ctx := context.Background()
	path, b, s := journalFixture(t, 4)
	for i := range 20 {
		s.SetInstance(mustAddr(t, "t.a[0]"), "p", obj(fmt.Sprint("v", i)))
		if err := b.Write(ctx, s); err != nil {
			t.Fatal(err)
		}
		base, _ := os.ReadFile(path)
		journal, _ := os.ReadFile(path + ".journal")
		if len(journal) > len(base) {
			t.Fatalf("write %d: journal (%d bytes) outgrew the state file (%d bytes)", i, len(journal), len(base))
		}
	}
	got, err := NewLocal(path).Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	assertStatesEqual(t, got, s)
}

func TestUnlockCompacts(t *testing.T) {
	ctx := context.Background()
	path, b, s := journalFixture(t, 10)
	id, err := b.Lock(ctx, NewLockInfo("apply"))
	if err != nil {
		t.Fatal(err)
	}
	s.SetInstance(mustAddr(t, "t.z"), "p", obj("z"))
	if err := b.Write(ctx, s); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".journal"); err != nil {
		t.Fatalf("no journal: %v", err)
	}
	if err := b.Unlock(id); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".journal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("journal left after Unlock: %v", err)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), `"name": "z"`) {
		t.Error("state file lacks the journaled change after Unlock")
	}
}

func TestReplayJournal(t *testing.T) {
	base := New()
	base.Lineage = "L"
	base.Serial = 5
	base.SetInstance(mustAddr(t, "t.a"), "p", obj("a"))
	data, err := Encode(base)
	if err != nil {
		t.Fatal(err)
	}
	set := func(serial int, id string) string {
		return fmt.Sprintf(`{"lineage":"L","serial":%d,"set":[{"module":"","mode":"managed","type":"t","name":"a","provider":"p","instances":[{"index_key":null,"status":"ready","attributes":{"id":%q},"attributes_type":["object",{"id":"string"}]}]}]}`, serial, id)
	}
	tests := []struct {
		name    string
		journal string
		wantID  string // of t.a; "" when removed
		serial  uint64
		wantErr string
	}{
		{name: "applies records", journal: set(6, "six") + "\n" + set(7, "seven") + "\n", wantID: "seven", serial: 7},
		{name: "skips folded records", journal: set(4, "old") + "\n" + set(5, "five") + "\n", wantID: "a", serial: 5},
		{name: "ignores a record cut short", journal: set(6, "six") + "\n" + set(7, "seven")[:40], wantID: "six", serial: 6},
		{name: "removes", journal: `{"lineage":"L","serial":6,"removed":["t.a"],"outputs":{"o":{"value":1,"type":"number","sensitive":false}}}` + "\n", serial: 6},
		{name: "damaged", journal: set(6, "six")[:40] + "\n" + set(7, "seven") + "\n", wantErr: "is damaged at line 1"},
		{name: "other lineage", journal: strings.Replace(set(6, "x"), `"L"`, `"M"`, 1) + "\n", wantErr: "belongs to state lineage M"},
		{name: "bad resource", journal: `{"lineage":"L","serial":6,"set":[{"mode":"x"}]}` + "\n", wantErr: `set[0]: mode "x"`},
		{name: "bad removal", journal: `{"lineage":"L","serial":6,"removed":["x"]}` + "\n", wantErr: `invalid address "x"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bp.state")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path+".journal", []byte(tc.journal), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := NewLocal(path).Read(context.Background())
			checkErr(t, err, tc.wantErr)
			if tc.wantErr != "" {
				return
			}
			if id := idOf(got.Object(mustAddr(t, "t.a"))); (tc.wantID == "" && id != "<nil>") || (tc.wantID != "" && id != tc.wantID) {
				t.Errorf("t.a is %s, want %q", id, tc.wantID)
			}
			if got.Serial != tc.serial {
				t.Errorf("serial %d, want %d", got.Serial, tc.serial)
			}
		})
	}
}

func TestFirstWriteDropsStaleJournal(t *testing.T) {
	ctx := context.Background()
	path, b, s := journalFixture(t, 3)
	s.SetInstance(mustAddr(t, "t.z"), "p", obj("z"))
	if err := b.Write(ctx, s); err != nil {
		t.Fatal(err)
	}
	// b "crashes" here: a new process reads base + journal and writes.
	next := NewLocal(path)
	s2, err := next.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s2.SetInstance(mustAddr(t, "t.y"), "p", obj("y"))
	if err := next.Write(ctx, s2); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".journal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a new Local appended to a journal it did not start: %v", err)
	}
	got, err := NewLocal(path).Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	assertStatesEqual(t, got, s2)
}

// TestJournalRecordsCreating follows a create through the journal: the
// placeholder recorded before it, then the object that replaces it.
func TestJournalRecordsCreating(t *testing.T) {
	ctx := context.Background()
	path, b, s := journalFixture(t, 20)
	addr := mustAddr(t, "t.new")
	steps := []struct {
		name string
		obj  *Object
	}{
		{name: "placeholder", obj: &Object{Value: cty.ObjectVal(map[string]cty.Value{"id": cty.NullVal(cty.String), "name": cty.StringVal("n")}), Status: Creating}},
		{name: "created", obj: &Object{Value: cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("i-9"), "name": cty.StringVal("n")})}},
	}
	for _, step := range steps {
		s.SetInstance(addr, "p", step.obj)
		if err := b.Write(ctx, s); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if _, err := os.Stat(path + ".journal"); err != nil {
			t.Fatalf("%s: not written to the journal: %v", step.name, err)
		}
		got, err := NewLocal(path).Read(ctx)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		assertStatesEqual(t, got, s)
	}
}
