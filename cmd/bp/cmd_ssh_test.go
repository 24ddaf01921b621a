package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
	"golang.org/x/crypto/ssh"

	"github.com/blueprint-engine/bp/engine/state"
)

// machineState builds a state holding machines with the given addresses
// and names, keyed by instance address.
func machineState(t *testing.T, machines map[string][2]string) *state.State {
	t.Helper()
	st := state.New()
	for addr, an := range machines {
		ia, err := state.ParseInstanceAddr(addr)
		if err != nil {
			t.Fatal(err)
		}
		st.SetInstance(ia, "provider.local", &state.Object{Value: cty.ObjectVal(map[string]cty.Value{
			"address": cty.StringVal(an[0]), "name": cty.StringVal(an[1]), "ssh_user": cty.StringVal("root"),
			"host_key": cty.StringVal("ssh-ed25519 AAAA"), "ssh_private_key": cty.StringVal("PEM"),
			"private_address": cty.StringVal(an[0]),
		})})
	}
	file, err := state.ParseInstanceAddr("std_file.f")
	if err != nil {
		t.Fatal(err)
	}
	st.SetInstance(file, "provider.std", &state.Object{Value: cty.ObjectVal(map[string]cty.Value{"address": cty.StringVal("10.0.0.9")})})
	return st
}

func TestFindMachine(t *testing.T) {
	st := machineState(t, map[string][2]string{
		"machine.web[0]": {"10.0.0.2", "web-0"},
		"machine.web[1]": {"10.0.0.3", "web-1"},
		"machine.db":     {"10.0.0.4", "db"},
	})
	tests := []struct {
		name, arg, wantAddr, wantErr string
	}{
		{name: "instance address", arg: "machine.web[1]", wantAddr: "10.0.0.3"},
		{name: "single-instance resource", arg: "machine.db", wantAddr: "10.0.0.4"},
		{name: "by address", arg: "10.0.0.2", wantAddr: "10.0.0.2"},
		{name: "by name", arg: "web-1", wantAddr: "10.0.0.3"},
		{name: "resource with several instances", arg: "machine.web", wantErr: "Ambiguous machine: machine.web names 2 machines: machine.web[0], machine.web[1]"},
		{name: "not a machine", arg: "10.0.0.9", wantErr: "No such machine: No machine in the state is 10.0.0.9. Its machines are: machine.db (10.0.0.4), machine.web[0] (10.0.0.2), machine.web[1] (10.0.0.3)."},
		{name: "nothing", arg: "machine.nope[3]", wantErr: "No such machine"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target, diags := findMachine(st, tc.arg)
			if tc.wantErr != "" {
				if !diags.HasErrors() || !strings.Contains(diags[0].Summary+": "+diags[0].Detail, tc.wantErr) {
					t.Fatalf("diags = %v, want %q", diags, tc.wantErr)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if target.address != tc.wantAddr || target.user != "root" || target.privateKey != "PEM" {
				t.Errorf("got %+v, want address %s", target, tc.wantAddr)
			}
		})
	}
	if _, diags := findMachine(state.New(), "machine.web[0]"); !diags.HasErrors() || !strings.Contains(diags[0].Detail, "run bp apply first") {
		t.Errorf("empty state: %v", diags)
	}
}

// TestPinnedHostKey checks that a machine presenting another host key is
// refused with both fingerprints in the message.
func TestPinnedHostKey(t *testing.T) {
	newKey := func() ssh.PublicKey {
		pub, _, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		k, err := ssh.NewPublicKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	pinned, other := newKey(), newKey()
	check := pinnedHostKey(pinned)
	if err := check("10.0.0.2:22", nil, pinned); err != nil {
		t.Fatalf("the pinned key is refused: %v", err)
	}
	err := check("10.0.0.2:22", nil, other)
	if err == nil {
		t.Fatal("another key is accepted")
	}
	for _, want := range []string{ssh.FingerprintSHA256(pinned), ssh.FingerprintSHA256(other), "10.0.0.2:22"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
