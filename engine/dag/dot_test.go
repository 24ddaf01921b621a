package dag

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func TestDOT(t *testing.T) {
	tests := []struct {
		name  string
		specs []string
	}{
		{"empty", nil},
		{"diamond", []string{"app", "app->db", "app->net", "db->net", "lb->app", "monitor"}},
		{"quoting", []string{`say "hi"->back\slash`, "multi\nline->plain"}},
		{"cycle", []string{"a->b", "b->a", "c->c"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := build(t, tc.specs...).DOT(func(s string) string { return s })
			golden := filepath.Join("testdata", tc.name+".dot")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("DOT() differs from %s (run go test -update if the change is intended)\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

func TestDOTIsDeterministic(t *testing.T) {
	specs := []string{"a->b", "a->c", "c->d", "b->d", "e"}
	first := build(t, specs...).DOT(func(s string) string { return s })
	for range 20 {
		if got := build(t, specs...).DOT(func(s string) string { return s }); got != first {
			t.Fatalf("DOT output changed between identical builds:\n%s\nvs\n%s", got, first)
		}
	}
}
