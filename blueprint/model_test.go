package blueprint

import (
	"reflect"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestModelFull(t *testing.T) {
	cfg, _ := loadValid(t, "testdata/valid/full")
	m := cfg.Module

	t.Run("settings", func(t *testing.T) {
		s := m.Settings
		if s == nil {
			t.Fatal("no settings")
		}
		if s.RequiredVersion != ">= 0.1, < 2.0" {
			t.Errorf("RequiredVersion = %q", s.RequiredVersion)
		}
		if s.Backend == nil || s.Backend.Type != "postgres" {
			t.Errorf("Backend = %+v, want postgres", s.Backend)
		}
		local, cloud := s.RequiredProviders["local"], s.RequiredProviders["cloud"]
		if local == nil || !local.IsBuiltin() {
			t.Errorf("local provider = %+v, want builtin", local)
		}
		if cloud == nil || cloud.IsBuiltin() || cloud.Source != "example.com/acme/cloud" || cloud.Version != ">= 1.2" {
			t.Errorf("cloud provider = %+v", cloud)
		}
	})

	t.Run("variables", func(t *testing.T) {
		wc := m.Variables["web_count"]
		if !wc.Type.Equals(cty.Number) || !wc.Default.RawEquals(cty.NumberIntVal(2)) || wc.Required() {
			t.Errorf("web_count: type %s default %#v", typeString(wc.Type), wc.Default)
		}
		if wc.Description != "How many web machines to run." || len(wc.Validations) != 1 {
			t.Errorf("web_count: description %q, %d validations", wc.Description, len(wc.Validations))
		}
		if z := m.Variables["zones"]; !z.Type.Equals(cty.Set(cty.String)) ||
			!z.Default.RawEquals(cty.SetVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})) {
			t.Errorf("zones: type %s default %#v", typeString(z.Type), z.Default)
		}
		db := m.Variables["db"]
		if db.TypeDefaults == nil {
			t.Fatal("db: no optional attribute defaults")
		}
		wantDB := cty.ObjectVal(map[string]cty.Value{
			"name": cty.StringVal("main"),
			"port": cty.NumberIntVal(5432),
			"tags": cty.NullVal(cty.Map(cty.String)),
		})
		if !db.Default.RawEquals(wantDB) {
			t.Errorf("db default = %#v, want %#v (optional defaults applied)", db.Default, wantDB)
		}
		pw := m.Variables["password"]
		if !pw.Sensitive || pw.Nullable || !pw.Required() {
			t.Errorf("password: sensitive %v nullable %v required %v", pw.Sensitive, pw.Nullable, pw.Required())
		}
		if any := m.Variables["anything"]; any.Type != cty.DynamicPseudoType || !any.Nullable || !any.Required() {
			t.Errorf("anything: type %s nullable %v required %v", typeString(any.Type), any.Nullable, any.Required())
		}
	})

	t.Run("locals", func(t *testing.T) {
		for _, name := range []string{"site", "labels", "first_zone"} {
			if m.Locals[name] == nil || m.Locals[name].Expr == nil {
				t.Errorf("local %q missing", name)
			}
		}
	})

	t.Run("providers", func(t *testing.T) {
		if p := m.Providers["local"]; p == nil || p.Alias != "" {
			t.Errorf("local = %+v", p)
		}
		east := m.Providers["cloud.east"]
		if east == nil || east.Name != "cloud" || east.Alias != "east" {
			t.Fatalf("cloud.east = %+v", east)
		}
		attrs, _ := east.Config.JustAttributes()
		if _, ok := attrs["alias"]; ok {
			t.Error("provider Config still holds alias")
		}
		if _, ok := attrs["region"]; !ok {
			t.Error("provider Config lost region")
		}
	})

	t.Run("resources", func(t *testing.T) {
		web := m.Resources["machine.web"]
		if web == nil || web.Count == nil || web.ForEach != nil || web.Provider != nil {
			t.Fatalf("machine.web = %+v", web)
		}
		if !web.Lifecycle.CreateBeforeDestroy || web.Lifecycle.PreventDestroy || web.Lifecycle.IgnoreAllChanges {
			t.Errorf("machine.web lifecycle = %+v", web.Lifecycle)
		}
		if got, want := traversalStrings(web.Lifecycle.IgnoreChanges), []string{"labels", `tags["owner"]`}; !reflect.DeepEqual(got, want) {
			t.Errorf("ignore_changes = %q, want %q", got, want)
		}
		if web.Connection == nil {
			t.Error("machine.web has no connection body")
		}
		attrs, _ := web.Config.JustAttributes()
		for _, meta := range []string{"count", "for_each", "depends_on", "provider", "lifecycle", "connection", "realize"} {
			if _, ok := attrs[meta]; ok {
				t.Errorf("resource Config still holds meta-argument %q", meta)
			}
		}
		if len(attrs) != 4 {
			t.Errorf("resource Config holds %d arguments, want image, size, name, labels", len(attrs))
		}
		if web.ImpliedProvider() != "" || web.Addr() != "machine.web" {
			t.Errorf("ImpliedProvider %q Addr %q", web.ImpliedProvider(), web.Addr())
		}

		db := m.Resources["machine.db"]
		if db.Provider == nil || db.Provider.Name != "cloud" || db.Provider.Alias != "east" || db.Provider.Key() != "cloud.east" {
			t.Errorf("machine.db provider = %+v", db.Provider)
		}
		if !db.Lifecycle.PreventDestroy || !db.Lifecycle.IgnoreAllChanges {
			t.Errorf("machine.db lifecycle = %+v", db.Lifecycle)
		}
		if got, want := traversalStrings(db.DependsOn), []string{"resource.machine.web", "module.cache"}; !reflect.DeepEqual(got, want) {
			t.Errorf("depends_on = %q, want %q", got, want)
		}
		if lb := m.Resources["load_balancer.front"]; lb.Realize != "selfhosted" {
			t.Errorf("load_balancer realize = %q", lb.Realize)
		}
		if z := m.Resources["dns_record.zone"]; z.ForEach == nil || z.Count != nil {
			t.Errorf("dns_record.zone for_each not recorded")
		}
		base := m.DataSources["local_image.base"]
		if base == nil || base.Mode != DataResourceMode || base.Addr() != "data.local_image.base" || base.ImpliedProvider() != "local" {
			t.Errorf("data.local_image.base = %+v", base)
		}
		if m.ResourceByAddr(DataResourceMode, "local_image", "base") != base {
			t.Error("ResourceByAddr does not find the data source")
		}
		var order []string
		for _, r := range m.SortedResources() {
			order = append(order, r.Addr())
		}
		want := []string{"dns_record.zone", "load_balancer.front", "machine.db", "machine.web", "data.local_image.base"}
		if !reflect.DeepEqual(order, want) {
			t.Errorf("SortedResources = %q, want %q", order, want)
		}
	})

	t.Run("modules", func(t *testing.T) {
		mc := m.ModuleCalls["cache"]
		if mc == nil || mc.Source != "./modules/cache" || mc.ForEach == nil {
			t.Fatalf("module cache = %+v", mc)
		}
		if _, ok := mc.Arguments["zone"]; !ok || len(mc.Arguments) != 2 {
			t.Errorf("module cache arguments = %v, want zone and size", sortedKeys(mc.Arguments))
		}
		if p := mc.Providers["cloud"]; p == nil || p.Key() != "cloud.east" {
			t.Errorf("module cache providers = %+v", mc.Providers)
		}
		if got := sortedKeys(cfg.Children); !reflect.DeepEqual(got, []string{"cache", "single"}) {
			t.Fatalf("children = %q", got)
		}
		child := cfg.Children["single"]
		if !reflect.DeepEqual(child.Path, []string{"single"}) || child.Parent != cfg || child.Root() != cfg {
			t.Errorf("child single: path %q parent ok %v", child.Path, child.Parent == cfg)
		}
		if cfg.Descendant([]string{"single"}) != child || cfg.Descendant([]string{"nope", "x"}) != nil {
			t.Error("Descendant does not walk the tree")
		}
		if child.Module.Outputs["address"] == nil || child.Module.Resources["machine.cache"] == nil {
			t.Error("child module content missing")
		}
		if child.CallRange.Start.Line != 131 {
			t.Errorf("CallRange line = %d", child.CallRange.Start.Line)
		}
		var walked [][]string
		cfg.Walk(func(c *Config) { walked = append(walked, c.Path) })
		if want := [][]string{nil, {"cache"}, {"single"}}; !reflect.DeepEqual(walked, want) {
			t.Errorf("Walk order = %q, want %q", walked, want)
		}
	})

	t.Run("roles", func(t *testing.T) {
		app := m.Roles["app"]
		if app == nil || len(app.Resources) != 5 {
			t.Fatalf("role app = %+v", app)
		}
		var addrs []string
		for _, hr := range app.Resources {
			addrs = append(addrs, hr.Addr())
		}
		want := []string{"package.nginx", "user.app", "template./etc/nginx/sites-enabled/default", "file./etc/app.env", "service.nginx"}
		if !reflect.DeepEqual(addrs, want) {
			t.Errorf("role resources = %q, want declaration order %q", addrs, want)
		}
		tpl := app.Resources[2]
		if got := traversalStrings(tpl.Notify); !reflect.DeepEqual(got, []string{"service.nginx"}) {
			t.Errorf("template notify = %q", got)
		}
		if got := traversalStrings(tpl.DependsOn); !reflect.DeepEqual(got, []string{"package.nginx"}) {
			t.Errorf("template depends_on = %q", got)
		}
		attrs, _ := tpl.Config.JustAttributes()
		if _, ok := attrs["notify"]; ok || len(attrs) != 2 {
			t.Errorf("template Config = %v, want source and vars only", sortedKeys(attrs))
		}
		if !app.Resources[3].Sensitive || app.Resources[2].Sensitive {
			t.Error("sensitive flag not decoded")
		}
	})

	t.Run("configure", func(t *testing.T) {
		web := m.Configures["web"]
		if web == nil || web.Hosts == nil {
			t.Fatalf("configure web = %+v", web)
		}
		if got := web.RoleNames(); !reflect.DeepEqual(got, []string{"base", "app"}) {
			t.Errorf("RoleNames = %q", got)
		}
		if web.Rollout.MaxParallel != 1 || len(web.DependsOn) != 1 {
			t.Errorf("rollout %+v depends_on %d", web.Rollout, len(web.DependsOn))
		}
	})

	t.Run("outputs", func(t *testing.T) {
		url := m.Outputs["url"]
		if url.Description != "Where the site answers." || url.Sensitive {
			t.Errorf("output url = %+v", url)
		}
		ca := m.Outputs["cache_address"]
		if !ca.Sensitive || len(ca.DependsOn) != 1 {
			t.Errorf("output cache_address = %+v", ca)
		}
	})

	t.Run("moved and import", func(t *testing.T) {
		if len(m.Moved) != 2 {
			t.Fatalf("%d moved blocks", len(m.Moved))
		}
		if from, to := traversalString(m.Moved[0].From), traversalString(m.Moved[0].To); from != "machine.old_web" || to != "machine.web" {
			t.Errorf("moved = %s -> %s", from, to)
		}
		if len(m.Imports) != 1 {
			t.Fatalf("%d imports", len(m.Imports))
		}
		im := m.Imports[0]
		if traversalString(im.To) != "resource.machine.db" || im.ID == nil || im.Provider == nil || im.Provider.Key() != "cloud.east" {
			t.Errorf("import = %+v", im)
		}
	})
}

func TestModelJSON(t *testing.T) {
	cfg, _ := loadValid(t, "testdata/valid/json")
	m := cfg.Module
	web := m.Resources["machine.web"]
	if web == nil || web.Count == nil {
		t.Fatalf("machine.web = %+v", web)
	}
	if got := traversalStrings(web.DependsOn); !reflect.DeepEqual(got, []string{"machine.db"}) {
		t.Errorf("depends_on = %q", got)
	}
	if got := traversalStrings(web.Lifecycle.IgnoreChanges); !reflect.DeepEqual(got, []string{"labels"}) {
		t.Errorf("ignore_changes = %q", got)
	}
	if v := m.Variables["names"]; !v.Type.Equals(cty.List(cty.String)) {
		t.Errorf("names type = %s", typeString(v.Type))
	}
	app := m.Roles["app"]
	if app == nil || len(app.Resources) != 3 {
		t.Fatalf("role app = %+v", app)
	}
	for _, hr := range app.Resources {
		if hr.Kind == "file" {
			if got := traversalStrings(hr.Notify); !reflect.DeepEqual(got, []string{"service.nginx"}) {
				t.Errorf("file notify = %q", got)
			}
		}
	}
	if got := m.Configures["web"].RoleNames(); !reflect.DeepEqual(got, []string{"app"}) {
		t.Errorf("RoleNames = %q", got)
	}
}
