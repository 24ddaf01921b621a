package std

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

func TestFileLifecycle(t *testing.T) {
	h := newHarness(t, "std_file")
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "motd")
	cfg := func(content, mode string) cty.Value {
		m := map[string]cty.Value{"path": cty.StringVal(path), "content": cty.StringVal(content)}
		if mode != "" {
			m["mode"] = cty.StringVal(mode)
		}
		return h.config(m)
	}
	wantFile := func(content string, perm os.FileMode) {
		t.Helper()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != content || info.Mode().Perm() != perm {
			t.Fatalf("file holds %q mode %04o, want %q mode %04o", data, info.Mode().Perm(), content, perm)
		}
	}

	// Create: everything is known at plan time.
	planned := h.plan(cty.NullVal(h.ty), cfg("hello\n", "")).PlannedState
	if !planned.IsWhollyKnown() || planned.GetAttr("id").AsString() != path || planned.GetAttr("mode").AsString() != "0644" ||
		planned.GetAttr("sha256").AsString() != sha256Hex("hello\n") {
		t.Fatalf("planned create = %#v", planned)
	}
	state := h.apply(cty.NullVal(h.ty), planned, cfg("hello\n", ""))
	wantFile("hello\n", 0o644)
	if got := h.read(state); !got.RawEquals(state) {
		t.Fatalf("read after create = %#v, want %#v", got, state)
	}
	h.wantNoChange(state, cfg("hello\n", ""))

	t.Run("update content in place", func(t *testing.T) {
		resp := h.plan(state, cfg("bye\n", ""))
		if len(resp.RequiresReplace) > 0 {
			t.Fatalf("content change requires replace %v", resp.RequiresReplace)
		}
		state = h.apply(state, resp.PlannedState, cfg("bye\n", ""))
		wantFile("bye\n", 0o644)
	})
	t.Run("update mode in place keeps its spelling", func(t *testing.T) {
		resp := h.plan(state, cfg("bye\n", "600"))
		state = h.apply(state, resp.PlannedState, cfg("bye\n", "600"))
		wantFile("bye\n", 0o600)
		if got := h.read(state); !got.RawEquals(state) {
			t.Fatalf("read after mode change = %#v, want %#v", got, state)
		}
		h.wantNoChange(state, cfg("bye\n", "600"))
	})
	t.Run("drift: modified by hand", func(t *testing.T) {
		if err := os.WriteFile(path, []byte("tampered"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o640); err != nil {
			t.Fatal(err)
		}
		read := h.read(state)
		if read.GetAttr("content").AsString() != "tampered" || read.GetAttr("mode").AsString() != "0640" ||
			read.GetAttr("sha256").AsString() != sha256Hex("tampered") {
			t.Fatalf("read after tampering = %#v", read)
		}
		resp := h.plan(read, cfg("bye\n", "600"))
		if len(resp.RequiresReplace) > 0 || resp.PlannedState.GetAttr("content").AsString() != "bye\n" {
			t.Fatalf("plan after drift = %#v replace %v, want in-place repair", resp.PlannedState, resp.RequiresReplace)
		}
		state = h.apply(read, resp.PlannedState, cfg("bye\n", "600"))
		wantFile("bye\n", 0o600)
	})
	t.Run("path change requires replace", func(t *testing.T) {
		newPath := filepath.Join(dir, "other")
		newCfg := h.config(map[string]cty.Value{"path": cty.StringVal(newPath), "content": cty.StringVal("bye\n")})
		resp := h.plan(state, newCfg)
		if got := formatPaths(resp.RequiresReplace); !slices.Equal(got, []string{"path"}) {
			t.Fatalf("RequiresReplace = %v, want [path]", got)
		}
		created := h.create(newCfg)
		h.destroy(state)
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Fatalf("old file still exists after replacement: %v", err)
		}
		if data, err := os.ReadFile(newPath); err != nil || string(data) != "bye\n" {
			t.Fatalf("new file = %q, %v", data, err)
		}
		state = created
		path = newPath
	})
	t.Run("drift: deleted by hand", func(t *testing.T) {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if got := h.read(state); !got.IsNull() {
			t.Fatalf("read of a deleted file = %#v, want null", got)
		}
	})
	t.Run("delete of a missing file succeeds", func(t *testing.T) {
		h.destroy(state)
	})
}

func TestFileImport(t *testing.T) {
	h := newHarness(t, "std_file")
	path := filepath.Join(t.TempDir(), "existing")
	if err := os.WriteFile(path, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	state, diags := h.importID(path)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	want := cty.ObjectVal(map[string]cty.Value{
		"path": cty.StringVal(path), "id": cty.StringVal(path), "content": cty.StringVal("data"),
		"mode": cty.StringVal("0600"), "sha256": cty.StringVal(sha256Hex("data")),
	})
	if !state.RawEquals(want) {
		t.Fatalf("imported %#v, want %#v", state, want)
	}
	h.wantNoChange(state, h.config(map[string]cty.Value{
		"path": cty.StringVal(path), "content": cty.StringVal("data"), "mode": cty.StringVal("0600")}))

	for _, id := range []string{"", filepath.Join(t.TempDir(), "missing"), t.TempDir()} {
		if _, diags := h.importID(id); !diags.HasErrors() {
			t.Errorf("import %q succeeded, want an error", id)
		}
	}
}

func TestFileValidate(t *testing.T) {
	h := newHarness(t, "std_file")
	tests := []struct {
		name      string
		path      cty.Value
		mode      cty.Value
		wantError string // attribute path of the expected error; empty for valid
	}{
		{"valid", cty.StringVal("/tmp/x"), cty.StringVal("0644"), ""},
		{"three digits", cty.StringVal("x"), cty.StringVal("755"), ""},
		{"default mode", cty.StringVal("x"), cty.NullVal(cty.String), ""},
		{"unknown values", cty.UnknownVal(cty.String), cty.UnknownVal(cty.String), ""},
		{"empty path", cty.StringVal(""), cty.NullVal(cty.String), "path"},
		{"mode not octal", cty.StringVal("x"), cty.StringVal("0888"), "mode"},
		{"mode words", cty.StringVal("x"), cty.StringVal("rw-r--r--"), "mode"},
		{"mode too short", cty.StringVal("x"), cty.StringVal("64"), "mode"},
		{"mode special bits", cty.StringVal("x"), cty.StringVal("4755"), "mode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			diags := h.validate(h.config(map[string]cty.Value{"path": tc.path, "content": cty.StringVal("c"), "mode": tc.mode}))
			if tc.wantError == "" {
				if diags.HasErrors() {
					t.Fatalf("unexpected errors: %v", diags.Err())
				}
				return
			}
			if len(diags) != 1 || diags[0].Severity != providers.Error || providers.FormatPath(diags[0].Attribute) != tc.wantError {
				t.Fatalf("diagnostics = %v, want one error at %s", diags, tc.wantError)
			}
			if diags[0].Detail == "" {
				t.Error("error has no detail telling the user how to fix it")
			}
		})
	}
}

func TestFileApplyWriteError(t *testing.T) {
	h := newHarness(t, "std_file")
	dir := t.TempDir()
	// A directory where the file should be cannot be overwritten.
	cfg := h.config(map[string]cty.Value{"path": cty.StringVal(dir), "content": cty.StringVal("x")})
	planned := h.plan(cty.NullVal(h.ty), cfg).PlannedState
	resp := h.p.ApplyResourceChange(t.Context(), providers.ApplyResourceChangeRequest{
		TypeName: "std_file", PriorState: cty.NullVal(h.ty), PlannedState: planned, Config: cfg})
	if !resp.Diagnostics.HasErrors() || !resp.NewState.IsNull() {
		t.Fatalf("apply over a directory = %#v, %v; want null state and an error", resp.NewState, resp.Diagnostics)
	}
}

func FuzzParseMode(f *testing.F) {
	for _, s := range []string{"0644", "755", "0000", "0777", "0800", "", "12345", "-12", "+64", "0o7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := parseMode(s)
		if err != nil {
			return
		}
		if m > 0o777 {
			t.Fatalf("parseMode(%q) = %o, beyond permission bits", s, m)
		}
		back, err := parseMode(formatMode(m))
		if err != nil || back != m {
			t.Fatalf("parseMode(formatMode(%o)) = %o, %v", m, back, err)
		}
	})
}
