package plugins

import (
	"context"

	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// grpcProvider is the go-plugin Plugin for a provider: it registers the
// server on the plugin side and makes the gRPC stub on bp's side.
type grpcProvider struct {
	plugin.NetRPCUnsupportedPlugin
	// server is set on the plugin side only.
	server proto.ProviderServer
}

// GRPCServer registers the provider service.
func (g *grpcProvider) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	proto.RegisterProviderServer(s, g.server)
	return nil
}

// GRPCClient returns a proto.ProviderClient on conn.
func (g *grpcProvider) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	return proto.NewProviderClient(conn), nil
}

// pluginSet is the go-plugin plugin set; server is nil on bp's side.
func pluginSet(server proto.ProviderServer) plugin.PluginSet {
	return plugin.PluginSet{providerPluginName: &grpcProvider{server: server}}
}

var _ plugin.GRPCPlugin = (*grpcProvider)(nil)
