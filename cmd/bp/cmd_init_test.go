package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/plugins"
	"github.com/blueprint-engine/bp/plugins/discovery"
	"github.com/blueprint-engine/bp/plugins/lockfile"
	"github.com/blueprint-engine/bp/providers"
)

// fakeProber answers Probe from a table of plugin contents, so bp init runs
// without real plugins.
type fakeProber struct {
	// versions maps a binary's content to the version it reports; a
	// content missing from the map fails to start.
	versions map[string]string
	probed   []string
}

func (f *fakeProber) Probe(_ context.Context, c discovery.Candidate) (plugins.Metadata, error) {
	f.probed = append(f.probed, c.Path)
	data, err := os.ReadFile(c.Path)
	if err != nil {
		return plugins.Metadata{}, err
	}
	v, ok := f.versions[string(data)]
	if !ok {
		return plugins.Metadata{}, errors.New("plugin exited before the handshake")
	}
	return plugins.Metadata{Name: c.Name, Version: v}, nil
}

var _ pluginProber = (*fakeProber)(nil)

// sha returns the lock file checksum of content.
func sha(content string) string {
	sum := sha256.Sum256([]byte(content))
	return "sha256:" + hex.EncodeToString(sum[:])
}

const kvBlueprint = `blueprint {
  required_providers {
    kv  = { source = "example/kv", version = ">= 0.1.0" }
    std = { source = "builtin/std" }
  }
}
`

// writeFiles creates files (path → content) under dir; paths under a
// "plugins" directory or named bp-provider-* are made executable.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o644)
		if strings.HasPrefix(filepath.Base(name), "bp-provider-") {
			mode = 0o755
		}
		if err := os.WriteFile(path, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
}

func TestInit(t *testing.T) {
	prober := map[string]string{"kv-0.1": "0.1.0", "kv-0.2": "0.2.0", "kv-0.0": "0.0.9", "other": "1.0.0"}
	lockKV01 := "# This file is maintained by \"bp init\". Commit it with your blueprints.\n\n" +
		"provider \"example/kv\" {\n  version     = \"0.1.0\"\n  constraints = \">= 0.1.0\"\n  hashes = [\n    \"" + sha("kv-0.1") + "\",\n  ]\n}\n"
	tests := []struct {
		name    string
		files   map[string]string
		env     map[string]string
		upgrade bool
		want    int
		stdout  []string
		stderr  []string
		// lock is the lock file after the run; "" means there is none.
		lock string
	}{
		{
			name:   "no providers",
			files:  map[string]string{"main.bp.hcl": `resource "std_null" "n" {}`},
			stdout: []string{"The blueprint requires no providers.", "bp is initialized."},
		},
		{
			name:   "built-in only writes no lock file",
			files:  map[string]string{"main.bp.hcl": "blueprint {\n  required_providers {\n    std = { source = \"builtin/std\" }\n  }\n}\n"},
			stdout: []string{"- std (builtin/std): built in\n", "bp is initialized."},
		},
		{
			name:   "plugin in ./.bp/plugins",
			files:  map[string]string{"main.bp.hcl": kvBlueprint, ".bp/plugins/bp-provider-kv": "kv-0.1"},
			stdout: []string{"- kv (example/kv) 0.1.0: ", "/.bp/plugins/bp-provider-kv (from ./.bp/plugins)\n", "- std (builtin/std): built in", "Wrote bp.lock.hcl"},
			lock:   lockKV01,
		},
		{
			name:   "plugin in BP_PLUGIN_PATH",
			files:  map[string]string{"main.bp.hcl": kvBlueprint, "p1/x": "", "p2/bp-provider-kv": "kv-0.1"},
			env:    map[string]string{"BP_PLUGIN_PATH": "p1" + string(os.PathListSeparator) + "p2"},
			stdout: []string{"/p2/bp-provider-kv (from BP_PLUGIN_PATH)\n"},
			lock:   lockKV01,
		},
		{
			name:   "plugin in ~/.bp/plugins",
			files:  map[string]string{"main.bp.hcl": kvBlueprint, "home/.bp/plugins/bp-provider-kv": "kv-0.1"},
			env:    map[string]string{"HOME": "home"},
			stdout: []string{"/home/.bp/plugins/bp-provider-kv (from ~/.bp/plugins)\n"},
			lock:   lockKV01,
		},
		{
			name:   "same lock again is up to date",
			files:  map[string]string{"main.bp.hcl": kvBlueprint, ".bp/plugins/bp-provider-kv": "kv-0.1", "bp.lock.hcl": lockKV01},
			stdout: []string{"bp.lock.hcl is up to date."},
			lock:   lockKV01,
		},
		{
			name:   "missing plugin",
			files:  map[string]string{"main.bp.hcl": kvBlueprint},
			env:    map[string]string{"BP_PLUGIN_PATH": "/opt/nowhere"},
			want:   exitError,
			stderr: []string{"Error: Provider plugin not found", "bp-provider-kv", "./.bp/plugins", "/opt/nowhere (BP_PLUGIN_PATH)", "build the plugin into", "main.bp.hcl:3"},
		},
		{
			name:   "incompatible version",
			files:  map[string]string{"main.bp.hcl": kvBlueprint, ".bp/plugins/bp-provider-kv": "kv-0.0"},
			want:   exitError,
			stderr: []string{"Error: Incompatible provider version", "requires version >= 0.1.0", "is version 0.0.9"},
		},
		{
			name:   "plugin that does not start",
			files:  map[string]string{"main.bp.hcl": kvBlueprint, ".bp/plugins/bp-provider-kv": "garbage"},
			want:   exitError,
			stderr: []string{"Error: Cannot start provider plugin", "bp could not start the plugin", "\n\nPlugin exited before the handshake.", "BP_LOG"},
		},
		{
			name:   "changed binary is refused",
			files:  map[string]string{"main.bp.hcl": kvBlueprint, ".bp/plugins/bp-provider-kv": "kv-0.2", "bp.lock.hcl": lockKV01},
			want:   exitError,
			stderr: []string{"Error: Provider plugin changed", sha("kv-0.1"), sha("kv-0.2"), "run bp init -upgrade"},
			lock:   lockKV01,
		},
		{
			name:    "changed binary with -upgrade",
			files:   map[string]string{"main.bp.hcl": kvBlueprint, ".bp/plugins/bp-provider-kv": "kv-0.2", "bp.lock.hcl": lockKV01},
			upgrade: true,
			stdout:  []string{"- kv (example/kv) 0.2.0: ", ", replacing the binary locked as 0.1.0\n", "Wrote bp.lock.hcl"},
			lock: "# This file is maintained by \"bp init\". Commit it with your blueprints.\n\n" +
				"provider \"example/kv\" {\n  version     = \"0.2.0\"\n  constraints = \">= 0.1.0\"\n  hashes = [\n    \"" + sha("kv-0.2") + "\",\n  ]\n}\n",
		},
		{
			name: "providers no longer required are dropped; hashes of other machines kept",
			files: map[string]string{"main.bp.hcl": kvBlueprint, ".bp/plugins/bp-provider-kv": "kv-0.1", "bp.lock.hcl": "provider \"example/kv\" {\n  version = \"0.1.0\"\n  hashes = [\"" +
				sha("kv-0.1") + "\", \"" + sha("kv-arm") + "\"]\n}\nprovider \"example/gone\" {\n  version = \"1.0.0\"\n  hashes = [\"" + sha("gone") + "\"]\n}\n"},
			stdout: []string{"Wrote bp.lock.hcl"},
			lock: "# This file is maintained by \"bp init\". Commit it with your blueprints.\n\n" +
				"provider \"example/kv\" {\n  version     = \"0.1.0\"\n  constraints = \">= 0.1.0\"\n  hashes = [\n    \"" + sortedPair(sha("kv-0.1"), sha("kv-arm")) + "\",\n  ]\n}\n",
		},
		{
			name: "two names for one source",
			files: map[string]string{".bp/plugins/bp-provider-kv": "kv-0.1", "main.bp.hcl": `blueprint {
  required_providers {
    a = { source = "example/kv", version = ">= 0.1.0" }
    b = { source = "example/kv", version = "< 1.0" }
  }
}
`},
			stdout: []string{"- a, b (example/kv) 0.1.0: "},
			lock: "# This file is maintained by \"bp init\". Commit it with your blueprints.\n\n" +
				"provider \"example/kv\" {\n  version     = \"0.1.0\"\n  constraints = \">= 0.1.0, < 1.0\"\n  hashes = [\n    \"" + sha("kv-0.1") + "\",\n  ]\n}\n",
		},
		{
			name:   "unknown built-in provider",
			files:  map[string]string{"main.bp.hcl": "blueprint {\n  required_providers {\n    kv = { source = \"builtin/kv\" }\n  }\n}\n"},
			want:   exitError,
			stderr: []string{"Error: Unknown built-in provider", `bp has no built-in provider "kv"`, `"example/kv"`},
		},
		{
			name:   "invalid lock file",
			files:  map[string]string{"main.bp.hcl": kvBlueprint, ".bp/plugins/bp-provider-kv": "kv-0.1", "bp.lock.hcl": "provider \"example/kv\" {\n  version = \"0.1.0\"\n  hashes = [\"md5:x\"]\n}\n"},
			want:   exitError,
			stderr: []string{"Error: Invalid checksum", "bp.lock.hcl:3", `hashes = ["md5:x"]`},
			lock:   "provider \"example/kv\" {\n  version = \"0.1.0\"\n  hashes = [\"md5:x\"]\n}\n",
		},
		{
			name:   "invalid blueprint",
			files:  map[string]string{"main.bp.hcl": "blueprint {"},
			want:   exitError,
			stderr: []string{"main.bp.hcl:1"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tc.files)
			t.Chdir(dir)
			var stdout, stderr bytes.Buffer
			c := &cli{stdout: &stdout, stderr: &stderr, getenv: env(tc.env)}
			got := c.exitStatus(nil, c.runInit(context.Background(), initOptions{upgrade: tc.upgrade, prober: &fakeProber{versions: prober}}))
			if got != tc.want {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", got, tc.want, stdout.String(), stderr.String())
			}
			for _, s := range tc.stdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout does not contain %q:\n%s", s, stdout.String())
				}
			}
			for _, s := range tc.stderr {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr does not contain %q:\n%s", s, stderr.String())
				}
			}
			if tc.want == exitOK && stderr.Len() > 0 {
				t.Errorf("stderr of a successful run:\n%s", stderr.String())
			}
			lock, err := os.ReadFile(lockfile.FileName)
			switch {
			case tc.lock == "" && err == nil:
				t.Errorf("bp init wrote a lock file:\n%s", lock)
			case tc.lock != "" && err != nil:
				t.Errorf("no lock file: %v", err)
			case tc.lock != "" && string(lock) != tc.lock:
				t.Errorf("lock file:\n%s\nwant:\n%s", lock, tc.lock)
			}
		})
	}
}

// sortedPair joins two checksums as they appear in a lock file's list.
func sortedPair(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + "\",\n    \"" + b
}

// TestInitIdempotent runs bp init twice: the second run leaves the lock file
// as it was, byte for byte and untouched.
func TestInitIdempotent(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.bp.hcl": kvBlueprint, ".bp/plugins/bp-provider-kv": "kv"})
	t.Chdir(dir)
	c := &cli{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: env(nil)}
	opts := initOptions{prober: &fakeProber{versions: map[string]string{"kv": "0.3.0"}}}
	if err := c.runInit(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	first, err := os.Stat(lockfile.FileName)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(lockfile.FileName)
	if err := c.runInit(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	second, err := os.Stat(lockfile.FileName)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(lockfile.FileName)
	if !bytes.Equal(before, after) || !second.ModTime().Equal(first.ModTime()) || !os.SameFile(first, second) {
		t.Errorf("second bp init rewrote the lock file:\n%s\n---\n%s", before, after)
	}
}

// fakeProvider is what the fake launcher returns.
type fakeProvider struct {
	providers.Interface
	path string
}

func TestPluginResolver(t *testing.T) {
	lock := "provider \"example/kv\" {\n  version = \"0.1.0\"\n  hashes = [\"" + sha("kv-0.1") + "\"]\n}\n"
	tests := []struct {
		name     string
		files    map[string]string
		source   string
		required *blueprint.RequiredProvider
		wantPath string // the binary launched
		wantErr  []string
	}{
		{name: "built-in", source: "builtin/std"},
		{name: "unknown built-in", source: "builtin/nope", wantErr: []string{`there is no built-in provider "nope"`}},
		{
			name:     "locked plugin",
			files:    map[string]string{"bp.lock.hcl": lock, ".bp/plugins/bp-provider-kv": "kv-0.1"},
			source:   "example/kv",
			required: &blueprint.RequiredProvider{Name: "kv", Source: "example/kv", Version: ">= 0.1"},
			wantPath: ".bp/plugins/bp-provider-kv",
		},
		{
			name:    "no lock file",
			files:   map[string]string{".bp/plugins/bp-provider-kv": "kv-0.1"},
			source:  "example/kv",
			wantErr: []string{`provider "kv" (example/kv) is not installed`, "run bp init"},
		},
		{
			name:    "not in the lock file",
			files:   map[string]string{"bp.lock.hcl": lock, ".bp/plugins/bp-provider-other": "x"},
			source:  "example/other",
			wantErr: []string{`provider "kv" (example/other) is not installed`, "run bp init"},
		},
		{
			name:    "binary missing",
			files:   map[string]string{"bp.lock.hcl": lock},
			source:  "example/kv",
			wantErr: []string{"no plugin binary bp-provider-kv was found in ./.bp/plugins", "BP_PLUGIN_PATH"},
		},
		{
			name:    "checksum mismatch",
			files:   map[string]string{"bp.lock.hcl": lock, ".bp/plugins/bp-provider-kv": "kv-0.1+"},
			source:  "example/kv",
			wantErr: []string{"has checksum " + sha("kv-0.1+"), "records " + sha("kv-0.1") + " for example/kv", "run bp init -upgrade"},
		},
		{
			name:     "constraint changed since bp init",
			files:    map[string]string{"bp.lock.hcl": lock, ".bp/plugins/bp-provider-kv": "kv-0.1"},
			source:   "example/kv",
			required: &blueprint.RequiredProvider{Name: "kv", Source: "example/kv", Version: ">= 0.2"},
			wantErr:  []string{"records version 0.1.0 of example/kv, which does not satisfy the constraint \">= 0.2\"", "bp init -upgrade"},
		},
		{
			name:    "invalid lock file",
			files:   map[string]string{"bp.lock.hcl": "provider {", ".bp/plugins/bp-provider-kv": "kv-0.1"},
			source:  "example/kv",
			wantErr: []string{"the lock file is invalid: bp.lock.hcl:1,", "run bp init"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tc.files)
			t.Chdir(dir)
			c := &cli{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: env(nil)}
			var config *blueprint.Config
			if tc.required != nil {
				config = &blueprint.Config{Module: &blueprint.Module{Settings: &blueprint.Settings{
					RequiredProviders: map[string]*blueprint.RequiredProvider{"kv": tc.required}}}}
			}
			r := c.newPluginResolver(config)
			r.launch = func(_ context.Context, found discovery.Candidate, _ pluginLog) (providers.Interface, error) {
				return &fakeProvider{path: found.Path}, nil
			}
			p, err := r.Provider("kv", tc.source)
			if tc.wantErr != nil {
				if err == nil {
					t.Fatalf("Provider = %v, want an error", p)
				}
				for _, s := range tc.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			fake, launched := p.(*fakeProvider)
			switch {
			case tc.wantPath == "" && launched:
				t.Errorf("launched %s for a built-in provider", fake.path)
			case tc.wantPath != "" && !launched:
				t.Errorf("Provider = %T, want a launched plugin", p)
			case tc.wantPath != "" && fake.path != filepath.Join(dir, tc.wantPath):
				t.Errorf("launched %s, want %s", fake.path, filepath.Join(dir, tc.wantPath))
			}
		})
	}
}

func TestPluginLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bp.log")
	if err := os.WriteFile(path, []byte("earlier\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := &cli{getenv: env(map[string]string{"BP_LOG": path})}
	for _, line := range []string{"one\n", "two\n"} {
		if n, err := c.pluginLog().Write([]byte(line)); err != nil || n != len(line) {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if got, _ := os.ReadFile(path); string(got) != "earlier\none\ntwo\n" {
		t.Errorf("log file = %q, want the lines appended", got)
	}

	discard := (&cli{getenv: env(nil)}).pluginLog()
	if n, err := discard.Write([]byte("lost")); err != nil || n != 4 {
		t.Errorf("Write without BP_LOG = %d, %v; want it discarded", n, err)
	}
	if _, err := pluginLog(filepath.Join(path, "not-a-dir")).Write([]byte("x")); err == nil {
		t.Error("Write to an impossible path succeeded")
	}
}

func TestPluginName(t *testing.T) {
	tests := map[string]string{"example/kv": "kv", "example.com/acme/kv": "kv", "kv": "kv", "example/kv/": "kv"}
	for source, want := range tests {
		t.Run(source, func(t *testing.T) {
			if got := pluginName(source); got != want {
				t.Errorf("pluginName(%q) = %q, want %q", source, got, want)
			}
		})
	}
}

// TestPluginScripts runs testdata/plugin-script/*.txtar: bp init and the
// commands that run plugin providers, with the real kv plugin built from
// examples/provider-kv. Scripts find the binary at $KV_PLUGIN (its checksum
// in $KV_SHA256) and the example blueprint under $WORK/examples/provider-kv.
func TestPluginScripts(t *testing.T) {
	kv := buildPlugin(t, filepath.Join("..", "..", "examples", "provider-kv"), "bp-provider-kv")
	crash := buildPlugin(t, filepath.Join("testdata", "crashplugin"), "bp-provider-std")
	sum, err := discovery.HashFile(kv)
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "plugin-script"),
		RequireExplicitExec: true,
		UpdateScripts:       *updateScripts,
		Setup: func(env *testscript.Env) error {
			env.Setenv("KV_PLUGIN", kv)
			env.Setenv("KV_SHA256", sum)
			env.Setenv("CRASH_PLUGIN", crash)
			return copyFiles(filepath.Join("..", "..", "examples", "provider-kv", "blueprint"), filepath.Join(env.WorkDir, "examples", "provider-kv"), "*.bp.hcl")
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"exitcode":   cmdExitCode,
			"appendbyte": cmdAppendByte,
		},
	})
}

// buildPlugin builds the Go command in pkgDir as a binary named name in a
// temporary directory and returns its path. The test fails, with the
// compiler's output, if the build does.
func buildPlugin(t *testing.T, pkgDir, name string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out := filepath.Join(t.TempDir(), name)
	cmd := exec.Command(goTool, "build", "-o", out, ".")
	cmd.Dir = pkgDir
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cannot build the plugin %s from %s (the plugin scripts need a Go toolchain, tried %s): %v\n%s", name, pkgDir, goTool, err, output)
	}
	return out
}

// copyFiles copies the files of src matching pattern into dst.
func copyFiles(src, dst, pattern string) error {
	files, err := filepath.Glob(filepath.Join(src, pattern))
	if err != nil || len(files) == 0 {
		return errors.New("no " + pattern + " files in " + src)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// cmdAppendByte is the script command "appendbyte FILE": it appends one
// byte to FILE, changing its checksum but not what it does.
func cmdAppendByte(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: appendbyte FILE")
	}
	f, err := os.OpenFile(ts.MkAbs(args[0]), os.O_WRONLY|os.O_APPEND, 0)
	ts.Check(err)
	_, err = f.Write([]byte{0})
	ts.Check(errors.Join(err, f.Close()))
}
