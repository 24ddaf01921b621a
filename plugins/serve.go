package plugins

import (
	"fmt"
	"os"

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
// certificates that bp generates for each launch.
func Serve(p providers.Interface, opts ServeOpts) {
	if opts.Name == "" {
		fmt.Fprintln(os.Stderr, "plugins.Serve: the provider has no name; set ServeOpts.Name (for example \"kv\" for bp-provider-kv).")
		os.Exit(1)
	}
	logger := opts.Logger
	if logger == nil {
		logger = pluginSideLogger()
	}
	srv := newServer(p, Metadata{Name: opts.Name, Version: opts.Version})
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         pluginSet(srv),
		GRPCServer:      newGRPCServer,
		Logger:          logger,
	})
	_ = p.Close()
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

// newGRPCServer is go-plugin's default server with room for large states.
func newGRPCServer(opts []grpc.ServerOption) *grpc.Server {
	opts = append(opts, grpc.MaxRecvMsgSize(maxMessageSize), grpc.MaxSendMsgSize(maxMessageSize))
	return grpc.NewServer(opts...)
}
