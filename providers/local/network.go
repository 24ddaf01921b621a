package local

import (
	"context"
	"fmt"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
)

// Labels the provider puts on the containers and networks it creates.
const (
	labelProject = "bp.project"
	labelMachine = "bp.machine"
	labelNetwork = "bp.network"
	// labelManaged marks a network the provider created, and so may remove.
	labelManaged = "bp.managed"
)

// withNetwork ensures the network exists, creating it for project if not,
// and runs fn (which attaches a machine to it) while no machine removal on
// this engine can remove the network.
func (e *Engine) withNetwork(ctx context.Context, name, project string, fn func() error) error {
	e.netMu.Lock()
	defer e.netMu.Unlock()
	if _, err := e.api.NetworkInspect(ctx, name, network.InspectOptions{}); err != nil {
		if !cerrdefs.IsNotFound(err) {
			return fmt.Errorf("inspecting network %s: %w", name, err)
		}
		_, err := e.api.NetworkCreate(ctx, name, network.CreateOptions{
			Driver: "bridge",
			Labels: map[string]string{labelProject: project, labelManaged: "true"},
		})
		if err != nil && !cerrdefs.IsConflict(err) {
			return fmt.Errorf("creating network %s: %w", name, err)
		}
	}
	return fn()
}

// releaseNetwork removes a network the provider created once no machine of
// any project is attached to it. A network still in use by other
// containers stays.
func (e *Engine) releaseNetwork(ctx context.Context, name string) error {
	e.netMu.Lock()
	defer e.netMu.Unlock()
	n, err := e.api.NetworkInspect(ctx, name, network.InspectOptions{})
	if cerrdefs.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("inspecting network %s: %w", name, err)
	}
	if n.Labels[labelManaged] != "true" || len(n.Containers) > 0 {
		return nil
	}
	users, err := e.api.ContainerList(ctx, container.ListOptions{All: true,
		Filters: filters.NewArgs(filters.Arg("label", labelNetwork+"="+name))})
	if err != nil {
		return fmt.Errorf("listing the machines on network %s: %w", name, err)
	}
	if len(users) > 0 {
		return nil
	}
	if err := e.api.NetworkRemove(ctx, name); err != nil && !cerrdefs.IsNotFound(err) && !cerrdefs.IsConflict(err) {
		return fmt.Errorf("removing network %s: %w", name, err)
	}
	return nil
}
