package plan

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/engine/state"
)

func TestFileRoundTrip(t *testing.T) {
	want := fixture(t)
	file := filepath.Join(t.TempDir(), "plan.bpplan")
	if err := WriteFile(file, want); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("plan file mode = %o, want 600", perm)
	}
	if entries, _ := os.ReadDir(filepath.Dir(file)); len(entries) != 1 {
		t.Errorf("WriteFile left %d files in the directory, want only the plan", len(entries))
	}
	got, err := ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}

	if got.Mode != want.Mode || got.Errored != want.Errored || got.StateLineage != want.StateLineage || got.StateSerial != want.StateSerial {
		t.Errorf("header: got %v/%v/%v/%v", got.Mode, got.Errored, got.StateLineage, got.StateSerial)
	}
	t.Run("changes", func(t *testing.T) { compareChanges(t, got.Changes, want.Changes) })
	t.Run("drift", func(t *testing.T) { compareChanges(t, got.Drift, want.Drift) })
	t.Run("outputs", func(t *testing.T) {
		if len(got.Outputs) != len(want.Outputs) {
			t.Fatalf("got %d outputs, want %d", len(got.Outputs), len(want.Outputs))
		}
		for i, w := range want.Outputs {
			g := got.Outputs[i]
			if g.Name != w.Name || g.Action != w.Action || g.Sensitive != w.Sensitive || !g.Before.RawEquals(w.Before) || !g.After.RawEquals(w.After) {
				t.Errorf("output %s: got %#v, want %#v", w.Name, g, w)
			}
		}
	})
	t.Run("variables", func(t *testing.T) {
		if len(got.Variables) != len(want.Variables) {
			t.Fatalf("got %d variables, want %d", len(got.Variables), len(want.Variables))
		}
		for name, w := range want.Variables {
			// RawEquals compares marks too: sensitive variables come back marked.
			if g := got.Variables[name]; !g.RawEquals(w) {
				t.Errorf("variable %s: got %#v, want %#v", name, g, w)
			}
		}
	})
	t.Run("prior state", func(t *testing.T) {
		a, _ := state.Encode(want.PriorState)
		b, _ := state.Encode(got.PriorState)
		if !bytes.Equal(a, b) {
			t.Errorf("prior state differs:\n%s\nwant\n%s", b, a)
		}
	})
	t.Run("config files", func(t *testing.T) {
		if len(got.ConfigFiles) != len(want.ConfigFiles) {
			t.Fatalf("got %d files, want %d", len(got.ConfigFiles), len(want.ConfigFiles))
		}
		for name, data := range want.ConfigFiles {
			if !bytes.Equal(got.ConfigFiles[name], data) {
				t.Errorf("%s: got %q, want %q", name, got.ConfigFiles[name], data)
			}
		}
	})
	t.Run("stable", func(t *testing.T) {
		a, err := Encode(want)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Encode(got)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Error("encoding the decoded plan gives different bytes")
		}
	})
}

func compareChanges(t *testing.T, got, want []*ResourceChange) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d changes, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		t.Run(w.Addr.String(), func(t *testing.T) {
			if g.Addr != w.Addr || g.Provider != w.Provider || g.Action != w.Action || g.Reason != w.Reason ||
				g.ImportID != w.ImportID || g.Deposed != w.Deposed || !bytes.Equal(g.Private, w.Private) {
				t.Errorf("got %+v\nwant %+v", g, w)
			}
			if (g.PrevAddr == nil) != (w.PrevAddr == nil) || g.PrevAddr != nil && *g.PrevAddr != *w.PrevAddr {
				t.Errorf("PrevAddr: got %v, want %v", g.PrevAddr, w.PrevAddr)
			}
			if !g.Before.RawEquals(w.Before) {
				t.Errorf("Before: got %#v, want %#v", g.Before, w.Before)
			}
			if !g.After.RawEquals(w.After) {
				t.Errorf("After: got %#v, want %#v", g.After, w.After)
			}
			for _, p := range []struct {
				name      string
				got, want []cty.Path
			}{{"BeforeSensitive", g.BeforeSensitive, w.BeforeSensitive}, {"AfterSensitive", g.AfterSensitive, w.AfterSensitive}, {"RequiresReplace", g.RequiresReplace, w.RequiresReplace}} {
				if len(p.got) != len(p.want) {
					t.Errorf("%s: got %d paths, want %d", p.name, len(p.got), len(p.want))
					continue
				}
				for j := range p.want {
					if !p.got[j].Equals(p.want[j]) {
						t.Errorf("%s[%d]: got %s, want %s", p.name, j, state.FormatPath(p.got[j]), state.FormatPath(p.want[j]))
					}
				}
			}
		})
	}
}

func TestFileNilValues(t *testing.T) {
	// Plans built by hand may leave values unset; they come back unset.
	p := &Plan{Mode: Destroy, Errored: true, Changes: []*ResourceChange{{Addr: mustAddr(t, "std_null.a"), Action: Delete}}}
	data, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if c := got.Changes[0]; c.Before != cty.NilVal || c.After != cty.NilVal || got.PriorState != nil || !got.Errored {
		t.Errorf("got %+v", c)
	}
}

func TestReadFileErrors(t *testing.T) {
	good, err := Encode(fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	st := state.New()
	stateData, err := state.Encode(st)
	if err != nil {
		t.Fatal(err)
	}
	replace := func(old, new string) []byte {
		if !bytes.Contains(good, []byte(old)) {
			t.Fatalf("fixture encoding lacks %q", old)
		}
		return bytes.Replace(good, []byte(old), []byte(new), 1)
	}
	garbage := base64.StdEncoding.EncodeToString([]byte{0xc1, 0xff, 0x00})
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a bp plan file"},
		{"text", []byte("resource \"x\" \"y\" {}\n"), "not a bp plan file"},
		{"binary", []byte{0x50, 0x4b, 3, 4, 0, 0}, "not a bp plan file"},
		{"other json", []byte(`{"a": 1}`), "not a bp plan file"},
		{"state file", stateData, "this is a state file, not a plan file"},
		{"other kind", []byte(`{"kind":"bp-state","format_version":1}`), `its kind is "bp-state"`},
		{"newer version", replace(`"format_version":1`, `"format_version":2`), "format version 2 is newer than this bp understands"},
		{"older version", replace(`"format_version":1`, `"format_version":0`), "unsupported plan file format version 0"},
		{"no version", replace(`"format_version":1,`, ``), `no "format_version"`},
		{"truncated", good[:len(good)/2], "the plan file is corrupted"},
		{"bad mode", replace(`"mode":"normal"`, `"mode":"sideways"`), `unknown mode "sideways"`},
		{"bad action", replace(`"action":"create"`, `"action":"explode"`), `unknown action "explode"`},
		{"bad address", replace(`"addr":"std_null.n"`, `"addr":"std_null."`), `invalid address "std_null."`},
		{"bad value", replace(`"msgpack":"`, `"msgpack":"`+garbage), "the plan file is corrupted"},
		{"bad path", replace(`"before_sensitive":[[{"attr":"result"}]]`, `"before_sensitive":[[{"attr":"result","index":{"value":1,"type":"number"}}]]`), `exactly one of "attr" and "index"`},
		{"bad prior state", replace(`"status":"ready"`, `"status":"sleepy"`), "prior state"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "p")
			if err := os.WriteFile(file, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			p, err := ReadFile(file)
			if err == nil {
				t.Fatalf("ReadFile succeeded: %+v", p)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), file+": ") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		if _, err := ReadFile(filepath.Join(t.TempDir(), "nope")); err == nil || !strings.Contains(err.Error(), "cannot read the plan file") {
			t.Errorf("got %v", err)
		}
	})
}

func TestWriteFileErrors(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing", "plan")
	if err := WriteFile(dir, fixture(t)); err == nil || !strings.Contains(err.Error(), "cannot save the plan to") {
		t.Errorf("WriteFile into a missing directory: %v", err)
	}
	if err := WriteFile(filepath.Join(t.TempDir(), "p"), nil); err == nil {
		t.Error("WriteFile(nil) succeeded")
	}
}

func FuzzReadPlan(f *testing.F) {
	good, err := Encode(fixture(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/3])
	f.Add([]byte(`{"kind":"bp-plan","format_version":1,"mode":"normal","changes":[{"addr":"a.b","action":"create","before":{"msgpack":"kQ=="},"after":{}}]}`))
	f.Add([]byte(`{"kind":"bp-plan","format_version":1,"mode":"normal","variables":{"x":{"msgpack":"gqR0eXBlqCJudW1iZXIiqHZhbHVlkgE="}}}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(data)
		if err != nil {
			if p != nil {
				t.Fatal("Decode returned a plan with an error")
			}
			return
		}
		// Whatever decodes must encode again and decode to the same bytes.
		again, err := Encode(p)
		if err != nil {
			return // values a plan cannot hold (such as marks on set keys) may refuse to encode
		}
		p2, err := Decode(again)
		if err != nil {
			t.Fatalf("re-encoded plan does not decode: %v", err)
		}
		third, err := Encode(p2)
		if err != nil || !bytes.Equal(again, third) {
			t.Fatalf("encoding is not stable: %v", err)
		}
	})
}
