package providers_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/mock"
	_ "github.com/blueprint-engine/bp/providers/std" // registers "std"
)

// A built-in provider registers a factory under its name in the init
// function of its package; the engine resolves `source = "builtin/NAME"`
// to a new instance.
func ExampleRegisterBuiltin() {
	// In the provider's package:
	//
	//	func init() { providers.RegisterBuiltin("example", New) }
	providers.RegisterBuiltin("example", func() providers.Interface { return mock.New() })

	// In the engine, for source = "builtin/example":
	source := "builtin/example"
	p, ok := providers.Builtin(strings.TrimPrefix(source, providers.BuiltinSourcePrefix))
	fmt.Println(ok)
	schema := p.GetSchema(context.Background()).Schema
	fmt.Println(slices.Sorted(maps.Keys(schema.ResourceTypes)))
	// Output:
	// true
	// [mock_thing]
}

// Importing a provider package is enough to make it available.
func ExampleBuiltin() {
	p, ok := providers.Builtin("std")
	if !ok {
		fmt.Println("std is not linked in")
		return
	}
	defer p.Close()
	schema := p.GetSchema(context.Background()).Schema
	fmt.Println(slices.Sorted(maps.Keys(schema.ResourceTypes)))
	_, ok = providers.Builtin("nonesuch")
	fmt.Println(ok)
	// Output:
	// [std_file std_group_size std_null std_random]
	// false
}
