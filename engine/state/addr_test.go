package state

import (
	"strings"
	"testing"
)

func TestInstanceAddrString(t *testing.T) {
	tests := []struct {
		name string
		addr InstanceAddr
		want string
	}{
		{"no key", InstanceAddr{Resource: ResourceAddr{Type: "std_null", Name: "a"}}, `std_null.a`},
		{"int key", InstanceAddr{Resource: ResourceAddr{Type: "std_null", Name: "a"}, Key: IntKey(3)}, `std_null.a[3]`},
		{"string key", InstanceAddr{Resource: ResourceAddr{Type: "std_null", Name: "a"}, Key: StringKey("k")}, `std_null.a["k"]`},
		{"escaped key", InstanceAddr{Resource: ResourceAddr{Type: "std_null", Name: "a"}, Key: StringKey("a\"b\n")}, `std_null.a["a\"b\n"]`},
		{"data", InstanceAddr{Resource: ResourceAddr{Mode: Data, Type: "std_file", Name: "x"}}, `data.std_file.x`},
		{"module", InstanceAddr{Resource: ResourceAddr{Module: ChildModule("", "web", IntKey(0)), Type: "machine", Name: "x"}, Key: StringKey("a")}, `module.web[0].machine.x["a"]`},
		{"realization", InstanceAddr{Resource: ResourceAddr{Module: ChildModule("", "load_balancer:front", IntKey(1)), Type: "machine", Name: "this"}}, `module.load_balancer:front[1].machine.this`},
		{"nested module", InstanceAddr{Resource: ResourceAddr{Module: ChildModule(ChildModule("", "web", IntKey(0)), "db", NoKey), Mode: Data, Type: "t", Name: "n"}}, `module.web[0].module.db.data.t.n`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.addr.String(); got != tc.want {
				t.Errorf("String() = %s, want %s", got, tc.want)
			}
			back, err := ParseInstanceAddr(tc.want)
			if err != nil {
				t.Fatalf("ParseInstanceAddr(%s): %v", tc.want, err)
			}
			if back != tc.addr {
				t.Errorf("ParseInstanceAddr(%s) = %#v, want %#v", tc.want, back, tc.addr)
			}
		})
	}
}

func TestParseInstanceAddrCanonicalizes(t *testing.T) {
	a, err := ParseInstanceAddr(`module.x[007].module.y["k"].machine.m[01]`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.String(), `module.x[7].module.y["k"].machine.m[1]`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got, want := a.Resource.Module, `module.x[7].module.y["k"]`; got != want {
		t.Errorf("module = %s, want %s", got, want)
	}
}

func TestParseInstanceAddrErrors(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"empty", ``, `the address is empty`},
		{"type only", `machine`, `found only "machine"`},
		{"trailing dot", `machine.`, `expected a resource name at the end`},
		{"bad start", `1machine.a`, `expected a resource type at offset 0`},
		{"module only", `module.web[0]`, `names a module instance, not a resource`},
		{"realization without resource", `module.load_balancer:.machine.x`, `expected a resource name after ":"`},
		{"module no dot", `module.web[0]x`, `expected "." after the module`},
		{"data only", `data.file`, `found only "data.file"`},
		{"negative key", `a.b[-1]`, `expected a non-negative integer`},
		{"empty key", `a.b[]`, `expected a non-negative integer`},
		{"unterminated key", `a.b["x]`, `unterminated string key`},
		{"bad escape", `a.b["\q"]`, `invalid string key`},
		{"huge key", `a.b[99999999999999999999999]`, `too large`},
		{"trailing", `a.b[0].c`, `unexpected ".c" after the resource address a.b[0]`},
		{"missing bracket", `a.b["x"`, `expected "]"`},
		{"spaces", `a. b`, `expected a resource name at offset 2`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseInstanceAddr(tc.in)
			if err == nil {
				t.Fatalf("ParseInstanceAddr(%q) succeeded, want error containing %q", tc.in, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestParseResourceAddr(t *testing.T) {
	a, err := ParseResourceAddr(`module.a["x"].data.t.n`)
	if err != nil {
		t.Fatal(err)
	}
	want := ResourceAddr{Module: `module.a["x"]`, Mode: Data, Type: "t", Name: "n"}
	if a != want {
		t.Errorf("got %#v, want %#v", a, want)
	}
	_, err = ParseResourceAddr(`t.n[0]`)
	if err == nil || !strings.Contains(err.Error(), "remove the key to name the whole resource t.n") {
		t.Errorf("ParseResourceAddr with key: got %v", err)
	}
}

func TestCompareKeys(t *testing.T) {
	ordered := []InstanceKey{NoKey, IntKey(0), IntKey(2), IntKey(10), StringKey(""), StringKey("a"), StringKey("b")}
	for i, a := range ordered {
		for j, b := range ordered {
			got := CompareKeys(a, b)
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got != want {
				t.Errorf("CompareKeys(%v, %v) = %d, want %d", a, b, got, want)
			}
		}
	}
}

func FuzzParseInstanceAddr(f *testing.F) {
	for _, s := range []string{`std_null.a`, `std_null.a[3]`, `std_null.a["k"]`, `data.std_file.x`,
		`module.web[0].machine.x["a"]`, `module.x["k\"\\"].module.y.data.a.b[12]`, `a.b["\u00e9\x00"]`, `module.`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseInstanceAddr(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "invalid address") {
				t.Errorf("error %q lacks context", err)
			}
			return
		}
		text := a.String()
		b, err := ParseInstanceAddr(text)
		if err != nil {
			t.Fatalf("%q parsed as %s, which does not parse back: %v", s, text, err)
		}
		if a != b {
			t.Fatalf("%q: round trip through %s gave %#v, want %#v", s, text, b, a)
		}
		if mod, err := parseModulePath(a.Resource.Module); err != nil || mod != a.Resource.Module {
			t.Fatalf("module path %q is not canonical: %q, %v", a.Resource.Module, mod, err)
		}
	})
}
