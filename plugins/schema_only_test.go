package plugins

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// schemaOnlyFake is a fakeProvider that declares resource types
// schema-only.
type schemaOnlyFake struct {
	*fakeProvider
	names []string
}

func (f *schemaOnlyFake) SchemaOnlyResourceTypes() []string { return f.names }

var _ SchemaOnlyValidator = (*schemaOnlyFake)(nil)

// TestSchemaOnlyValidation checks that the Client answers
// ValidateResourceConfig itself for the resource types the plugin declares
// schema-only, and asks the plugin otherwise.
func TestSchemaOnlyValidation(t *testing.T) {
	warning := providers.Diagnostics{providers.Warningf("Checked", "The plugin was asked.")}
	tests := []struct {
		name     string
		declared []string // nil: the provider does not implement SchemaOnlyValidator
		typeName string
		// wire is what the schema response should carry.
		wire []string
		// asked says whether the plugin should see the call.
		asked bool
		// wantErr is part of an expected error.
		wantErr string
	}{
		{"not declared", nil, "test_widget", nil, true, ""},
		{"declared", []string{"test_widget"}, "test_widget", []string{"test_widget"}, false, ""},
		{"declared twice, with a type the schema lacks", []string{"test_nope", "test_widget", "test_widget"}, "test_widget", []string{"test_widget"}, false, ""},
		{"declared empty", []string{}, "test_widget", nil, true, ""},
		{"another type declared", []string{"test_nope"}, "test_widget", nil, true, ""},
		{"unknown type", []string{"test_widget"}, "test_gadget", []string{"test_widget"}, false, "Unsupported resource type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			fake := &fakeProvider{schema: widgetSchema()}
			var p providers.Interface = fake
			if tc.declared != nil {
				p = &schemaOnlyFake{fakeProvider: fake, names: tc.declared}
			}
			c, rpc, _, _ := connect(t, p)
			if got := newServer(p, Metadata{}).loadSchema(ctx).wire.SchemaOnlyResourceTypes; !slices.Equal(got, tc.wire) {
				t.Errorf("the schema response declares %q schema-only, want %q", got, tc.wire)
			}
			fake.respondWith(providers.ValidateResourceConfigResponse{Diagnostics: warning})
			resp := c.ValidateResourceConfig(ctx, providers.ValidateResourceConfigRequest{TypeName: tc.typeName, Config: widget(nil)})
			asked := slices.ContainsFunc(fake.received(), func(r any) bool {
				_, ok := r.(providers.ValidateResourceConfigRequest)
				return ok
			})
			if asked != tc.asked {
				t.Errorf("the plugin was asked: %v, want %v", asked, tc.asked)
			}
			switch {
			case tc.wantErr != "":
				if err := resp.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("diagnostics = %v, want an error about %q", resp.Diagnostics, tc.wantErr)
				}
			case tc.asked && len(resp.Diagnostics) != 1:
				t.Errorf("diagnostics = %v, want the plugin's warning", resp.Diagnostics)
			case !tc.asked && len(resp.Diagnostics) != 0:
				t.Errorf("diagnostics = %v, want none", resp.Diagnostics)
			}
			skipped := int64(0)
			if !tc.asked && tc.wantErr == "" {
				skipped = 1
			}
			if got := c.Stats().SkippedValidations; got != skipped {
				t.Errorf("Stats().SkippedValidations = %d, want %d", got, skipped)
			}
			if n := rpc.getSchema.Load(); n != 1 {
				t.Errorf("GetSchema was called %d times, want once", n)
			}
		})
	}
}

// TestSchemaOnlyStdPlugin checks the declaration end to end: std served as
// a plugin declares std_null schema-only, so validating one makes no call,
// while std_file is still validated by the plugin.
func TestSchemaOnlyStdPlugin(t *testing.T) {
	ctx := context.Background()
	c := launchTestPlugin(t, LaunchRequest{})
	schema := c.GetSchema(ctx).Schema
	before := c.Stats()
	nullConfig := cty.NullVal(schema.ResourceTypes["std_null"].ImpliedType())
	if d := c.ValidateResourceConfig(ctx, providers.ValidateResourceConfigRequest{TypeName: "std_null", Config: nullConfig}).Diagnostics; len(d) > 0 {
		t.Fatalf("validating a std_null: %v", d)
	}
	attrs := map[string]cty.Value{}
	for name, ty := range schema.ResourceTypes["std_file"].ImpliedType().AttributeTypes() {
		attrs[name] = cty.NullVal(ty)
	}
	attrs["path"] = cty.StringVal("")
	file := cty.ObjectVal(attrs)
	d := c.ValidateResourceConfig(ctx, providers.ValidateResourceConfigRequest{TypeName: "std_file", Config: file}).Diagnostics
	if err := d.Err(); err == nil || !strings.Contains(err.Error(), "Empty file path") {
		t.Errorf("validating a std_file with an empty path: %v, want the plugin's error", d)
	}
	after := c.Stats()
	if got := after.SkippedValidations - before.SkippedValidations; got != 1 {
		t.Errorf("%d validations skipped, want 1 (std_null)", got)
	}
	if got := after.RPCs - before.RPCs; got != 1 {
		t.Errorf("%d calls made, want 1 (std_file)", got)
	}
}
