package plugins

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/blueprint-engine/bp/providers"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// LaunchRequest says which plugin binary to start and where its log goes.
type LaunchRequest struct {
	// Name is the provider's name, used in messages; the binary's base name
	// when empty.
	Name string
	// Path is the plugin binary. It is required.
	Path string
	// Args are extra command-line arguments for the binary.
	Args []string
	// Env holds extra "KEY=value" entries for the plugin's environment,
	// which otherwise is bp's own.
	Env []string
	// Log receives go-plugin's log and everything the plugin writes to
	// stderr (never the terminal). Nil discards them.
	Log io.Writer
	// LogLevel is the level of Log; zero means debug.
	LogLevel hclog.Level
	// StartTimeout bounds how long the plugin may take to start; zero means
	// ctx's deadline, or one minute without one.
	StartTimeout time.Duration

	// plaintext turns mutual TLS off, for benchmarks that measure what TLS
	// costs; nothing else may set it.
	plaintext bool
}

// Client is a provider plugin process, seen as a providers.Interface. All
// its methods are safe for concurrent use. It asks the plugin for its schema
// once and keeps it, and answers some calls without asking the plugin:
// ValidateResourceConfig for types the plugin declares schema-only (see
// [SchemaOnlyValidator]), PlanResourceChange for types the plugin declares
// schema-planned (see [SchemaPlanner]), and a PlanResourceChange identical
// to one it has already answered (see [Client.PlanResourceChange]).
// [Client.Stats] counts them.
type Client struct {
	name, path string
	rpc        proto.ProviderClient
	proc       process
	output     *outputTail
	meta       Metadata

	schemaMu  sync.Mutex
	schema    atomic.Pointer[clientSchema]
	closeOnce sync.Once
	// configured is set once Configure has succeeded: the Client plans
	// schema-planned types itself only then, as a plugin refuses plans
	// before.
	configured atomic.Bool

	// plans keeps answers to PlanResourceChange for the engine's second,
	// apply-time call.
	plans *planCache
	stats clientStats
}

// clientSchema is the plugin's schema response, decoded once.
type clientSchema struct {
	typed *typedSchema
	resp  providers.GetSchemaResponse
	// schemaOnly holds the resource types the plugin declares it has
	// nothing to validate for beyond the schema (see SchemaOnlyValidator).
	schemaOnly nameSet
	// schemaPlans holds the resource types whose plans the plugin declares
	// are the schema plan (see SchemaPlanner).
	schemaPlans schemaPlans
}

// Launch starts the plugin binary req.Path, connects to it (gRPC over a
// local socket with mutual TLS) and asks for its [Metadata]. The caller must
// Close the returned Client. When the plugin does not start, the error says
// why and shows the last lines the plugin wrote to stderr.
func Launch(ctx context.Context, req LaunchRequest) (*Client, error) {
	if req.Path == "" {
		return nil, errors.New("plugins.Launch: no plugin binary path given")
	}
	name := req.Name
	if name == "" {
		name = filepath.Base(req.Path)
	}
	logger := launchLogger(req)
	out := &outputTail{}
	cmd := exec.Command(req.Path, req.Args...)
	cmd.Env = append(append(cmd.Env, req.Env...), logLevelEnv+"="+pluginLogLevel(req, logger))
	c := newClient(name, req.Path, out)
	config := clientConfig(ctx, req, cmd, logger, out, &c.stats)
	if !req.plaintext {
		lt, err := newLaunchTLS()
		if err != nil {
			return nil, c.launchError(err)
		}
		release, err := lt.prepare(cmd)
		if err != nil {
			return nil, c.launchError(err)
		}
		defer release()
		config.TLSConfig = lt.client
	}
	pc := plugin.NewClient(config)
	c.proc = &pluginProcess{pc: pc, cmd: cmd}
	rpcClient, err := pc.Client()
	if err != nil {
		pc.Kill()
		return nil, c.launchError(err)
	}
	raw, err := rpcClient.Dispense(providerPluginName)
	if err != nil {
		pc.Kill()
		return nil, c.launchError(err)
	}
	c.rpc = raw.(proto.ProviderClient)
	if err := c.fetchMetadata(ctx); err != nil {
		pc.Kill()
		return nil, err
	}
	return c, nil
}

// newClient returns a Client with no connection yet.
func newClient(name, path string, out *outputTail) *Client {
	return &Client{name: name, path: path, output: out, plans: newPlanCache(defaultPlanCacheBytes, defaultPlanCacheAge)}
}

// clientConfig is the go-plugin configuration for one launch; stats count
// its calls.
func clientConfig(ctx context.Context, req LaunchRequest, cmd *exec.Cmd, logger hclog.Logger, out *outputTail, stats *clientStats) *plugin.ClientConfig {
	timeout := req.StartTimeout
	if deadline, ok := ctx.Deadline(); ok && timeout == 0 {
		timeout = max(time.Until(deadline), time.Millisecond)
	}
	relayed := logger.Named(filepath.Base(req.Path))
	logLine := func(line string) { relayed.Debug(line) }
	return &plugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          pluginSet(nil),
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		// Launch sets TLSConfig: bp makes the certificates itself (see
		// launchTLS), so go-plugin's AutoMTLS stays off.
		Logger: logger,
		// go-plugin logs the raw stderr itself; the relayed streams (what
		// the plugin writes to os.Stderr/os.Stdout once serving) it does not.
		Stderr:       out.writer(nil),
		SyncStderr:   out.writer(logLine),
		SyncStdout:   out.writer(logLine),
		StartTimeout: timeout,
		GRPCDialOptions: []grpc.DialOption{
			grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxMessageSize), grpc.MaxCallSendMsgSize(maxMessageSize)),
			grpc.WithUnaryInterceptor(stats.countRPCs),
		},
	}
}

// launchLogger is bp's side of the plugin log: go-plugin's own messages and
// the plugin's relayed log, written to req.Log.
func launchLogger(req LaunchRequest) hclog.Logger {
	if req.Log == nil {
		return hclog.NewNullLogger()
	}
	level := req.LogLevel
	if level == hclog.NoLevel {
		level = hclog.Debug
	}
	return hclog.New(&hclog.LoggerOptions{Name: "plugin", Output: req.Log, Level: level})
}

// pluginLogLevel is the level the plugin should log at: bp's, or off.
func pluginLogLevel(req LaunchRequest, logger hclog.Logger) string {
	if req.Log == nil {
		return "off"
	}
	return logger.GetLevel().String()
}

// launchError explains why the plugin did not start.
func (c *Client) launchError(err error) error {
	msg := fmt.Sprintf("cannot start the provider plugin %q (%s): %v", c.name, c.path, err)
	switch {
	case strings.Contains(err.Error(), "Incompatible API version"):
		msg += fmt.Sprintf(". This bp speaks plugin protocol version %d; install a release of the plugin built for it", ProtocolVersion)
	case strings.Contains(err.Error(), "Unrecognized remote plugin message"):
		msg += ". Is it a Blueprint provider plugin (one whose main calls plugins.Serve or sdk.Serve)?"
	}
	if lines := c.output.lines(); len(lines) > 0 {
		msg += "\nThe last lines it wrote to stderr:\n  " + strings.Join(lines, "\n  ")
	}
	return errors.New(msg)
}

// fetchMetadata asks the plugin who it is, once, at launch.
func (c *Client) fetchMetadata(ctx context.Context) error {
	resp, err := c.rpc.GetMetadata(ctx, &proto.GetMetadata_Request{})
	if err != nil {
		return c.callError(ctx, "GetMetadata", err)
	}
	c.meta = Metadata{Name: resp.Name, Version: resp.Version, ProtocolVersion: int(resp.ProtocolVersion)}
	return nil
}

// Metadata returns what the plugin said about itself at launch. The error
// is always nil for a Client made by Launch; it is there so callers can
// treat other sources of metadata alike.
func (c *Client) Metadata() (Metadata, error) { return c.meta, nil }

// Name returns the provider name the Client was launched with.
func (c *Client) Name() string { return c.name }

// Path returns the plugin binary's path.
func (c *Client) Path() string { return c.path }

// Close stops the plugin process: it asks the plugin to exit (the plugin
// then closes its provider), kills it if it has not exited after two
// seconds, and returns once it is gone. Calls after Close fail. Close may be
// called more than once.
func (c *Client) Close() error {
	c.closeOnce.Do(c.proc.kill)
	return nil
}

// loadSchema returns the plugin's schema, asking the plugin on first use.
// A failed call is not remembered, so a later call asks again.
func (c *Client) loadSchema(ctx context.Context) (*clientSchema, providers.Diagnostics) {
	if sc := c.schema.Load(); sc != nil {
		return sc, nil
	}
	c.schemaMu.Lock()
	defer c.schemaMu.Unlock()
	if sc := c.schema.Load(); sc != nil {
		return sc, nil
	}
	resp, err := c.rpc.GetSchema(ctx, &proto.GetSchema_Request{})
	if err != nil {
		return nil, c.callDiagnostics(ctx, "GetSchema", err)
	}
	diags := decodeDiagnostics(resp.Diagnostics)
	schema, err := decodeProviderSchema(resp.Schema)
	if err != nil {
		diags = diags.Append(providers.Errorf("Invalid provider schema",
			"The provider plugin %q (%s) sent a schema bp cannot read: %v. The plugin and bp disagree about the protocol; install a release of the plugin built for this version of bp.",
			c.name, c.path, err))
	}
	sc := &clientSchema{
		typed: newTypedSchema(c.name, schema),
		resp:  providers.GetSchemaResponse{Schema: schema, Diagnostics: diags},

		schemaOnly: newNameSet(resp.SchemaOnlyResourceTypes),
		schemaPlans: schemaPlans{
			all:     newNameSet(resp.SchemaPlannedResourceTypes),
			creates: newNameSet(resp.SchemaPlannedCreateTypes),
		},
	}
	c.schema.Store(sc)
	return sc, nil
}

// typed returns the plugin's typed schema, or the diagnostics that keep
// bp from having it.
func (c *Client) typed(ctx context.Context) (*typedSchema, providers.Diagnostics) {
	sc, diags := c.loadSchema(ctx)
	if diags.HasErrors() {
		return nil, diags
	}
	if sc.resp.Diagnostics.HasErrors() {
		return nil, sc.resp.Diagnostics
	}
	return sc.typed, nil
}

var _ providers.Interface = (*Client)(nil)
