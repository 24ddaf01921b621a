package blueprint

import (
	"strings"
	"testing"
)

func TestParseObjectAddr(t *testing.T) {
	cases := []struct {
		src, kind, str string
		err            string
	}{
		{src: "resource.machine.web", kind: "resource", str: "machine.web"},
		{src: "machine.web", kind: "resource", str: "machine.web"},
		{src: "machine.web[0]", kind: "resource", str: "machine.web[0]"},
		{src: `resource.dns_record.zone["a"]`, kind: "resource", str: `dns_record.zone["a"]`},
		{src: "data.local_image.base", kind: "data", str: "data.local_image.base"},
		{src: "module.db", kind: "module", str: "module.db"},
		{src: `module.db["x"]`, kind: "module", str: `module.db["x"]`},

		{src: "var.x", err: `"var.x" is not a resource or module address`},
		{src: "machine.web.address", err: "is not a resource or module address"},
		{src: "machine.web[0].address", err: "An index may only come last"},
		{src: "machine", err: "is not a resource or module address"},
		{src: "module.db.out", err: "is not a resource or module address"},
	}
	for _, tc := range cases {
		t.Run(tc.src, func(t *testing.T) {
			addr, diags := ParseObjectAddr(parseTraversal(t, tc.src))
			if tc.err != "" {
				if !diags.HasErrors() || !strings.Contains(diags[0].Detail, tc.err) || diags[0].Subject == nil {
					t.Fatalf("got %+v, %v; want error containing %q", addr, diags, tc.err)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if addr.Kind() != tc.kind || addr.String() != tc.str {
				t.Errorf("got kind %q string %q, want %q %q", addr.Kind(), addr.String(), tc.kind, tc.str)
			}
		})
	}
}

func TestVersionSatisfies(t *testing.T) {
	cases := []struct {
		v, c string
		ok   bool
		err  bool
	}{
		{"0.1.0", ">= 0.1", true, false},
		{"0.1.0-dev", ">= 0.1", true, false},
		{"v0.2.0", ">= 0.1, < 0.2", false, false},
		{"0.1.0", "~> 0.1.0", true, false},
		{"0.1.0", "newest", false, true},
		{"banana", ">= 0.1", false, true},
	}
	for _, tc := range cases {
		ok, err := VersionSatisfies(tc.v, tc.c)
		if ok != tc.ok || (err != nil) != tc.err {
			t.Errorf("VersionSatisfies(%q, %q) = %v, %v", tc.v, tc.c, ok, err)
		}
	}
}

func TestLoadFile(t *testing.T) {
	l := NewLoader()
	for _, path := range []string{"testdata/valid/json/main.bp.json", "testdata/valid/full/main.bp.hcl"} {
		file, diags := l.LoadFile(path)
		if diags.HasErrors() || file == nil {
			t.Fatalf("LoadFile(%s): %v", path, diags)
		}
		if l.Files()[path] != file {
			t.Errorf("Files() does not hold %s", path)
		}
	}
	if _, diags := l.LoadFile("testdata/nope.bp.hcl"); !diags.HasErrors() {
		t.Error("LoadFile of a missing file did not fail")
	}
}

func TestLoadDirErrors(t *testing.T) {
	cases := map[string]string{
		"testdata/does-not-exist": "Cannot read blueprint directory",
		"testdata/golden":         "No blueprint files",
	}
	for dir, want := range cases {
		cfg, diags := NewLoader().LoadDir(dir)
		if len(diags) != 1 || diags[0].Summary != want {
			t.Errorf("LoadDir(%s) = %v, want %q", dir, diags, want)
		}
		if cfg == nil || cfg.Module != nil {
			t.Errorf("LoadDir(%s) config = %+v, want a root without module", dir, cfg)
		}
	}
}
