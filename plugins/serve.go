package plugins

import (
	"crypto/tls"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/blueprint-engine/bp/providers"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// ServeOpts describes the provider a plugin binary serves.
type ServeOpts struct {
	// Name is the provider's name, for example "kv" for bp-provider-kv.
	// It is required.
	Name string
	// Version is the provider's release, for example "1.2.0".
	Version string
	// Logger receives the plugin side's go-plugin log. By default it is
	// JSON on stderr, which bp relays to its own log, at the level bp asks
	// for (nothing unless bp's log is on).
	Logger hclog.Logger
}

// Serve serves p over the plugin protocol until bp, which started this
// process, closes the connection; then it calls p.Close and returns. A
// plugin binary's main calls Serve and nothing else. Run by hand rather than
// by bp, it prints that it is a plugin and exits with status 1, as it does
// when opts has no Name.
//
// The connection is gRPC over a local socket, secured with mutual TLS
// certificates that bp generates for each launch and hands over (bp's
// through the environment, the plugin's through an inherited pipe). Under
// a bp that hands over none, the plugin makes its own, as go-plugin does.
//
// Unless the environment sets GOGC, Serve lets the heap grow to five times
// its live size between collections (GOGC=400) rather than two: a plugin's
// live heap is small, so the memory this costs is small, while collecting
// less often took a quarter off the plugin's CPU time per call.
func Serve(p providers.Interface, opts ServeOpts) {
	if opts.Name == "" {
		fmt.Fprintln(os.Stderr, "plugins.Serve: the provider has no name; set ServeOpts.Name (for example \"kv\" for bp-provider-kv).")
		os.Exit(1)
	}
	logger := opts.Logger
	if logger == nil {
		logger = pluginSideLogger()
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(pluginGCPercent)
	}
	srv := newServer(p, Metadata{Name: opts.Name, Version: opts.Version})
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         pluginSet(srv),
		GRPCServer:      newGRPCServer,
		TLSProvider:     reportedServerTLS,
		Logger:          logger,
	})
	_ = p.Close()
}

// reportedServerTLS is serverTLS, writing its error to stderr too: go-plugin
// only logs it, at a level bp usually turns off, before the plugin exits,
// and bp shows the last lines of stderr when a plugin does not start.
func reportedServerTLS() (*tls.Config, error) {
	cfg, err := serverTLS()
	if err != nil {
		fmt.Fprintln(os.Stderr, "plugins.Serve:", err)
	}
	return cfg, err
}

// pluginSideLogger logs JSON to stderr, which go-plugin on bp's side parses
// and relays to bp's log, at the level bp passed in logLevelEnv.
func pluginSideLogger() hclog.Logger {
	level := hclog.Off
	if l := hclog.LevelFromString(os.Getenv(logLevelEnv)); l != hclog.NoLevel {
		level = l
	}
	return hclog.New(&hclog.LoggerOptions{Level: level, Output: os.Stderr, JSONFormat: true})
}

// pluginGCPercent is the plugin process's GOGC unless its environment sets
// one (see Serve).
const pluginGCPercent = 400

// newGRPCServer is go-plugin's default server with room for large states,
// which serves calls on a pool of goroutines: a goroutine per call, gRPC's
// default, grows a fresh stack for every call, which cost a tenth of the
// plugin's CPU time in plan and apply.
func newGRPCServer(opts []grpc.ServerOption) *grpc.Server {
	opts = append(opts, grpc.MaxRecvMsgSize(maxMessageSize), grpc.MaxSendMsgSize(maxMessageSize),
		grpc.NumStreamWorkers(uint32(streamWorkers())))
	return grpc.NewServer(opts...)
}

// streamWorkers is how many goroutines serve calls: as many as bp's
// default parallelism (10), more on a machine with more cores. Calls beyond
// them get a goroutine of their own, as without the pool.
func streamWorkers() int { return max(10, runtime.GOMAXPROCS(0)) }
