package powerdns

import (
	"fmt"
	"strings"
)

// Payloads: the request bodies the provider sends, built by pure functions
// from the desired state and, where a change must merge with what exists,
// from the current RRset. Golden tests pin them down.

// SOA timers of zones the provider creates: refresh, retry, expire and the
// negative-answer TTL, in seconds (the PowerDNS defaults).
const soaTimers = "10800 3600 604800 3600"

// soaEditAPI makes PowerDNS raise the zone's serial on every change made
// through the API (YYYYMMDDnn, or +1 when that is not higher).
const soaEditAPI = "DEFAULT"

// zoneSpec is a dns_zone as the provider creates it.
type zoneSpec struct {
	Name        string
	Kind        string
	Nameservers []string
	SOAEmail    string
}

// zoneCreatePayload returns the body that creates z. The serial in the SOA
// is a placeholder: PowerDNS sets it (soa_edit_api).
func zoneCreatePayload(z zoneSpec) zoneCreateRequest {
	ns := make([]string, len(z.Nameservers))
	for i, n := range z.Nameservers {
		ns[i] = absolute(n)
	}
	return zoneCreateRequest{
		Name:        absolute(z.Name),
		Kind:        z.Kind,
		Nameservers: ns,
		SOAEditAPI:  soaEditAPI,
		RRsets: []rrsetChangeEntry{{
			Name:    absolute(z.Name),
			Type:    "SOA",
			TTL:     ttlOf(3600),
			Records: []apiRecord{{Content: soaContent(ns[0], z.SOAEmail, 1)}},
		}},
	}
}

// zoneRecordsPayload returns the PATCH that gives an existing zone the
// name servers and SOA contact of z, keeping its current serial (PowerDNS
// raises it) and SOA TTL.
func zoneRecordsPayload(z zoneSpec, current *apiZone) rrsetPatchRequest {
	name := absolute(z.Name)
	ns := make([]apiRecord, len(z.Nameservers))
	for i, n := range z.Nameservers {
		ns[i] = apiRecord{Content: absolute(n)}
	}
	soaTTL := int64(3600)
	nsTTL := int64(3600)
	if rr := current.rrset(name, "SOA"); rr != nil {
		soaTTL = rr.TTL
	}
	if rr := current.rrset(name, "NS"); rr != nil {
		nsTTL = rr.TTL
	}
	return rrsetPatchRequest{RRsets: []rrsetChangeEntry{
		{Name: name, Type: "NS", TTL: ttlOf(nsTTL), ChangeType: changeReplace, Records: ns},
		{Name: name, Type: "SOA", TTL: ttlOf(soaTTL), ChangeType: changeReplace,
			Records: []apiRecord{{Content: soaContent(ns[0].Content, z.SOAEmail, current.Serial)}}},
	}}
}

// soaContent returns an SOA record's content.
func soaContent(primary, email string, serial int64) string {
	return fmt.Sprintf("%s %s %d %s", absolute(primary), emailToRName(email), serial, soaTimers)
}

// emailToRName turns a mail address into the SOA RNAME form: the "@"
// becomes a dot, dots in the local part are escaped, and the name is
// absolute ("host.master@example.test" → "host\.master.example.test.").
func emailToRName(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok {
		return absolute(email)
	}
	return strings.ReplaceAll(local, ".", `\.`) + "." + absolute(domain)
}

// rnameToEmail is the inverse of emailToRName: the first unescaped dot
// becomes "@" and the trailing dot goes.
func rnameToEmail(rname string) string {
	rname = strings.TrimSuffix(rname, ".")
	for i := 0; i < len(rname); i++ {
		switch rname[i] {
		case '\\':
			i++
		case '.':
			return strings.ReplaceAll(rname[:i], `\.`, ".") + "@" + rname[i+1:]
		}
	}
	return rname
}

// soaFields returns the primary name server, RNAME and serial of an SOA
// record's content, and false when it has fewer than three fields.
func soaFields(content string) (primary, rname string, ok bool) {
	f := strings.Fields(content)
	if len(f) < 3 {
		return "", "", false
	}
	return f[0], f[1], true
}

// recordSpec is a dns_record's desired content.
type recordSpec struct {
	TTL     int64
	Records []string
	// Routing, when not nil, realizes the record as a LUA record.
	Routing *routing
}

// recordPayload returns the PATCH that makes the record of type typ at the
// absolute name fqdn match want, or deletes it when want is nil.
//
// A record of type typ is held either by the plain RRset of that type or,
// with routing, by the entries for typ in the name's LUA RRset, which it
// shares with routed records of other types (A and AAAA). Every change
// therefore writes both: it replaces or deletes the plain RRset and rewrites
// the LUA RRset with this type's entry replaced or removed and the other
// types' entries kept as they are in currentLUA (nil when there is none).
func recordPayload(fqdn, typ string, want *recordSpec, currentLUA *apiRRset) rrsetPatchRequest {
	var others []apiRecord
	luaTTL := int64(0)
	if currentLUA != nil {
		luaTTL = currentLUA.TTL
		for _, r := range currentLUA.Records {
			if luaType(r.Content) != typ {
				others = append(others, r)
			}
		}
	}
	var changes []rrsetChangeEntry
	switch {
	case want == nil:
		changes = append(changes, rrsetChangeEntry{Name: fqdn, Type: typ, ChangeType: changeDelete})
	case want.Routing == nil:
		recs := make([]apiRecord, len(want.Records))
		for i, v := range want.Records {
			recs[i] = apiRecord{Content: encodeContent(typ, v)}
		}
		changes = append(changes, rrsetChangeEntry{Name: fqdn, Type: typ, TTL: ttlOf(want.TTL), ChangeType: changeReplace, Records: recs})
	default:
		changes = append(changes, rrsetChangeEntry{Name: fqdn, Type: typ, ChangeType: changeDelete})
		content := luaContent(luaRecord{Type: typ, Records: want.Records, Routing: *want.Routing})
		lua := append(others, apiRecord{Content: content})
		return rrsetPatchRequest{RRsets: append(changes,
			rrsetChangeEntry{Name: fqdn, Type: typeLUA, TTL: ttlOf(want.TTL), ChangeType: changeReplace, Records: lua})}
	}
	switch {
	case currentLUA == nil || len(others) == len(currentLUA.Records):
		// No entry of this type in the LUA RRset: leave it alone.
	case len(others) == 0:
		changes = append(changes, rrsetChangeEntry{Name: fqdn, Type: typeLUA, ChangeType: changeDelete})
	default:
		changes = append(changes, rrsetChangeEntry{Name: fqdn, Type: typeLUA, TTL: ttlOf(luaTTL), ChangeType: changeReplace, Records: others})
	}
	return rrsetPatchRequest{RRsets: changes}
}

// ttlOf returns a TTL for a change entry.
func ttlOf(ttl int64) *int64 { return &ttl }

// luaType returns the type a LUA record's content answers for: its first
// word.
func luaType(content string) string {
	typ, _, _ := strings.Cut(strings.TrimSpace(content), " ")
	return strings.ToUpper(typ)
}
