package sdk

import "github.com/blueprint-engine/bp/plugins"

// Serve runs p as a plugin: it serves a new instance of p over the plugin
// protocol until bp, which started the process, closes the connection. A
// provider binary's main calls it and nothing else:
//
//	func main() { sdk.Serve(Provider()) }
//
// The binary must be named bp-provider-NAME, NAME being p.Name, and lie
// where bp looks for plugins (./.bp/plugins, $BP_PLUGIN_PATH,
// ~/.bp/plugins).
func Serve(p *Provider) {
	plugins.Serve(p.Interface(), plugins.ServeOpts{Name: p.Name, Version: p.Version})
}
