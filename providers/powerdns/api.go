package powerdns

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The PowerDNS HTTP API (version 1) as far as this provider uses it. Request
// and response shapes are separate types: the API returns far more than the
// provider sends, and either side may grow.

// apiRecord is one record of an RRset, in requests and responses.
type apiRecord struct {
	Content  string `json:"content"`
	Disabled bool   `json:"disabled"`
}

// apiRRset is one RRset as the API returns it inside a zone.
type apiRRset struct {
	Name    string      `json:"name"`
	Type    string      `json:"type"`
	TTL     int64       `json:"ttl"`
	Records []apiRecord `json:"records"`
}

// apiZone is the zone object of GET /servers/{server}/zones/{zone} and of
// the answer to a zone create.
type apiZone struct {
	ID     string     `json:"id"`
	Name   string     `json:"name"`
	Kind   string     `json:"kind"`
	Serial int64      `json:"serial"`
	RRsets []apiRRset `json:"rrsets"`
}

// apiServer is the server object of GET /servers/{server}.
type apiServer struct {
	ID         string `json:"id"`
	DaemonType string `json:"daemon_type"`
	Version    string `json:"version"`
}

// apiError is the body of a failed API call.
type apiError struct {
	Error  string   `json:"error"`
	Errors []string `json:"errors"`
}

// zoneCreateRequest is the body of POST /servers/{server}/zones.
type zoneCreateRequest struct {
	Name        string             `json:"name"`
	Kind        string             `json:"kind"`
	Nameservers []string           `json:"nameservers"`
	SOAEditAPI  string             `json:"soa_edit_api"`
	RRsets      []rrsetChangeEntry `json:"rrsets,omitempty"`
}

// zoneUpdateRequest is the body of PUT /servers/{server}/zones/{zone}: zone
// properties other than records.
type zoneUpdateRequest struct {
	Kind string `json:"kind"`
}

// rrsetPatchRequest is the body of PATCH /servers/{server}/zones/{zone}.
type rrsetPatchRequest struct {
	RRsets []rrsetChangeEntry `json:"rrsets"`
}

// rrsetChangeEntry is one RRset change of a PATCH (and one RRset of a zone
// create, which takes no changetype).
type rrsetChangeEntry struct {
	Name string `json:"name"`
	Type string `json:"type"`
	// TTL is nil for a DELETE, which takes none; 0 is a valid TTL.
	TTL        *int64      `json:"ttl,omitempty"`
	ChangeType string      `json:"changetype,omitempty"`
	Records    []apiRecord `json:"records,omitempty"`
}

// Change types of an RRset PATCH.
const (
	changeReplace = "REPLACE"
	changeDelete  = "DELETE"
)

// parseZone decodes a zone object. It checks what the provider relies on:
// a zone name and RRsets with names and types.
func parseZone(body []byte) (*apiZone, error) {
	var z apiZone
	if err := json.Unmarshal(body, &z); err != nil {
		return nil, fmt.Errorf("the PowerDNS API answered with a zone that is not valid JSON: %w", err)
	}
	if z.Name == "" {
		return nil, fmt.Errorf("the PowerDNS API answered with a zone object without a name")
	}
	if z.ID == "" {
		z.ID = z.Name
	}
	for i, rr := range z.RRsets {
		if rr.Name == "" || rr.Type == "" {
			return nil, fmt.Errorf("the PowerDNS API answered with RRset %d of zone %s without a name or type", i, z.Name)
		}
	}
	return &z, nil
}

// parseServer decodes a server object.
func parseServer(body []byte) (*apiServer, error) {
	var s apiServer
	if err := json.Unmarshal(body, &s); err != nil {
		return nil, fmt.Errorf("the answer is not a PowerDNS server object (is api_url the PowerDNS webserver?): %w", err)
	}
	if s.ID == "" {
		return nil, fmt.Errorf("the answer is not a PowerDNS server object (no id); is api_url the PowerDNS webserver?")
	}
	return &s, nil
}

// errorMessage extracts the message of a failed call's body: the "error"
// field of a JSON body, or the text itself (PowerDNS answers some errors
// with plain text), trimmed to one line of reasonable length.
func errorMessage(body []byte) string {
	var e apiError
	if err := json.Unmarshal(body, &e); err == nil && (e.Error != "" || len(e.Errors) > 0) {
		msg := e.Error
		if len(e.Errors) > 0 {
			msg = strings.TrimSpace(msg + " " + strings.Join(e.Errors, "; "))
		}
		return oneLine(msg)
	}
	return oneLine(string(body))
}

// oneLine collapses whitespace and cuts s to 300 bytes on a rune boundary.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const limit = 300
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// rrset returns the RRset of z with the given absolute name and type, or nil.
// Names compare case-insensitively, as DNS names do.
func (z *apiZone) rrset(name, typ string) *apiRRset {
	for i := range z.RRsets {
		rr := &z.RRsets[i]
		if strings.EqualFold(rr.Name, name) && strings.EqualFold(rr.Type, typ) {
			return rr
		}
	}
	return nil
}
