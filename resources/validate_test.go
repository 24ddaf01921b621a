package resources

import (
	"strings"
	"testing"
)

func TestValidateProblems(t *testing.T) {
	tests := []struct {
		name     string
		kind     string
		attrs    map[string]any
		wantAttr string
		want     string
	}{
		{"unknown kind", "packag", nil, "", `Did you mean "package"?`},
		{"unknown argument", "file", map[string]any{"path": "/x", "content": "", "contnet": "x"}, "contnet", `Did you mean "content"?`},
		{"wrong type", "file", map[string]any{"path": "/x", "content": 3.0}, "content", "content must be a string, not a number"},
		{"mode not octal", "file", map[string]any{"path": "/x", "content": "", "mode": "644x"}, "mode", `mode must be an octal string like "0644"`},
		{"mode as number", "directory", map[string]any{"path": "/x", "mode": 644.0}, "mode", "mode must be a string"},
		{"no content", "file", map[string]any{"path": "/x"}, "content", "exactly one of content, source, content_base64"},
		{"two contents", "file", map[string]any{"path": "/x", "content": "a", "source": "b"}, "content", "exactly one"},
		{"bad base64", "file", map[string]any{"path": "/x", "content_base64": "!!"}, "content_base64", "base64"},
		{"relative path", "file", map[string]any{"path": "etc/motd", "content": ""}, "path", "absolute path"},
		{"bad state", "file", map[string]any{"path": "/x", "content": "", "state": "gone"}, "state", `state must be "present" or "absent"`},
		{"template needs content", "template", map[string]any{"path": "/x"}, "content", "exactly one of content, source"},
		{"link without target", "link", map[string]any{"path": "/x"}, "target", "needs target"},
		{"line with newline", "line", map[string]any{"path": "/x", "line": "a\nb"}, "line", "single line"},
		{"line bad regexp", "line", map[string]any{"path": "/x", "line": "a", "match": "("}, "match", "regular expression"},
		{"line missing path", "line", map[string]any{"line": "a"}, "path", "needs path"},
		{"user bad name", "user", map[string]any{"name": "Bad User"}, "name", "lowercase"},
		{"user bad uid", "user", map[string]any{"name": "u", "uid": 1.5}, "uid", "whole number"},
		{"user groups type", "user", map[string]any{"name": "u", "groups": []any{"a", 1.0}}, "groups", "list(string)"},
		{"user bad key", "user", map[string]any{"name": "u", "ssh_authorized_keys": []any{"nokey"}}, "ssh_authorized_keys", "public key line"},
		{"group bad gid", "group", map[string]any{"name": "g", "gid": -1.0}, "gid", "whole number"},
		{"service bad state", "service", map[string]any{"name": "nginx", "state": "started"}, "state", `"running" or "stopped"`},
		{"service enabled type", "service", map[string]any{"name": "nginx", "enabled": "yes"}, "enabled", "must be a bool"},
		{"exec without command", "exec", map[string]any{}, "command", "needs command"},
		{"exec relative creates", "exec", map[string]any{"command": "x", "creates": "out"}, "creates", "absolute path"},
		{"exec env type", "exec", map[string]any{"command": "x", "env": map[string]any{"A": 1.0}}, "env", "map(string)"},
		{"cron bad schedule", "cron", map[string]any{"name": "c", "schedule": "* * *", "command": "x"}, "schedule", "five fields"},
		{"cron bad name", "cron", map[string]any{"name": "my.job", "schedule": "@daily", "command": "x"}, "name", "letters, digits"},
		{"apt_repository missing suite", "apt_repository", map[string]any{"name": "n", "uri": "https://x"}, "suite", "needs suite"},
		{"apt_repository bad key", "apt_repository", map[string]any{"name": "n", "uri": "https://x", "suite": "s", "key": "abc"}, "key", "ASCII-armored"},
		{"git missing repository", "git", map[string]any{"destination": "/srv/app"}, "repository", "needs repository"},
		{"download bad sha", "download", map[string]any{"destination": "/x", "url": "https://x", "sha256": "abc"}, "sha256", "64 hex digits"},
		{"download bad url", "download", map[string]any{"destination": "/x", "url": "ftp://x", "sha256": strings.Repeat("a", 64)}, "url", "http://"},
		{"package bad state", "package", map[string]any{"name": "nginx", "state": "installed"}, "state", `"present", "absent" or "latest"`},
		{"package version with latest", "package", map[string]any{"name": "nginx", "version": "1", "state": "latest"}, "version", "only goes with"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			problems := Validate(tc.kind, tc.attrs)
			for _, p := range problems {
				if p.Attribute == tc.wantAttr && strings.Contains(p.Summary+": "+p.Detail, tc.want) {
					return
				}
			}
			t.Errorf("no problem on %q containing %q; got %v", tc.wantAttr, tc.want, problems)
		})
	}
}

func TestValidateAccepts(t *testing.T) {
	tests := []struct {
		kind  string
		attrs map[string]any
	}{
		{"package", map[string]any{}}, // name from the block label
		{"file", map[string]any{"content": "x", "mode": "0600", "owner": "root"}},
		{"file", map[string]any{"source": "files/motd"}},
		{"file", map[string]any{"state": "absent"}},
		{"template", map[string]any{"source": "t.tpl", "vars": map[string]any{"n": 1.0, "l": []any{true}}}},
		{"user", map[string]any{"uid": 1001.0, "groups": []string{"sudo"}, "ssh_authorized_keys": []any{"ssh-ed25519 AAAA a@b"}}},
		{"service", map[string]any{"state": "running", "enabled": true, "reload_command": nil}},
		{"exec", map[string]any{"command": "true", "env": map[string]string{"A": "b"}}},
		{"cron", map[string]any{"schedule": "*/5 * * * *", "command": "x"}},
		{"download", map[string]any{"url": "https://x/y", "sha256": strings.Repeat("A", 64)}},
	}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			if problems := Validate(tc.kind, tc.attrs); problems != nil {
				t.Errorf("unexpected problems: %v", problems)
			}
		})
	}
}

func TestKindsMetadata(t *testing.T) {
	want := []string{"apt_repository", "cron", "directory", "download", "exec", "file", "git", "group", "line", "link",
		"package", "service", "template", "user"}
	specs := Kinds()
	if len(specs) != len(want) {
		t.Fatalf("got %d kinds, want %d", len(specs), len(want))
	}
	types := map[AttrType]bool{TypeString: true, TypeNumber: true, TypeBool: true, TypeStringList: true, TypeStringMap: true, TypeAny: true}
	for i, spec := range specs {
		if spec.Name != want[i] {
			t.Errorf("kind %d is %q, want %q", i, spec.Name, want[i])
		}
		if spec.Description == "" {
			t.Errorf("%s has no description", spec.Name)
		}
		if spec.NameAttribute != "" {
			if _, ok := spec.Attribute(spec.NameAttribute); !ok {
				t.Errorf("%s: name attribute %q is not an attribute", spec.Name, spec.NameAttribute)
			}
		}
		seen := map[string]bool{}
		for _, a := range spec.Attributes {
			if seen[a.Name] || !types[a.Type] || a.Description == "" {
				t.Errorf("%s.%s: duplicate, bad type %q or no description", spec.Name, a.Name, a.Type)
			}
			seen[a.Name] = true
		}
	}
	specs[0].Attributes[0].Name = "changed"
	if Kinds()[0].Attributes[0].Name == "changed" {
		t.Error("Kinds returns the registry's own slices")
	}
}

func TestNameFromID(t *testing.T) {
	tests := []struct{ id, kind, want string }{
		{"web/template./etc/nginx/sites-enabled/default", "template", "/etc/nginx/sites-enabled/default"},
		{"web/package.nginx", "package", "nginx"},
		{"package.nginx", "package", "nginx"},
		{"file./a/b", "file", "/a/b"},
		{"web/service.x", "package", ""},
	}
	for _, tc := range tests {
		if got := NameFromID(tc.id, tc.kind); got != tc.want {
			t.Errorf("NameFromID(%q, %q) = %q, want %q", tc.id, tc.kind, got, tc.want)
		}
	}
}
