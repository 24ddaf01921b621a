package powerdns

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares v, as indented JSON, with testdata/name.json, or rewrites
// the file with -update.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update after an intended change):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestZonePayloads(t *testing.T) {
	spec := zoneSpec{Name: "example.test", Kind: "Native", Nameservers: []string{"ns1.example.test", "ns2.example.test."}, SOAEmail: "dns.admin@example.test"}
	current := &apiZone{ID: "example.test.", Name: "example.test.", Serial: 2026010203, RRsets: []apiRRset{
		{Name: "example.test.", Type: "SOA", TTL: 7200, Records: []apiRecord{{Content: "ns0.example.test. hostmaster.example.test. 2026010203 10800 3600 604800 3600"}}},
	}}
	for _, tc := range []struct {
		name string
		v    any
	}{
		{"zone_create", zoneCreatePayload(spec)},
		{"zone_create_master", zoneCreatePayload(zoneSpec{Name: "example.test.", Kind: "Master", Nameservers: []string{"ns.example.net"}, SOAEmail: "hostmaster@example.test"})},
		{"zone_records", zoneRecordsPayload(spec, current)},
		{"zone_kind", zoneUpdateRequest{Kind: "Master"}},
	} {
		t.Run(tc.name, func(t *testing.T) { golden(t, tc.name, tc.v) })
	}
}

func TestRecordPayloads(t *testing.T) {
	plain := func(ttl int64, records ...string) *recordSpec { return &recordSpec{TTL: ttl, Records: records} }
	routed := func(records []string, r routing) *recordSpec {
		return &recordSpec{TTL: 30, Records: records, Routing: &r}
	}
	sharedLUA := &apiRRset{Name: "lb.example.test.", Type: "LUA", TTL: 30, Records: []apiRecord{
		{Content: `A "ifportup(80, {'192.0.2.1', '192.0.2.2'}, {selector='all', backupSelector='all'})"`},
		{Content: `AAAA "ifportup(80, {'2001:db8::1'}, {selector='all', backupSelector='all'})"`},
	}}
	onlyA := &apiRRset{Name: "lb.example.test.", Type: "LUA", TTL: 30, Records: sharedLUA.Records[:1]}
	for _, tc := range []struct {
		name       string
		fqdn, typ  string
		want       *recordSpec
		currentLUA *apiRRset
	}{
		{"record_a", "www.example.test.", "A", plain(300, "192.0.2.10", "192.0.2.11"), nil},
		{"record_ttl_zero", "now.example.test.", "A", plain(0, "192.0.2.10"), nil},
		{"record_aaaa", "www.example.test.", "AAAA", plain(300, "2001:db8::10"), nil},
		{"record_cname", "alias.example.test.", "CNAME", plain(3600, "www.example.test"), nil},
		{"record_txt", "example.test.", "TXT", plain(300, `v=spf1 -all`, `say "hi" \ bye`, string(bytes.Repeat([]byte("x"), 300))), nil},
		{"record_mx", "example.test.", "MX", plain(300, "10 mail.example.test", "20 backup.example.net."), nil},
		{"record_srv", "_sip._tcp.example.test.", "SRV", plain(300, "10 5 5060 sip.example.test"), nil},
		{"record_lua_failover_port", "lb.example.test.", "A", routed([]string{"192.0.2.1", "192.0.2.2"}, routing{Policy: policyFailover, CheckPort: 80}), nil},
		{"record_lua_failover_url", "lb.example.test.", "A", routed([]string{"192.0.2.1"}, routing{Policy: policyFailover, CheckURL: "https://lb.example.test/health", Secondary: []string{"192.0.2.2", "192.0.2.3"}}), nil},
		{"record_lua_weighted", "lb.example.test.", "A", routed([]string{"192.0.2.1", "192.0.2.2"}, routing{Policy: policyWeighted, Weights: []int64{3, 1}}), nil},
		{"record_lua_weighted_equal", "lb.example.test.", "AAAA", routed([]string{"2001:db8::1", "2001:db8::2"}, routing{Policy: policyWeighted}), nil},
		{"record_lua_keeps_other_type", "lb.example.test.", "A", routed([]string{"192.0.2.9"}, routing{Policy: policyFailover, CheckPort: 443}), sharedLUA},
		{"record_plain_replaces_lua", "lb.example.test.", "A", plain(300, "192.0.2.1"), sharedLUA},
		{"record_plain_drops_lua", "lb.example.test.", "A", plain(300, "192.0.2.1"), onlyA},
		{"record_delete", "www.example.test.", "A", nil, nil},
		{"record_delete_routed", "lb.example.test.", "A", nil, sharedLUA},
		{"record_delete_last_routed", "lb.example.test.", "A", nil, onlyA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, tc.name, recordPayload(tc.fqdn, tc.typ, tc.want, tc.currentLUA))
		})
	}
}

func TestSOAContact(t *testing.T) {
	for _, tc := range []struct{ email, rname string }{
		{"hostmaster@example.test", "hostmaster.example.test."},
		{"dns.admin@example.test", `dns\.admin.example.test.`},
		{"a.b.c@sub.example.test", `a\.b\.c.sub.example.test.`},
	} {
		t.Run(tc.email, func(t *testing.T) {
			if got := emailToRName(tc.email); got != tc.rname {
				t.Errorf("emailToRName = %q, want %q", got, tc.rname)
			}
			if got := rnameToEmail(tc.rname); got != tc.email {
				t.Errorf("rnameToEmail(%q) = %q, want %q", tc.rname, got, tc.email)
			}
		})
	}
}
