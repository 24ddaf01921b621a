package lockfile

import (
	"slices"
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// FileName is the name of the lock file in a blueprint directory.
const FileName = "bp.lock.hcl"

// Lock is the content of a lock file.
type Lock struct {
	// Providers are the locked plugin providers by source.
	Providers map[string]*Provider
	// Source is the parsed file the lock was read from, for diagnostic
	// snippets; nil for a lock that was not read from a file.
	Source *hcl.File
}

// Provider is what the lock records about one plugin source.
type Provider struct {
	// Source is the provider source ("example/kv"), the block's label.
	Source string
	// Version is the version the plugin reported when it was locked.
	Version string
	// Constraints is the blueprint's version constraint at that time; empty
	// when it had none.
	Constraints string
	// Hashes are the accepted checksums of the binary, each "sha256:"
	// followed by 64 lowercase hex digits.
	Hashes []string
	// DeclRange is the provider block's header in the file it was read
	// from; zero for a provider not read from a file.
	DeclRange hcl.Range
}

// New returns an empty lock.
func New() *Lock { return &Lock{Providers: map[string]*Provider{}} }

// Provider returns the entry for source, or nil when there is none.
func (l *Lock) Provider(source string) *Provider {
	if l == nil {
		return nil
	}
	return l.Providers[source]
}

// SetProvider records p, replacing any entry for the same source.
func (l *Lock) SetProvider(p *Provider) {
	if l.Providers == nil {
		l.Providers = map[string]*Provider{}
	}
	l.Providers[p.Source] = p
}

// Sources returns the locked sources, sorted.
func (l *Lock) Sources() []string {
	sources := make([]string, 0, len(l.Providers))
	for s := range l.Providers {
		sources = append(sources, s)
	}
	sort.Strings(sources)
	return sources
}

// HasHash reports whether the lock accepts a binary with checksum hash
// ("sha256:…").
func (p *Provider) HasHash(hash string) bool {
	return p != nil && slices.Contains(p.Hashes, hash)
}
