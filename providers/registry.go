package providers

import (
	"fmt"
	"sort"
	"sync"
)

// BuiltinSourcePrefix is how a blueprint selects a built-in provider:
// `source = "builtin/NAME"` in required_providers.
const BuiltinSourcePrefix = "builtin/"

var builtins = struct {
	sync.RWMutex
	factories map[string]func() Interface
}{factories: map[string]func() Interface{}}

// RegisterBuiltin makes a built-in provider available under name, usually
// from the init function of the provider's package. factory is called once
// per provider instance the engine needs (one per provider block), so it must
// return a new, unconfigured provider each time.
//
// It panics if name is empty or already registered or factory is nil: those
// are programming errors found by the first test run.
func RegisterBuiltin(name string, factory func() Interface) {
	if name == "" {
		panic("providers.RegisterBuiltin: empty provider name")
	}
	if factory == nil {
		panic(fmt.Sprintf("providers.RegisterBuiltin: nil factory for provider %q", name))
	}
	builtins.Lock()
	defer builtins.Unlock()
	if _, dup := builtins.factories[name]; dup {
		panic(fmt.Sprintf("providers.RegisterBuiltin: provider %q registered twice", name))
	}
	builtins.factories[name] = factory
}

// Builtin returns a new instance of the built-in provider registered as name,
// and false if there is none.
func Builtin(name string) (Interface, bool) {
	builtins.RLock()
	factory, ok := builtins.factories[name]
	builtins.RUnlock()
	if !ok {
		return nil, false
	}
	return factory(), true
}

// BuiltinNames returns the names of all registered built-in providers in
// sorted order.
func BuiltinNames() []string {
	builtins.RLock()
	defer builtins.RUnlock()
	names := make([]string, 0, len(builtins.factories))
	for name := range builtins.factories {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
