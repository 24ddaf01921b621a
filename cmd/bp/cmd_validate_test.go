package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// validateRolesBlueprint has a role whose host resources have every kind
// of mistake bp validate finds without a host, each marked on its line
// with "# ERROR: <summary>"; the resources without a marker are valid,
// including values known only per host.
const validateRolesBlueprint = `
variable "mode" {
  type    = string
  default = "0640"
}

role "web" {
  package "nginx" {
    state = "latest"
  }
  service "nginx" {
    state   = "runing" # ERROR: Invalid state
    enabled = "yes"    # ERROR: Incorrect attribute value type
  }
  file "/etc/motd" {
    content = "hi ${host.name}"
    mode    = "rw-r--r--" # ERROR: Invalid mode
    colour  = "blue"      # ERROR: Unsupported argument
  }
  file "/etc/app.conf" {
    content = host.facts.os
    mode    = var.mode
  }
  user "app" {
    uid    = "abc" # ERROR: Incorrect attribute value type
    shell  = "/bin/bash"
    groups = ["www-data"]
  }
  exec "migrate" { # ERROR: Missing required argument
    creates = "/srv/done"
  }
  template "/etc/site.conf" {
    source = "site.conf.tpl"
    vars   = { port = 8080 }
    mode   = upper("0644x") # ERROR: Invalid mode
  }
}

configure "web" {
  hosts = [{ address = "10.0.0.1" }]
  roles = [role.web]
}
`

// errorMarker finds "# ERROR: summary" at the end of a line.
var errorMarker = regexp.MustCompile(`(?m)# ERROR: (.+)$`)

// markedErrors returns "LINE: summary" for every marked line of src.
func markedErrors(src string) []string {
	var out []string
	for i, line := range strings.Split(src, "\n") {
		if m := errorMarker.FindStringSubmatch(line); m != nil {
			out = append(out, fmt.Sprintf("%d: %s", i+1, strings.TrimSpace(m[1])))
		}
	}
	return out
}

func TestValidateRoles(t *testing.T) {
	start, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(start) }) // -chdir changes the process's directory

	tests := []struct {
		name string
		src  string
	}{
		{"every mistake is reported at its argument", validateRolesBlueprint},
		{"a valid role passes", errorMarker.ReplaceAllString(strings.NewReplacer(
			`"runing"`, `"running"`, `"yes"`, `true`, `"rw-r--r--"`, `"0644"`, `colour  = "blue"`, ``,
			`"abc"`, `1001`, `creates = "/srv/done"`, `command = "true"`, `upper("0644x")`, `lower("0644")`,
		).Replace(validateRolesBlueprint), "")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.bp.hcl"), []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			want := markedErrors(tc.src)
			wantCode := 0
			if len(want) > 0 {
				wantCode = 1
			}

			code, stdout, stderr := bpIn(t, dir, "", "validate", "-json")
			if code != wantCode {
				t.Fatalf("bp validate -json: exit %d, want %d\n%s%s", code, wantCode, stdout, stderr)
			}
			var out struct {
				Diagnostics []struct {
					Summary string
					Range   struct {
						Filename string
						Start    struct{ Line, Column int }
					}
				}
			}
			if err := json.Unmarshal([]byte(stdout), &out); err != nil {
				t.Fatalf("%v\n%s", err, stdout)
			}
			var got []string
			for _, d := range out.Diagnostics {
				if d.Range.Filename != "main.bp.hcl" || d.Range.Start.Column < 1 {
					t.Errorf("%s: position %s:%d:%d, want main.bp.hcl:LINE:COL", d.Summary, d.Range.Filename, d.Range.Start.Line, d.Range.Start.Column)
				}
				got = append(got, fmt.Sprintf("%d: %s", d.Range.Start.Line, d.Summary))
			}
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("diagnostics:\n%s\nwant (as marked):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}

			code, stdout, stderr = bpIn(t, dir, "", "validate")
			if code != wantCode {
				t.Fatalf("bp validate: exit %d, want %d", code, wantCode)
			}
			if wantCode == 0 {
				if !strings.Contains(stdout, "The blueprint is valid.") {
					t.Errorf("stdout = %q", stdout)
				}
				return
			}
			for _, w := range []string{"Error: Invalid state", "  on main.bp.hcl:12:15:", `state must be "running" or "stopped", not "runing".`} {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}
