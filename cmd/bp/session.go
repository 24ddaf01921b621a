package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/state"

	// The built-in providers register themselves.
	_ "github.com/blueprint-engine/bp/providers/std"
)

// blueprintDir is the directory every command works on: the current one,
// after -chdir.
const blueprintDir = "."

// session is one command's hold on a blueprint: the loaded configuration,
// its state backend and, for commands that read and change the state, the
// state lock, held from open to close.
type session struct {
	c      *cli
	loader *blueprint.Loader
	config *blueprint.Config
	// backend is where the state lives (the blueprint's backend block).
	backend state.Backend
	// statePath describes the backend for messages.
	statePath string
	lockID    string
}

// sessionOptions say what a command needs from its session.
type sessionOptions struct {
	// lock is the operation recorded in the state lock ("apply", "state
	// mv"); empty for commands that only read the state and take no lock.
	lock string
	// lockTimeout is how long to wait for a lock held by someone else.
	lockTimeout time.Duration
}

// openSession loads the blueprint in the current directory, opens its state
// backend and takes the lock if opts asks for it. On failure it prints the
// diagnostics and returns an exitCode error; on success the caller must
// close the session.
func (c *cli) openSession(ctx context.Context, opts sessionOptions) (*session, error) {
	s := &session{c: c, loader: blueprint.NewLoader()}
	diags := checkBlueprintDir(blueprintDir)
	if !diags.HasErrors() {
		var loadDiags hcl.Diagnostics
		s.config, loadDiags = s.loader.LoadDir(blueprintDir)
		diags = append(diags, loadDiags...)
	}
	if !diags.HasErrors() {
		var backendDiags hcl.Diagnostics
		s.backend, s.statePath, backendDiags = openBackend(s.config.Module.Settings, blueprintDir)
		diags = append(diags, backendDiags...)
	}
	if diags.HasErrors() {
		return nil, s.fail(diags)
	}
	s.warn(diags)
	if opts.lock == "" {
		return s, nil
	}
	if local, ok := s.backend.(*state.Local); ok {
		local.LockTimeout = opts.lockTimeout
		// The local backend expects the state file's directory to exist.
		if err := os.MkdirAll(filepath.Dir(local.Path), 0o755); err != nil {
			return nil, s.fail(errorDiag("Cannot create the state directory", err))
		}
	}
	id, err := s.backend.Lock(ctx, state.NewLockInfo(opts.lock))
	if err != nil {
		return nil, s.fail(lockDiagnostics(err))
	}
	s.lockID = id
	return s, nil
}

// lockDiagnostics explains a failure to take the state lock.
func lockDiagnostics(err error) hcl.Diagnostics {
	var locked *state.LockedError
	if errors.As(err, &locked) {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Error acquiring the state lock",
			Detail:   sentence(err.Error()),
		}}
	}
	return errorDiag("Error acquiring the state lock", err)
}

// close releases the state lock, if the session holds it, and reports a
// failure to do so.
func (s *session) close() {
	if s == nil || s.lockID == "" {
		return
	}
	if err := s.backend.Unlock(s.lockID); err != nil {
		s.c.printDiagnostics(hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Failed to release the state lock",
			Detail: fmt.Sprintf("%s. If no bp command is running on this state, remove the lock with: bp force-unlock %s",
				upperFirst(err.Error()), s.lockID),
		}}, nil)
	}
	s.lockID = ""
}

// fail prints diags with source snippets and returns the error that ends
// the command with exit status 1.
func (s *session) fail(diags hcl.Diagnostics) error {
	s.c.printDiagnostics(diags, s.loader.Files())
	return exitCode(exitError)
}

// warn prints diags, which hold no errors, if there are any.
func (s *session) warn(diags hcl.Diagnostics) {
	if len(diags) > 0 {
		s.c.printDiagnostics(diags, s.loader.Files())
	}
}

// readState reads the state from the backend.
func (s *session) readState(ctx context.Context) (*state.State, error) {
	st, err := s.backend.Read(ctx)
	if err != nil {
		return nil, s.fail(errorDiag("Failed to read the state", err))
	}
	return st, nil
}

// variables collects the values of the root module's input variables from
// the environment (BP_VAR_name), *.auto.bpvars.hcl files and args, and
// checks them against their declarations.
func (s *session) variables(args []blueprint.VarArg) (map[string]cty.Value, error) {
	var environ []string
	if s.c.environ != nil {
		environ = s.c.environ()
	}
	inputs, diags := s.loader.CollectInputs(blueprintDir, args, environ)
	if diags.HasErrors() {
		return nil, s.fail(diags)
	}
	values, prepDiags := blueprint.PrepareVariables(s.config.Module, inputs)
	diags = append(diags, prepDiags...)
	if diags.HasErrors() {
		return nil, s.fail(diags)
	}
	s.warn(diags)
	return values, nil
}

// engine returns an engine for the session's blueprint with vars.
func (s *session) engine(vars map[string]cty.Value, parallelism int, hooks engine.Hooks) *engine.Engine {
	return engine.New(engine.Options{
		Config:      s.config,
		Variables:   vars,
		Providers:   s.c.newPluginResolver(s.config),
		Parallelism: parallelism,
		Hooks:       hooks,
		Hosts:       newSSHHosts(),
		SelfHosted:  selfHosted,
	})
}

// errorDiag turns a plain error into an error diagnostic.
func errorDiag(summary string, err error) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: sentence(err.Error())}}
}

// sentence makes an error message read as a sentence: capitalized, with a
// final period.
func sentence(s string) string {
	s = upperFirst(s)
	if s != "" && !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// upperFirst capitalizes the first letter of an error message so that it
// reads as a sentence in a diagnostic detail.
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
