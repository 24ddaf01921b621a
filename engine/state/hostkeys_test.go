package state

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

const (
	keyA = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	keyB = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

func hostKeyState(t *testing.T) *State {
	s := New()
	s.Lineage = "00000000-0000-4000-8000-000000000002"
	s.SetInstance(mustAddr(t, "std_null.box"), "provider.std", &Object{Value: cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("1")})})
	s.SetHostKey("10.0.0.5:22", keyA)
	s.SetHostKey("[fd00::1]:2222", keyB)
	return s
}

func TestHostKeysEncodeGolden(t *testing.T) {
	s := hostKeyState(t)
	data, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) {
		t.Fatalf("invalid JSON:\n%s", data)
	}
	golden := filepath.Join("testdata", "hostkeys.golden.json")
	if *update {
		if err := os.WriteFile(golden, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(data, want) {
		t.Errorf("Encode differs from %s (run go test -update if intended):\n%s", golden, data)
	}

	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if addrs := got.HostKeyAddresses(); !slices.Equal(addrs, []string{"10.0.0.5:22", "[fd00::1]:2222"}) {
		t.Errorf("decoded addresses %v", addrs)
	}
	if got.HostKey("10.0.0.5:22") != keyA || got.HostKey("[fd00::1]:2222") != keyB || got.HostKey("10.0.0.6:22") != "" {
		t.Errorf("decoded keys differ: %q, %q", got.HostKey("10.0.0.5:22"), got.HostKey("[fd00::1]:2222"))
	}

	s.RemoveHostKey("10.0.0.5:22")
	s.RemoveHostKey("[fd00::1]:2222")
	data, err = Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("host_keys")) {
		t.Errorf("a state without host keys encodes them:\n%s", data)
	}
}

func TestHostKeysDecodeErrors(t *testing.T) {
	tests := []struct {
		name, hostKeys, want string
	}{
		{"not an object", `["x"]`, `"host_keys" must be an object of strings`},
		{"not a string", `{"10.0.0.5:22": 1}`, `"host_keys" must be an object of strings`},
		{"address without port", `{"10.0.0.5": "` + keyA + `"}`, `"10.0.0.5" is not an address of the form host:port`},
		{"key not authorized_keys", `{"10.0.0.5:22": "AAAA"}`, "not in authorized_keys format"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := `{"version": 1, "lineage": "x", "serial": 1, "resources": [], "outputs": {}, "host_keys": ` + tc.hostKeys + `}`
			_, err := Decode([]byte(doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("null and empty are none", func(t *testing.T) {
		for _, hk := range []string{"null", "{}"} {
			s, err := Decode([]byte(`{"version": 1, "lineage": "x", "serial": 1, "resources": [], "outputs": {}, "host_keys": ` + hk + `}`))
			if err != nil || len(s.HostKeyAddresses()) != 0 {
				t.Errorf("host_keys %s: %v, %v", hk, s, err)
			}
		}
	})
}

func TestHostKeysCopied(t *testing.T) {
	s := hostKeyState(t)
	c := s.DeepCopy()
	c.SetHostKey("10.0.0.5:22", keyB)
	c.RemoveHostKey("[fd00::1]:2222")
	if s.HostKey("10.0.0.5:22") != keyA || s.HostKey("[fd00::1]:2222") != keyB {
		t.Error("changing a copy's host keys changed the original's")
	}
	if !s.RemoveHostKey("10.0.0.5:22") || s.RemoveHostKey("10.0.0.5:22") {
		t.Error("RemoveHostKey must report whether a key was recorded")
	}
}

// TestLocalHostKeysAndJournal: a host key recorded between journalled
// writes is in the state read back, and so is its removal.
func TestLocalHostKeysAndJournal(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bp.state")
	b := NewLocal(path)
	s := hostKeyState(t)
	s.RemoveHostKey("10.0.0.5:22")
	s.RemoveHostKey("[fd00::1]:2222")
	steps := []struct {
		name   string
		change func(s *State)
		want   map[string]string
	}{
		{"first write", func(*State) {}, map[string]string{}},
		{"resource change goes to the journal", func(s *State) {
			s.SetInstance(mustAddr(t, "std_null.other"), "provider.std", &Object{Value: cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("2")})})
		}, map[string]string{}},
		{"host key recorded", func(s *State) { s.SetHostKey("10.0.0.5:22", keyA) }, map[string]string{"10.0.0.5:22": keyA}},
		{"another resource change", func(s *State) { s.RemoveInstance(mustAddr(t, "std_null.other")) }, map[string]string{"10.0.0.5:22": keyA}},
		{"host key replaced", func(s *State) { s.SetHostKey("10.0.0.5:22", keyB) }, map[string]string{"10.0.0.5:22": keyB}},
		{"host key forgotten", func(s *State) { s.RemoveHostKey("10.0.0.5:22") }, map[string]string{}},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			step.change(s)
			if err := b.Write(ctx, s); err != nil {
				t.Fatal(err)
			}
			got, err := NewLocal(path).Read(ctx)
			if err != nil {
				t.Fatal(err)
			}
			gotKeys := map[string]string{}
			for _, a := range got.HostKeyAddresses() {
				gotKeys[a] = got.HostKey(a)
			}
			if len(gotKeys) != len(step.want) {
				t.Fatalf("host keys read back %v, want %v", gotKeys, step.want)
			}
			for a, k := range step.want {
				if gotKeys[a] != k {
					t.Errorf("host key of %s read back %q, want %q", a, gotKeys[a], k)
				}
			}
			assertStatesEqual(t, got, s)
		})
	}
	if err := b.Compact(); err != nil {
		t.Fatal(err)
	}
}

func FuzzDecodeHostKeys(f *testing.F) {
	f.Add([]byte(`{"10.0.0.5:22": "` + keyA + `"}`))
	f.Add([]byte(`{"[::1]:22": "a b", "x:1": "c d e"}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"":""}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		keys, err := decodeHostKeys(raw)
		if err != nil {
			return
		}
		s := New()
		for a, k := range keys {
			s.SetHostKey(a, k)
		}
		data, err := Encode(s)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(data)
		if err != nil {
			t.Fatalf("decoding what was encoded: %v\n%s", err, data)
		}
		if !sameHostKeys(s, back) {
			t.Fatalf("round trip changed the host keys: %v → %v", keys, back.hostKeyMap())
		}
	})
}
