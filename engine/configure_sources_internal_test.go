package engine

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint/funcs"
)

// TestSourceRenderMatchesRenderTemplate: a cached template renders to what
// funcs.RenderTemplate gives, with the same diagnostics when it fails.
func TestSourceRenderMatchesRenderTemplate(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]cty.Value{
		"host": cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("web-1"), "address": cty.UnknownVal(cty.String)}),
		"port": cty.NumberIntVal(8080),
		"list": cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}),
	}
	tests := []struct {
		name, src string
		wantErr   bool
	}{
		{"interpolation", "listen ${port}; server_name ${host.name};\n", false},
		{"directives", "%{ for x in list }${x}\n%{ endfor }", false},
		{"function", "${upper(host.name)}", false},
		{"missing variable", "${prot}", true},
		{"syntax error", "${port", true},
		{"not a string", "${list}", true},
		{"unknown value", "${host.address}", true},
		{"error while evaluating", "${port + \"x\"}", true},
	}
	fns := funcs.Table(dir)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".tpl")
			if err := os.WriteFile(path, []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := sources.read(path)
			if err != nil {
				t.Fatal(err)
			}
			want, wantDiags := funcs.RenderTemplate([]byte(tc.src), path, vars, fns)
			for round := 1; round <= 2; round++ {
				got, diags := f.render(vars, fns)
				if got != want || diags.Error() != wantDiags.Error() {
					t.Errorf("round %d: render = %q, %v; RenderTemplate = %q, %v", round, got, diags, want, wantDiags)
				}
				if diags.HasErrors() != tc.wantErr {
					t.Errorf("round %d: errors %v, want errors: %v", round, diags, tc.wantErr)
				}
			}
		})
	}
}

// TestSourceCache: a file is read once while unchanged, and read again
// after it changes.
func TestSourceCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site.tpl")
	if err := os.WriteFile(path, []byte("v1 ${x}"), 0o644); err != nil {
		t.Fatal(err)
	}
	first, err := sources.read(path)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]cty.Value{"x": cty.StringVal("a")}
	if got, diags := first.render(vars, nil); got != "v1 a" || diags.HasErrors() {
		t.Fatalf("render = %q, %v", got, diags)
	}
	again, err := sources.read(path)
	if err != nil || again != first || again.expr == nil {
		t.Errorf("second read: %p (parsed: %v), %v; want the cached, parsed %p", again, again.expr != nil, err, first)
	}

	if err := os.WriteFile(path, []byte("v2 is longer ${x}"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(path, time.Now().Add(time.Second), time.Now().Add(time.Second))
	changed, err := sources.read(path)
	if err != nil || changed == first {
		t.Fatalf("after a change: %p, %v; want a new read", changed, err)
	}
	if got, _ := changed.render(vars, nil); got != "v2 is longer a" {
		t.Errorf("render after a change = %q", got)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := sources.read(path); err == nil {
		t.Error("a removed file was served from the cache")
	}
}
