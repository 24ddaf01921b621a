package state

import (
	"slices"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func obj(id string) *Object {
	return &Object{Value: cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal(id)})}
}

func idOf(o *Object) string {
	if o == nil {
		return "<nil>"
	}
	return o.Value.GetAttr("id").AsString()
}

func TestSetAndRemoveInstance(t *testing.T) {
	s := New()
	if !s.Empty() {
		t.Fatal("new state is not empty")
	}
	a0, a1 := mustAddr(t, "t.a[0]"), mustAddr(t, "t.a[1]")
	s.SetInstance(a0, "provider.t", obj("0"))
	s.SetInstance(a1, "provider.t", obj("1"))
	if s.Empty() || s.InstanceCount() != 2 {
		t.Fatalf("want 2 instances, have %d", s.InstanceCount())
	}
	if got := idOf(s.Object(a1)); got != "1" {
		t.Errorf("Object(a1) = %s", got)
	}
	if r := s.Resource(a0.Resource); r == nil || r.Provider != "provider.t" || r.Len() != 2 {
		t.Errorf("Resource = %+v", r)
	}
	s.RemoveInstance(a0)
	if s.Instance(a0) != nil || s.Resource(a0.Resource) == nil {
		t.Fatal("removing one instance should keep the resource")
	}
	s.SetInstance(a1, "provider.t", nil)
	if s.Resource(a0.Resource) != nil || !s.Empty() {
		t.Fatal("removing the last instance should drop the resource")
	}
}

func TestSetInstanceCopiesObject(t *testing.T) {
	s := New()
	a := mustAddr(t, "t.a")
	o := obj("x")
	o.Dependencies = []ResourceAddr{{Type: "t", Name: "b"}}
	s.SetInstance(a, "p", o)
	o.Status = Tainted
	o.Dependencies[0].Name = "changed"
	got := s.Object(a)
	if got.Status != Ready || got.Dependencies[0].Name != "b" {
		t.Errorf("state shares the caller's object: %+v", got)
	}
}

func TestDeposeAndPrune(t *testing.T) {
	s := New()
	a := mustAddr(t, `t.a["k"]`)
	s.SetInstance(a, "p", obj("old"))
	dk := s.Depose(a)
	if dk == "" || len(dk) != 8 {
		t.Fatalf("Depose returned %q", dk)
	}
	if s.Object(a) != nil || idOf(s.Instance(a).Deposed[dk]) != "old" {
		t.Fatal("current object was not deposed")
	}
	if again := s.Depose(a); again != "" {
		t.Errorf("deposing an instance without current object returned %q", again)
	}
	s.SetInstance(a, "p", obj("new"))
	s.SetInstance(a, "p", nil)
	if s.Instance(a) == nil {
		t.Fatal("instance with a deposed object was pruned")
	}
	s.SetDeposed(a, dk, "p", nil)
	if s.Instance(a) != nil || !s.Empty() {
		t.Fatal("instance without objects was not pruned")
	}
}

func TestAllInstancesOrder(t *testing.T) {
	s := New()
	in := []string{`b.x["b"]`, `module.m.a.a`, `b.x[10]`, `data.a.a`, `b.x[2]`, `a.z`, `b.x["a"]`, `b.x`}
	for _, a := range in {
		s.SetInstance(mustAddr(t, a), "p", obj(a))
	}
	var got []string
	for _, a := range s.AllInstances() {
		got = append(got, a.String())
	}
	want := []string{`a.z`, `b.x`, `b.x[2]`, `b.x[10]`, `b.x["a"]`, `b.x["b"]`, `data.a.a`, `module.m.a.a`}
	if !slices.Equal(got, want) {
		t.Errorf("AllInstances = %v\nwant %v", got, want)
	}
}

func TestDeepCopyIsIndependent(t *testing.T) {
	s := richState(t)
	c := s.DeepCopy()
	c.RemoveInstance(mustAddr(t, "machine.web[0]"))
	c.SetOutput("url", &Output{Value: cty.StringVal("changed")})
	c.Object(mustAddr(t, "machine.web[1]")).Private = []byte("x")
	if s.Instance(mustAddr(t, "machine.web[0]")) == nil {
		t.Error("removing from the copy removed from the original")
	}
	if s.Output("url").Value.AsString() == "changed" {
		t.Error("outputs are shared")
	}
	if s.Object(mustAddr(t, "machine.web[1]")).Private != nil {
		t.Error("objects are shared")
	}
}

func TestMove(t *testing.T) {
	tests := []struct {
		name     string
		src, dst string
		wantErr  string
		wantAddr []string
	}{
		{name: "rename instance", src: "t.a[0]", dst: "t.b", wantAddr: []string{"t.a[1]", "t.b", "u.c"}},
		{name: "into module", src: "t.a[1]", dst: `module.m["x"].t.a[1]`, wantAddr: []string{"t.a[0]", "u.c", `module.m["x"].t.a[1]`}},
		{name: "to existing resource", src: "t.a[0]", dst: "t.a[5]", wantAddr: []string{"t.a[1]", "t.a[5]", "u.c"}},
		{name: "same address", src: "t.a[0]", dst: "t.a[0]", wantAddr: []string{"t.a[0]", "t.a[1]", "u.c"}},
		{name: "other type", src: "t.a[0]", dst: "u.a", wantErr: "same type (t)"},
		{name: "missing", src: "t.a[9]", dst: "t.b", wantErr: "no such instance"},
		{name: "taken", src: "t.a[0]", dst: "t.a[1]", wantErr: "t.a[1] already exists"},
		{name: "data to managed", src: "t.a[0]", dst: "data.t.a", wantErr: "same type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New()
			s.SetInstance(mustAddr(t, "t.a[0]"), "p", obj("0"))
			s.SetInstance(mustAddr(t, "t.a[1]"), "p", obj("1"))
			s.SetInstance(mustAddr(t, "u.c"), "p", obj("c"))
			err := s.Move(mustAddr(t, tc.src), mustAddr(t, tc.dst))
			checkErr(t, err, tc.wantErr)
			if tc.wantErr != "" {
				return
			}
			if got := addrStrings(s); !slices.Equal(got, tc.wantAddr) {
				t.Errorf("after move: %v, want %v", got, tc.wantAddr)
			}
			if tc.src != tc.dst && idOf(s.Object(mustAddr(t, tc.dst))) != idOf(obj(strings.TrimSuffix(strings.TrimPrefix(tc.src, "t.a["), "]"))) {
				t.Errorf("moved object is %s", idOf(s.Object(mustAddr(t, tc.dst))))
			}
		})
	}
}

func TestMoveRefusesProviderMismatch(t *testing.T) {
	s := New()
	s.SetInstance(mustAddr(t, "t.a[0]"), "provider.one", obj("0"))
	s.SetInstance(mustAddr(t, "t.b[0]"), "provider.two", obj("1"))
	checkErr(t, s.Move(mustAddr(t, "t.a[0]"), mustAddr(t, "t.b[1]")), "managed by provider.one but t.b by provider.two")
}

func TestMoveResource(t *testing.T) {
	s := New()
	s.SetInstance(mustAddr(t, "t.a[0]"), "p", obj("0"))
	s.SetInstance(mustAddr(t, "t.a[1]"), "p", obj("1"))
	s.SetInstance(mustAddr(t, "t.c"), "p", obj("c"))
	dst := mustAddr(t, "module.m.t.b").Resource
	if err := s.MoveResource(mustAddr(t, "t.a").Resource, dst); err != nil {
		t.Fatal(err)
	}
	if got, want := addrStrings(s), []string{"t.c", "module.m.t.b[0]", "module.m.t.b[1]"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if s.Resource(dst).Addr != dst {
		t.Error("resource keeps its old address")
	}
	checkErr(t, s.MoveResource(dst, mustAddr(t, "t.c").Resource), "already exists")
	checkErr(t, s.MoveResource(mustAddr(t, "t.zz").Resource, mustAddr(t, "t.y").Resource), "no such resource")
}

func addrStrings(s *State) []string {
	var out []string
	for _, a := range s.AllInstances() {
		out = append(out, a.String())
	}
	return out
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Fatalf("no error, want one containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Fatalf("error %q does not contain %q", err, want)
	}
}

// TestSnapshotSharesUnchangedInstances checks that a snapshot shares with
// the one before it the instances that did not change, also within a
// resource that changed, and copies the ones that did: an apply of a
// counted resource snapshots the state once per instance it changes.
func TestSnapshotSharesUnchangedInstances(t *testing.T) {
	s := New()
	a0, a1, b := mustAddr(t, "t.a[0]"), mustAddr(t, "t.a[1]"), mustAddr(t, "t.b")
	s.SetInstance(a0, "p", obj("0"))
	s.SetInstance(a1, "p", obj("1"))
	s.SetInstance(b, "p", obj("b"))
	first := s.snapshot()

	s.SetInstance(a1, "p", obj("1b"))
	second := s.snapshot()
	if second.Instance(a0) != first.Instance(a0) {
		t.Error("an unchanged instance of a changed resource was copied again")
	}
	if second.Resource(b.Resource) != first.Resource(b.Resource) {
		t.Error("an unchanged resource was copied again")
	}
	if second.Instance(a1) == first.Instance(a1) || idOf(second.Object(a1)) != "1b" || idOf(first.Object(a1)) != "1" {
		t.Errorf("the changed instance: first %s, second %s; want 1 and 1b, in distinct copies", idOf(first.Object(a1)), idOf(second.Object(a1)))
	}

	s.RemoveInstance(a0)
	s.SetInstance(a0, "p", obj("0b"))
	third := s.snapshot()
	if idOf(third.Object(a0)) != "0b" || idOf(second.Object(a0)) != "0" {
		t.Errorf("an instance removed and set again: second %s, third %s; want 0 and 0b", idOf(second.Object(a0)), idOf(third.Object(a0)))
	}
	if third.Instance(a1) != second.Instance(a1) {
		t.Error("an unchanged instance was copied again")
	}
}
