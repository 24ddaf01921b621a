package plugins

import (
	"container/list"
	"encoding/binary"
	"slices"
	"sync"

	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/blueprint-engine/bp/providers"
)

// planCache keeps the plugin's answers to PlanResourceChange so that the
// same request made again, as the engine does at apply time for every
// change it planned, is answered without a second call to the plugin.
//
// Why it is safe: PlanResourceChange must have no side effects, and every
// value it plans as known must be what apply produces (the contract of
// providers.Interface); the engine rejects an apply-time plan whose known
// values differ from the plan-time ones. An answer to a byte-identical
// request from the same configured plugin process is therefore an answer
// the plugin may give again, and it is the very plan the user was shown.
// Only answers without diagnostics are kept, so warnings and errors always
// come from the plugin.
//
// An answer is used once: taking it removes it, since the engine plans an
// object once at plan time and once at apply time. The cache holds at most
// maxBytes of requests and answers; past that it forgets its oldest
// entries, which only costs the call it would have saved.
type planCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	entries  map[string]*list.Element
	// order holds *planEntry values, oldest first.
	order list.List
}

// planEntry is one remembered answer.
type planEntry struct {
	key  string
	resp providers.PlanResourceChangeResponse
	size int
}

// defaultPlanCacheBytes bounds a Client's plan cache: room for the
// requests and answers of tens of thousands of resources of a few hundred
// bytes each.
const defaultPlanCacheBytes = 64 << 20

// planEntryOverhead is what an entry costs beyond its key and its bytes
// (map and list entries, the response struct), roughly.
const planEntryOverhead = 256

func newPlanCache(maxBytes int) *planCache {
	return &planCache{maxBytes: maxBytes, entries: map[string]*list.Element{}}
}

// planKey returns the key of a PlanResourceChange request: its type name
// and the wire bytes of its values and prior private data, each preceded by
// its length. ok is false for a request the cache does not keep: one with
// sensitive paths, whose wire form has more to it than bytes.
func planKey(req *proto.PlanResourceChange_Request) (key string, ok bool) {
	values := []*proto.DynamicValue{req.PriorState, req.ProposedNewState, req.Config}
	n := len(req.TypeName) + len(req.PriorPrivate) + 5*binary.MaxVarintLen64
	for _, v := range values {
		if len(v.GetSensitivePaths()) > 0 {
			return "", false
		}
		n += len(v.GetMsgpack())
	}
	b := make([]byte, 0, n)
	b = appendBytes(b, []byte(req.TypeName))
	for _, v := range values {
		// A missing value (nil) and a present one differ even when both
		// have no bytes.
		present := uint64(0)
		if v != nil {
			present = 1
		}
		b = binary.AppendUvarint(b, present)
		b = appendBytes(b, v.GetMsgpack())
	}
	b = appendBytes(b, req.PriorPrivate)
	return string(b), true
}

func appendBytes(b, field []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(field)))
	return append(b, field...)
}

// take returns and forgets the answer kept for key.
func (c *planCache) take(key string) (providers.PlanResourceChangeResponse, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return providers.PlanResourceChangeResponse{}, false
	}
	c.remove(el)
	return el.Value.(*planEntry).resp, true
}

// put keeps resp, the plugin's answer to the request of key; wireSize is
// the size of its planned state on the wire. An answer with diagnostics, or
// one larger than the whole cache, is not kept.
func (c *planCache) put(key string, resp providers.PlanResourceChangeResponse, wireSize int) {
	if len(resp.Diagnostics) > 0 {
		return
	}
	size := len(key) + wireSize + len(resp.PlannedPrivate) + planEntryOverhead
	if size > c.maxBytes {
		return
	}
	resp.PlannedPrivate = slices.Clone(resp.PlannedPrivate)
	resp.RequiresReplace = slices.Clone(resp.RequiresReplace)
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		c.remove(el)
	}
	for c.bytes+size > c.maxBytes {
		c.remove(c.order.Front())
	}
	c.entries[key] = c.order.PushBack(&planEntry{key: key, resp: resp, size: size})
	c.bytes += size
}

// remove forgets the entry of el; c.mu must be held.
func (c *planCache) remove(el *list.Element) {
	e := c.order.Remove(el).(*planEntry)
	delete(c.entries, e.key)
	c.bytes -= e.size
}

// len is how many answers the cache holds.
func (c *planCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
