package local

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/client"
	"golang.org/x/sync/singleflight"
)

// ProjectSocket is where scripts/local-engine.sh (run by make setup) serves
// the Podman API when no other engine answers.
const ProjectSocket = "unix:///run/bp/podman.sock"

// DockerSocket is the Docker daemon's usual address.
const DockerSocket = "unix:///var/run/docker.sock"

// ConnectOptions say which engine to connect to.
type ConnectOptions struct {
	// Host is a Docker API address. Empty means DOCKER_HOST when it is set,
	// else the first of ProjectSocket and DockerSocket that answers.
	Host string
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
}

// Engine is a connection to a Docker-API container engine, with the image
// builds and network bookkeeping shared by every machine on it. It is safe
// for concurrent use.
type Engine struct {
	api  *client.Client
	host string
	ncpu int

	builds singleflight.Group
	// netMu serializes creating, attaching to and removing the networks
	// this process manages, so a network is never removed under a machine
	// being created on it.
	netMu sync.Mutex
}

// Connect returns a connection to the engine opts selects, with API version
// negotiation, once it answers a ping. The error says which addresses were
// tried and how to start an engine.
func Connect(ctx context.Context, opts ConnectOptions) (*Engine, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	// An address given explicitly, as the host argument or DOCKER_HOST, is
	// the only one tried: falling back to another engine would put machines
	// somewhere the user did not ask for.
	explicit, source := opts.Host, "the host setting"
	if explicit == "" {
		explicit, source = getenv("DOCKER_HOST"), "DOCKER_HOST"
	}
	if explicit != "" {
		e, err := dial(ctx, explicit)
		if err != nil {
			return nil, fmt.Errorf("no container engine answers at %s, given by %s: %v. Check the address, or unset it to use the engine `make setup` starts (%s)", explicit, source, err, ProjectSocket)
		}
		return e, nil
	}
	var failures []string
	for _, host := range []string{ProjectSocket, DockerSocket} {
		e, err := dial(ctx, host)
		if err == nil {
			return e, nil
		}
		failures = append(failures, fmt.Sprintf("%s (%v)", host, err))
		if ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("no container engine answers; tried %s. Run `make setup` (it starts Podman's API service on %s), or set DOCKER_HOST or the local provider's host argument to a Docker API address", strings.Join(failures, " and "), ProjectSocket)
}

// dial connects to host and checks that it answers.
func dial(ctx context.Context, host string) (*Engine, error) {
	if path, ok := strings.CutPrefix(host, "unix://"); ok {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("no socket")
		}
	}
	api, err := client.NewClientWithOpts(client.WithHost(host), client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := api.Ping(pingCtx); err != nil {
		api.Close()
		return nil, fmt.Errorf("no answer to ping: %v", firstLine(err.Error()))
	}
	e := &Engine{api: api, host: host, ncpu: runtime.NumCPU()}
	if !strings.HasPrefix(host, "unix://") {
		// A remote engine's host has its own CPU count. Podman's info is
		// slow (it walks its storage), so local engines are not asked.
		info, err := api.Info(pingCtx)
		if err != nil {
			api.Close()
			return nil, fmt.Errorf("cannot read the engine's info: %v", firstLine(err.Error()))
		}
		if info.NCPU > 0 {
			e.ncpu = info.NCPU
		}
	}
	return e, nil
}

// Host returns the address of the engine.
func (e *Engine) Host() string { return e.host }

// Close closes the connection.
func (e *Engine) Close() error { return e.api.Close() }

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
