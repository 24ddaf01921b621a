// Command bp-provider-kv is a complete example of an external Blueprint
// provider: keys and values kept in a directory of files, written with the
// provider SDK (package plugins/sdk). Build it as .bp/plugins/bp-provider-kv
// next to a blueprint; bp starts it as a plugin. See README.md.
package main

import (
	"context"
	"fmt"

	"github.com/blueprint-engine/bp/plugins/sdk"
)

func main() { sdk.Serve(Provider()) }

// Provider returns the kv provider: a provider block with `dir`, the
// resource kv_entry and the data source kv_entry.
func Provider() *sdk.Provider {
	return &sdk.Provider{
		Name:        "kv",
		Version:     "0.1.0",
		Description: "Keys and values kept in a directory, one file per key.",
		Config: sdk.Attributes{
			"dir": {Type: sdk.String, Required: true, Description: "The directory holding the entries; created if missing."},
		},
		Configure: func(_ context.Context, d *sdk.ResourceData) (any, sdk.Diagnostics) {
			store, err := NewStore(d.GetString("dir"))
			if err != nil {
				return nil, sdk.AttributeError("dir", "Cannot open the kv store", err.Error()+". Set dir to a directory bp can write.")
			}
			return store, nil
		},
		Resources:   map[string]*sdk.Resource{"kv_entry": entryResource()},
		DataSources: map[string]*sdk.DataSource{"kv_entry": entryDataSource()},
	}
}

func entryResource() *sdk.Resource {
	return &sdk.Resource{
		Description: "One key and its values. Import it by key.",
		Attributes: sdk.Attributes{
			"key":             {Type: sdk.String, Required: true, ForceNew: true, Description: "The key; changing it replaces the entry."},
			"value":           {Type: sdk.String, Optional: true, Default: "", Description: "The value."},
			"sensitive_value": {Type: sdk.String, Optional: true, Default: "", Sensitive: true, Description: "A value never shown in plans or output."},
			"ttl":             {Type: sdk.Int, Optional: true, Default: 0, Description: "Seconds after the last write when the entry expires; 0 means never."},
			"version":         {Type: sdk.Int, Computed: true, Description: "1 when created, incremented by every update."},
			"updated_at":      {Type: sdk.String, Computed: true, Description: "When the entry was last written (RFC 3339, UTC)."},
		},
		Validate: func(d *sdk.ResourceData) sdk.Diagnostics {
			if d.IsKnown("key") {
				if err := CheckKey(d.GetString("key")); err != nil {
					return sdk.AttributeError("key", "Invalid key", err.Error()+".")
				}
			}
			if d.GetInt("ttl") < 0 {
				return sdk.AttributeError("ttl", "Invalid ttl", "The ttl is a number of seconds, 0 or more; 0 means the entry never expires.")
			}
			return nil
		},
		// An update writes the next version, known now, at a time known
		// only when it happens.
		PlanModify: func(_ context.Context, d *sdk.ResourceData, _ any) sdk.Diagnostics {
			if !d.IsNew() && d.HasChanges("value", "sensitive_value", "ttl") {
				d.Set("version", d.GetInt("version")+1)
				d.SetUnknown("updated_at")
			}
			return nil
		},
		Create: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
			old, _, err := meta.(*Store).Get(d.GetString("key"))
			if err != nil {
				return sdk.FromError("Cannot read entry", err)
			}
			return put(meta.(*Store), d, old.Version+1)
		},
		Read: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
			if d.GetString("key") == "" { // a placeholder whose key was unknown at plan
				d.SetGone()
				return nil
			}
			e, ok, err := meta.(*Store).Get(d.GetString("key"))
			if err != nil {
				return sdk.FromError("Cannot read entry", err)
			}
			if !ok {
				d.SetGone()
				return nil
			}
			setEntry(d, e)
			return nil
		},
		Update: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
			return put(meta.(*Store), d, d.GetInt("version"))
		},
		Delete: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
			return sdk.FromError("Cannot delete entry", meta.(*Store).Delete(d.GetString("key")))
		},
		Import: func(_ context.Context, id string, d *sdk.ResourceData, _ any) sdk.Diagnostics {
			d.Set("key", id)
			return nil
		},
	}
}

func entryDataSource() *sdk.DataSource {
	computed := func(t sdk.Type, sensitive bool) *sdk.Attribute {
		return &sdk.Attribute{Type: t, Computed: true, Sensitive: sensitive}
	}
	return &sdk.DataSource{
		Description: "Reads one entry by key.",
		Attributes: sdk.Attributes{
			"key": {Type: sdk.String, Required: true, Description: "The key to read."},
			"id":  computed(sdk.String, false), "value": computed(sdk.String, false), "sensitive_value": computed(sdk.String, true),
			"ttl": computed(sdk.Int, false), "version": computed(sdk.Int, false), "updated_at": computed(sdk.String, false),
		},
		Read: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
			e, ok, err := meta.(*Store).Get(d.GetString("key"))
			if err != nil {
				return sdk.AttributeError("key", "Cannot read entry", err.Error()+".")
			}
			if !ok {
				return sdk.AttributeError("key", "No such entry", fmt.Sprintf("There is no entry %q in the store. Create it with a kv_entry resource first.", d.GetString("key")))
			}
			setEntry(d, e)
			return nil
		},
	}
}

// put writes d's values as the given version and reads back what was
// written.
func put(store *Store, d *sdk.ResourceData, version int) sdk.Diagnostics {
	e, err := store.Put(Entry{Key: d.GetString("key"), Value: d.GetString("value"),
		SensitiveValue: d.GetString("sensitive_value"), TTL: d.GetInt("ttl"), Version: version})
	if err != nil {
		return sdk.FromError("Cannot write entry", err)
	}
	setEntry(d, e)
	return nil
}

func setEntry(d *sdk.ResourceData, e Entry) {
	d.SetID(e.Key)
	d.Set("key", e.Key)
	d.Set("value", e.Value)
	d.Set("sensitive_value", e.SensitiveValue)
	d.Set("ttl", e.TTL)
	d.Set("version", e.Version)
	d.Set("updated_at", e.UpdatedAt)
}
