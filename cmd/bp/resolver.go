package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/plugins"
	"github.com/blueprint-engine/bp/plugins/discovery"
	"github.com/blueprint-engine/bp/plugins/lockfile"
	"github.com/blueprint-engine/bp/providers"
)

// pluginResolver is the engine.ProviderResolver of every command that runs
// providers. Built-in sources are served by engine.BuiltinResolver. For any
// other source it runs the plugin binary that bp init locked: the binary must
// be found where bp init looks, and its checksum must be one that
// bp.lock.hcl records for the source, or it is not started at all.
//
// Each call to Provider launches a new plugin process; the engine calls it
// once per provider configuration and closes what it got when the command
// ends.
type pluginResolver struct {
	// required are the blueprint's required providers by local name.
	required map[string]*blueprint.RequiredProvider
	find     discovery.Options
	log      pluginLog
	lockPath string
	// progress receives the progress lines of long provider steps (the
	// local provider's image builds).
	progress io.Writer
	// launch starts a plugin binary; launchPlugin except in tests.
	launch func(context.Context, discovery.Candidate, pluginLog) (providers.Interface, error)

	// The lock file is read on first use: a blueprint of built-in providers
	// alone never needs it.
	lockOnce sync.Once
	lock     *lockfile.Lock
	lockErr  error
}

// newPluginResolver returns the resolver for the blueprint config in the
// current directory.
func (c *cli) newPluginResolver(config *blueprint.Config) *pluginResolver {
	r := &pluginResolver{find: c.discoveryOptions(), log: c.pluginLog(), lockPath: lockfilePath(), progress: &syncWriter{w: c.stderr},
		launch: func(ctx context.Context, found discovery.Candidate, log pluginLog) (providers.Interface, error) {
			client, err := launchPlugin(ctx, found, log)
			if err != nil {
				return nil, err // not a nil *plugins.Client in a non-nil interface
			}
			return client, nil
		}}
	if config != nil && config.Module.Settings != nil {
		r.required = config.Module.Settings.RequiredProviders
	}
	return r
}

// progressSetter is a built-in provider that reports progress of long
// steps, such as the local provider building a machine image.
type progressSetter interface{ SetProgress(io.Writer) }

// Provider starts the provider with local name name from source.
func (r *pluginResolver) Provider(name, source string) (providers.Interface, error) {
	if strings.HasPrefix(source, providers.BuiltinSourcePrefix) {
		p, err := engine.BuiltinResolver{}.Provider(name, source)
		if sp, ok := p.(progressSetter); ok && r.progress != nil {
			sp.SetProgress(r.progress)
		}
		return p, err
	}
	r.lockOnce.Do(func() {
		var diags hcl.Diagnostics
		r.lock, diags = lockfile.Load(r.lockPath)
		if diags.HasErrors() {
			r.lockErr = fmt.Errorf("the lock file is invalid: %s; fix it, or delete it and run bp init", strings.TrimSuffix(diags.Error(), "."))
		}
	})
	if r.lockErr != nil {
		return nil, r.lockErr
	}
	locked := r.lock.Provider(source)
	if locked == nil {
		return nil, fmt.Errorf("provider %q (%s) is not installed: %s does not record it; run bp init", name, source, lockfile.FileName)
	}
	if rp := r.required[name]; rp != nil && rp.Version != "" {
		if ok, err := blueprint.VersionSatisfies(locked.Version, rp.Version); err != nil || !ok {
			return nil, fmt.Errorf("%s records version %s of %s, which does not satisfy the constraint %q of the blueprint; "+
				"install a matching plugin and run bp init -upgrade", lockfile.FileName, locked.Version, source, rp.Version)
		}
	}
	found, err := discovery.Find(pluginName(source), r.find)
	if err != nil {
		return nil, fmt.Errorf("provider %q (%s): %w", name, source, err)
	}
	if !locked.HasHash(found.Hash()) {
		return nil, fmt.Errorf("the plugin %s (found in %s) has checksum %s, but %s records %s for %s; "+
			"bp refuses to run a plugin binary it was not initialized with. If the change is intended, run bp init -upgrade",
			found.Path, found.Dir, found.Hash(), lockfile.FileName, strings.Join(locked.Hashes, ", "), source)
	}
	return r.launch(context.Background(), found, r.log)
}

var _ engine.ProviderResolver = (*pluginResolver)(nil)

// launchPlugin starts the plugin binary c over the plugin protocol, its log
// and stderr going to log. The error from plugins.Launch already names the
// plugin and shows what it wrote before failing.
func launchPlugin(ctx context.Context, c discovery.Candidate, log pluginLog) (*plugins.Client, error) {
	req := plugins.LaunchRequest{Name: c.Name, Path: c.Path}
	if log != "" {
		req.Log = log
	}
	return plugins.Launch(ctx, req)
}

// lockfilePath is where the blueprint's lock file is.
func lockfilePath() string { return filepath.Join(blueprintDir, lockfile.FileName) }

// pluginName returns the provider name a plugin source's binary is named
// after: its last path element ("kv" for "example.com/acme/kv").
func pluginName(source string) string {
	source = strings.TrimRight(source, "/")
	return source[strings.LastIndex(source, "/")+1:]
}

// discoveryOptions are where this command looks for plugins: beside the
// blueprint, $BP_PLUGIN_PATH and ~/.bp/plugins.
func (c *cli) discoveryOptions() discovery.Options {
	return discovery.OptionsFromEnv(blueprintDir, c.getenv)
}

// logEnv names the file bp appends plugin logs to.
const logEnv = "BP_LOG"

// pluginLog is where plugin logs go: appended to the file named by BP_LOG,
// or discarded when it is not set. It opens the file for each write, so it
// holds no file open between writes and needs no closing.
type pluginLog string

// pluginLog returns the plugin log this command writes to.
func (c *cli) pluginLog() pluginLog { return pluginLog(c.getenv(logEnv)) }

// Write appends p to the log file; without one it discards p.
func (l pluginLog) Write(p []byte) (int, error) {
	if l == "" {
		return len(p), nil
	}
	f, err := os.OpenFile(string(l), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := f.Write(p)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

var _ io.Writer = pluginLog("")
