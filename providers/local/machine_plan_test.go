package local

import (
	"context"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

func TestSchemasValid(t *testing.T) {
	s := New().GetSchema(context.Background()).Schema
	if err := s.InternalValidate(); err != nil {
		t.Fatal(err)
	}
	if !s.ResourceTypes[MachineType].Attributes["ssh_private_key"].Sensitive {
		t.Error("ssh_private_key must be sensitive")
	}
}

func TestValidateMachine(t *testing.T) {
	tests := []struct {
		name    string
		attrs   map[string]cty.Value
		wantErr string // the summary of the one expected error; "" for none
	}{
		{name: "defaults", attrs: nil},
		{name: "all set", attrs: map[string]cty.Value{
			"name": cty.StringVal("web-1"), "size": cty.StringVal("large"), "image": cty.StringVal("debian-12"),
			"labels": cty.MapVal(map[string]cty.Value{"tier": cty.StringVal("web"), "app.io/role": cty.StringVal("x")}),
		}},
		{name: "unknown values wait for apply", attrs: map[string]cty.Value{
			"name": cty.UnknownVal(cty.String), "size": cty.UnknownVal(cty.String), "labels": cty.UnknownVal(labelsType),
		}},
		{name: "name with upper case", attrs: map[string]cty.Value{"name": cty.StringVal("Web")}, wantErr: "Invalid machine name"},
		{name: "name ending with a dash", attrs: map[string]cty.Value{"name": cty.StringVal("web-")}, wantErr: "Invalid machine name"},
		{name: "unknown size", attrs: map[string]cty.Value{"size": cty.StringVal("xl")}, wantErr: "Invalid machine size"},
		{name: "empty image", attrs: map[string]cty.Value{"image": cty.StringVal("")}, wantErr: "Invalid image"},
		{name: "empty network", attrs: map[string]cty.Value{"network": cty.StringVal("")}, wantErr: "Invalid network"},
		{name: "label key with a space", attrs: map[string]cty.Value{
			"labels": cty.MapVal(map[string]cty.Value{"a b": cty.StringVal("x")})}, wantErr: "Invalid label key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := New().ValidateResourceConfig(context.Background(), providers.ValidateResourceConfigRequest{
				TypeName: MachineType, Config: machineConfig(tc.attrs)})
			switch {
			case tc.wantErr == "" && resp.Diagnostics.HasErrors():
				t.Fatalf("unexpected errors: %v", resp.Diagnostics.Err())
			case tc.wantErr != "" && (len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary != tc.wantErr):
				t.Fatalf("diags = %v, want one %q", resp.Diagnostics, tc.wantErr)
			case tc.wantErr != "" && len(resp.Diagnostics[0].Attribute) == 0:
				t.Fatalf("error %q does not name the attribute", tc.wantErr)
			}
		})
	}
}

// created is the state of a machine as create leaves it.
func created(attrs map[string]cty.Value) cty.Value {
	m := machine{name: "web", image: "debian-12", size: "small", network: "bp-p", running: true,
		id: "c1", address: "10.0.0.2", privateAddress: "10.0.0.2", hostKey: "ssh-ed25519 AAAA",
		sshPublicKey: "ssh-ed25519 BBBB", sshPrivateKey: "PEM"}
	v := m.value(cty.NullVal(machineTy)).AsValueMap()
	for k, a := range attrs {
		v[k] = a
	}
	return cty.ObjectVal(v)
}

func TestPlanMachine(t *testing.T) {
	null := cty.NullVal(machineTy)
	tests := []struct {
		name        string
		prior       cty.Value
		config      map[string]cty.Value
		wantReplace []string
		// want holds attribute values the plan must have; an unknown
		// value means "must be unknown".
		want map[string]cty.Value
	}{
		{
			name:  "create with defaults",
			prior: null,
			want: map[string]cty.Value{
				"image": cty.StringVal("debian-12"), "size": cty.StringVal("small"), "running": cty.True,
				"network": cty.StringVal("bp-p"), "ssh_user": cty.StringVal("root"),
				"name": cty.UnknownVal(cty.String), "id": cty.UnknownVal(cty.String),
				"address": cty.UnknownVal(cty.String), "host_key": cty.UnknownVal(cty.String),
				"ssh_private_key": cty.UnknownVal(cty.String),
			},
		},
		{
			name:   "create on a given network",
			prior:  null,
			config: map[string]cty.Value{"name": cty.StringVal("db"), "network": cty.StringVal("shared")},
			want:   map[string]cty.Value{"name": cty.StringVal("db"), "network": cty.StringVal("shared")},
		},
		{
			name:   "no change",
			prior:  created(nil),
			config: map[string]cty.Value{"name": cty.StringVal("web")},
			want:   map[string]cty.Value{"id": cty.StringVal("c1"), "address": cty.StringVal("10.0.0.2"), "network": cty.StringVal("bp-p")},
		},
		{
			name:   "labels change in place",
			prior:  created(nil),
			config: map[string]cty.Value{"labels": cty.MapVal(map[string]cty.Value{"a": cty.StringVal("b")})},
			want:   map[string]cty.Value{"id": cty.StringVal("c1"), "name": cty.StringVal("web")},
		},
		{
			name:        "size change replaces",
			prior:       created(nil),
			config:      map[string]cty.Value{"size": cty.StringVal("large")},
			wantReplace: []string{"size"},
		},
		{
			name:        "image change replaces",
			prior:       created(nil),
			config:      map[string]cty.Value{"image": cty.StringVal("debian-13")},
			wantReplace: []string{"image"},
		},
		{
			name:        "name change replaces",
			prior:       created(nil),
			config:      map[string]cty.Value{"name": cty.StringVal("web2")},
			wantReplace: []string{"name"},
		},
		{
			name:   "a stopped machine is started, perhaps at another address",
			prior:  created(map[string]cty.Value{"running": cty.False}),
			config: nil,
			want: map[string]cty.Value{"running": cty.True, "address": cty.UnknownVal(cty.String),
				"private_address": cty.UnknownVal(cty.String), "host_key": cty.StringVal("ssh-ed25519 AAAA")},
		},
		{
			name:   "stopping keeps the address",
			prior:  created(nil),
			config: map[string]cty.Value{"running": cty.False},
			want:   map[string]cty.Value{"running": cty.False, "address": cty.StringVal("10.0.0.2")},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			config := machineConfig(tc.config)
			resp := planMachine(providers.PlanResourceChangeRequest{
				TypeName: MachineType, PriorState: tc.prior, Config: config,
				ProposedNewState: providers.ProposedNewObject(machineSch, tc.prior, config),
			}, "p")
			if resp.Diagnostics.HasErrors() {
				t.Fatal(resp.Diagnostics.Err())
			}
			if !resp.PlannedState.Type().Equals(machineTy) {
				t.Fatalf("planned type %s", resp.PlannedState.Type().FriendlyName())
			}
			var replace []string
			for _, p := range resp.RequiresReplace {
				replace = append(replace, p[0].(cty.GetAttrStep).Name)
			}
			if len(replace) != len(tc.wantReplace) || len(replace) > 0 && replace[0] != tc.wantReplace[0] {
				t.Errorf("requires replace %v, want %v", replace, tc.wantReplace)
			}
			for k, want := range tc.want {
				got := resp.PlannedState.GetAttr(k)
				if !want.IsKnown() {
					if got.IsKnown() {
						t.Errorf("%s = %#v, want unknown", k, got)
					}
					continue
				}
				if !got.RawEquals(want) {
					t.Errorf("%s = %#v, want %#v", k, got, want)
				}
			}
		})
	}
}

func TestMachineValueRoundTrip(t *testing.T) {
	tests := []struct {
		name   string
		labels cty.Value
	}{
		{"no labels", cty.NullVal(labelsType)},
		{"empty labels", cty.MapValEmpty(cty.String)},
		{"labels", cty.MapVal(map[string]cty.Value{"tier": cty.StringVal("web")})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := created(map[string]cty.Value{"labels": tc.labels})
			if got := decodeMachine(v).value(v); !got.RawEquals(v) {
				t.Errorf("round trip:\n got %#v\nwant %#v", got, v)
			}
		})
	}
}

func TestLabelsFile(t *testing.T) {
	tests := []struct {
		name   string
		labels map[string]string
		want   string
	}{
		{"none", nil, "{}\n"},
		{"sorted keys", map[string]string{"b": "2", "a": "1"}, "{\n  \"a\": \"1\",\n  \"b\": \"2\"\n}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := labelsFile(tc.labels)
			if err != nil || string(got) != tc.want {
				t.Errorf("got %q (%v), want %q", got, err, tc.want)
			}
		})
	}
}
