package resources

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

func init() {
	register(KindSpec{
		Name:        "exec",
		Description: "A shell command, run with /bin/sh -c when its guards say it is needed (every run when it has none).",
		Attributes: []AttrSpec{
			{Name: "command", Type: TypeString, Required: true, Description: "The shell command to run."},
			{Name: "creates", Type: TypeString, Description: "An absolute path the command creates; the command does not run when it exists."},
			{Name: "unless", Type: TypeString, Description: "A shell command; the command does not run when this one exits 0."},
			{Name: "onlyif", Type: TypeString, Description: "A shell command; the command runs only when this one exits 0."},
			{Name: "env", Type: TypeStringMap, Description: "Environment variables for the command and its guards."},
			{Name: "cwd", Type: TypeString, Description: "Absolute working directory for the command and its guards."},
		},
	}, decodeExec)
}

// Exec is a command resource.
type Exec struct {
	Command string
	Creates string
	Unless  string
	OnlyIf  string
	Env     map[string]string
	Cwd     string

	output string // of the last Apply
}

func decodeExec(a *attrs) Resource {
	e := &Exec{Command: a.required("command"), Unless: a.str("unless"), OnlyIf: a.str("onlyif"), Env: a.strMap("env")}
	if a.has("creates") {
		e.Creates = a.absPath("creates")
	}
	if a.has("cwd") {
		e.Cwd = a.absPath("cwd")
	}
	for k := range e.Env {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			a.problem("env", "Invalid env", fmt.Sprintf("Environment variable names must be non-empty and contain no '=', not %q.", k))
		}
	}
	return e
}

func (e *Exec) shell(script string) Command {
	c := Command{Path: "/bin/sh", Args: []string{"-c", script}, Dir: e.Cwd}
	for _, k := range sortedKeys(e.Env) {
		c.Env = append(c.Env, k+"="+e.Env[k])
	}
	return c
}

// Check implements Resource. Guards run here: they must only read.
func (e *Exec) Check(ctx context.Context, env *Env) (*Diff, error) {
	d := &Diff{}
	if e.Creates != "" {
		_, err := os.Lstat(e.Creates)
		if err == nil {
			return d, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if e.Unless != "" {
		res, err := env.runner().Run(ctx, e.shell(e.Unless))
		if err != nil {
			return nil, fmt.Errorf("running the unless guard: %w", err)
		}
		if res.ExitCode == 0 {
			return d, nil
		}
	}
	if e.OnlyIf != "" {
		res, err := env.runner().Run(ctx, e.shell(e.OnlyIf))
		if err != nil {
			return nil, fmt.Errorf("running the onlyif guard: %w", err)
		}
		if res.ExitCode != 0 {
			return d, nil
		}
	}
	d.add("run command")
	return d, nil
}

// Apply implements Resource.
func (e *Exec) Apply(ctx context.Context, env *Env) error {
	res, err := env.runner().Run(ctx, e.shell(e.Command))
	e.output = res.Output
	if err != nil {
		return err
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("command exited with status %d", res.ExitCode)
	}
	return nil
}

// Output implements OutputReporter.
func (e *Exec) Output() string { return e.output }

// BatchBarrier implements Barrier: a command may change what a package
// installs (debconf answers, sources).
func (e *Exec) BatchBarrier() {}

var (
	_ Resource       = (*Exec)(nil)
	_ OutputReporter = (*Exec)(nil)
	_ Barrier        = (*Exec)(nil)
)
