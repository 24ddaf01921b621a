package blueprint

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func parseTraversal(t *testing.T, src string) hcl.Traversal {
	t.Helper()
	tr, diags := hclsyntax.ParseTraversalAbs([]byte(src), "ref.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %q: %s", src, diags.Error())
	}
	return tr
}

func TestParseRef(t *testing.T) {
	cases := []struct {
		src       string
		subject   Referenceable
		remaining string // traversalString of Remaining
		err       string // substring of the error detail; "" for none
	}{
		{src: "var.web_count", subject: VariableRef{Name: "web_count"}},
		{src: "var.db.port", subject: VariableRef{Name: "db"}, remaining: ".port"},
		{src: "local.site", subject: LocalRef{Name: "site"}},
		{src: "local.labels[\"tier\"]", subject: LocalRef{Name: "labels"}, remaining: `["tier"]`},
		{src: "resource.machine.web", subject: ResourceRef{Mode: ManagedResourceMode, Type: "machine", Name: "web"}},
		{src: "resource.machine.web[0].address", subject: ResourceRef{Mode: ManagedResourceMode, Type: "machine", Name: "web"}, remaining: "[0].address"},
		{src: "machine.web", subject: ResourceRef{Mode: ManagedResourceMode, Type: "machine", Name: "web"}},
		{src: "machine.web.address", subject: ResourceRef{Mode: ManagedResourceMode, Type: "machine", Name: "web"}, remaining: ".address"},
		{src: "data.local_image.base.id", subject: ResourceRef{Mode: DataResourceMode, Type: "local_image", Name: "base"}, remaining: ".id"},
		{src: "module.db", subject: ModuleCallRef{Name: "db"}},
		{src: "module.db.address", subject: ModuleCallRef{Name: "db"}, remaining: ".address"},
		{src: "path.module", subject: PathRef{Name: "module"}},
		{src: "path.root", subject: PathRef{Name: "root"}},
		{src: "path.cwd", subject: PathRef{Name: "cwd"}},
		{src: "count.index", subject: CountRef{Name: "index"}},
		{src: "each.key", subject: EachRef{Name: "key"}},
		{src: "each.value.port", subject: EachRef{Name: "value"}, remaining: ".port"},
		{src: "self", subject: SelfRef{}},
		{src: "self.address", subject: SelfRef{}, remaining: ".address"},
		{src: "host.address", subject: HostRef{Name: "address"}},
		{src: "host.labels.tier", subject: HostRef{Name: "labels"}, remaining: ".tier"},
		{src: "role.app", subject: RoleRef{Name: "app"}},

		{src: "var", err: `"var" must be followed by a name, such as var.web_count`},
		{src: "var[0]", err: "must be followed by a name"},
		{src: "path.bogus", err: `path has only module, root and cwd, not "bogus".`},
		{src: "path.modul", err: `Did you mean "module"?`},
		{src: "count.idx", err: "count has only one attribute, index"},
		{src: "each.kye", err: `Did you mean "key"?`},
		{src: "host.adress", err: `Did you mean "address"?`},
		{src: "resource.machine", err: "must name its type and name, such as resource.machine.web"},
		{src: "data.local_image", err: "data source must name its type and name"},
		{src: "blueprint.version", err: `"blueprint" cannot be referred to`},
		{src: "terraform.workspace", err: `"terraform" cannot be referred to`},
		{src: "machine", err: `There is no value named "machine"`},
		{src: "machine[0]", err: `There is no value named "machine"`},
	}
	for _, tc := range cases {
		t.Run(tc.src, func(t *testing.T) {
			tr := parseTraversal(t, tc.src)
			ref, diags := ParseRef(tr)
			if tc.err != "" {
				if !diags.HasErrors() || ref != nil {
					t.Fatalf("ParseRef(%s) = %+v, %v; want an error", tc.src, ref, diags)
				}
				if d := diags[0]; d.Summary != "Invalid reference" || !strings.Contains(d.Detail, tc.err) || d.Subject == nil {
					t.Errorf("diagnostic = %q / %q, want detail containing %q", d.Summary, d.Detail, tc.err)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatalf("ParseRef(%s): %s", tc.src, diags.Error())
			}
			if ref.Subject != tc.subject {
				t.Errorf("subject = %#v, want %#v", ref.Subject, tc.subject)
			}
			if got := traversalString(ref.Remaining); got != tc.remaining {
				t.Errorf("remaining = %q, want %q", got, tc.remaining)
			}
			if ref.SourceRange != tr.SourceRange() {
				t.Errorf("range = %v, want %v", ref.SourceRange, tr.SourceRange())
			}
		})
	}
}

func TestReferenceableString(t *testing.T) {
	cases := map[Referenceable]string{
		VariableRef{Name: "x"}: "var.x",
		LocalRef{Name: "x"}:    "local.x",
		ResourceRef{Mode: ManagedResourceMode, Type: "m", Name: "x"}: "m.x",
		ResourceRef{Mode: DataResourceMode, Type: "m", Name: "x"}:    "data.m.x",
		ModuleCallRef{Name: "x"}:                                     "module.x",
		PathRef{Name: "root"}:                                        "path.root",
		CountRef{Name: "index"}:                                      "count.index",
		EachRef{Name: "key"}:                                         "each.key",
		SelfRef{}:                                                    "self",
		HostRef{Name: "name"}:                                        "host.name",
		RoleRef{Name: "app"}:                                         "role.app",
	}
	for ref, want := range cases {
		if got := ref.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", ref, got, want)
		}
	}
}

func refStrings(refs []*Reference) []string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Subject.String())
	}
	sort.Strings(out)
	return out
}

func TestReferences(t *testing.T) {
	cases := []struct {
		expr string
		want []string
	}{
		{`"plain"`, nil},
		{`var.a + local.b`, []string{"local.b", "var.a"}},
		{`"${machine.web.address}:${var.port}"`, []string{"machine.web", "var.port"}},
		{`[for m in machine.web : m.address if m.index > var.min]`, []string{"machine.web", "var.min"}},
		{`{ for k, v in var.zones : k => upper(v) }`, []string{"var.zones"}},
		{`machine.web[*].address`, []string{"machine.web"}},
		{`try(data.x.y.z, module.db.out)`, []string{"data.x.y", "module.db"}},
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			expr, diags := hclsyntax.ParseExpression([]byte(tc.expr), "e.hcl", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			refs, diags := References(expr)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if got := refStrings(refs); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("References = %q, want %q", got, tc.want)
			}
		})
	}
	if refs, diags := References(nil); refs != nil || diags != nil {
		t.Error("References(nil) is not empty")
	}
}

// TestBodyReferencesSkipsMetaArguments is a regression test: the bodies the
// loader keeps (resource, provider, host resource configs) are what remains
// after PartialContent took the meta-arguments, and BodyReferences must not
// report references inside those meta-arguments (provider = local.east is
// not a local value, notify = [service.nginx] is not a resource).
func TestBodyReferencesSkipsMetaArguments(t *testing.T) {
	const src = `
resource "machine" "web" {
  count      = var.n
  provider   = local.east
  depends_on = [machine.db]
  image      = var.image
  lifecycle {
    ignore_changes = [labels.x]
  }
  connection {
    host = self.address
  }
  listener {
    port = local.port
  }
  listener "named" {
    port = local.named_port
  }
  dynamic "rule" {
    for_each = var.rules
    content {
      match = rule.value
      dynamic "header" {
        for_each = rule.value.headers
        iterator = h
        content {
          name = "${h.key}-${rule.key}-${local.suffix}"
        }
      }
    }
  }
}
role "app" {
  package "nginx" {}
  service "nginx" {}
  file "/etc/x" {
    notify     = [service.nginx]
    depends_on = [package.nginx]
    content    = host.name
  }
}
`
	for _, syntax := range []string{"hcl", "json"} {
		t.Run(syntax, func(t *testing.T) {
			var file *hcl.File
			var diags hcl.Diagnostics
			p := hclparse.NewParser()
			if syntax == "hcl" {
				file, diags = p.ParseHCL([]byte(src), "main.bp.hcl")
			} else {
				file, diags = p.ParseJSON([]byte(jsonEquivalent), "main.bp.json")
			}
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			mod := newModule(".")
			if diags := decodeFile(mod, file.Body); diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			r := mod.Resources["machine.web"]
			refs, diags := BodyReferences(r.Config)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			want := []string{"local.named_port", "local.port", "local.suffix", "var.image", "var.rules"}
			if got := refStrings(refs); !reflect.DeepEqual(got, want) {
				t.Errorf("resource body references = %q, want %q", got, want)
			}
			refs, _ = BodyReferences(r.Connection)
			if got := refStrings(refs); !reflect.DeepEqual(got, []string{"self"}) {
				t.Errorf("connection references = %q", got)
			}
			var fileRes *HostResource
			for _, hr := range mod.Roles["app"].Resources {
				if hr.Kind == "file" {
					fileRes = hr
				}
			}
			refs, _ = BodyReferences(fileRes.Config)
			if got := refStrings(refs); !reflect.DeepEqual(got, []string{"host.name"}) {
				t.Errorf("host resource references = %q, want only host.name", got)
			}
		})
	}
	if refs, diags := BodyReferences(nil); refs != nil || diags != nil {
		t.Error("BodyReferences(nil) is not empty")
	}
}

const jsonEquivalent = `{
  "resource": {"machine": {"web": {
    "count": "${var.n}",
    "provider": "local.east",
    "depends_on": ["machine.db"],
    "image": "${var.image}",
    "lifecycle": {"ignore_changes": ["labels.x"]},
    "connection": {"host": "${self.address}"},
    "listener": {"port": "${local.port}"},
    "other": {"named": {"port": "${local.named_port}"}},
    "rule": {"for_each": "${var.rules}", "suffix": "${local.suffix}"}
  }}},
  "role": {"app": {"package": {"nginx": {}}, "service": {"nginx": {}}, "file": {"/etc/x": {
    "notify": ["service.nginx"],
    "depends_on": ["package.nginx"],
    "content": "${host.name}"
  }}}}
}`
