package main

import (
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/engine/state"
)

// sampleState holds std_null.a, std_file.f[0], std_file.f[1] and
// module.web.std_null.b["x"].
func sampleState(t testing.TB) *state.State {
	st := state.New()
	for _, a := range []string{"std_null.a", "std_file.f[0]", "std_file.f[1]", `module.web.std_null.b["x"]`} {
		addr, err := state.ParseInstanceAddr(a)
		if err != nil {
			t.Fatal(err)
		}
		st.SetInstance(addr, "provider.std", &state.Object{Value: cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal(a)})})
	}
	return st
}

func TestInstancesAt(t *testing.T) {
	tests := []struct {
		addr    string
		want    []string
		wantErr string
	}{
		{addr: "std_null.a", want: []string{"std_null.a"}},
		{addr: "std_file.f", want: []string{"std_file.f[0]", "std_file.f[1]"}},
		{addr: "std_file.f[1]", want: []string{"std_file.f[1]"}},
		{addr: `module.web.std_null.b["x"]`, want: []string{`module.web.std_null.b["x"]`}},
		{addr: "std_file.f[2]", wantErr: "No such object in the state"},
		{addr: "std_null.zzz", wantErr: "No such object in the state"},
		{addr: "std_null.", wantErr: "Invalid address"},
		{addr: "", wantErr: "Invalid address"},
	}
	st := sampleState(t)
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			got, diags := instancesAt(st, tc.addr)
			if tc.wantErr != "" {
				if !diags.HasErrors() || diags[0].Summary != tc.wantErr {
					t.Fatalf("diags = %v, want %q", diags, tc.wantErr)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i].String() != tc.want[i] {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// FuzzStateAddressArgs feeds arbitrary command-line addresses to the
// address handling of bp state: it must answer or refuse, never panic, and
// every instance it names must be in the state.
func FuzzStateAddressArgs(f *testing.F) {
	for _, s := range []string{"std_null.a", "std_file.f", "std_file.f[1]", `module.web.std_null.b["x"]`, "module.web", "[", `a.b["`, "data.x.y"} {
		f.Add(s)
	}
	st := sampleState(f)
	f.Fuzz(func(t *testing.T, addr string) {
		got, diags := instancesAt(st, addr)
		if diags.HasErrors() && len(got) > 0 {
			t.Fatalf("both instances %v and errors %v", got, diags)
		}
		for _, a := range got {
			if st.Instance(a) == nil {
				t.Fatalf("%q named %s, which is not in the state", addr, a)
			}
		}
		for _, inst := range st.AllInstances() {
			_ = matchesAddr(inst, addr)
		}
	})
}
