// Package plugins is the wire between the engine and provider plugins: the
// versioned gRPC protocol (package proto, bp.plugin.v1) carried by
// hashicorp/go-plugin, the plugin side ([Serve]) and the engine side
// ([Launch], whose [Client] implements providers.Interface).
//
// Values cross the wire as msgpack-encoded cty values, typed by the
// provider's schema on both sides, so unknown values survive. Parts of a
// value marked sensitive travel as a list of paths beside it and are marked
// again on arrival. Diagnostics keep their attribute paths.
//
// The package knows no provider and no blueprint syntax. Finding plugin
// binaries, recording their versions and the SDK for plugin authors live in
// the sub-packages discovery, lockfile and sdk.
package plugins
