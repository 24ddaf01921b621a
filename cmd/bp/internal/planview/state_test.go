package planview

import (
	"bytes"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/engine/state"
)

func stateFixture(t *testing.T) *state.State {
	s := state.New()
	s.SetInstance(addr(t, "machine.web[0]"), "provider.local", &state.Object{Value: machine("debian-12", "#!/bin/sh\necho hi\n", 80, "a")})
	pw := obj(map[string]cty.Value{"length": num(16), "id": str("ab12"), "result": str("hunter2hunter2xx")})
	s.SetInstance(addr(t, "std_random.pw"), "provider.std", &state.Object{Value: pw, SensitivePaths: []cty.Path{attrPath("result")}})
	s.SetDeposed(addr(t, "std_random.pw"), "0a1b2c3d", "provider.std", &state.Object{Value: pw, SensitivePaths: []cty.Path{attrPath("result")}, Status: state.Tainted})
	s.SetInstance(addr(t, "data.std_file.conf"), "provider.std", &state.Object{Value: fileVal("/etc/conf", "x")})
	s.Outputs["url"] = &state.Output{Value: str("http://example.test/")}
	s.Outputs["password"] = &state.Output{Value: str("hunter2hunter2xx"), Sensitive: true}
	s.Outputs["servers"] = &state.Output{Value: cty.TupleVal([]cty.Value{obj(map[string]cty.Value{"name": str("web-0"), "port": num(80)})})}
	return s
}

func TestRenderStateGolden(t *testing.T) {
	tests := []struct {
		name string
		st   *state.State
	}{
		{"state", stateFixture(t)},
		{"state_empty", state.New()},
		{"state_nil", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := RenderState(&b, tc.st, Options{}); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.name+".txt", b.Bytes())
			checkNoSecrets(t, b.Bytes())
		})
	}
}

func TestRenderOutputs(t *testing.T) {
	var b bytes.Buffer
	if err := RenderOutputs(&b, stateFixture(t).Outputs, Options{}); err != nil {
		t.Fatal(err)
	}
	want := `password = <sensitive>
servers = [
    {
        name = "web-0"
        port = 80
    },
]
url = "http://example.test/"
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	checkNoSecrets(t, b.Bytes())
}

func TestRenderStateMarksObjectStatus(t *testing.T) {
	tests := []struct {
		name   string
		status state.Status
		want   string
	}{
		{"ready", state.Ready, "# std_file.a:\n"},
		{"tainted", state.Tainted, "# std_file.a: (tainted)\n"},
		{"creating", state.Creating, "# std_file.a: (being created when an apply was interrupted)\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := state.New()
			addr := state.InstanceAddr{Resource: state.ResourceAddr{Mode: state.Managed, Type: "std_file", Name: "a"}}
			s.SetInstance(addr, "provider.std", &state.Object{
				Value:  cty.ObjectVal(map[string]cty.Value{"path": cty.StringVal("a.txt")}),
				Status: tc.status,
			})
			var buf bytes.Buffer
			if err := RenderState(&buf, s, Options{}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), tc.want) {
				t.Errorf("state rendering lacks %q:\n%s", tc.want, buf.String())
			}
		})
	}
}
