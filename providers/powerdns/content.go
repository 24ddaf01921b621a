package powerdns

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Record contents: how a value of a dns_record's records list is written,
// sent to the API, read back and compared. Users write values the way they
// read them: addresses, host names with or without a trailing dot, TXT text
// without quotes. The API wants absolute host names and quoted TXT strings,
// and answers in its own canonical form.

// recordTypes are the record types a dns_record may have, in the order
// messages list them.
var recordTypes = []string{"A", "AAAA", "CNAME", "TXT", "MX", "SRV"}

// typeLUA is the RRset type holding PowerDNS LUA records; the provider uses
// it for records with routing, never as a dns_record type.
const typeLUA = "LUA"

// maxTXTChunk is the longest character-string a TXT record may hold; longer
// text is split into several strings of one record.
const maxTXTChunk = 255

// checkContent reports why value is not a valid record of type typ, or nil.
func checkContent(typ, value string) error {
	switch typ {
	case "A":
		a, err := netip.ParseAddr(value)
		if err != nil || !a.Is4() {
			return fmt.Errorf("%q is not an IPv4 address; an A record holds addresses such as \"192.0.2.10\"", value)
		}
	case "AAAA":
		a, err := netip.ParseAddr(value)
		if err != nil || !a.Is6() || a.Is4In6() || a.Zone() != "" {
			return fmt.Errorf("%q is not an IPv6 address; an AAAA record holds addresses such as \"2001:db8::10\"", value)
		}
	case "CNAME":
		if value == "." {
			return fmt.Errorf("a CNAME cannot point at the root; write a host name such as \"lb.example.test.\"")
		}
		return checkHostname(value)
	case "TXT":
		if strings.ContainsRune(value, 0) {
			return fmt.Errorf("TXT text contains a NUL byte")
		}
	case "MX":
		f := strings.Fields(value)
		if len(f) != 2 {
			return fmt.Errorf("%q is not an MX record; write \"PREFERENCE HOST\", for example \"10 mail.example.test.\"", value)
		}
		if err := checkUint16(f[0], "MX preference"); err != nil {
			return err
		}
		return checkHostname(f[1])
	case "SRV":
		f := strings.Fields(value)
		if len(f) != 4 {
			return fmt.Errorf("%q is not an SRV record; write \"PRIORITY WEIGHT PORT TARGET\", for example \"10 5 5060 sip.example.test.\"", value)
		}
		for i, what := range []string{"SRV priority", "SRV weight", "SRV port"} {
			if err := checkUint16(f[i], what); err != nil {
				return err
			}
		}
		return checkHostname(f[3])
	default:
		return fmt.Errorf("record type %q is not supported; use one of %s", typ, strings.Join(recordTypes, ", "))
	}
	return nil
}

func checkUint16(s, what string) error {
	if _, err := strconv.ParseUint(s, 10, 16); err != nil {
		return fmt.Errorf("%s %q is not a number from 0 to 65535", what, s)
	}
	return nil
}

// encodeContent returns value in the form the API takes for type typ.
func encodeContent(typ, value string) string {
	switch typ {
	case "CNAME":
		return absolute(value)
	case "MX", "SRV":
		f := strings.Fields(value)
		if len(f) == 0 {
			return value
		}
		f[len(f)-1] = absolute(f[len(f)-1])
		return strings.Join(f, " ")
	case "TXT":
		return quoteTXT(value)
	default:
		return value
	}
}

// decodeContent returns the API's content of a record of type typ in the
// form users write: TXT text unquoted, everything else as it is.
func decodeContent(typ, content string) string {
	if typ == "TXT" {
		if text, ok := unquoteTXT(content); ok {
			return text
		}
	}
	return content
}

// canonicalContent returns a form of value that is equal for two values
// PowerDNS treats as the same record: addresses in standard form, host
// names absolute and in lower case, numbers without leading zeros.
func canonicalContent(typ, value string) string {
	switch typ {
	case "A", "AAAA":
		if a, err := netip.ParseAddr(value); err == nil {
			return a.String()
		}
	case "CNAME":
		return strings.ToLower(absolute(value))
	case "MX", "SRV":
		f := strings.Fields(value)
		for i := range f {
			if i == len(f)-1 {
				f[i] = strings.ToLower(absolute(f[i]))
			} else if n, err := strconv.ParseUint(f[i], 10, 16); err == nil {
				f[i] = strconv.FormatUint(n, 10)
			}
		}
		return strings.Join(f, " ")
	}
	return value
}

// sameContents reports whether a and b hold the same records of type typ,
// in any order.
func sameContents(typ string, a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	ca, cb := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		ca[i] = canonicalContent(typ, a[i])
		cb[i] = canonicalContent(typ, b[i])
	}
	slices.Sort(ca)
	slices.Sort(cb)
	return slices.Equal(ca, cb)
}

// displayContents returns the records read from the API (already decoded)
// as the state should hold them. When they are the records of prior in
// another order or spelling, prior is kept, so that an unchanged record
// plans no change. Otherwise host names lose their trailing dot when prior
// wrote them without one, so that a drift shows only what really changed.
func displayContents(typ string, prior, current []string) []string {
	if sameContents(typ, prior, current) {
		return prior
	}
	if typ != "CNAME" && typ != "MX" && typ != "SRV" || len(prior) == 0 {
		return current
	}
	for _, p := range prior {
		if strings.HasSuffix(p, ".") {
			return current
		}
	}
	out := make([]string, len(current))
	for i, c := range current {
		if c == "." || strings.HasSuffix(c, " .") {
			out[i] = c
			continue
		}
		out[i] = strings.TrimSuffix(c, ".")
	}
	return out
}

// quoteTXT returns text as the content of a TXT record: one or more quoted
// character-strings of at most 255 bytes, with quotes and backslashes
// escaped and bytes outside printable ASCII written as \DDD.
func quoteTXT(text string) string {
	var b strings.Builder
	chunk := 0
	b.WriteByte('"')
	for i := 0; i < len(text); i++ {
		if chunk == maxTXTChunk {
			b.WriteString(`" "`)
			chunk = 0
		}
		c := text[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, "\\%03d", c)
		default:
			b.WriteByte(c)
		}
		chunk++
	}
	b.WriteByte('"')
	return b.String()
}

// unquoteTXT parses the content of a TXT record as PowerDNS returns it: one
// or more quoted character-strings separated by spaces. It returns their
// concatenation and true, or false when content is not in that form.
func unquoteTXT(content string) (string, bool) {
	var out strings.Builder
	i, n := 0, len(content)
	count := 0
	for {
		for i < n && (content[i] == ' ' || content[i] == '\t') {
			i++
		}
		if i == n {
			return out.String(), count > 0
		}
		if content[i] != '"' {
			return "", false
		}
		i++
		for {
			if i == n {
				return "", false // unterminated string
			}
			c := content[i]
			if c == '"' {
				i++
				break
			}
			if c != '\\' {
				out.WriteByte(c)
				i++
				continue
			}
			if i+1 == n {
				return "", false
			}
			if d := content[i+1]; d >= '0' && d <= '9' {
				if i+3 >= n {
					return "", false
				}
				v, err := strconv.ParseUint(content[i+1:i+4], 10, 16)
				if err != nil || v > 255 {
					return "", false
				}
				out.WriteByte(byte(v))
				i += 4
				continue
			}
			out.WriteByte(content[i+1])
			i += 2
		}
		count++
	}
}
