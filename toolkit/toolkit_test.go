package toolkit

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/providers"
)

func TestLookup(t *testing.T) {
	if got, want := Kinds(), []string{"autoscaler", "dns_record", "dns_zone", "health_check", "load_balancer", "machine_group"}; !slices.Equal(got, want) {
		t.Fatalf("Kinds() = %v, want %v", got, want)
	}
	for _, tc := range []struct {
		kind    string
		found   bool
		summary string
	}{
		{"load_balancer", true, "HAProxy on a machine"},
		{"dns_zone", true, "PowerDNS authoritative server on a machine"},
		{"dns_record", true, "record on the zone's PowerDNS server"},
		{"machine_group", true, "identical machines"},
		{"machine", false, ""},
		{"autoscaler", true, "policy for bp run"},
		{"health_check", true, "check for bp run"},
		{"monitor", false, ""},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			r, ok := Lookup(tc.kind)
			if ok != tc.found {
				t.Fatalf("Lookup(%q) found = %v, want %v", tc.kind, ok, tc.found)
			}
			if !ok {
				return
			}
			if r.Kind != tc.kind || r.Summary != tc.summary {
				t.Errorf("Lookup(%q) = %q %q, want %q %q", tc.kind, r.Kind, r.Summary, tc.kind, tc.summary)
			}
			if err := r.Schema.InternalValidate(); err != nil {
				t.Errorf("schema: %v", err)
			}
			if !blueprint.IsPortableKind(tc.kind) {
				t.Errorf("%s is not a portable kind", tc.kind)
			}
		})
	}
}

// TestDNSRecordSchemaIsNative checks that the self-hosted dns_record takes
// what the native one does, less the server, which the engine fills in.
func TestDNSRecordSchemaIsNative(t *testing.T) {
	r, _ := Lookup("dns_record")
	for _, name := range []string{"zone", "name", "type", "records", "ttl", "fqdn"} {
		if r.Schema.Attributes[name] == nil {
			t.Errorf("no attribute %s", name)
		}
	}
	for _, name := range []string{"api_url", "api_key"} {
		if r.Schema.Attributes[name] != nil {
			t.Errorf("attribute %s is exposed; the engine passes the zone's server instead", name)
		}
	}
	if b := r.Schema.Blocks["routing"]; b == nil || b.Nesting != providers.NestingSingle {
		t.Errorf("routing block = %+v, want a single block", b)
	}
}

// hiddenVariables are the variables the engine sets besides the schema's,
// with their types.
func hiddenVariables(kind string) map[string]cty.Type {
	h := map[string]cty.Type{"realization_name": cty.String}
	if kind == "dns_record" {
		h["server"] = cty.Object(map[string]cty.Type{"api_url": cty.String, "api_key": cty.String})
	}
	if kind == "machine_group" {
		h[GroupSizeOverrideVar] = cty.Number
	}
	if kind == "autoscaler" || kind == "health_check" {
		h[ControllerGroupVar] = cty.String
	}
	return h
}

// extraOutputs are the outputs each module has beyond its schema's
// attributes, with whether they are sensitive.
var extraOutputs = map[string]map[string]bool{
	"load_balancer": {},
	"dns_zone":      {"server": true},
	"dns_record":    {},
	"machine_group": {},
	"autoscaler":    {},
	"health_check":  {},
}

// engineHandled are schema attributes the engine handles itself: the
// module has neither a variable nor an output for them.
var engineHandled = map[string]map[string]bool{
	"machine_group": {GroupRolesAttribute: true, GroupRolloutBlock: true},
}

// TestModuleContract loads every embedded module and checks it against its
// realization's schema, as the engine relies on it (see the package doc).
func TestModuleContract(t *testing.T) {
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range Kinds() {
		t.Run(kind, func(t *testing.T) {
			r, _ := Lookup(kind)
			cfg, diags := blueprint.NewLoader().LoadDir(filepath.Join(dir, kind))
			if diags.HasErrors() {
				t.Fatalf("loading the module: %s", diags.Error())
			}
			m := cfg.Module
			want := map[string]bool{}
			for name, a := range r.Schema.Attributes {
				if (!a.Required && !a.Optional) || engineHandled[kind][name] {
					continue
				}
				want[name] = true
				v := m.Variables[name]
				if v == nil {
					t.Errorf("no variable for attribute %s", name)
					continue
				}
				if a.Required != v.Required() {
					t.Errorf("variable %s required = %v, want %v (the attribute's)", name, v.Required(), a.Required)
				}
				if _, err := convert.Convert(cty.UnknownVal(a.Type), v.Type); err != nil {
					t.Errorf("variable %s of type %s cannot take the attribute's %s: %v", name, v.Type.FriendlyName(), a.Type.FriendlyName(), err)
				}
				if !a.Required && !v.Default.IsNull() {
					// The engine leaves unset arguments out; a default other
					// than null would hide an explicit null.
					t.Errorf("variable %s defaults to %#v; optional attributes default to null and the module applies the default", name, v.Default)
				}
			}
			for name, b := range r.Schema.Blocks {
				if engineHandled[kind][name] {
					continue
				}
				want[name] = true
				v := m.Variables[name]
				if v == nil {
					t.Errorf("no variable for block %s", name)
					continue
				}
				checkBlockVariable(t, name, b, v)
			}
			for name, ty := range hiddenVariables(kind) {
				want[name] = true
				v := m.Variables[name]
				if v == nil {
					t.Errorf("no hidden variable %s", name)
					continue
				}
				if !v.Required() || !v.Type.Equals(ty) {
					t.Errorf("variable %s: type %s, required %v; want a required %s", name, v.Type.FriendlyName(), v.Required(), ty.FriendlyName())
				}
			}
			for name := range m.Variables {
				if !want[name] {
					t.Errorf("variable %s is neither in the schema nor a hidden variable the engine sets", name)
				}
			}

			// Every attribute and block reads as on a native resource.
			var outputs []string
			for name := range r.Schema.Attributes {
				if !engineHandled[kind][name] {
					outputs = append(outputs, name)
				}
			}
			for name := range r.Schema.Blocks {
				if !engineHandled[kind][name] {
					outputs = append(outputs, name)
				}
			}
			for name, sensitive := range extraOutputs[kind] {
				outputs = append(outputs, name)
				if o := m.Outputs[name]; o != nil && o.Sensitive != sensitive {
					t.Errorf("output %s sensitive = %v, want %v", name, o.Sensitive, sensitive)
				}
			}
			sort.Strings(outputs)
			var got []string
			for name := range m.Outputs {
				got = append(got, name)
			}
			sort.Strings(got)
			if !slices.Equal(got, outputs) {
				t.Errorf("outputs = %v, want %v", got, outputs)
			}
		})
	}
}

// checkBlockVariable checks the variable of a nested block type: a list of
// objects defaulting to [] or an object defaulting to null, taking values
// with every block attribute present.
func checkBlockVariable(t *testing.T, name string, b *providers.NestedBlock, v *blueprint.Variable) {
	t.Helper()
	objType := v.Type
	switch b.Nesting {
	case providers.NestingList:
		if !v.Type.IsListType() {
			t.Errorf("variable %s is %s, want a list of objects", name, v.Type.FriendlyName())
			return
		}
		objType = v.Type.ElementType()
		if v.Required() || !v.Default.IsKnown() || v.Default.IsNull() || v.Default.LengthInt() != 0 {
			t.Errorf("variable %s default = %#v, want []", name, v.Default)
		}
	case providers.NestingSingle:
		if v.Required() || !v.Default.IsNull() {
			t.Errorf("variable %s default = %#v, want null", name, v.Default)
		}
	default:
		t.Errorf("block %s: nesting %s has no variable form in the contract", name, b.Nesting)
		return
	}
	if !objType.IsObjectType() {
		t.Errorf("variable %s holds %s, want objects", name, objType.FriendlyName())
		return
	}
	var attrs, want []string
	for a := range objType.AttributeTypes() {
		attrs = append(attrs, a)
	}
	for a := range b.Block.Attributes {
		want = append(want, a)
	}
	sort.Strings(attrs)
	sort.Strings(want)
	if !slices.Equal(attrs, want) {
		t.Errorf("variable %s has attributes %v, want the block's %v", name, attrs, want)
	}
	// A block as the engine passes it: every attribute, unset ones null.
	block := map[string]cty.Value{}
	for a, s := range b.Block.Attributes {
		block[a] = cty.NullVal(s.Type)
		if s.Required {
			block[a] = cty.UnknownVal(s.Type)
		}
	}
	if _, err := convert.Convert(cty.ObjectVal(block), objType); err != nil {
		t.Errorf("variable %s cannot take a %s block with unset attributes: %v", name, name, err)
	}
}

func TestDir(t *testing.T) {
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	again, err := Dir()
	if err != nil || again != dir {
		t.Fatalf("second Dir() = %q, %v; want %q", again, err, dir)
	}
	for _, kind := range Kinds() {
		if _, err := os.Stat(filepath.Join(dir, kind, "main.bp.hcl")); err != nil {
			t.Errorf("module %s: %v", kind, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "load_balancer", "haproxy.cfg.tpl")); err != nil {
		t.Errorf("the HAProxy template is not next to its module: %v", err)
	}
	files, hash, err := embeddedFiles(modules)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(dir) != hash {
		t.Errorf("Dir() = %s, want a directory named by the content hash %s", dir, hash)
	}
	if !matches(dir, files) {
		t.Errorf("%s does not hold exactly the embedded files", dir)
	}
}

func TestExtract(t *testing.T) {
	files := map[string][]byte{
		filepath.Join("a", "main.bp.hcl"): []byte("# a\n"),
		filepath.Join("b", "main.bp.hcl"): []byte("# b\n"),
		filepath.Join("b", "x.tpl"):       []byte("${x}\n"),
	}
	for _, tc := range []struct {
		name   string
		before func(t *testing.T, dest string) // damage done to a first extraction
	}{
		{"fresh", nil},
		{"file edited by hand", func(t *testing.T, dest string) {
			os.WriteFile(filepath.Join(dest, "b", "x.tpl"), []byte("edited"), 0o644)
		}},
		{"file removed", func(t *testing.T, dest string) { os.Remove(filepath.Join(dest, "a", "main.bp.hcl")) }},
		{"file added", func(t *testing.T, dest string) {
			os.WriteFile(filepath.Join(dest, "a", "stray.bp.hcl"), []byte("resource {"), 0o644)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "bp", "toolkit")
			dest, err := extract(root, "h1", files)
			if err != nil {
				t.Fatal(err)
			}
			if tc.before != nil {
				tc.before(t, dest)
				if matches(dest, files) {
					t.Fatal("the damage went unnoticed")
				}
				if dest, err = extract(root, "h1", files); err != nil {
					t.Fatal(err)
				}
			}
			if !matches(dest, files) {
				t.Errorf("%s does not hold exactly the files", dest)
			}
			entries, _ := os.ReadDir(root)
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".extract-") {
					t.Errorf("temporary directory %s left behind", e.Name())
				}
			}
		})
	}

	t.Run("concurrent", func(t *testing.T) {
		root := filepath.Join(t.TempDir(), "toolkit")
		var wg sync.WaitGroup
		dirs := make([]string, 8)
		errs := make([]error, 8)
		for i := range dirs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				dirs[i], errs[i] = extract(root, "h2", files)
			}()
		}
		wg.Wait()
		for i := range dirs {
			if errs[i] != nil || dirs[i] != filepath.Join(root, "h2") {
				t.Errorf("extraction %d: %q, %v", i, dirs[i], errs[i])
			}
		}
		if !matches(filepath.Join(root, "h2"), files) {
			t.Error("concurrent extractions left a wrong copy")
		}
	})

	t.Run("unwritable", func(t *testing.T) {
		base := t.TempDir()
		blocker := filepath.Join(base, "file")
		os.WriteFile(blocker, nil, 0o644)
		if _, err := extract(filepath.Join(blocker, "toolkit"), "h3", files); err == nil {
			t.Error("extracting below a regular file succeeded")
		}
	})
}
