package agentapi

import (
	"bytes"
	"testing"
)

// FuzzParseLine checks that any line either decodes to a line that
// re-encodes and decodes to the same type, or gives an error — never a panic.
func FuzzParseLine(f *testing.F) {
	f.Add([]byte(`{"type":"facts","facts":{"hostname":"h","cpus":2,"addresses":["10.0.0.1"]}}`))
	f.Add([]byte(`{"type":"result","id":"a","status":"changed","changes":["x"],"diff":"d","duration_ms":1}`))
	f.Add([]byte(`{"type":"handler","id":"s","action":"reload","status":"failed","error":"e"}`))
	f.Add([]byte(`{"type":"done","changed":1,"unchanged":0,"failed":0,"skipped":0,"duration_ms":9}`))
	f.Add([]byte(`{"type":"x"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseLine(data)
		if err != nil {
			return
		}
		out, err := MarshalLine(l)
		if err != nil {
			t.Fatalf("re-encoding %T: %v", l, err)
		}
		again, err := NewDecoder(bytes.NewReader(out)).Decode()
		if err != nil {
			t.Fatalf("decoding re-encoded %s: %v", out, err)
		}
		if again.LineType() != l.LineType() {
			t.Fatalf("type changed from %s to %s", l.LineType(), again.LineType())
		}
	})
}

// FuzzParseRequest checks that the request decoder never panics and that an
// accepted request survives encoding.
func FuzzParseRequest(f *testing.F) {
	f.Add([]byte(`{"version":1,"mode":"apply","resources":[{"id":"a","kind":"file","attrs":{"path":"/x","mode":"0644"},"notify":["s"]},{"id":"s","kind":"service"}]}`))
	f.Add([]byte(`{"version":1,"mode":"check"}`))
	f.Add([]byte(`{"version":1,"mode":"apply","resources":[{"id":"a","kind":"exec","attrs":{"env":{"A":"b"},"n":1.5,"l":[true,null]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := ParseRequest(data)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := EncodeRequest(&buf, req); err != nil {
			t.Fatalf("encoding an accepted request: %v", err)
		}
		if _, err := ParseRequest(buf.Bytes()); err != nil {
			t.Fatalf("re-decoding an accepted request: %v\n%s", err, buf.Bytes())
		}
	})
}
