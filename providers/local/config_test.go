package local

import (
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestParseProviderConfig(t *testing.T) {
	ty := providerSchema().ImpliedType()
	obj := func(host, project cty.Value) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{"host": host, "project": project})
	}
	null := cty.NullVal(cty.String)
	tests := []struct {
		name        string
		config      cty.Value
		wantHost    string
		wantProject string // "" means the default of the current directory
		wantErr     string
	}{
		{name: "no provider block", config: cty.NullVal(ty)},
		{name: "empty block", config: obj(null, null)},
		{name: "host and project", config: obj(cty.StringVal("tcp://h:2375"), cty.StringVal("shop")),
			wantHost: "tcp://h:2375", wantProject: "shop"},
		{name: "upper-case project", config: obj(null, cty.StringVal("Shop")), wantProject: "Shop", wantErr: "Invalid project name"},
		{name: "project with a dot", config: obj(null, cty.StringVal("a.b")), wantProject: "a.b", wantErr: "Invalid project name"},
		{name: "project too long", config: obj(null, cty.StringVal(strings.Repeat("a", 41))), wantProject: strings.Repeat("a", 41), wantErr: "Invalid project name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, diags := parseProviderConfig(tc.config)
			if tc.wantErr != "" {
				if !diags.HasErrors() || diags[0].Summary != tc.wantErr || len(diags[0].Attribute) == 0 {
					t.Fatalf("diags = %v, want %q on the project attribute", diags, tc.wantErr)
				}
			} else if diags.HasErrors() {
				t.Fatalf("unexpected diags: %v", diags.Err())
			}
			want := tc.wantProject
			if want == "" {
				want = defaultProject()
			}
			if cfg.host != tc.wantHost || cfg.project != want {
				t.Errorf("got host %q project %q, want %q %q", cfg.host, cfg.project, tc.wantHost, want)
			}
		})
	}
}

func TestProjectFromDir(t *testing.T) {
	tests := []struct {
		name, dir, wantPrefix string
	}{
		{"plain", "/home/ann/shop", "shop-"},
		{"upper case and dots", "/srv/My.Site", "my-site-"},
		{"root", "/", "bp-"},
		{"only symbols", "/x/___", "bp-"},
		{"long", "/x/" + strings.Repeat("abc", 20), strings.Repeat("abc", 8) + "-"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := projectFromDir(tc.dir)
			if !strings.HasPrefix(got, tc.wantPrefix) || len(got) != len(tc.wantPrefix)+6 {
				t.Errorf("projectFromDir(%q) = %q, want %q and 6 hex digits", tc.dir, got, tc.wantPrefix)
			}
			if !projectPattern.MatchString(got) {
				t.Errorf("projectFromDir(%q) = %q is not a valid project name", tc.dir, got)
			}
		})
	}
	if projectFromDir("/a/web") == projectFromDir("/b/web") {
		t.Error("two directories with the same base name must get different projects")
	}
}

// FuzzProjectFromDir checks that every directory gives a valid project name.
func FuzzProjectFromDir(f *testing.F) {
	for _, s := range []string{"/", "/home/x", "/-a-/", "/ÄÖ", "/a b/c--d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dir string) {
		if got := projectFromDir(dir); !projectPattern.MatchString(got) {
			t.Fatalf("projectFromDir(%q) = %q is not a valid project name", dir, got)
		}
	})
}
