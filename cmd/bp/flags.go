package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

// defaultParallelism is how many operations plan and apply run at once
// unless -parallelism says otherwise.
const defaultParallelism = 10

// varFlags are -var NAME=VALUE and -var-file FILE, kept in the order given
// because a later option overrides an earlier one for the same variable.
type varFlags struct {
	args []blueprint.VarArg
}

// register adds -var and -var-file to fs.
func (v *varFlags) register(fs *pflag.FlagSet) {
	fs.Var(&varArgValue{list: &v.args, file: false}, "var", "set an input variable: `NAME=VALUE` (repeatable)")
	fs.Var(&varArgValue{list: &v.args, file: true}, "var-file", "read input variables from `FILE` (repeatable)")
}

// given reports whether any -var or -var-file was given.
func (v *varFlags) given() bool { return len(v.args) > 0 }

// varArgValue is the pflag.Value of -var (file false) or -var-file (file
// true); both append to one list so their relative order is kept.
type varArgValue struct {
	list *[]blueprint.VarArg
	file bool
}

func (v *varArgValue) String() string { return "" }

func (v *varArgValue) Set(s string) error {
	if v.file {
		*v.list = append(*v.list, blueprint.VarArg{File: s})
	} else {
		*v.list = append(*v.list, blueprint.VarArg{Assign: s})
	}
	return nil
}

func (v *varArgValue) Type() string {
	if v.file {
		return "file"
	}
	return "name=value"
}

var _ pflag.Value = (*varArgValue)(nil)

// lockFlags is -lock-timeout, for the commands that lock the state.
type lockFlags struct {
	timeout time.Duration
}

func (l *lockFlags) register(fs *pflag.FlagSet) {
	fs.DurationVar(&l.timeout, "lock-timeout", 0, "keep trying to take the state lock for `DURATION` (such as 30s) before giving up")
}

// operationFlags are the flags of every command that plans: plan, apply and
// destroy.
type operationFlags struct {
	vars        varFlags
	lock        lockFlags
	parallelism int
	refresh     bool
	refreshOnly bool
	destroy     bool
	// replace are the -replace addresses, as typed.
	replace []string
}

// register adds the flags to fs. The mode flags (-destroy, -refresh-only)
// are left to the commands that offer them.
func (o *operationFlags) register(fs *pflag.FlagSet) {
	o.vars.register(fs)
	o.lock.register(fs)
	fs.IntVar(&o.parallelism, "parallelism", defaultParallelism, "run at most `N` operations at once")
	fs.BoolVar(&o.refresh, "refresh", true, "read every object from its provider before planning (-refresh=false plans from the recorded state)")
	fs.StringArrayVar(&o.replace, "replace", nil, "replace the resource instance at `ADDRESS` even if unchanged, such as module.machine_group:web.machine.member[1] (repeatable)")
}

// planOptions returns what the engine is to plan in mode: the refresh
// setting and the -replace addresses, parsed.
func (o *operationFlags) planOptions(mode plan.Mode) (engine.PlanOptions, error) {
	opts := engine.PlanOptions{Mode: mode, SkipRefresh: !o.refresh}
	if len(o.replace) > 0 && mode != plan.Normal {
		return opts, fmt.Errorf("-replace cannot be used with -destroy or -refresh-only: it asks for a normal plan that replaces objects")
	}
	for _, a := range o.replace {
		addr, err := state.ParseInstanceAddr(a)
		if err != nil {
			return opts, fmt.Errorf("-replace=%s: %w; give a resource instance address as bp state list prints it", a, err)
		}
		opts.Replace = append(opts.Replace, addr)
	}
	return opts, nil
}

// mode returns the plan mode the flags ask for, or an error when they ask
// for two.
func (o *operationFlags) mode() (plan.Mode, error) {
	switch {
	case o.destroy && o.refreshOnly:
		return "", errors.New("-destroy and -refresh-only cannot be used together: choose one kind of plan")
	case o.destroy:
		return plan.Destroy, nil
	case o.refreshOnly:
		if !o.refresh {
			return "", errors.New("-refresh-only and -refresh=false cannot be used together: a refresh-only plan is the refresh")
		}
		return plan.RefreshOnly, nil
	}
	return plan.Normal, nil
}

// check reports flags with values that make no sense.
func (o *operationFlags) check() error {
	if o.parallelism < 1 {
		return fmt.Errorf("-parallelism must be at least 1, not %d", o.parallelism)
	}
	if o.lock.timeout < 0 {
		return fmt.Errorf("-lock-timeout cannot be negative (%s)", o.lock.timeout)
	}
	return nil
}
