package ctymsgpack

import (
	"sync"
	"sync/atomic"

	"github.com/zclconf/go-cty/cty"
)

// typeCache maps the type descriptions (JSON) of dynamic values read so far
// to their types. Values of one resource type carry the same few
// descriptions over and over, and parsing JSON is what makes go-cty slow on
// dynamic values. Reads take no lock: the map is replaced, never changed.
type typeCache struct {
	mu    sync.Mutex // serializes writers
	types atomic.Pointer[map[string]cty.Type]
}

// maxCachedTypes bounds the cache; descriptions beyond it are parsed each
// time. Types are immutable, so sharing one among values is safe.
const maxCachedTypes = 256

var types typeCache

// typeOf returns the type described by desc, or false when desc describes
// none.
func (c *typeCache) typeOf(desc []byte) (cty.Type, bool) {
	if m := c.types.Load(); m != nil {
		if ty, ok := (*m)[string(desc)]; ok {
			return ty, true
		}
	}
	var ty cty.Type
	if err := ty.UnmarshalJSON(desc); err != nil {
		return cty.NilType, false
	}
	c.add(string(desc), ty)
	return ty, true
}

func (c *typeCache) add(desc string, ty cty.Type) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.types.Load()
	if old != nil && len(*old) >= maxCachedTypes {
		return
	}
	m := make(map[string]cty.Type, 1+lenOf(old))
	if old != nil {
		for k, v := range *old {
			m[k] = v
		}
	}
	m[desc] = ty
	c.types.Store(&m)
}

func lenOf(m *map[string]cty.Type) int {
	if m == nil {
		return 0
	}
	return len(*m)
}
