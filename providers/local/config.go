package local

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

// providerConfig is the provider block's value.
type providerConfig struct {
	// host is the Docker API address; empty means the default search.
	host string
	// project names the blueprint on the engine: container names, the
	// default network and the bp.project label derive from it.
	project string
}

func providerSchema() *providers.Schema {
	return &providers.Schema{
		Description: "Machines as system containers on this host, through the Docker Engine API (Docker, or Podman's API service).",
		Attributes: map[string]*providers.Attribute{
			"host": {Type: cty.String, Optional: true,
				Description: "The Docker API address, such as unix:///run/bp/podman.sock or tcp://host:2375. Default: DOCKER_HOST, else the project's Podman socket (unix:///run/bp/podman.sock, started by make setup), else unix:///var/run/docker.sock."},
			"project": {Type: cty.String, Optional: true,
				Description: "The name that keeps this blueprint's machines and network apart from others on the same engine: lower-case letters, digits and dashes. Default: derived from the current directory."},
		},
	}
}

// projectPattern is what a project name may look like: it becomes part of
// container and network names.
var projectPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// parseProviderConfig reads the provider block; a null value (no block)
// means every default.
func parseProviderConfig(v cty.Value) (providerConfig, providers.Diagnostics) {
	var cfg providerConfig
	var diags providers.Diagnostics
	cfg.host, _ = stringAttr(v, "host")
	if project, ok := stringAttr(v, "project"); ok {
		if !projectPattern.MatchString(project) {
			diags = append(diags, providers.AttributeErrorf(cty.GetAttrPath("project"), "Invalid project name",
				"The project name %q must be 1 to 40 lower-case letters, digits and dashes, starting with a letter or digit, such as \"shop\".", project))
		}
		cfg.project = project
	}
	if cfg.project == "" {
		cfg.project = defaultProject()
	}
	return cfg, diags
}

// defaultProject derives a project name from the current directory: its
// base name, cleaned, and a short hash of its absolute path so that two
// directories called "web" stay apart.
func defaultProject() string {
	dir, err := os.Getwd()
	if err != nil {
		dir = "."
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return projectFromDir(dir)
}

// projectFromDir is defaultProject for a given absolute directory.
func projectFromDir(dir string) string {
	sum := sha256.Sum256([]byte(dir))
	base := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		}
		return '-'
	}, filepath.Base(dir))
	base = strings.Trim(base, "-")
	if len(base) > 24 {
		base = strings.TrimRight(base[:24], "-")
	}
	if base == "" {
		base = "bp"
	}
	return base + "-" + hex.EncodeToString(sum[:3])
}
