package powerdns

import (
	"slices"
	"strings"
	"testing"
)

func TestCheckContent(t *testing.T) {
	for _, tc := range []struct {
		typ, value string
		wantErr    string // empty: valid
	}{
		{"A", "192.0.2.1", ""},
		{"A", "2001:db8::1", "not an IPv4 address"},
		{"A", "example.test", "not an IPv4 address"},
		{"AAAA", "2001:db8::1", ""},
		{"AAAA", "192.0.2.1", "not an IPv6 address"},
		{"AAAA", "::ffff:192.0.2.1", "not an IPv6 address"},
		{"CNAME", "www.example.test", ""},
		{"CNAME", "www.example.test.", ""},
		{"CNAME", ".", "cannot point at the root"},
		{"CNAME", "bad name", "not a valid host name"},
		{"TXT", `anything "goes" here`, ""},
		{"TXT", "nul\x00", "NUL"},
		{"MX", "10 mail.example.test", ""},
		{"MX", "mail.example.test", "PREFERENCE HOST"},
		{"MX", "70000 mail.example.test", "MX preference"},
		{"SRV", "10 5 5060 sip.example.test.", ""},
		{"SRV", "10 5 sip.example.test.", "PRIORITY WEIGHT PORT TARGET"},
		{"SRV", "10 5 x sip.example.test.", "SRV port"},
		{"LUA", "A \"x\"", "not supported"},
	} {
		t.Run(tc.typ+" "+tc.value, func(t *testing.T) {
			err := checkContent(tc.typ, tc.value)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("error = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestTXTQuoting(t *testing.T) {
	for _, tc := range []struct{ name, text, quoted string }{
		{"plain", "v=spf1 -all", `"v=spf1 -all"`},
		{"quotes and backslash", `a "b" \c`, `"a \"b\" \\c"`},
		{"control and non-ASCII", "tab\there é", `"tab\009here \195\169"`},
		{"empty", "", `""`},
		{"long", strings.Repeat("a", 256), `"` + strings.Repeat("a", 255) + `" "a"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := quoteTXT(tc.text); got != tc.quoted {
				t.Errorf("quoteTXT = %s, want %s", got, tc.quoted)
			}
			back, ok := unquoteTXT(tc.quoted)
			if !ok || back != tc.text {
				t.Errorf("unquoteTXT(%s) = %q, %v; want %q", tc.quoted, back, ok, tc.text)
			}
		})
	}
	for _, bad := range []string{``, `abc`, `"open`, `"a\`, `"a\12"`, `"x" y`, `"\999"`} {
		if got, ok := unquoteTXT(bad); ok {
			t.Errorf("unquoteTXT(%s) = %q, true; want false", bad, got)
		}
	}
}

func TestDisplayContents(t *testing.T) {
	for _, tc := range []struct {
		name, typ      string
		prior, current []string
		want           []string
	}{
		{"same records in another order keep prior", "A", []string{"192.0.2.2", "192.0.2.1"}, []string{"192.0.2.1", "192.0.2.2"}, []string{"192.0.2.2", "192.0.2.1"}},
		{"other spelling of an IPv6 address keeps prior", "AAAA", []string{"2001:DB8:0::1"}, []string{"2001:db8::1"}, []string{"2001:DB8:0::1"}},
		{"relative target keeps prior", "CNAME", []string{"www.example.test"}, []string{"www.example.test."}, []string{"www.example.test"}},
		{"drift is shown in prior's style", "MX", []string{"10 mail.example.test"}, []string{"20 other.example.test."}, []string{"20 other.example.test"}},
		{"drift with dotted prior keeps dots", "CNAME", []string{"a.example.test."}, []string{"b.example.test."}, []string{"b.example.test."}},
		{"drift of addresses", "A", []string{"192.0.2.1"}, []string{"198.51.100.7"}, []string{"198.51.100.7"}},
		{"no prior (import)", "CNAME", nil, []string{"b.example.test."}, []string{"b.example.test."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := displayContents(tc.typ, tc.prior, tc.current); !slices.Equal(got, tc.want) {
				t.Errorf("displayContents = %q, want %q", got, tc.want)
			}
		})
	}
}

// FuzzUnquoteTXT checks that TXT content from the API never panics the
// parser and that quoting what it returns gives text that parses the same.
func FuzzUnquoteTXT(f *testing.F) {
	f.Add(`"v=spf1 -all"`)
	f.Add(`"a" "b"`)
	f.Add(`"\065\"\\"`)
	f.Add(`"unterminated`)
	f.Fuzz(func(t *testing.T, content string) {
		text, ok := unquoteTXT(content)
		if !ok {
			return
		}
		again, ok := unquoteTXT(quoteTXT(text))
		if !ok || again != text {
			t.Fatalf("quoteTXT(%q) does not read back: %q, %v", text, again, ok)
		}
	})
}
