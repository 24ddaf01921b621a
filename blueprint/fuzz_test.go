package blueprint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// FuzzLoad writes its input as the main.bp.hcl of an otherwise empty
// directory and loads it, then evaluates what can be evaluated without
// other values (variables, with no inputs). Whatever the input, loading must
// return diagnostics, never panic. The corpus is seeded with every blueprint
// file under testdata.
func FuzzLoad(f *testing.F) {
	err := filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(path, string(filepath.Separator)+"fuzz"+string(filepath.Separator)) {
			return err
		}
		if strings.HasSuffix(path, ".hcl") || strings.HasSuffix(path, ".json") {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			f.Add(data)
		}
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	// One directory serves every input: a fuzzing process runs its inputs
	// one after another, and a fresh directory per input costs more than
	// loading does.
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, src []byte) {
		if err := os.WriteFile(filepath.Join(dir, "main.bp.hcl"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		l := NewLoader()
		cfg, diags := l.LoadDir(dir)
		if cfg == nil {
			t.Fatal("LoadDir returned a nil config")
		}
		for _, d := range diags {
			if d.Summary == "" {
				t.Errorf("diagnostic without summary: %#v", d)
			}
		}
		if cfg.Module == nil {
			return
		}
		inputs, _ := l.CollectInputs(dir, nil, nil)
		PrepareVariables(cfg.Module, inputs)
		// The file functions could read anything on this machine (a device
		// that never ends); leave them to the funcs package's own fuzzing.
		if strings.Contains(string(src), "file") {
			return
		}
		scope := &Scope{ModuleDir: dir}
		for _, name := range sortedKeys(cfg.Module.Locals) {
			scope.EvalExpr(cfg.Module.Locals[name].Expr, cty.DynamicPseudoType)
		}
	})
}
