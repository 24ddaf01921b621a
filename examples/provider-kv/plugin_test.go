package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/plugins"
	"github.com/blueprint-engine/bp/plugins/sdk/providertest"
)

// TestPluginBinary builds bp-provider-kv, starts it the way bp does, and
// runs the conformance kit through the plugin protocol.
func TestPluginBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the plugin binary")
	}
	bin := filepath.Join(t.TempDir(), "bp-provider-kv")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client, err := plugins.Launch(ctx, plugins.LaunchRequest{Name: "kv", Path: bin})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if meta, err := client.Metadata(); err != nil || meta.Name != "kv" || meta.Version != "0.1.0" {
		t.Errorf("Metadata = %+v, %v; want kv 0.1.0", meta, err)
	}
	providertest.RunWithConfig(t, client, providertest.Config{"dir": t.TempDir()}, providertest.Case{
		ResourceType: "kv_entry",
		Create:       providertest.Config{"key": "greeting", "value": "hello", "sensitive_value": "s3cret"},
		Update:       providertest.Config{"key": "greeting", "value": "hi", "ttl": 3600},
		ImportID:     func(s cty.Value) string { return s.GetAttr("key").AsString() },
	})
	if n := client.Stats().SchemaPlans; n != 0 {
		t.Errorf("bp planned %d kv_entry changes itself; kv declares no type schema-planned, so the plugin must plan them all", n)
	}
}
