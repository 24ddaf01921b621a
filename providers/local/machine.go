package local

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

// Timeouts of machine operations.
const (
	// bootTimeout bounds the wait from start until sshd answers.
	bootTimeout = 2 * time.Minute
	// stopTimeout is how long systemd gets to shut down before SIGKILL.
	stopTimeout = 10
)

// labelsPath is where a machine's labels are written inside it.
const labelsPath = "/etc/bp/labels.json"

// machines carries out machine operations on one engine for one project.
type machines struct {
	engine  *Engine
	project string
	// progress receives image build lines; nil discards them.
	progress io.Writer
}

// machine is a machine's state, decoded from and encoded to its cty value.
type machine struct {
	name, image, size, network string
	labels                     map[string]string
	running                    bool

	id, address, privateAddress, hostKey, sshPublicKey, sshPrivateKey string
}

// decodeMachine reads a (possibly partial) state or planned value; unknown
// and null attributes decode as zero values.
func decodeMachine(v cty.Value) machine {
	var m machine
	m.name, _ = stringAttr(v, "name")
	m.image, _ = stringAttr(v, "image")
	m.size, _ = stringAttr(v, "size")
	m.network, _ = stringAttr(v, "network")
	if r := attr(v, "running", cty.Bool); r.IsKnown() && !r.IsNull() {
		m.running = r.True()
	}
	if l := attr(v, "labels", labelsType); l.IsWhollyKnown() && !l.IsNull() {
		m.labels = map[string]string{}
		for k, e := range l.AsValueMap() {
			m.labels[k] = e.AsString()
		}
	}
	m.id, _ = stringAttr(v, "id")
	m.address, _ = stringAttr(v, "address")
	m.privateAddress, _ = stringAttr(v, "private_address")
	m.hostKey, _ = stringAttr(v, "host_key")
	m.sshPublicKey, _ = stringAttr(v, "ssh_public_key")
	m.sshPrivateKey, _ = stringAttr(v, "ssh_private_key")
	return m
}

// value encodes m; labels stay as given in like (null or a map) when m has
// none, so that an empty map and no labels round-trip unchanged.
func (m machine) value(like cty.Value) cty.Value {
	labels := attr(like, "labels", labelsType)
	if len(m.labels) > 0 {
		vals := map[string]cty.Value{}
		for k, v := range m.labels {
			vals[k] = cty.StringVal(v)
		}
		labels = cty.MapVal(vals)
	}
	str := func(s string) cty.Value {
		if s == "" {
			return cty.NullVal(cty.String)
		}
		return cty.StringVal(s)
	}
	return cty.ObjectVal(map[string]cty.Value{
		"name": str(m.name), "image": str(m.image), "size": str(m.size), "labels": labels,
		"network": str(m.network), "running": cty.BoolVal(m.running),
		"id": str(m.id), "address": str(m.address), "private_address": str(m.privateAddress),
		"host_key": str(m.hostKey), "ssh_user": cty.StringVal(sshUser),
		"ssh_public_key": str(m.sshPublicKey), "ssh_private_key": str(m.sshPrivateKey),
	})
}

// apply creates, updates or deletes a machine.
func (ms *machines) apply(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	switch {
	case req.PlannedState.IsNull():
		if err := ms.delete(ctx, decodeMachine(req.PriorState)); err != nil {
			return providers.ApplyResourceChangeResponse{NewState: req.PriorState,
				Diagnostics: providers.Diagnostics{providers.FromError("Cannot delete the machine", err)}}
		}
		return providers.ApplyResourceChangeResponse{NewState: cty.NullVal(machineTy)}
	case req.PriorState.IsNull():
		m, err := ms.create(ctx, decodeMachine(req.PlannedState))
		if err != nil {
			// What exists is recorded (the engine keeps NewState even on
			// error) so that the next apply replaces it.
			state := cty.NullVal(machineTy)
			if m.id != "" {
				state = m.value(req.PlannedState)
			}
			return providers.ApplyResourceChangeResponse{NewState: state,
				Diagnostics: providers.Diagnostics{providers.FromError("Cannot create the machine", err)}}
		}
		return providers.ApplyResourceChangeResponse{NewState: m.value(req.PlannedState)}
	default:
		m, err := ms.update(ctx, decodeMachine(req.PriorState), decodeMachine(req.PlannedState))
		if err != nil {
			return providers.ApplyResourceChangeResponse{NewState: m.value(req.PlannedState),
				Diagnostics: providers.Diagnostics{providers.FromError("Cannot update the machine", err)}}
		}
		return providers.ApplyResourceChangeResponse{NewState: m.value(req.PlannedState)}
	}
}

// create makes the machine's container, starts it and waits until its sshd
// answers. On failure the returned machine has an id when a container
// exists.
func (ms *machines) create(ctx context.Context, m machine) (machine, error) {
	e := ms.engine
	if m.name == "" {
		id, err := randomHex(4)
		if err != nil {
			return m, err
		}
		m.name = "m-" + id
	}
	if m.network == "" {
		m.network = networkName(ms.project)
	}
	size, err := lookupSize(m.size, e.ncpu)
	if err != nil {
		return m, err
	}
	imageID, err := e.machineImage(ctx, m.image, ms.progress)
	if err != nil {
		return m, err
	}
	keys, err := newKeyPair("bp@" + m.name)
	if err != nil {
		return m, err
	}
	m.sshPrivateKey, m.sshPublicKey = keys.private, keys.public

	cname := containerName(ms.project, m.name)
	// A container left by an interrupted create has the same name: its
	// login key was never recorded, so it is replaced.
	if err := ms.removeStale(ctx, cname); err != nil {
		return m, err
	}
	cfg := &container.Config{
		Image:    imageID,
		Hostname: m.name,
		// A terminal gives systemd a console, so its boot messages reach
		// the container log that boot failures quote.
		Tty:        true,
		StopSignal: "SIGRTMIN+3",
		Labels: map[string]string{
			labelProject: ms.project, labelMachine: m.name, labelNetwork: m.network,
		},
	}
	stop := stopTimeout
	cfg.StopTimeout = &stop
	host := &container.HostConfig{
		CapAdd: []string{"SYS_ADMIN", "NET_ADMIN"},
		Resources: container.Resources{
			NanoCPUs: size.nanoCPUs(),
			Memory:   size.memory,
		},
	}
	netCfg := &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{
		m.network: {Aliases: []string{m.name}},
	}}
	err = e.withNetwork(ctx, m.network, ms.project, func() error {
		resp, err := e.api.ContainerCreate(ctx, cfg, host, netCfg, nil, cname)
		if err != nil {
			return fmt.Errorf("creating container %s: %w", cname, err)
		}
		m.id = resp.ID
		return nil
	})
	if err != nil {
		return m, err
	}
	files := map[string]fileContent{
		"root/.ssh/authorized_keys": {mode: 0o600, data: []byte(m.sshPublicKey + "\n")},
	}
	labels, err := labelsFile(m.labels)
	if err != nil {
		return m, err
	}
	files["etc/bp/labels.json"] = fileContent{mode: 0o644, data: labels}
	if err := e.copyFiles(ctx, m.id, files); err != nil {
		return m, err
	}
	if err := e.api.ContainerStart(ctx, m.id, container.StartOptions{}); err != nil {
		return m, fmt.Errorf("starting container %s: %w", cname, err)
	}
	m.running = true
	if err := ms.waitReady(ctx, &m); err != nil {
		return m, err
	}
	return m, nil
}

// removeStale removes a container called name that this project created
// but no state records.
func (ms *machines) removeStale(ctx context.Context, name string) error {
	c, err := ms.engine.api.ContainerInspect(ctx, name)
	if cerrdefs.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("inspecting container %s: %w", name, err)
	}
	if c.Config == nil || c.Config.Labels[labelProject] != ms.project {
		return fmt.Errorf("a container named %s already exists and was not created by this blueprint (project %q); rename the machine or remove the container", name, ms.project)
	}
	if err := ms.engine.api.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true, RemoveVolumes: true}); err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("removing the leftover container %s: %w", name, err)
	}
	return nil
}

// update changes labels and running state in place.
func (ms *machines) update(ctx context.Context, prior, planned machine) (machine, error) {
	e := ms.engine
	m := prior
	if !equalLabels(prior.labels, planned.labels) {
		data, err := labelsFile(planned.labels)
		if err != nil {
			return m, err
		}
		if err := e.copyFiles(ctx, m.id, map[string]fileContent{"etc/bp/labels.json": {mode: 0o644, data: data}}); err != nil {
			return m, err
		}
		m.labels = planned.labels
	}
	switch {
	case planned.running && !prior.running:
		if err := e.api.ContainerStart(ctx, m.id, container.StartOptions{}); err != nil {
			return m, fmt.Errorf("starting machine %s: %w", m.name, err)
		}
		m.running = true
		m.address, m.privateAddress = "", "" // a restarted container may get another
		if err := ms.waitReady(ctx, &m); err != nil {
			return m, err
		}
	case !planned.running && prior.running:
		stop := stopTimeout
		if err := e.api.ContainerStop(ctx, m.id, container.StopOptions{Timeout: &stop}); err != nil {
			return m, fmt.Errorf("stopping machine %s: %w", m.name, err)
		}
		m.running = false
	}
	return m, nil
}

// delete stops the machine the way systemd wants (its stop signal) and
// removes it, then its network if it was the last machine on it.
func (ms *machines) delete(ctx context.Context, m machine) error {
	e := ms.engine
	ref := m.id
	if ref == "" {
		if m.name == "" {
			return nil // an interrupted create that never named a machine
		}
		ref = containerName(ms.project, m.name)
	}
	stop := stopTimeout
	err := e.api.ContainerStop(ctx, ref, container.StopOptions{Timeout: &stop})
	if err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("stopping machine %s: %w", m.name, err)
	}
	err = e.api.ContainerRemove(ctx, ref, container.RemoveOptions{Force: true, RemoveVolumes: true})
	if err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("removing machine %s: %w", m.name, err)
	}
	if m.network != "" {
		return e.releaseNetwork(ctx, m.network)
	}
	return nil
}

// read refreshes a machine from its container: a null value when the
// container is gone, running false when it is stopped.
func (ms *machines) read(ctx context.Context, current cty.Value) (cty.Value, error) {
	m := decodeMachine(current)
	if m.id == "" || m.sshPrivateKey == "" {
		// A placeholder of an interrupted create: without the login key
		// the machine is unusable, so it counts as gone; the create that
		// follows removes its container by name.
		return cty.NullVal(machineTy), nil
	}
	c, err := ms.engine.api.ContainerInspect(ctx, m.id)
	if cerrdefs.IsNotFound(err) {
		return cty.NullVal(machineTy), nil
	}
	if err != nil {
		return current, fmt.Errorf("inspecting machine %s: %w", m.name, err)
	}
	m.running = c.State != nil && c.State.Running
	if m.running {
		if ip := containerIP(c, m.network); ip != "" {
			m.address, m.privateAddress = ip, ip
		}
	}
	return m.value(current), nil
}

// containerIP returns the container's address on network, else on any
// network.
func containerIP(c container.InspectResponse, networkName string) string {
	if c.NetworkSettings == nil {
		return ""
	}
	if ep := c.NetworkSettings.Networks[networkName]; ep != nil && ep.IPAddress != "" {
		return ep.IPAddress
	}
	names := make([]string, 0, len(c.NetworkSettings.Networks))
	for n := range c.NetworkSettings.Networks {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if ep := c.NetworkSettings.Networks[n]; ep != nil && ep.IPAddress != "" {
			return ep.IPAddress
		}
	}
	return ""
}

// fileContent is one file copied into a machine.
type fileContent struct {
	mode int64
	data []byte
}

// copyFiles writes files (paths relative to /) into a container, creating
// their parent directories owned by root with mode 0700 under /root and
// 0755 elsewhere.
func (e *Engine) copyFiles(ctx context.Context, id string, files map[string]fileContent) error {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dirs := map[string]bool{}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	now := time.Now()
	for _, name := range names {
		for _, dir := range parentDirs(name) {
			if dirs[dir] {
				continue
			}
			dirs[dir] = true
			mode := int64(0o755)
			if dir == "root/.ssh" {
				mode = 0o700
			}
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir + "/", Mode: mode, ModTime: now}); err != nil {
				return err
			}
		}
		f := files[name]
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: f.mode, Size: int64(len(f.data)), ModTime: now}); err != nil {
			return err
		}
		if _, err := tw.Write(f.data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := e.api.CopyToContainer(ctx, id, "/", &buf, container.CopyToContainerOptions{}); err != nil {
		return fmt.Errorf("copying files into the machine: %w", err)
	}
	return nil
}

// parentDirs returns the directories above a relative path, outermost
// first, leaving out those every image has (etc, root).
func parentDirs(name string) []string {
	var out []string
	for i := 0; i < len(name); i++ {
		if name[i] == '/' {
			d := name[:i]
			if d != "etc" && d != "root" {
				out = append(out, d)
			}
		}
	}
	return out
}

// labelsFile is the content of /etc/bp/labels.json.
func labelsFile(labels map[string]string) ([]byte, error) {
	if labels == nil {
		labels = map[string]string{}
	}
	data, err := json.MarshalIndent(labels, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

func equalLabels(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

var errNotRunning = errors.New("the machine is not running")
