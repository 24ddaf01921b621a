package main

import (
	"path/filepath"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/toolkit"
)

// selfHosted gives the engine bp's embedded self-hosted realizations,
// extracted once per bp build into the user's cache directory.
func selfHosted(kind string) (*blueprint.SelfHosted, error) {
	r, ok := toolkit.Lookup(kind)
	if !ok {
		return nil, nil
	}
	dir, err := toolkit.Dir()
	if err != nil {
		return nil, err
	}
	return &blueprint.SelfHosted{Kind: r.Kind, Summary: r.Summary, Schema: r.Schema, Dir: filepath.Join(dir, kind)}, nil
}
