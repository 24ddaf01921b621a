package plan

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSnapshotConfig(t *testing.T) {
	dir := t.TempDir()
	planData, err := Encode(fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	stateData := "{\n  \"version\": 1,\n  \"lineage\": \"x\",\n  \"serial\": 1\n}\n"
	writeTree(t, dir, map[string]string{
		// The blueprint.
		"main.bp.hcl":                        "resource \"std_null\" \"a\" {}\n",
		"web.bp.json":                        "{}\n",
		"prod.auto.bpvars.hcl":               "n = 1\n",
		"ci.bpvars.json":                     "{\"n\": 2}\n",
		"bp.lock.hcl":                        "# lock\n",
		"templates/site.conf.tpl":            "server ${name};\n",
		"nginx.conf.tmpl":                    "listen 80;\n",
		"modules/db/main.bp.hcl":             "variable \"x\" {}\n",
		"modules/web/templates/index.html":   "<h1>${title}</h1>\n",
		"modules/web/templates/img/logo.png": "\x89PNG\x00\x00",
		// Not the blueprint: generated, state, plan, hidden and other files.
		"password.txt":             "hunter2\n",
		"files/f-1.txt":            "file 1\n",
		"docs/README.md":           "# docs\n",
		"latin1.txt":               "caf\xe9",
		"out/templates.txt":        "not a template\n",
		".bp/plugins/bp-provider":  "binary",
		".hidden.bp.hcl":           "locals {}\n",
		"sub/.git/config":          "[core]\n",
		"bp.state":                 "{}",
		"bp.state.backup":          "{}",
		"bp.state.lock":            "{}",
		"bp.state.journal":         "{}\n",
		"custom-state.json":        stateData,
		"saved.plan":               string(planData),
		"templates/bp.state":       "{}",
		"templates/state.tpl":      stateData,
		"templates/saved.tpl":      string(planData),
		"modules/db/.terraform/xx": "skip",
	})
	got, err := SnapshotConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range got {
		names = append(names, name)
	}
	slices.Sort(names)
	want := []string{"bp.lock.hcl", "ci.bpvars.json", "main.bp.hcl", "modules/db/main.bp.hcl", "modules/web/templates/img/logo.png",
		"modules/web/templates/index.html", "nginx.conf.tmpl", "prod.auto.bpvars.hcl", "templates/site.conf.tpl", "web.bp.json"}
	if !slices.Equal(names, want) {
		t.Errorf("snapshot holds\n %v\nwant\n %v", names, want)
	}
	if string(got["templates/site.conf.tpl"]) != "server ${name};\n" {
		t.Errorf("template content = %q", got["templates/site.conf.tpl"])
	}
}

func TestSnapshotConfigErrors(t *testing.T) {
	t.Run("missing dir", func(t *testing.T) {
		if _, err := SnapshotConfig(filepath.Join(t.TempDir(), "nope")); err == nil {
			t.Error("no error for a missing directory")
		}
	})
	t.Run("too big", func(t *testing.T) {
		dir := t.TempDir()
		big := strings.Repeat("# filler line\n", 1<<20/14+1)
		files := map[string]string{}
		for i := range MaxSnapshotTotal/len(big) + 1 {
			files[filepath.Join("m", string(rune('a'+i%26))+strings.Repeat("x", i/26)+".bp.hcl")] = big
		}
		writeTree(t, dir, files)
		if _, err := SnapshotConfig(dir); err == nil || !strings.Contains(err.Error(), "more than 16 MiB") {
			t.Errorf("got %v", err)
		}
	})
}

func TestConfigChanged(t *testing.T) {
	base := map[string]string{
		"main.bp.hcl":      "resource \"std_null\" \"a\" {}\n",
		"templates/a.tpl":  "hello\n",
		"vars.bpvars.hcl":  "n = 1\n",
		"unchanged.bp.hcl": "locals {}\n",
	}
	tests := []struct {
		name   string
		change func(t *testing.T, dir string)
		want   []string
	}{
		{"unchanged", func(*testing.T, string) {}, nil},
		{"state written and plan saved", func(t *testing.T, dir string) {
			writeTree(t, dir, map[string]string{"bp.state": "{}", "bp.state.backup": "{}"})
			if err := WriteFile(filepath.Join(dir, "tfplan"), fixture(t)); err != nil {
				t.Fatal(err)
			}
		}, nil},
		{"files written by resources and the backend", func(t *testing.T, dir string) {
			writeTree(t, dir, map[string]string{"password.txt": "hunter2\n", "files/f-1.txt": "1\n", "bp.state.journal": "{}\n"})
		}, nil},
		{"edited", func(t *testing.T, dir string) {
			writeTree(t, dir, map[string]string{"templates/a.tpl": "bye\n"})
		}, []string{"templates/a.tpl"}},
		{"template directory edited", func(t *testing.T, dir string) {
			writeTree(t, dir, map[string]string{"templates/sub/b.conf": "b\n"})
		}, []string{"templates/sub/b.conf"}},
		{"removed and added", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "vars.bpvars.hcl")); err != nil {
				t.Fatal(err)
			}
			writeTree(t, dir, map[string]string{"extra.bp.hcl": "locals {}\n", "main.bp.hcl": "# edited\n"})
		}, []string{"extra.bp.hcl", "main.bp.hcl", "vars.bpvars.hcl"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, base)
			snap, err := SnapshotConfig(dir)
			if err != nil {
				t.Fatal(err)
			}
			p := &Plan{Mode: Normal, ConfigFiles: snap}
			tc.change(t, dir)
			got, err := p.ConfigChanged(dir)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("ConfigChanged = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestConfigChangedIgnoresFilesOfOlderPlans checks a plan saved by a bp
// that also kept other files beside the blueprint: those files do not
// count, whatever happened to them since.
func TestConfigChangedIgnoresFilesOfOlderPlans(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"main.bp.hcl": "locals {}\n", "docs/README.md": "# new\n"})
	p := &Plan{Mode: Normal, ConfigFiles: map[string][]byte{
		"main.bp.hcl":    []byte("locals {}\n"),
		"docs/README.md": []byte("# old\n"),
		"password.txt":   []byte("hunter2\n"),
	}}
	got, err := p.ConfigChanged(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("ConfigChanged = %v, want nothing", got)
	}
}
