package powerdns

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseZone(t *testing.T) {
	for _, tc := range []struct {
		name, body, wantErr string
	}{
		{"zone", `{"id":"example.test.","name":"example.test.","kind":"Native","serial":7,"rrsets":[{"name":"example.test.","type":"NS","ttl":3600,"records":[{"content":"ns1.example.test.","disabled":false}]}]}`, ""},
		{"id defaults to name", `{"name":"example.test."}`, ""},
		{"not JSON", `Not Found`, "not valid JSON"},
		{"no name", `{"id":"x"}`, "without a name"},
		{"rrset without type", `{"name":"example.test.","rrsets":[{"name":"a.example.test."}]}`, "without a name or type"},
		{"wrong shape", `{"name":"example.test.","rrsets":{}}`, "not valid JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z, err := parseZone([]byte(tc.body))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if z.ID == "" || z.Name == "" {
				t.Errorf("zone = %+v, want id and name", z)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"json error", `{"error": "RRset x.other.test. IN A: Name is out of zone"}`, "RRset x.other.test. IN A: Name is out of zone"},
		{"json errors list", `{"error": "Invalid", "errors": ["a", "b"]}`, "Invalid a; b"},
		{"plain text", "Not Found\n", "Not Found"},
		{"empty", "", ""},
		{"long", strings.Repeat("é", 400), strings.Repeat("é", 150) + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := errorMessage([]byte(tc.body)); got != tc.want {
				t.Errorf("errorMessage = %q, want %q", got, tc.want)
			}
		})
	}
}

// FuzzParseZone checks that no answer from the API panics the parsers, and
// that an accepted zone has what the provider relies on.
func FuzzParseZone(f *testing.F) {
	f.Add([]byte(`{"id":"example.test.","name":"example.test.","kind":"Native","serial":2026112101,"rrsets":[{"name":"example.test.","type":"SOA","ttl":3600,"records":[{"content":"ns1.example.test. hostmaster.example.test. 1 10800 3600 604800 3600","disabled":false}]}]}`))
	f.Add([]byte(`{"error": "Could not find domain"}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"name":"x.","rrsets":[{"name":"","type":""}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if z, err := parseZone(body); err == nil {
			if z.Name == "" || z.ID == "" {
				t.Fatalf("accepted a zone without name or id: %+v", z)
			}
			for _, rr := range z.RRsets {
				if rr.Name == "" || rr.Type == "" {
					t.Fatalf("accepted an RRset without name or type: %+v", rr)
				}
				for _, r := range rr.Records {
					_ = decodeContent(rr.Type, r.Content)
					_, _, _ = soaFields(r.Content)
					_ = luaType(r.Content)
				}
			}
		}
		if s, err := parseServer(body); err == nil && s.ID == "" {
			t.Fatalf("accepted a server without id")
		}
		msg := errorMessage(body)
		if len(msg) > 400 || strings.Contains(msg, "\n") {
			t.Fatalf("errorMessage is not one short line: %q", msg)
		}
		if utf8.Valid(body) && !utf8.ValidString(msg) {
			t.Fatalf("errorMessage cut a rune: %q", msg)
		}
	})
}
