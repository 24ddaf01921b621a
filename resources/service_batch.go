package resources

import (
	"context"
	"strings"
)

// unitState is what a service check reads of a systemd unit.
type unitState struct {
	// ActiveState is "active", "reloading", "inactive", "failed", ...
	ActiveState string
	// UnitFileState is "enabled", "disabled", "static", "masked", ... and
	// "" for a unit that does not exist.
	UnitFileState string
}

// serviceBatch reads the units of a request's services with ONE
// `systemctl show` for all of them, instead of an is-active and an
// is-enabled per service. What it read stays valid until a resource of the
// run is applied (a package may bring a unit, an exec may stop one); then
// the next service's check reads again.
type serviceBatch struct {
	members []*Service
	// units holds what the last read found, by unit name; read is the
	// Env.applies count it was made at.
	units map[string]unitState
	read  int
}

// showProperties are the unit properties a check reads.
const showProperties = "Id,LoadState,ActiveState,UnitFileState"

// unit returns the state of s's unit, reading the batch's units when it
// has not since the host last changed.
func (b *serviceBatch) unit(ctx context.Context, env *Env, s *Service) (unitState, error) {
	if u, ok := b.units[s.Name]; ok && b.read == env.applies {
		return u, nil
	}
	var names []string
	seen := map[string]bool{}
	for _, m := range b.members {
		if (m.State != "" || m.Enabled != nil) && !seen[m.Name] {
			seen[m.Name] = true
			names = append(names, m.Name)
		}
	}
	if !seen[s.Name] {
		names = append(names, s.Name)
	}
	units, err := showUnits(ctx, env, s, names)
	if err != nil {
		return unitState{}, err
	}
	b.units, b.read = units, env.applies
	return units[s.Name], nil
}

// showUnits reads units with one systemctl show. When systemctl cannot
// answer that way (an old systemd, a system not booted with it) it asks
// each unit with is-active and is-enabled, as a check did before.
func showUnits(ctx context.Context, env *Env, s *Service, names []string) (map[string]unitState, error) {
	res, err := s.systemctl(ctx, env, append([]string{"show", "-p", showProperties, "--"}, names...)...)
	if err != nil {
		return nil, err
	}
	if res.ExitCode == 0 {
		if units, ok := parseShow(res.Output, names); ok {
			return units, nil
		}
	}
	env.logf("systemctl show did not answer for %d units (exit %d); asking each unit", len(names), res.ExitCode)
	units := make(map[string]unitState, len(names))
	for _, name := range names {
		active, err := s.systemctl(ctx, env, "is-active", name)
		if err != nil {
			return nil, err
		}
		enabled, err := s.systemctl(ctx, env, "is-enabled", name)
		if err != nil {
			return nil, err
		}
		units[name] = unitState{ActiveState: strings.TrimSpace(active.Output), UnitFileState: lastLine(enabled.Output)}
	}
	return units, nil
}

// parseShow reads `systemctl show -p …` output for names: one block of
// KEY=VALUE lines per unit, in the order asked, separated by blank lines.
// It reports false when the output does not have one block per name.
func parseShow(out string, names []string) (map[string]unitState, bool) {
	var blocks [][]string
	var cur []string
	for _, line := range strings.Split(strings.ReplaceAll(out, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			if cur != nil {
				blocks = append(blocks, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if cur != nil {
		blocks = append(blocks, cur)
	}
	if len(blocks) != len(names) {
		return nil, false
	}
	units := make(map[string]unitState, len(names))
	for i, block := range blocks {
		var u unitState
		hasID := false
		for _, line := range block {
			key, value, ok := strings.Cut(line, "=")
			if !ok {
				return nil, false
			}
			switch key {
			case "Id":
				hasID = value != ""
			case "ActiveState":
				u.ActiveState = value
			case "UnitFileState":
				u.UnitFileState = value
			}
		}
		if !hasID {
			return nil, false
		}
		units[names[i]] = u
	}
	return units, true
}
