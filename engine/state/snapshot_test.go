package state

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// TestSnapshotIsolation checks that no change to a state after a snapshot,
// by any State method, shows in the snapshot, and that a second snapshot
// taken in between is not changed by a later change either.
func TestSnapshotIsolation(t *testing.T) {
	web0, web1, web3 := mustAddr(t, "machine.web[0]"), mustAddr(t, "machine.web[1]"), mustAddr(t, "machine.web[3]")
	tests := []struct {
		name   string
		change func(t *testing.T, s *State)
	}{
		{"set a new instance", func(t *testing.T, s *State) {
			s.SetInstance(mustAddr(t, "machine.web[9]"), "provider.local", obj("new"))
		}},
		{"set a new resource", func(t *testing.T, s *State) { s.SetInstance(mustAddr(t, "std_null.z"), "provider.std", obj("z")) }},
		{"replace an object", func(t *testing.T, s *State) { s.SetInstance(web0, "provider.local", obj("changed")) }},
		{"change the provider", func(t *testing.T, s *State) { s.SetInstance(web0, "provider.other", obj("changed")) }},
		{"remove an object", func(t *testing.T, s *State) { s.SetInstance(web3, "", nil) }},
		{"remove an instance", func(t *testing.T, s *State) { s.RemoveInstance(web1) }},
		{"remove a resource", func(t *testing.T, s *State) { s.RemoveInstance(mustAddr(t, "data.std_file.cfg")) }},
		{"depose", func(t *testing.T, s *State) { s.Depose(web0) }},
		{"add a deposed object", func(t *testing.T, s *State) { s.SetDeposed(web1, "12345678", "", obj("d")) }},
		{"remove a deposed object", func(t *testing.T, s *State) { s.SetDeposed(web1, "0a1b2c3d", "", nil) }},
		{"move an instance", func(t *testing.T, s *State) {
			if err := s.Move(web1, mustAddr(t, "machine.web[7]")); err != nil {
				t.Fatal(err)
			}
		}},
		{"move a resource", func(t *testing.T, s *State) {
			if err := s.MoveResource(web0.Resource, mustAddr(t, "machine.app").Resource); err != nil {
				t.Fatal(err)
			}
		}},
		{"pin a host key", func(t *testing.T, s *State) { s.SetHostKey("10.0.0.9:22", "ssh-ed25519 AAAAnew") }},
		{"forget a host key", func(t *testing.T, s *State) { s.RemoveHostKey("10.0.0.5:22") }},
		{"set an output", func(t *testing.T, s *State) { s.SetOutput("url", &Output{Value: cty.StringVal("changed")}) }},
		{"decode a journal line", func(t *testing.T, s *State) {
			line := fmt.Sprintf(`{"lineage":%q,"serial":%d,"set":[{"module":"","mode":"managed","type":"machine","name":"web","provider":"provider.local","instances":[{"index_key":0,"status":"ready","attributes":{"id":"j"},"attributes_type":["object",{"id":"string"}]}]}],"removed":["machine.web[1]"]}`, s.Lineage, s.Serial+1)
			if err := s.applyJournalLine([]byte(line)); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := richState(t)
			s.SetHostKey("10.0.0.5:22", "ssh-ed25519 AAAAold")
			first := s.snapshot()
			firstJSON := mustEncode(t, first)
			// A change before the second snapshot, so that the state has
			// nodes of its own when tc changes it.
			s.SetInstance(mustAddr(t, "machine.web[5]"), "provider.local", obj("5"))
			second := s.snapshot()
			secondJSON := mustEncode(t, second)
			s.SetInstance(mustAddr(t, "machine.web[6]"), "provider.local", obj("6"))

			tc.change(t, s)
			after := mustEncode(t, s)
			if got := mustEncode(t, first); !bytes.Equal(got, firstJSON) {
				t.Errorf("the first snapshot changed:\n%s\nwant\n%s", got, firstJSON)
			}
			if got := mustEncode(t, second); !bytes.Equal(got, secondJSON) {
				t.Errorf("the second snapshot changed:\n%s\nwant\n%s", got, secondJSON)
			}
			if bytes.Equal(after, secondJSON) {
				t.Error("the change did not change the state: the test checks nothing")
			}
			// A snapshot of a snapshot changed afterwards (a backend may do
			// anything with what it was given) leaves both alone too.
			third := second.snapshot()
			tc.change(t, third)
			if got := mustEncode(t, second); !bytes.Equal(got, secondJSON) {
				t.Errorf("changing a snapshot of the second snapshot changed it:\n%s\nwant\n%s", got, secondJSON)
			}
		})
	}
}

func mustEncode(t *testing.T, s *State) []byte {
	t.Helper()
	// A fresh encoder each time: a cached encoding must not hide a change.
	data, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestSnapshotSharesEverythingUnchanged checks that a snapshot of a large
// counted resource, after one instance changed, shares every other
// instance with the snapshot before, and the state's resources with it.
func TestSnapshotSharesEverythingUnchanged(t *testing.T) {
	s := New()
	const n = 5000
	for i := range n {
		s.SetInstance(mustAddr(t, fmt.Sprintf("t.a[%d]", i)), "p", obj(fmt.Sprint(i)))
	}
	s.SetInstance(mustAddr(t, "t.b"), "p", obj("b"))
	first := s.snapshot()
	changed := mustAddr(t, "t.a[17]")
	s.SetInstance(changed, "p", obj("x"))
	second := s.snapshot()

	ra, rb := first.Resource(changed.Resource), second.Resource(changed.Resource)
	fresh := 0
	old := nodesOf(&ra.instances)
	for node := range nodesOf(&rb.instances) {
		if !old[node] {
			fresh++
		}
	}
	if fresh > 4 {
		t.Errorf("changing 1 of %d instances copied %d trie nodes; want the path to it only", n, fresh)
	}
	for i := range n {
		addr := mustAddr(t, fmt.Sprintf("t.a[%d]", i))
		if addr != changed && first.Instance(addr) != second.Instance(addr) {
			t.Fatalf("the unchanged %s was copied", addr)
		}
	}
	if first.Resource(mustAddr(t, "t.b").Resource) != second.Resource(mustAddr(t, "t.b").Resource) {
		t.Error("the unchanged resource t.b was copied")
	}
	if idOf(first.Object(changed)) != "17" || idOf(second.Object(changed)) != "x" {
		t.Errorf("%s is %s then %s; want 17 then x", changed, idOf(first.Object(changed)), idOf(second.Object(changed)))
	}
}

// encodingBackend encodes every state it is given, as the local backend
// does, and keeps what it encoded, so that -race sees a snapshot read
// while the Sync goes on changing its state.
type encodingBackend struct {
	mu     sync.Mutex
	states [][]byte
	counts []int
}

func (e *encodingBackend) Read(context.Context) (*State, error) { return New(), nil }

func (e *encodingBackend) Write(_ context.Context, s *State) error {
	s.Serial++
	data, err := Encode(s)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.states = append(e.states, data)
	e.counts = append(e.counts, s.InstanceCount())
	return nil
}

func (e *encodingBackend) Lock(context.Context, LockInfo) (string, error) { return "x", nil }
func (e *encodingBackend) Unlock(string) error                            { return nil }
func (e *encodingBackend) ForceUnlock(string) error                       { return nil }

var _ Backend = (*encodingBackend)(nil)

// TestSyncSnapshotsWhileUpdating runs an apply-like stream of concurrent
// updates to one counted resource and checks that every write saw a state
// at least as large as the one before and the last one everything.
func TestSyncSnapshotsWhileUpdating(t *testing.T) {
	be := &encodingBackend{}
	sy := NewSync(New(), be)
	const n = 200
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < n; i += 8 {
				addr := mustAddr(t, fmt.Sprintf("t.a[%d]", i))
				for _, o := range []*Object{{Value: obj("placeholder").Value, Status: Creating}, obj(fmt.Sprint(i))} {
					if err := sy.Update(func(s *State) { s.SetInstance(addr, "p", o) }); err != nil {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	for i := 1; i < len(be.counts); i++ {
		if be.counts[i] < be.counts[i-1] {
			t.Fatalf("write %d has %d instances, fewer than the %d of the write before", i, be.counts[i], be.counts[i-1])
		}
	}
	final, err := Decode(be.states[len(be.states)-1])
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		addr := mustAddr(t, fmt.Sprintf("t.a[%d]", i))
		if o := final.Object(addr); o == nil || o.Status != Ready || idOf(o) != fmt.Sprint(i) {
			t.Errorf("the last write has %s as %v; want the ready object %d", addr, o, i)
		}
	}
}
