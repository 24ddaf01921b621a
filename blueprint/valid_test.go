package blueprint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// loadValid loads dir and fails the test on any diagnostic, warnings
// included.
func loadValid(t *testing.T, dir string) (*Config, *Loader) {
	t.Helper()
	l := NewLoader()
	cfg, diags := l.LoadDir(dir)
	for _, d := range diags {
		t.Errorf("unexpected diagnostic: %s", d.Error())
	}
	if cfg == nil || cfg.Module == nil {
		t.Fatalf("LoadDir(%s) returned no module", dir)
	}
	return cfg, l
}

func TestValidBlueprints(t *testing.T) {
	entries, err := os.ReadDir("testdata/valid")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			loadValid(t, filepath.Join("testdata/valid", e.Name()))
		})
	}
	t.Run("examples/webapp", func(t *testing.T) {
		cfg, _ := loadValid(t, "../examples/webapp")
		if got := len(cfg.Module.Resources); got != 7 {
			t.Errorf("examples/webapp has %d resources, want 7 (web group, load balancer, autoscaler, health check, zone, two records)", got)
		}
		if _, diags := PrepareVariables(cfg.Module, nil); diags.HasErrors() {
			t.Errorf("examples/webapp variables: %s", diags.Error())
		}
	})
}

func traversalStrings(trs []hcl.Traversal) []string {
	out := make([]string, len(trs))
	for i, tr := range trs {
		// Relative traversals (ignore_changes) render with a leading dot.
		out[i] = strings.TrimPrefix(traversalString(tr), ".")
	}
	return out
}
