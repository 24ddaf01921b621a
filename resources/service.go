package resources

import (
	"context"
	"fmt"
	"strings"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

func init() {
	register(KindSpec{
		Name:          "service",
		Description:   "A systemd service: running or stopped, enabled or not; restarted (or reloaded) when notified.",
		NameAttribute: "name",
		Attributes: []AttrSpec{
			{Name: "name", Type: TypeString, Description: "The unit name, such as \"nginx\" (\".service\" implied); defaults to the block label."},
			{Name: "state", Type: TypeString, Description: "\"running\" or \"stopped\"; unset leaves it as it is."},
			{Name: "enabled", Type: TypeBool, Description: "Whether the service starts at boot; unset leaves it as it is."},
			{Name: "reload_command", Type: TypeString, Description: "Shell command run instead of a restart when the service is notified."},
			{Name: "reload", Type: TypeBool, Description: "When notified, `systemctl reload` instead of restart."},
		},
	}, decodeService)
}

// Service is a systemd service resource.
type Service struct {
	Name          string
	State         string // "", "running" or "stopped"
	Enabled       *bool
	ReloadCommand string
	Reload        bool

	start, stop, enable, disable bool // found by Check
	// batch is the request's services, read with one systemctl call.
	batch *serviceBatch
}

func decodeService(a *attrs) Resource {
	s := &Service{Name: a.required("name"), ReloadCommand: a.str("reload_command"), Reload: a.boolean("reload", false)}
	s.State = a.oneOf("state", "", "running", "stopped")
	if a.has("enabled") {
		b := a.boolean("enabled", false)
		s.Enabled = &b
	}
	if strings.ContainsAny(s.Name, " /\n\x00") || strings.HasPrefix(s.Name, "-") {
		a.problem("name", "Invalid name", fmt.Sprintf("name must be a systemd unit name such as \"nginx\", not %q.", s.Name))
	}
	return s
}

func (s *Service) systemctl(ctx context.Context, env *Env, args ...string) (CommandResult, error) {
	res, err := env.runner().Run(ctx, Command{Path: "systemctl", Args: args})
	if err != nil {
		return res, fmt.Errorf("%w (the service kind needs systemd's systemctl)", err)
	}
	return res, nil
}

// Link implements Linker: every service of the request joins one batch,
// whose units are read with one `systemctl show` (see serviceBatch).
func (s *Service) Link(seq []Resource, index int) {
	for _, r := range seq[:index] {
		if prev, ok := r.(*Service); ok && prev.batch != nil {
			s.batch = prev.batch
			s.batch.members = append(s.batch.members, s)
			return
		}
	}
	s.batch = &serviceBatch{members: []*Service{s}}
}

// Check implements Resource.
func (s *Service) Check(ctx context.Context, env *Env) (*Diff, error) {
	d := &Diff{}
	s.start, s.stop, s.enable, s.disable = false, false, false, false
	if s.State == "" && s.Enabled == nil {
		return d, nil
	}
	if s.batch == nil {
		s.batch = &serviceBatch{members: []*Service{s}}
	}
	unit, err := s.batch.unit(ctx, env, s)
	if err != nil {
		return nil, err
	}
	if s.State != "" {
		active := unit.ActiveState == "active" || unit.ActiveState == "reloading"
		switch {
		case s.State == "running" && !active:
			s.start = true
			d.add("start %s", s.Name)
		case s.State == "stopped" && active:
			s.stop = true
			d.add("stop %s", s.Name)
		}
	}
	if s.Enabled != nil {
		state := unit.UnitFileState
		enabled := state == "enabled" || state == "enabled-runtime" || state == "alias"
		switch {
		case state == "static" || state == "indirect" || state == "generated":
			// No [Install] section: enabling is meaningless, not a change.
		case *s.Enabled && !enabled:
			s.enable = true
			d.add("enable %s", s.Name)
		case !*s.Enabled && enabled:
			s.disable = true
			d.add("disable %s", s.Name)
		}
	}
	return d, nil
}

// Apply implements Resource.
func (s *Service) Apply(ctx context.Context, env *Env) error {
	steps := []struct {
		do   bool
		verb string
	}{{s.enable, "enable"}, {s.disable, "disable"}, {s.start, "start"}, {s.stop, "stop"}}
	for _, step := range steps {
		if !step.do {
			continue
		}
		if err := s.run(ctx, env, step.verb); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) run(ctx context.Context, env *Env, verb string) error {
	res, err := s.systemctl(ctx, env, verb, s.Name)
	if err != nil {
		return err
	}
	if res.ExitCode != 0 {
		return &CommandError{Command: "systemctl " + verb + " " + s.Name, ExitCode: res.ExitCode, Output: res.Output}
	}
	return nil
}

// HandlerAction implements Notifiable.
func (s *Service) HandlerAction() agentapi.Action {
	switch {
	case s.State == "stopped":
		return ""
	case s.ReloadCommand != "" || s.Reload:
		return agentapi.ActionReload
	}
	return agentapi.ActionRestart
}

// Deliver implements Notifiable.
func (s *Service) Deliver(ctx context.Context, env *Env) error {
	switch {
	case s.ReloadCommand != "":
		_, err := env.run(ctx, Command{Path: "/bin/sh", Args: []string{"-c", s.ReloadCommand}})
		return err
	case s.Reload:
		return s.run(ctx, env, "reload")
	}
	return s.run(ctx, env, "restart")
}

var (
	_ Notifiable = (*Service)(nil)
	_ Linker     = (*Service)(nil)
)
