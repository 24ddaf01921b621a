package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/state"
)

// localBackendHint is added to errors in a local backend block.
const localBackendHint = `The local backend takes one optional argument: path = "FILE", the state file relative to the blueprint directory (default "bp.state").`

// localBackendConfig is the body of `backend "local" { ... }`.
type localBackendConfig struct {
	// Path is the state file, relative to the blueprint directory.
	Path string `hcl:"path,optional"`
}

// openBackend returns the state backend the blueprint's settings ask for:
// the local backend with its path resolved against dir, or the default
// state file dir/bp.state when there is no backend block. It also returns
// a description of where the state lives, for messages.
func openBackend(settings *blueprint.Settings, dir string) (state.Backend, string, hcl.Diagnostics) {
	if settings == nil || settings.Backend == nil {
		path := filepath.Join(dir, state.DefaultPath)
		return state.NewLocal(path), path, nil
	}
	b := settings.Backend
	switch b.Type {
	case "local":
		var cfg localBackendConfig
		if diags := gohcl.DecodeBody(b.Config, nil, &cfg); diags.HasErrors() {
			for _, d := range diags {
				d.Detail = strings.TrimSpace(d.Detail + " " + localBackendHint)
			}
			return nil, "", diags
		}
		if cfg.Path == "" {
			cfg.Path = state.DefaultPath
		}
		path := cfg.Path
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		return state.NewLocal(path), path, nil
	case "postgres":
		return nil, "", hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Backend not supported yet",
			Detail:   `The postgres backend is not supported by this version of bp yet. Use backend "local" { path = "bp.state" } for now.`,
			Subject:  b.TypeRange.Ptr(),
		}}
	default:
		return nil, "", hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unknown backend",
			Detail:   fmt.Sprintf(`bp has no %q backend. Use backend "local" { path = "bp.state" }.`, b.Type),
			Subject:  b.TypeRange.Ptr(),
		}}
	}
}
