package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/cmd/bp/internal/view"
	"github.com/blueprint-engine/bp/plugins"
	"github.com/blueprint-engine/bp/plugins/discovery"
	"github.com/blueprint-engine/bp/plugins/lockfile"
	"github.com/blueprint-engine/bp/providers"
)

func init() { register(newInitCommand) }

// initOptions are the flags of bp init and what it runs plugins with.
type initOptions struct {
	upgrade bool
	// prober asks each plugin binary for its version.
	prober pluginProber
}

// pluginProber starts a plugin binary to ask what it is.
type pluginProber interface {
	// Probe starts the plugin at c.Path, returns the name and version it
	// reports, and stops it again.
	Probe(ctx context.Context, c discovery.Candidate) (plugins.Metadata, error)
}

func newInitCommand(c *cli) *cobra.Command {
	opts := initOptions{prober: launchProber{log: c.pluginLog()}}
	cmd := &cobra.Command{
		Use:   "init [flags]",
		Short: "Find the provider plugins a blueprint needs and lock them",
		Long: `Find the plugin binary of every provider the blueprint in the current directory
requires (blueprint { required_providers { ... } }), check that its version
satisfies the blueprint's constraint, and record its version and SHA-256
checksum in bp.lock.hcl. Commit bp.lock.hcl with the blueprint: plan, apply and
the other commands that run providers refuse a plugin binary whose checksum
the lock file does not record.

The plugin of a provider with source "example/kv" is an executable named
bp-provider-kv, looked for in ./.bp/plugins, then in each directory of
$BP_PLUGIN_PATH, then in ~/.bp/plugins; the first one found is used. Built-in
providers (source "builtin/NAME") need no plugin.

If bp.lock.hcl records another checksum for a provider, bp init refuses: a
changed binary should be a decision. Run bp init -upgrade to accept the
binaries found now.

Running bp init again changes nothing when nothing changed. Set BP_LOG=FILE to
append the plugins' logs to FILE.`,
		Example: `  go build -o .bp/plugins/bp-provider-kv ./examples/provider-kv && bp init
  BP_PLUGIN_PATH=/opt/bp/plugins bp init
  bp init -upgrade   # accept plugin binaries that changed since the last bp init`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := c.withInterrupt(cmd.Context())
			defer stop()
			return c.runInit(ctx, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.upgrade, "upgrade", false, "accept plugin binaries whose checksum differs from the one in bp.lock.hcl")
	return cmd
}

// lockedPlugin is one plugin source bp init has checked: what it found and
// what it will record.
type lockedPlugin struct {
	source string
	names  []string
	found  discovery.Candidate
	entry  *lockfile.Provider
	// previous is the version recorded before, when bp init -upgrade
	// replaced a different binary.
	previous string
}

// runInit runs bp init: check every required provider, then write the lock
// file, or write nothing and report every problem.
func (c *cli) runInit(ctx context.Context, opts initOptions) error {
	loader := blueprint.NewLoader()
	diags := checkBlueprintDir(blueprintDir)
	var config *blueprint.Config
	if !diags.HasErrors() {
		var loadDiags hcl.Diagnostics
		config, loadDiags = loader.LoadDir(blueprintDir)
		diags = append(diags, loadDiags...)
	}
	if diags.HasErrors() {
		c.printDiagnostics(diags, loader.Files())
		return exitCode(exitError)
	}

	lockPath := lockfilePath()
	prior, lockDiags := lockfile.Load(lockPath)
	files := loader.Files()
	if prior.Source != nil {
		files[lockPath] = prior.Source
	}
	if lockDiags.HasErrors() {
		c.printDiagnostics(append(diags, lockDiags...), files)
		return exitCode(exitError)
	}

	required := requiredProviders(config)
	var builtins []*blueprint.RequiredProvider
	bySource := map[string][]*blueprint.RequiredProvider{}
	for _, rp := range required {
		if rp.IsBuiltin() {
			builtins = append(builtins, rp)
			diags = append(diags, checkBuiltin(rp)...)
			continue
		}
		bySource[rp.Source] = append(bySource[rp.Source], rp)
	}
	sources := make([]string, 0, len(bySource))
	for s := range bySource {
		sources = append(sources, s)
	}
	sort.Strings(sources)

	find := c.discoveryOptions()
	next := lockfile.New()
	var locked []lockedPlugin
	for _, source := range sources {
		lp, lpDiags := c.initPlugin(ctx, opts, find, prior.Provider(source), bySource[source])
		diags = append(diags, lpDiags...)
		if lp != nil {
			locked = append(locked, *lp)
			next.SetProvider(lp.entry)
		}
	}
	if diags.HasErrors() {
		c.printDiagnostics(diags, files)
		return exitCode(exitError)
	}
	c.printDiagnostics(diags, files)

	out := c.stdout
	fmt.Fprintln(out, "Initializing providers...")
	for _, rp := range builtins {
		fmt.Fprintf(out, "- %s (%s): built in\n", rp.Name, rp.Source)
	}
	for _, lp := range locked {
		line := fmt.Sprintf("- %s (%s) %s: %s (from %s)", strings.Join(lp.names, ", "), lp.source,
			lp.entry.Version, lp.found.Path, lp.found.Dir.Origin)
		if lp.previous != "" {
			line += fmt.Sprintf(", replacing the binary locked as %s", lp.previous)
		}
		fmt.Fprintln(out, line)
	}
	if len(required) == 0 {
		fmt.Fprintln(out, "The blueprint requires no providers.")
	}

	wrote, err := writeLockIfChanged(lockPath, next, len(locked) > 0 || prior.Source != nil)
	if err != nil {
		c.printDiagnostics(errorDiag("Cannot write the lock file", err), nil)
		return exitCode(exitError)
	}
	switch {
	case wrote:
		fmt.Fprintf(out, "\nWrote %s: commit it with the blueprint.\n", lockfile.FileName)
	case len(locked) > 0:
		fmt.Fprintf(out, "\n%s is up to date.\n", lockfile.FileName)
	}
	fmt.Fprintln(out, view.Success(c.colorFor(out)), `bp is initialized. Run "bp plan" to see what would change.`)
	return nil
}

// initPlugin finds, probes and checks the plugin of one source that the
// required providers rps (one or more local names) share. It returns what to
// lock, or the diagnostics explaining why it cannot.
func (c *cli) initPlugin(ctx context.Context, opts initOptions, find discovery.Options, prior *lockfile.Provider, rps []*blueprint.RequiredProvider) (*lockedPlugin, hcl.Diagnostics) {
	first := rps[0]
	source := first.Source
	var names, constraints []string
	for _, rp := range rps {
		names = append(names, rp.Name)
		if rp.Version != "" && !slices.Contains(constraints, rp.Version) {
			constraints = append(constraints, rp.Version)
		}
	}
	fail := func(summary, detail string) (*lockedPlugin, hcl.Diagnostics) {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: first.DeclRange.Ptr()}}
	}

	found, err := discovery.Find(pluginName(source), find)
	if err != nil {
		return fail("Provider plugin not found", fmt.Sprintf("Provider %q (%s): %s.", first.Name, source, strings.TrimSuffix(err.Error(), ".")))
	}
	md, err := opts.prober.Probe(ctx, found)
	if err != nil {
		return fail("Cannot start provider plugin", fmt.Sprintf("Provider %q (%s): bp could not start the plugin %s to ask for its "+
			"version. Check that it is a bp provider plugin built for this machine; BP_LOG=FILE records its log.\n\n%s",
			first.Name, source, found.Path, sentence(err.Error())))
	}
	for _, cons := range constraints {
		ok, err := blueprint.VersionSatisfies(md.Version, cons)
		if err != nil {
			return fail("Invalid plugin version", fmt.Sprintf("The plugin %s reports version %q: %s. Rebuild it with a version such as \"1.2.3\".",
				found.Path, md.Version, err))
		}
		if !ok {
			return fail("Incompatible provider version", fmt.Sprintf("Provider %q (%s) requires version %s, but the plugin %s (found in %s) "+
				"is version %s. Install a version that satisfies the constraint there, or change the constraint in required_providers.",
				first.Name, source, cons, found.Path, found.Dir, md.Version))
		}
	}

	entry := &lockfile.Provider{Source: source, Version: md.Version, Constraints: strings.Join(constraints, ", "), Hashes: []string{found.Hash()}}
	lp := &lockedPlugin{source: source, names: names, found: found, entry: entry}
	if prior != nil && !prior.HasHash(found.Hash()) {
		if !opts.upgrade {
			return fail("Provider plugin changed", fmt.Sprintf("%s records %s %s with checksum %s, but the plugin %s is version %s "+
				"with checksum %s. If you meant to change the plugin, run bp init -upgrade to record the new one; "+
				"otherwise put back the binary the lock file records.",
				lockfile.FileName, source, prior.Version, strings.Join(prior.Hashes, ", "), found.Path, md.Version, found.Hash()))
		}
		lp.previous = prior.Version
	} else if prior != nil {
		// Checksums recorded for other machines stay accepted.
		entry.Hashes = slices.Clone(prior.Hashes)
	}
	return lp, nil
}

// requiredProviders returns the root module's required providers, sorted by
// local name.
func requiredProviders(config *blueprint.Config) []*blueprint.RequiredProvider {
	s := config.Module.Settings
	if s == nil {
		return nil
	}
	var out []*blueprint.RequiredProvider
	for _, rp := range s.RequiredProviders {
		out = append(out, rp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// checkBuiltin reports a builtin/ source naming no built-in provider, which
// no plugin can stand in for.
func checkBuiltin(rp *blueprint.RequiredProvider) hcl.Diagnostics {
	name := strings.TrimPrefix(rp.Source, providers.BuiltinSourcePrefix)
	if slices.Contains(providers.BuiltinNames(), name) {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Unknown built-in provider",
		Detail: fmt.Sprintf("Provider %q has source %q, but bp has no built-in provider %q; the built-in providers are %s. "+
			"For a plugin provider, use its own source such as \"example/%s\".",
			rp.Name, rp.Source, name, strings.Join(providers.BuiltinNames(), ", "), name),
		Subject: rp.DeclRange.Ptr(),
	}}
}

// writeLockIfChanged saves lock at path unless the file already holds
// exactly that; with create false a missing file stays missing. It reports
// whether it wrote.
func writeLockIfChanged(path string, lock *lockfile.Lock, create bool) (bool, error) {
	want := lock.Bytes()
	have, err := os.ReadFile(path)
	switch {
	case err == nil && bytes.Equal(have, want):
		return false, nil
	case errors.Is(err, fs.ErrNotExist) && !create:
		return false, nil
	}
	return true, lockfile.Save(path, lock)
}

// launchProber probes plugins by launching them over the plugin protocol.
type launchProber struct {
	log pluginLog
}

// Probe launches the plugin, asks for its metadata and stops it.
func (p launchProber) Probe(ctx context.Context, c discovery.Candidate) (plugins.Metadata, error) {
	client, err := launchPlugin(ctx, c, p.log)
	if err != nil {
		return plugins.Metadata{}, err
	}
	defer client.Close()
	return client.Metadata()
}

var _ pluginProber = launchProber{}
