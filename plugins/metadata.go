package plugins

// Metadata identifies a provider plugin: what it calls itself and which
// release it is. bp init records it in the lock file.
type Metadata struct {
	// Name is the provider's name, for example "std".
	Name string
	// Version is the provider's release as its author numbers it, for
	// example "1.2.0"; empty when the author gave none.
	Version string
	// ProtocolVersion is the plugin protocol version the plugin speaks.
	ProtocolVersion int
}
