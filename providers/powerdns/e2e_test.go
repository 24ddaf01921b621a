package powerdns

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/providers"
	"github.com/miekg/dns"
	"github.com/zclconf/go-cty/cty"
)

// End-to-end tests against a real pdns_server: every change goes through
// the provider interface and is checked with DNS queries.

// healthWindow is how long a LUA health check may take to notice a change:
// the test server checks every second.
const healthWindow = 15 * time.Second

func strs(ss ...string) cty.Value { return stringList(ss) }

func routingVal(policy string, set map[string]cty.Value) cty.Value {
	v := map[string]cty.Value{
		"policy":     cty.StringVal(policy),
		"check_port": cty.NullVal(cty.Number),
		"check_url":  cty.NullVal(cty.String),
		"secondary":  cty.NullVal(cty.List(cty.String)),
		"weights":    cty.NullVal(cty.List(cty.Number)),
	}
	for k, x := range set {
		v[k] = x
	}
	return cty.ObjectVal(v)
}

func sorted(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return out
}

// recordConfig returns a dns_record configuration in zone example.test.
func recordConfig(h *harness, name, typ string, records cty.Value, more map[string]cty.Value) cty.Value {
	attrs := map[string]cty.Value{
		"zone": cty.StringVal("example.test"), "name": cty.StringVal(name), "type": cty.StringVal(typ), "records": records,
	}
	for k, v := range more {
		attrs[k] = v
	}
	return h.config(attrs)
}

func TestEndToEnd(t *testing.T) {
	srv := startPDNS(t)
	p := newProvider(t, srv.APIURL, srv.APIKey)
	zones := newHarness(t, p, typeZone)
	records := newHarness(t, p, typeRecord)

	zoneCfg := zones.config(map[string]cty.Value{
		"name": cty.StringVal("example.test"), "nameservers": strs("ns1.example.test", "ns2.example.test"),
	})
	zone := zones.create(zoneCfg)
	t.Run("zone", func(t *testing.T) {
		if got := zone.GetAttr("id").AsString(); got != "example.test." {
			t.Errorf("id = %q, want example.test.", got)
		}
		if got := zone.GetAttr("soa_email").AsString(); got != "hostmaster@example.test" {
			t.Errorf("soa_email = %q, want hostmaster@example.test", got)
		}
		a := srv.query(t, "example.test", dns.TypeNS)
		if want := []string{"ns1.example.test.", "ns2.example.test."}; !slices.Equal(sorted(a.Records), want) {
			t.Errorf("NS answer = %v, want %v", a.Records, want)
		}
		soa := srv.query(t, "example.test", dns.TypeSOA)
		if len(soa.Records) != 1 || !strings.HasPrefix(soa.Records[0], "ns1.example.test. hostmaster.example.test. ") {
			t.Errorf("SOA answer = %v, want primary ns1 and contact hostmaster", soa.Records)
		}
		zone = zones.read(zone)
		zones.wantNoChange(zone, zoneCfg)

		// Name servers and contact change in place; the serial rises.
		changed := zones.config(map[string]cty.Value{
			"name": cty.StringVal("example.test"), "nameservers": strs("ns1.example.test"),
			"soa_email": cty.StringVal("dns.admin@example.test"),
		})
		before := soa.Records
		zone = zones.update(zone, changed)
		soa = srv.query(t, "example.test", dns.TypeSOA)
		if len(before) == 1 && len(soa.Records) == 1 && soaSerial(before[0]) >= soaSerial(soa.Records[0]) {
			t.Errorf("SOA serial did not rise after a change: %s → %s", before[0], soa.Records[0])
		}
		if len(soa.Records) != 1 || !strings.HasPrefix(soa.Records[0], `ns1.example.test. dns\.admin.example.test. `) {
			t.Errorf("SOA answer = %v, want contact dns\\.admin.example.test.", soa.Records)
		}
		zoneCfg = changed
		zones.wantNoChange(zones.read(zone), zoneCfg)

		master := zones.config(map[string]cty.Value{
			"name": cty.StringVal("example.test"), "nameservers": strs("ns1.example.test"),
			"soa_email": cty.StringVal("dns.admin@example.test"), "kind": cty.StringVal("Master"),
		})
		zone = zones.update(zone, master)
		if got := zones.read(zone).GetAttr("kind").AsString(); got != "Master" {
			t.Errorf("kind after update = %q, want Master", got)
		}
		zone = zones.update(zone, zoneCfg)
		zones.wantNoChange(zones.read(zone), zoneCfg)

		imported, diags := zones.importID("example.test")
		if diags.HasErrors() {
			t.Fatalf("import: %v", diags.Err())
		}
		if got := imported.GetAttr("soa_email").AsString(); got != "dns.admin@example.test" {
			t.Errorf("imported soa_email = %q", got)
		}
	})

	t.Run("A record create, update, drift, import, delete", func(t *testing.T) {
		cfg := recordConfig(records, "www", "A", strs("192.0.2.10"), nil)
		state := records.create(cfg)
		if got := state.GetAttr("fqdn").AsString(); got != "www.example.test." {
			t.Errorf("fqdn = %q", got)
		}
		if a := srv.query(t, "www.example.test", dns.TypeA); !slices.Equal(a.Records, []string{"192.0.2.10"}) {
			t.Fatalf("answer = %+v, want 192.0.2.10", a)
		}
		records.wantNoChange(records.read(state), cfg)

		cfg = recordConfig(records, "www", "A", strs("192.0.2.11", "192.0.2.12"), map[string]cty.Value{"ttl": cty.NumberIntVal(60)})
		state = records.update(state, cfg)
		if a := srv.query(t, "www.example.test", dns.TypeA); !slices.Equal(sorted(a.Records), []string{"192.0.2.11", "192.0.2.12"}) {
			t.Fatalf("answer after update = %+v", a)
		}
		records.wantNoChange(records.read(state), cfg)

		// Behind the provider's back.
		status, body := srv.api(t, http.MethodPatch, "/api/v1/servers/localhost/zones/example.test.",
			`{"rrsets":[{"name":"www.example.test.","type":"A","ttl":120,"changetype":"REPLACE","records":[{"content":"198.51.100.7","disabled":false}]}]}`)
		if status != http.StatusNoContent {
			t.Fatalf("direct PATCH: %d %s", status, body)
		}
		drifted := records.read(state)
		if got := mustStrings(drifted.GetAttr("records")); !slices.Equal(got, []string{"198.51.100.7"}) {
			t.Errorf("read after drift: records = %v, want [198.51.100.7]", got)
		}
		if ttl, _ := intOf(drifted.GetAttr("ttl")); ttl != 120 {
			t.Errorf("read after drift: ttl = %d, want 120", ttl)
		}
		plan := records.plan(drifted, cfg)
		if plan.PlannedState.RawEquals(drifted) || len(plan.RequiresReplace) > 0 {
			t.Fatalf("plan after drift changes nothing or replaces: %#v", plan.PlannedState)
		}
		state = records.apply(drifted, plan.PlannedState, cfg)
		if a := srv.query(t, "www.example.test", dns.TypeA); !slices.Equal(sorted(a.Records), []string{"192.0.2.11", "192.0.2.12"}) {
			t.Fatalf("answer after repairing drift = %+v", a)
		}

		imported, diags := records.importID("example.test/www/A")
		if diags.HasErrors() {
			t.Fatalf("import: %v", diags.Err())
		}
		records.wantNoChange(records.read(imported), recordConfig(records, "www", "A", mustStringsVal(imported.GetAttr("records")), map[string]cty.Value{"ttl": cty.NumberIntVal(60)}))
		if _, diags := records.importID("example.test/nothere/A"); !diags.HasErrors() || diags[0].Summary != "Record not found" {
			t.Errorf("import of a missing record: %v", diags)
		}

		records.destroy(state)
		if a := srv.query(t, "www.example.test", dns.TypeA); a.Rcode != dns.RcodeNameError || len(a.Records) != 0 {
			t.Errorf("answer after delete = %+v, want NXDOMAIN", a)
		}
		if got := records.read(state); !got.IsNull() {
			t.Errorf("read after delete = %#v, want null", got)
		}
		records.destroy(state) // deleting what is gone succeeds
	})

	t.Run("record types", func(t *testing.T) {
		for _, tc := range []struct {
			name, typ string
			qtype     uint16
			records   []string
			want      []string
		}{
			{"v6", "AAAA", dns.TypeAAAA, []string{"2001:db8::10"}, []string{"2001:db8::10"}},
			{"alias", "CNAME", dns.TypeCNAME, []string{"www.example.test"}, []string{"www.example.test."}},
			{"@", "TXT", dns.TypeTXT, []string{`v=spf1 -all`, `say "hi"`}, []string{`"say \"hi\""`, `"v=spf1 -all"`}},
			{"@", "MX", dns.TypeMX, []string{"10 mail.example.test"}, []string{"10 mail.example.test."}},
			{"_sip._tcp", "SRV", dns.TypeSRV, []string{"10 5 5060 sip.example.test."}, []string{"10 5 5060 sip.example.test."}},
		} {
			t.Run(tc.typ, func(t *testing.T) {
				cfg := recordConfig(records, tc.name, tc.typ, strs(tc.records...), nil)
				state := records.create(cfg)
				fqdn := recordFQDN("example.test", tc.name)
				if a := srv.query(t, fqdn, tc.qtype); !slices.Equal(sorted(a.Records), tc.want) {
					t.Errorf("answer = %+v, want %v", a, tc.want)
				}
				records.wantNoChange(records.read(state), cfg)
				records.destroy(state)
				if a := srv.query(t, fqdn, tc.qtype); len(a.Records) != 0 {
					t.Errorf("answer after delete = %+v", a)
				}
			})
		}
	})

	t.Run("failover by port", func(t *testing.T) {
		live, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer live.Close()
		go acceptAndClose(live)
		port := live.Addr().(*net.TCPAddr).Port
		// 127.0.0.2 is on the loopback too, but nothing listens there.
		cfg := recordConfig(records, "lb", "A", strs("127.0.0.1", "127.0.0.2"), map[string]cty.Value{
			"ttl": cty.NumberIntVal(5), "routing": routingVal(policyFailover, map[string]cty.Value{"check_port": cty.NumberIntVal(int64(port))}),
		})
		state := records.create(cfg)
		a, ok := srv.waitFor(t, "lb.example.test", dns.TypeA, healthWindow, func(a answer) bool {
			return slices.Equal(a.Records, []string{"127.0.0.1"})
		})
		if !ok {
			t.Fatalf("after %v the answer is %+v, want only the live 127.0.0.1", healthWindow, a)
		}
		records.wantNoChange(records.read(state), cfg)

		// The live target dies: nothing is healthy, so every address is
		// answered rather than none.
		live.Close()
		a, ok = srv.waitFor(t, "lb.example.test", dns.TypeA, healthWindow, func(a answer) bool {
			return slices.Equal(sorted(a.Records), []string{"127.0.0.1", "127.0.0.2"})
		})
		if !ok {
			t.Fatalf("with every target down the answer is %+v, want both", a)
		}

		// An AAAA record at the same name shares the LUA RRset; changing
		// one must keep the other.
		v6 := recordConfig(records, "lb", "AAAA", strs("::1"), map[string]cty.Value{
			"ttl": cty.NumberIntVal(5), "routing": routingVal(policyFailover, map[string]cty.Value{"check_port": cty.NumberIntVal(int64(port))}),
		})
		v6state := records.create(v6)
		records.wantNoChange(records.read(state), cfg)
		records.destroy(v6state)
		records.wantNoChange(records.read(state), cfg)

		// Routing removed: a plain A record again.
		plain := recordConfig(records, "lb", "A", strs("192.0.2.99"), nil)
		state = records.update(state, plain)
		if a := srv.query(t, "lb.example.test", dns.TypeA); !slices.Equal(a.Records, []string{"192.0.2.99"}) {
			t.Errorf("answer after removing routing = %+v", a)
		}
		records.wantNoChange(records.read(state), plain)
		records.destroy(state)
		if a := srv.query(t, "lb.example.test", dns.TypeA); a.Rcode != dns.RcodeNameError {
			t.Errorf("answer after delete = %+v, want NXDOMAIN", a)
		}
	})

	t.Run("failover by URL with a secondary", func(t *testing.T) {
		healthy, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })}
		go func() { _ = hs.Serve(healthy) }()
		defer hs.Close()
		port := healthy.Addr().(*net.TCPAddr).Port
		// The primary 127.0.0.3 is down; of the secondaries only 127.0.0.1
		// serves the URL.
		cfg := recordConfig(records, "app", "A", strs("127.0.0.3"), map[string]cty.Value{
			"ttl": cty.NumberIntVal(5), "routing": routingVal(policyFailover, map[string]cty.Value{
				"check_url": cty.StringVal(fmt.Sprintf("http://app.example.test:%d/health", port)),
				"secondary": strs("127.0.0.1", "127.0.0.4"),
			}),
		})
		state := records.create(cfg)
		a, ok := srv.waitFor(t, "app.example.test", dns.TypeA, healthWindow, func(a answer) bool {
			return slices.Equal(a.Records, []string{"127.0.0.1"})
		})
		if !ok {
			t.Fatalf("after %v the answer is %+v, want only the healthy secondary 127.0.0.1", healthWindow, a)
		}
		records.wantNoChange(records.read(state), cfg)
		records.destroy(state)
	})

	t.Run("weighted", func(t *testing.T) {
		cfg := recordConfig(records, "w", "A", strs("192.0.2.1", "192.0.2.2"), map[string]cty.Value{
			"routing": routingVal(policyWeighted, map[string]cty.Value{"weights": numberList([]int64{1, 1})}),
		})
		state := records.create(cfg)
		seen := map[string]int{}
		for range 60 {
			a := srv.query(t, "w.example.test", dns.TypeA)
			if len(a.Records) != 1 {
				t.Fatalf("weighted answer = %+v, want exactly one address", a)
			}
			seen[a.Records[0]]++
		}
		if len(seen) != 2 || seen["192.0.2.1"] == 0 || seen["192.0.2.2"] == 0 {
			t.Errorf("60 answers with equal weights gave %v, want both addresses", seen)
		}
		records.wantNoChange(records.read(state), cfg)

		// A weight changed behind Blueprint's back shows as drift.
		status, body := srv.api(t, http.MethodPatch, "/api/v1/servers/localhost/zones/example.test.",
			`{"rrsets":[{"name":"w.example.test.","type":"LUA","ttl":300,"changetype":"REPLACE","records":[{"content":"A \"pickwrandom({{5, '192.0.2.1'}, {1, '192.0.2.2'}})\"","disabled":false}]}]}`)
		if status != http.StatusNoContent {
			t.Fatalf("direct PATCH: %d %s", status, body)
		}
		drifted := records.read(state)
		if w, _ := knownInts(drifted.GetAttr("routing").GetAttr("weights")); !slices.Equal(w, []int64{5, 1}) {
			t.Errorf("weights after drift = %v, want [5 1]", w)
		}
		records.update(drifted, cfg)
		records.wantNoChange(records.read(state), cfg)
		records.destroy(state)
	})

	t.Run("zone delete", func(t *testing.T) {
		zones.destroy(zone)
		if status, _ := srv.api(t, http.MethodGet, "/api/v1/servers/localhost/zones/example.test.", ""); status != http.StatusNotFound {
			t.Errorf("GET zone after delete: %d, want 404", status)
		}
		if a := srv.query(t, "example.test", dns.TypeSOA); a.Rcode != dns.RcodeRefused {
			t.Errorf("SOA query after delete = %+v, want REFUSED", a)
		}
		if got := zones.read(zone); !got.IsNull() {
			t.Errorf("read after delete = %#v, want null", got)
		}
		zones.destroy(zone)
		// A record whose zone is gone is gone too.
		gone := recordConfig(records, "www", "A", strs("192.0.2.1"), nil)
		if got := records.read(records.plan(cty.NullVal(records.ty), gone).PlannedState); !got.IsNull() {
			t.Errorf("read of a record in a deleted zone = %#v, want null", got)
		}
		resp := p.ApplyResourceChange(context.Background(), providers.ApplyResourceChangeRequest{
			TypeName: typeRecord, PriorState: cty.NullVal(records.ty),
			PlannedState: records.plan(cty.NullVal(records.ty), gone).PlannedState, Config: gone,
		})
		if !resp.Diagnostics.HasErrors() || resp.Diagnostics[0].Summary != "Zone not found" {
			t.Errorf("creating a record in a missing zone: %v", resp.Diagnostics)
		}
	})
}

func TestEndToEndWrongKey(t *testing.T) {
	srv := startPDNS(t)
	const wrong = "not-the-key-4711"
	p := newProvider(t, srv.APIURL, wrong)
	h := newHarness(t, p, typeZone)
	resp := p.ReadResource(context.Background(), providers.ReadResourceRequest{
		TypeName: typeZone, CurrentState: h.config(map[string]cty.Value{"name": cty.StringVal("example.test")}),
	})
	if !resp.Diagnostics.HasErrors() {
		t.Fatal("read with a wrong key succeeded")
	}
	d := resp.Diagnostics[0]
	if d.Summary != "PowerDNS rejected the API key" {
		t.Errorf("summary = %q", d.Summary)
	}
	if !strings.Contains(d.Detail, srv.APIURL) {
		t.Errorf("detail does not name the URL: %s", d.Detail)
	}
	if strings.Contains(d.Error(), wrong) || strings.Contains(d.Error(), srv.APIKey) {
		t.Errorf("diagnostic shows an API key: %s", d.Error())
	}
}

// acceptAndClose accepts connections on l and closes them, until l closes.
func acceptAndClose(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		c.Close()
	}
}

func mustStringsVal(v cty.Value) cty.Value { return stringList(mustStrings(v)) }

// soaSerial is the serial field of an SOA answer's content, or -1.
func soaSerial(content string) int64 {
	f := strings.Fields(content)
	if len(f) < 3 {
		return -1
	}
	n, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil {
		return -1
	}
	return n
}
