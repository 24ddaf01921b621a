package plugins

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/blueprint-engine/bp/providers"
	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

// TestPlanCache checks which PlanResourceChange calls the Client answers
// from an earlier answer and which go to the plugin.
func TestPlanCache(t *testing.T) {
	prior := cty.NullVal(widgetType)
	config := widget(map[string]cty.Value{"id": cty.NullVal(cty.String)})
	planned := widget(map[string]cty.Value{"id": cty.UnknownVal(cty.String)})
	req := providers.PlanResourceChangeRequest{TypeName: "test_widget", PriorState: prior, ProposedNewState: config, Config: config}
	answer := providers.PlanResourceChangeResponse{
		PlannedState: planned, PlannedPrivate: []byte("private"),
		RequiresReplace: []cty.Path{cty.GetAttrPath("name")},
	}
	withWarning := answer
	withWarning.Diagnostics = providers.Diagnostics{providers.Warningf("Careful", "A warning.")}
	other := req
	other.Config = widget(map[string]cty.Value{"id": cty.NullVal(cty.String), "name": cty.StringVal("w2")})
	otherPrivate := req
	otherPrivate.PriorPrivate = []byte("p")
	secret := req
	secret.Config = widget(map[string]cty.Value{"id": cty.NullVal(cty.String), "secret": sensitive(cty.StringVal("s"))})
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	type call struct {
		req providers.PlanResourceChangeRequest
		ctx context.Context // nil: background
	}
	tests := []struct {
		name   string
		answer providers.PlanResourceChangeResponse
		calls  []call
		// asked is how many of the calls reach the plugin.
		asked int
	}{
		{"the same request twice", answer, []call{{req: req}, {req: req}}, 1},
		{"an answer is used once", answer, []call{{req: req}, {req: req}, {req: req}}, 2},
		{"different configurations", answer, []call{{req: req}, {req: other}, {req: req}, {req: other}}, 2},
		{"different prior private data", answer, []call{{req: req}, {req: otherPrivate}}, 2},
		{"answers with diagnostics are not kept", withWarning, []call{{req: req}, {req: req}}, 2},
		{"sensitive values are not kept", answer, []call{{req: secret}, {req: secret}}, 2},
		{"a cancelled call fails and leaves the answer kept", answer, []call{{req: req}, {req: req, ctx: cancelled}, {req: req}}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeProvider{schema: widgetSchema()}
			c, _, _, _ := connect(t, fake)
			fake.respondWith(tc.answer)
			for i, call := range tc.calls {
				ctx := call.ctx
				if ctx == nil {
					ctx = context.Background()
				}
				got := c.PlanResourceChange(ctx, call.req)
				if ctx.Err() != nil {
					if err := got.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), "cancelled") {
						t.Errorf("call %d, cancelled: diagnostics %v, want a cancellation", i, got.Diagnostics)
					}
					continue
				}
				if diff := cmp.Diff(tc.answer, got, cmpOpts); diff != "" {
					t.Fatalf("call %d: the answer differs from the plugin's (-plugin +got):\n%s", i, diff)
				}
				// The caller owns what it gets: changing it must not
				// change a later answer.
				if len(got.PlannedPrivate) > 0 {
					got.PlannedPrivate[0] = 'X'
				}
				if len(got.RequiresReplace) > 0 {
					got.RequiresReplace[0] = cty.GetAttrPath("changed")
				}
			}
			asked := 0
			for _, r := range fake.received() {
				if _, ok := r.(providers.PlanResourceChangeRequest); ok {
					asked++
				}
			}
			if asked != tc.asked {
				t.Errorf("the plugin was asked %d times, want %d", asked, tc.asked)
			}
			answered := 0
			for _, call := range tc.calls {
				if call.ctx == nil {
					answered++
				}
			}
			if got, want := c.Stats().CachedPlans, int64(answered-tc.asked); got != want {
				t.Errorf("Stats().CachedPlans = %d, want %d", got, want)
			}
		})
	}
}

// TestPlanCacheBound checks that a full cache takes no more answers unless
// it can forget old ones, and keeps no answer larger than the whole cache,
// nor one it must not keep.
func TestPlanCacheBound(t *testing.T) {
	const keySize = 100
	entrySize := keySize + 1 + planEntryOverhead
	key := func(i int) string { return string(rune('a'+i)) + string(make([]byte, keySize-1)) }
	answer := func(size int) *proto.PlanResourceChange_Response {
		return &proto.PlanResourceChange_Response{PlannedState: &proto.DynamicValue{Msgpack: make([]byte, size)}}
	}
	withWarning := answer(1)
	withWarning.Diagnostics = []*proto.Diagnostic{{Summary: "Careful"}}
	withSecret := answer(1)
	withSecret.PlannedState.SensitivePaths = []*proto.AttributePath{{}}
	four := []*proto.PlanResourceChange_Response{answer(1), answer(1), answer(1), answer(1)}
	tests := []struct {
		name     string
		maxBytes int
		answers  []*proto.PlanResourceChange_Response
		// apart is the time between two puts.
		apart time.Duration
		// kept are the indexes of the answers still held, oldest first.
		kept []int
	}{
		{"all fit", 4 * entrySize, four, 0, []int{0, 1, 2, 3}},
		{"full: the first are kept", 2 * entrySize, four, time.Minute, []int{0, 1}},
		{"full: old answers go", 2 * entrySize, four, 40 * time.Minute, []int{2, 3}},
		{"larger than the cache", entrySize, []*proto.PlanResourceChange_Response{answer(2)}, 0, nil},
		{"diagnostics", entrySize, []*proto.PlanResourceChange_Response{withWarning}, 0, nil},
		{"sensitive paths", entrySize, []*proto.PlanResourceChange_Response{withSecret}, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newPlanCache(tc.maxBytes, time.Hour)
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			c.now = func() time.Time { return now }
			for i, a := range tc.answers {
				c.put(key(i), a)
				now = now.Add(tc.apart)
			}
			if c.len() != len(tc.kept) || c.bytes > tc.maxBytes {
				t.Fatalf("the cache holds %d answers in %d bytes, want %d in at most %d", c.len(), c.bytes, len(tc.kept), tc.maxBytes)
			}
			for _, i := range tc.kept {
				if _, ok := c.take(key(i)); !ok {
					t.Errorf("the answer to request %d is gone", i)
				}
			}
			if c.len() != 0 || c.bytes != 0 {
				t.Errorf("after taking every answer the cache holds %d in %d bytes, want none", c.len(), c.bytes)
			}
		})
	}
}

// TestPlanKey checks that requests that differ anywhere have different
// keys, and that equal requests have equal ones.
func TestPlanKey(t *testing.T) {
	dv := func(s string) *proto.DynamicValue { return &proto.DynamicValue{Msgpack: []byte(s)} }
	base := func() *proto.PlanResourceChange_Request {
		return &proto.PlanResourceChange_Request{TypeName: "t", PriorState: dv("ab"), ProposedNewState: dv("c"), Config: dv("d"), PriorPrivate: []byte("e")}
	}
	tests := []struct {
		name   string
		change func(r *proto.PlanResourceChange_Request)
		same   bool
	}{
		{"equal", func(*proto.PlanResourceChange_Request) {}, true},
		{"type name", func(r *proto.PlanResourceChange_Request) { r.TypeName = "u" }, false},
		{"bytes moved between values", func(r *proto.PlanResourceChange_Request) {
			r.PriorState, r.ProposedNewState = dv("a"), dv("bc")
		}, false},
		{"bytes moved from the type name", func(r *proto.PlanResourceChange_Request) {
			r.TypeName, r.PriorState = "ta", dv("b")
		}, false},
		{"missing value against empty value", func(r *proto.PlanResourceChange_Request) {
			r.Config = nil
		}, false},
		{"prior private", func(r *proto.PlanResourceChange_Request) { r.PriorPrivate = nil }, false},
	}
	want, ok := planKey(base())
	if !ok {
		t.Fatal("a request without sensitive paths is not cacheable")
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := base()
			tc.change(r)
			got, ok := planKey(r)
			if !ok {
				t.Fatal("not cacheable")
			}
			if (got == want) != tc.same {
				t.Errorf("keys equal: %v, want %v", got == want, tc.same)
			}
		})
	}
	t.Run("empty against missing config", func(t *testing.T) {
		a, b := base(), base()
		a.Config, b.Config = dv(""), nil
		ka, _ := planKey(a)
		kb, _ := planKey(b)
		if ka == kb {
			t.Error("an empty value and a missing one have the same key")
		}
	})
	t.Run("sensitive paths", func(t *testing.T) {
		r := base()
		r.Config.SensitivePaths = []*proto.AttributePath{{}}
		if _, ok := planKey(r); ok {
			t.Error("a request with sensitive paths is cacheable")
		}
	})
}
