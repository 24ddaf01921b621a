package plugins

import (
	"container/list"
	"encoding/binary"
	"slices"
	"sync"
	"time"

	"github.com/blueprint-engine/bp/plugins/proto"
	gproto "google.golang.org/protobuf/proto"
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
// maxBytes of requests and answers. When it is full it forgets answers
// older than maxAge, and otherwise keeps what it has and takes no more:
// apply plans objects again in about the order plan did, so forgetting the
// oldest answers to make room would lose every one before its use, while
// keeping them saves a call for each. A lost answer only costs the call it
// would have saved.
type planCache struct {
	mu       sync.Mutex
	maxBytes int
	maxAge   time.Duration
	now      func() time.Time
	bytes    int
	entries  map[string]*list.Element
	// order holds *planEntry values, oldest first.
	order list.List
}

// planEntry is one remembered answer, in its wire form: bytes rather than
// cty values, which the garbage collector need not scan.
type planEntry struct {
	key     string
	planned []byte
	private []byte
	replace []*proto.AttributePath
	size    int
	added   time.Time
}

// response is the answer of e as the plugin sent it.
func (e *planEntry) response() *proto.PlanResourceChange_Response {
	return &proto.PlanResourceChange_Response{
		PlannedState:    &proto.DynamicValue{Msgpack: e.planned},
		PlannedPrivate:  e.private,
		RequiresReplace: e.replace,
	}
}

// defaultPlanCacheBytes bounds a Client's plan cache: room for the
// requests and answers of some 30,000 resources of a few hundred bytes
// each.
const defaultPlanCacheBytes = 16 << 20

// planEntryOverhead is what an entry costs beyond its bytes (map and list
// entries, the entry itself), roughly.
const planEntryOverhead = 160

// defaultPlanCacheAge is how long a full cache keeps an answer: longer than
// anyone takes to approve a plan, shorter than the life of a controller
// that plans without applying.
const defaultPlanCacheAge = time.Hour

func newPlanCache(maxBytes int, maxAge time.Duration) *planCache {
	return &planCache{maxBytes: maxBytes, maxAge: maxAge, now: time.Now, entries: map[string]*list.Element{}}
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

// take returns and forgets the answer kept for key, as the plugin sent it.
func (c *planCache) take(key string) (*proto.PlanResourceChange_Response, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.remove(el)
	return el.Value.(*planEntry).response(), true
}

// put keeps resp, the plugin's answer to the request of key. An answer
// with diagnostics or sensitive paths, or one larger than the whole cache,
// is not kept.
func (c *planCache) put(key string, resp *proto.PlanResourceChange_Response) {
	if len(resp.Diagnostics) > 0 || len(resp.PlannedState.GetSensitivePaths()) > 0 {
		return
	}
	e := &planEntry{
		key:     key,
		planned: resp.PlannedState.GetMsgpack(),
		// The caller that got this answer owns its private bytes.
		private: slices.Clone(resp.PlannedPrivate),
		replace: resp.RequiresReplace,
	}
	e.size = len(e.key) + len(e.planned) + len(e.private) + planEntryOverhead
	for _, p := range e.replace {
		e.size += gproto.Size(p)
	}
	if e.size > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		c.remove(el)
	}
	e.added = c.now()
	for c.bytes+e.size > c.maxBytes {
		oldest := c.order.Front()
		if oldest == nil || e.added.Sub(oldest.Value.(*planEntry).added) < c.maxAge {
			return
		}
		c.remove(oldest)
	}
	c.entries[key] = c.order.PushBack(e)
	c.bytes += e.size
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
