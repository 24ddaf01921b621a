package powerdns

import (
	"slices"
	"testing"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// unconfigured returns harnesses for validation and planning, which need no
// server.
func unconfigured(t *testing.T, typeName string) *harness {
	return newHarness(t, New(), typeName)
}

func summaries(diags providers.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		out = append(out, d.Summary)
	}
	return out
}

func TestValidateRecord(t *testing.T) {
	h := unconfigured(t, typeRecord)
	port := func(p int64) cty.Value {
		return routingVal(policyFailover, map[string]cty.Value{"check_port": cty.NumberIntVal(p)})
	}
	for _, tc := range []struct {
		name    string
		attrs   map[string]cty.Value
		summary []string // nil: valid
	}{
		{"plain A", map[string]cty.Value{"records": strs("192.0.2.1")}, nil},
		{"unknown records", map[string]cty.Value{"records": cty.UnknownVal(cty.List(cty.String))}, nil},
		{"unknown zone", map[string]cty.Value{"zone": cty.UnknownVal(cty.String), "records": strs("192.0.2.1")}, nil},
		{"bad address", map[string]cty.Value{"records": strs("192.0.2.300")}, []string{"Invalid record"}},
		{"no records", map[string]cty.Value{"records": strs()}, []string{"No records"}},
		{"lower-case type", map[string]cty.Value{"type": cty.StringVal("a"), "records": strs("192.0.2.1")}, []string{"Unsupported record type"}},
		{"LUA type", map[string]cty.Value{"type": cty.StringVal("LUA"), "records": strs(`A "x"`)}, []string{"Unsupported record type"}},
		{"absolute name", map[string]cty.Value{"name": cty.StringVal("www.example.test."), "records": strs("192.0.2.1")}, []string{"Invalid record name"}},
		{"bad zone", map[string]cty.Value{"zone": cty.StringVal("exa mple.test"), "records": strs("192.0.2.1")}, []string{"Invalid zone name"}},
		{"negative ttl", map[string]cty.Value{"records": strs("192.0.2.1"), "ttl": cty.NumberIntVal(-1)}, []string{"Invalid TTL"}},
		{"two CNAMEs", map[string]cty.Value{"type": cty.StringVal("CNAME"), "records": strs("a.test", "b.test")}, []string{"Too many CNAME records"}},
		{"CNAME at apex", map[string]cty.Value{"name": cty.StringVal("@"), "type": cty.StringVal("CNAME"), "records": strs("a.test")}, []string{"CNAME at the zone apex"}},
		{"failover by port", map[string]cty.Value{"records": strs("192.0.2.1", "192.0.2.2"), "routing": port(80)}, nil},
		{"failover bad port", map[string]cty.Value{"records": strs("192.0.2.1"), "routing": port(70000)}, []string{"Invalid check port"}},
		{"failover without check", map[string]cty.Value{"records": strs("192.0.2.1"), "routing": routingVal(policyFailover, nil)}, []string{"Failover needs one health check"}},
		{"failover with both checks", map[string]cty.Value{"records": strs("192.0.2.1"), "routing": routingVal(policyFailover, map[string]cty.Value{
			"check_port": cty.NumberIntVal(80), "check_url": cty.StringVal("http://x.test/")})}, []string{"Failover needs one health check"}},
		{"failover url with secondary", map[string]cty.Value{"records": strs("192.0.2.1"), "routing": routingVal(policyFailover, map[string]cty.Value{
			"check_url": cty.StringVal("http://x.test/h"), "secondary": strs("192.0.2.2")})}, nil},
		{"secondary needs url", map[string]cty.Value{"records": strs("192.0.2.1"), "routing": routingVal(policyFailover, map[string]cty.Value{
			"check_port": cty.NumberIntVal(80), "secondary": strs("192.0.2.2")})}, []string{"Secondary addresses need check_url"}},
		{"bad secondary", map[string]cty.Value{"records": strs("192.0.2.1"), "routing": routingVal(policyFailover, map[string]cty.Value{
			"check_url": cty.StringVal("http://x.test/h"), "secondary": strs("2001:db8::1")})}, []string{"Invalid secondary address"}},
		{"url with quote", map[string]cty.Value{"records": strs("192.0.2.1"), "routing": routingVal(policyFailover, map[string]cty.Value{
			"check_url": cty.StringVal("http://x.test/'")})}, []string{"Invalid check URL"}},
		{"url not http", map[string]cty.Value{"records": strs("192.0.2.1"), "routing": routingVal(policyFailover, map[string]cty.Value{
			"check_url": cty.StringVal("ftp://x.test/")})}, []string{"Invalid check URL"}},
		{"routing on TXT", map[string]cty.Value{"type": cty.StringVal("TXT"), "records": strs("x"), "routing": port(80)}, []string{"Routing needs an address record"}},
		{"unknown policy", map[string]cty.Value{"records": strs("192.0.2.1"), "routing": routingVal("geo", nil)}, []string{"Invalid routing policy"}},
		{"weighted", map[string]cty.Value{"records": strs("192.0.2.1", "192.0.2.2"), "routing": routingVal(policyWeighted, map[string]cty.Value{
			"weights": numberList([]int64{3, 1})})}, nil},
		{"weighted equal", map[string]cty.Value{"records": strs("192.0.2.1", "192.0.2.2"), "routing": routingVal(policyWeighted, nil)}, nil},
		{"weights mismatch", map[string]cty.Value{"records": strs("192.0.2.1", "192.0.2.2"), "routing": routingVal(policyWeighted, map[string]cty.Value{
			"weights": numberList([]int64{3})})}, []string{"Weights do not match records"}},
		{"zero weight", map[string]cty.Value{"records": strs("192.0.2.1"), "routing": routingVal(policyWeighted, map[string]cty.Value{
			"weights": numberList([]int64{0})})}, []string{"Invalid weight"}},
		{"weighted with check", map[string]cty.Value{"records": strs("192.0.2.1"), "routing": routingVal(policyWeighted, map[string]cty.Value{
			"check_port": cty.NumberIntVal(80)})}, []string{"Health checks need the failover policy"}},
		{"failover with weights", map[string]cty.Value{"records": strs("192.0.2.1"), "routing": routingVal(policyFailover, map[string]cty.Value{
			"check_port": cty.NumberIntVal(80), "weights": numberList([]int64{1})})}, []string{"Weights need the weighted policy"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			attrs := map[string]cty.Value{"zone": cty.StringVal("example.test"), "name": cty.StringVal("www"), "type": cty.StringVal("A")}
			for k, v := range tc.attrs {
				attrs[k] = v
			}
			got := summaries(h.validate(h.config(attrs)))
			if !slices.Equal(got, tc.summary) {
				t.Errorf("diagnostics = %q, want %q", got, tc.summary)
			}
		})
	}
}

func TestValidateZone(t *testing.T) {
	h := unconfigured(t, typeZone)
	for _, tc := range []struct {
		name    string
		attrs   map[string]cty.Value
		summary []string
	}{
		{"valid", map[string]cty.Value{}, nil},
		{"absolute name", map[string]cty.Value{"name": cty.StringVal("example.test.")}, nil},
		{"bad name", map[string]cty.Value{"name": cty.StringVal("-bad.test")}, []string{"Invalid zone name"}},
		{"slave kind", map[string]cty.Value{"kind": cty.StringVal("Slave")}, []string{"Invalid zone kind"}},
		{"no name servers", map[string]cty.Value{"nameservers": strs()}, []string{"No name servers"}},
		{"root name server", map[string]cty.Value{"nameservers": strs(".")}, []string{"Invalid name server"}},
		{"bad email", map[string]cty.Value{"soa_email": cty.StringVal("hostmaster")}, []string{"Invalid SOA contact"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			attrs := map[string]cty.Value{"name": cty.StringVal("example.test"), "nameservers": strs("ns1.example.test")}
			for k, v := range tc.attrs {
				attrs[k] = v
			}
			got := summaries(h.validate(h.config(attrs)))
			if !slices.Equal(got, tc.summary) {
				t.Errorf("diagnostics = %q, want %q", got, tc.summary)
			}
		})
	}
}

func TestPlanRecord(t *testing.T) {
	h := unconfigured(t, typeRecord)
	cfg := recordConfig(h, "www", "A", strs("192.0.2.1"), nil)
	created := h.plan(cty.NullVal(h.ty), cfg).PlannedState
	if got := created.GetAttr("fqdn").AsString(); got != "www.example.test." {
		t.Errorf("planned fqdn = %q", got)
	}
	if ttl, _ := intOf(created.GetAttr("ttl")); ttl != defaultTTL {
		t.Errorf("planned ttl = %d, want the default %d", ttl, defaultTTL)
	}
	state := created
	for _, tc := range []struct {
		name    string
		cfg     cty.Value
		replace []string
	}{
		{"records change in place", recordConfig(h, "www", "A", strs("192.0.2.2"), nil), nil},
		{"name replaces", recordConfig(h, "web", "A", strs("192.0.2.1"), nil), []string{"name"}},
		{"type replaces", recordConfig(h, "www", "AAAA", strs("2001:db8::1"), nil), []string{"type"}},
		{"zone replaces", h.config(map[string]cty.Value{"zone": cty.StringVal("other.test"), "name": cty.StringVal("www"), "type": cty.StringVal("A"), "records": strs("192.0.2.1")}), []string{"zone"}},
		{"zone with a dot does not", h.config(map[string]cty.Value{"zone": cty.StringVal("example.test."), "name": cty.StringVal("www"), "type": cty.StringVal("A"), "records": strs("192.0.2.1")}), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := h.plan(state, tc.cfg)
			var got []string
			for _, p := range resp.RequiresReplace {
				got = append(got, providers.FormatPath(p))
			}
			if !slices.Equal(got, tc.replace) {
				t.Errorf("RequiresReplace = %q, want %q", got, tc.replace)
			}
		})
	}
	h.wantNoChange(state, cfg)
}

func TestPlanZone(t *testing.T) {
	h := unconfigured(t, typeZone)
	cfg := h.config(map[string]cty.Value{"name": cty.StringVal("example.test"), "nameservers": strs("ns1.example.test")})
	created := h.plan(cty.NullVal(h.ty), cfg).PlannedState
	for _, a := range []string{"id", "soa_email"} {
		if created.GetAttr(a).IsKnown() {
			t.Errorf("planned %s is known at create: %#v", a, created.GetAttr(a))
		}
	}
	state := cty.ObjectVal(map[string]cty.Value{
		"name": cty.StringVal("example.test"), "kind": cty.StringVal("Native"), "nameservers": strs("ns1.example.test"),
		"soa_email": cty.StringVal("hostmaster@example.test"), "id": cty.StringVal("example.test."),
		"api_url": cty.NullVal(cty.String), "api_key": cty.NullVal(cty.String),
	})
	h.wantNoChange(state, cfg)
	moreNS := h.config(map[string]cty.Value{"name": cty.StringVal("example.test"), "nameservers": strs("ns1.example.test", "ns2.example.test")})
	resp := h.plan(state, moreNS)
	if len(resp.RequiresReplace) > 0 || resp.PlannedState.RawEquals(state) {
		t.Errorf("name server change: replace %v, planned %#v; want an update in place", resp.RequiresReplace, resp.PlannedState)
	}
	renamed := h.config(map[string]cty.Value{"name": cty.StringVal("example.org"), "nameservers": strs("ns1.example.test")})
	if resp := h.plan(state, renamed); len(resp.RequiresReplace) != 1 {
		t.Errorf("rename: RequiresReplace = %v, want name", resp.RequiresReplace)
	}
}
