package agentapi

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestLinesRoundTrip(t *testing.T) {
	lines := []Line{
		&FactsLine{Facts: Facts{Hostname: "web-0", OS: "debian", OSVersion: "12", OSFamily: "debian",
			Arch: "amd64", Init: "systemd", PackageManager: "apt", CPUs: 2, MemoryMB: 1024,
			Addresses: []string{"10.0.0.2"}, AgentVersion: "test"}},
		&Result{ID: "web/file.motd", Status: StatusChanged, Changes: []string{"mode 0644 → 0600"},
			Diff: "--- a\n+++ b\n", DurationMS: 3},
		&Handler{ID: "web/service.nginx", Action: ActionRestart, Status: StatusChanged},
		&Done{Changed: 1, Unchanged: 2, DurationMS: 5},
	}
	var buf bytes.Buffer
	enc := NewEncoder(&buf)
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(buf.String(), "\n"); n != len(lines) {
		t.Fatalf("wrote %d lines, want %d:\n%s", n, len(lines), buf.String())
	}
	dec := NewDecoder(&buf)
	for i, want := range lines {
		got, err := dec.Decode()
		if err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("line %d: got %#v, want %#v", i, got, want)
		}
	}
	if _, err := dec.Decode(); err != io.EOF {
		t.Errorf("after the last line: got %v, want io.EOF", err)
	}
}

func TestWireNames(t *testing.T) {
	data, err := MarshalLine(&Result{ID: "r/exec.x", Status: StatusFailed, Error: "boom", DurationMS: 7})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"result","id":"r/exec.x","status":"failed","error":"boom","duration_ms":7}` + "\n"
	if string(data) != want {
		t.Errorf("got  %s\nwant %s", data, want)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"no type", `{"id":"x"}` + "\n", "has no type"},
		{"unknown type", `{"type":"bogus"}` + "\n", `unknown line type "bogus"`},
		{"not json", "hello\n", "invalid line"},
		{"wrong field type", `{"type":"done","changed":"x"}` + "\n", "invalid done line"},
		{"truncated", `{"type":"done"`, io.ErrUnexpectedEOF.Error()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewDecoder(strings.NewReader(tc.input)).Decode()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestDecodeLongLine(t *testing.T) {
	diff := strings.Repeat("x", 200<<10)
	data, err := MarshalLine(&Result{ID: "a", Status: StatusChanged, Diff: diff})
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if got := l.(*Result).Diff; got != diff {
		t.Errorf("diff of %d bytes came back as %d bytes", len(diff), len(got))
	}
}

func TestParseRequest(t *testing.T) {
	tests := []struct {
		name, input, wantErr string
	}{
		{"ok", `{"version":1,"mode":"apply","resources":[{"id":"r/file.a","kind":"file","attrs":{"path":"/x"},"notify":["r/service.s"]},{"id":"r/service.s","kind":"service","attrs":{}}]}`, ""},
		{"check mode, no resources", `{"version":1,"mode":"check","resources":[]}`, ""},
		{"empty", "  ", "empty request"},
		{"bad version", `{"version":2,"mode":"apply"}`, "protocol version 2"},
		{"bad mode", `{"version":1,"mode":"plan"}`, `mode is "plan"`},
		{"unknown field", `{"version":1,"mode":"apply","extra":1}`, "unknown field"},
		{"trailing data", `{"version":1,"mode":"apply"} {}`, "unexpected data"},
		{"no id", `{"version":1,"mode":"apply","resources":[{"kind":"file"}]}`, "resource #1 has no id"},
		{"no kind", `{"version":1,"mode":"apply","resources":[{"id":"a"}]}`, `"a" has no kind`},
		{"duplicate id", `{"version":1,"mode":"apply","resources":[{"id":"a","kind":"file"},{"id":"a","kind":"file"}]}`, "appears twice"},
		{"notify missing", `{"version":1,"mode":"apply","resources":[{"id":"a","kind":"file","notify":["b"]}]}`, `notifies "b", which is not in the request`},
		{"notify non-service", `{"version":1,"mode":"apply","resources":[{"id":"a","kind":"file","notify":["a"]}]}`, "only services"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := DecodeRequest(strings.NewReader(tc.input))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if err := EncodeRequest(&buf, req); err != nil {
					t.Fatal(err)
				}
				again, err := ParseRequest(buf.Bytes())
				if err != nil {
					t.Fatalf("re-decoding the encoded request: %v", err)
				}
				if !reflect.DeepEqual(req, again) {
					t.Errorf("round trip changed the request: %#v vs %#v", req, again)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("got %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("pipe broke") }

func TestDecodeRequestReadError(t *testing.T) {
	if _, err := DecodeRequest(failingReader{}); err == nil || !strings.Contains(err.Error(), "pipe broke") {
		t.Errorf("got %v, want the read error", err)
	}
}
