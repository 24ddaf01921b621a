package discovery

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// layout is a file to create under the test's root directory.
type layout struct {
	path    string // relative to the root, slash-separated
	content string
	mode    os.FileMode
	dir     bool
}

func TestFind(t *testing.T) {
	tests := []struct {
		name  string
		files []layout
		// pluginPath lists directories relative to the root.
		pluginPath []string
		want       string // path of the chosen binary, relative to the root
		wantOrigin Origin
		// wantErr are substrings of the error; the result must be an error.
		wantErr []string
		errType any
	}{
		{
			name:       "work dir first",
			files:      []layout{{path: "work/.bp/plugins/bp-provider-kv", content: "work", mode: 0o755}, {path: "p1/bp-provider-kv", content: "p1", mode: 0o755}, {path: "home/.bp/plugins/bp-provider-kv", content: "home", mode: 0o755}},
			pluginPath: []string{"p1"},
			want:       "work/.bp/plugins/bp-provider-kv",
			wantOrigin: OriginWorkDir,
		},
		{
			name:       "plugin path in order",
			files:      []layout{{path: "p2/bp-provider-kv", content: "p2", mode: 0o755}, {path: "p3/bp-provider-kv", content: "p3", mode: 0o755}, {path: "home/.bp/plugins/bp-provider-kv", content: "home", mode: 0o755}},
			pluginPath: []string{"p1", "", "p2", "p3"},
			want:       "p2/bp-provider-kv",
			wantOrigin: OriginPluginPath,
		},
		{
			name:       "home last",
			files:      []layout{{path: "home/.bp/plugins/bp-provider-kv", content: "home", mode: 0o700}, {path: "p1/bp-provider-other", content: "x", mode: 0o755}},
			pluginPath: []string{"p1"},
			want:       "home/.bp/plugins/bp-provider-kv",
			wantOrigin: OriginHome,
		},
		{
			name:  "symlink to an executable",
			files: []layout{{path: "bin/real", content: "real", mode: 0o755}, {path: "work/.bp/plugins/bp-provider-kv", content: "->../../../bin/real"}},
			want:  "work/.bp/plugins/bp-provider-kv",
		},
		{
			name:       "missing",
			files:      []layout{{path: "p1/bp-provider-kvx", content: "x", mode: 0o755}},
			pluginPath: []string{"p1"},
			wantErr:    []string{"no plugin binary bp-provider-kv was found in ./.bp/plugins, ", "p1 (BP_PLUGIN_PATH), ~/.bp/plugins (", "build the plugin into ./.bp/plugins", "BP_PLUGIN_PATH"},
			errType:    &NotFoundError{},
		},
		{
			name:    "versioned file name is a near miss",
			files:   []layout{{path: "work/.bp/plugins/bp-provider-kv_v0.1.0", content: "x", mode: 0o755}},
			wantErr: []string{"bp-provider-kv_v0.1.0 looks like this plugin under another name", "rename it"},
			errType: &NotFoundError{},
		},
		{
			name:       "first match not executable",
			files:      []layout{{path: "work/.bp/plugins/bp-provider-kv", content: "x", mode: 0o644}, {path: "p1/bp-provider-kv", content: "p1", mode: 0o755}},
			pluginPath: []string{"p1"},
			wantErr:    []string{"is not executable (mode -rw-r--r--)", "chmod +x "},
			errType:    &NotExecutableError{},
		},
		{
			name:    "directory in the way",
			files:   []layout{{path: "work/.bp/plugins/bp-provider-kv", dir: true}},
			wantErr: []string{"bp-provider-kv in ./.bp/plugins is not a regular file"},
			errType: &NotExecutableError{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for _, f := range tc.files {
				makeFile(t, root, f)
			}
			var pp []string
			for _, p := range tc.pluginPath {
				if p != "" {
					p = filepath.Join(root, p)
				}
				pp = append(pp, p)
			}
			opts := Options{
				WorkDir:    filepath.Join(root, "work"),
				PluginPath: strings.Join(pp, string(os.PathListSeparator)),
				HomeDir:    filepath.Join(root, "home"),
			}
			got, err := Find("kv", opts)
			if tc.wantErr != nil {
				if err == nil {
					t.Fatalf("Find = %+v, want an error", got)
				}
				for _, s := range tc.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
				switch tc.errType.(type) {
				case *NotFoundError:
					var nf *NotFoundError
					if !errors.As(err, &nf) {
						t.Errorf("error is %T, want *NotFoundError", err)
					}
				case *NotExecutableError:
					var ne *NotExecutableError
					if !errors.As(err, &ne) {
						t.Errorf("error is %T, want *NotExecutableError", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Find: %v", err)
			}
			want := filepath.Join(root, filepath.FromSlash(tc.want))
			if got.Path != want {
				t.Errorf("Path = %s, want %s", got.Path, want)
			}
			if got.Name != "kv" {
				t.Errorf("Name = %q, want kv", got.Name)
			}
			if tc.wantOrigin != "" && got.Dir.Origin != tc.wantOrigin {
				t.Errorf("Origin = %s, want %s", got.Dir.Origin, tc.wantOrigin)
			}
			data, err := os.ReadFile(want)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			if got.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("SHA256 = %s, want the digest of %q", got.SHA256, data)
			}
			if got.Hash() != "sha256:"+got.SHA256 {
				t.Errorf("Hash() = %s", got.Hash())
			}
		})
	}
}

func TestFindRefusesBadNames(t *testing.T) {
	for _, name := range []string{"", "../kv", "a/b", "kv\x00", "kv x"} {
		t.Run(name, func(t *testing.T) {
			// A plugin one directory up would be found through "../kv".
			root := t.TempDir()
			makeFile(t, root, layout{path: ".bp/bp-provider-kv", content: "x", mode: 0o755})
			c, err := Find(name, Options{WorkDir: root})
			if err == nil {
				t.Fatalf("Find(%q) = %+v, want an error", name, c)
			}
			if !strings.Contains(err.Error(), "provider name") {
				t.Errorf("error %q does not explain the name is invalid", err)
			}
		})
	}
}

func TestDirs(t *testing.T) {
	sep := string(os.PathListSeparator)
	tests := []struct {
		name string
		opts Options
		want []Dir
	}{
		{
			name: "defaults",
			opts: Options{},
			want: []Dir{{Path: ".bp/plugins", Origin: OriginWorkDir}},
		},
		{
			name: "all three in order, empty entries skipped",
			opts: Options{WorkDir: "w", PluginPath: "/a" + sep + sep + " /b/ " + sep, HomeDir: "/home/u"},
			want: []Dir{
				{Path: "w/.bp/plugins", Origin: OriginWorkDir},
				{Path: "/a", Origin: OriginPluginPath},
				{Path: "/b", Origin: OriginPluginPath},
				{Path: "/home/u/.bp/plugins", Origin: OriginHome},
			},
		},
		{
			name: "a directory listed twice is kept at its first place",
			opts: Options{WorkDir: "/w", PluginPath: "/home/u/.bp/plugins" + sep + "/w/.bp/plugins" + sep + "/a" + sep + "/a/", HomeDir: "/home/u"},
			want: []Dir{
				{Path: "/w/.bp/plugins", Origin: OriginWorkDir},
				{Path: "/home/u/.bp/plugins", Origin: OriginPluginPath},
				{Path: "/a", Origin: OriginPluginPath},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Dirs(tc.opts)
			if len(got) != len(tc.want) {
				t.Fatalf("Dirs = %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("Dirs[%d] = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestDirString(t *testing.T) {
	tests := []struct {
		dir  Dir
		want string
	}{
		{Dir{Path: "x/.bp/plugins", Origin: OriginWorkDir}, "./.bp/plugins"},
		{Dir{Path: "/opt/bp", Origin: OriginPluginPath}, "/opt/bp (BP_PLUGIN_PATH)"},
		{Dir{Path: "/root/.bp/plugins", Origin: OriginHome}, "~/.bp/plugins (/root/.bp/plugins)"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.dir.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOptionsFromEnv(t *testing.T) {
	env := map[string]string{"BP_PLUGIN_PATH": "/a", "HOME": "/h"}
	got := OptionsFromEnv("w", func(k string) string { return env[k] })
	if want := (Options{WorkDir: "w", PluginPath: "/a", HomeDir: "/h"}); got != want {
		t.Errorf("OptionsFromEnv = %+v, want %+v", got, want)
	}
}

// makeFile creates f under root. A content starting with "->" makes a
// symlink to the rest.
func makeFile(t *testing.T, root string, f layout) {
	t.Helper()
	path := filepath.Join(root, filepath.FromSlash(f.path))
	if f.dir {
		if err := os.MkdirAll(path, 0o755); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if target, ok := strings.CutPrefix(f.content, "->"); ok {
		if err := os.Symlink(filepath.FromSlash(target), path); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err := os.WriteFile(path, []byte(f.content), f.mode); err != nil {
		t.Fatal(err)
	}
	// WriteFile's mode is filtered by the umask.
	if err := os.Chmod(path, f.mode); err != nil {
		t.Fatal(err)
	}
}
