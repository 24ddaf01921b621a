package powerdns

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/providers"
	"github.com/miekg/dns"
	"github.com/zclconf/go-cty/cty"
)

// Tests of the per-resource server: api_url and api_key on a resource
// override the provider block, which may then be left out.

// blockless returns a provider configured without a provider block.
func blockless(t *testing.T) *Provider {
	t.Helper()
	p := New()
	if d := p.Configure(context.Background(), providers.ConfigureRequest{Config: cty.NullVal(providerSchema().ImpliedType())}).Diagnostics; d.HasErrors() {
		t.Fatalf("Configure without a provider block: %v", d.Err())
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func TestResourceServerOverride(t *testing.T) {
	api := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "Not Found", http.StatusNotFound) })
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	zoneAt := func(p *Provider, url, key cty.Value) providers.ReadResourceResponse {
		h := &harness{p: p, schema: zoneResource{}.schema()}
		return p.ReadResource(context.Background(), providers.ReadResourceRequest{TypeName: typeZone,
			CurrentState: h.config(map[string]cty.Value{"name": cty.StringVal("example.test"), "api_url": url, "api_key": key})})
	}
	null := cty.NullVal(cty.String)
	for _, tc := range []struct {
		name     string
		provider *Provider
		url, key cty.Value
		summary  string // empty: the read reaches the fake API and finds no zone
	}{
		{"resource names the server", blockless(t), cty.StringVal(api.URL), cty.StringVal(testKey), ""},
		{"resource overrides the block", newProvider(t, closedURL, "other-key-42"), cty.StringVal(api.URL), cty.StringVal(testKey), ""},
		{"resource key with the block's URL", newProvider(t, api.URL, "other-key-42"), null, cty.StringVal(testKey), ""},
		{"block's server", newProvider(t, api.URL, testKey), null, null, ""},
		{"no server anywhere", blockless(t), null, null, "No PowerDNS server"},
		{"no key anywhere", blockless(t), cty.StringVal(api.URL), null, "No PowerDNS API key"},
		{"invalid resource URL", blockless(t), cty.StringVal("ftp://x"), cty.StringVal(testKey), "Invalid PowerDNS API URL"},
		{"override with a wrong key", newProvider(t, api.URL, testKey), null, cty.StringVal("wrong-key-1234"), "PowerDNS rejected the API key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := zoneAt(tc.provider, tc.url, tc.key)
			if tc.summary == "" {
				if resp.Diagnostics.HasErrors() {
					t.Fatalf("read: %v", resp.Diagnostics.Err())
				}
				if !resp.NewState.IsNull() {
					t.Errorf("read = %#v, want null (the fake API has no zones)", resp.NewState)
				}
				return
			}
			if !resp.Diagnostics.HasErrors() || resp.Diagnostics[0].Summary != tc.summary {
				t.Fatalf("diagnostics = %v, want %q", resp.Diagnostics, tc.summary)
			}
			if strings.Contains(resp.Diagnostics.Err().Error(), testKey) {
				t.Errorf("diagnostic shows the API key: %v", resp.Diagnostics.Err())
			}
		})
	}
}

func TestValidateResourceServer(t *testing.T) {
	for _, typeName := range []string{typeZone, typeRecord} {
		h := unconfigured(t, typeName)
		base := map[string]cty.Value{"name": cty.StringVal("www"), "nameservers": strs("ns1.example.test"),
			"zone": cty.StringVal("example.test"), "type": cty.StringVal("A"), "records": strs("192.0.2.1")}
		if typeName == typeZone {
			base["name"] = cty.StringVal("example.test")
		}
		for _, tc := range []struct {
			name     string
			url, key cty.Value
			want     []string
		}{
			{"valid", cty.StringVal("http://10.0.0.5:8081"), cty.StringVal("k"), nil},
			{"unknown", cty.UnknownVal(cty.String), cty.UnknownVal(cty.String), nil},
			{"bad URL", cty.StringVal("10.0.0.5:8081"), cty.StringVal("k"), []string{"Invalid PowerDNS API URL"}},
			{"empty key", cty.StringVal("http://10.0.0.5:8081"), cty.StringVal(""), []string{"Empty API key"}},
		} {
			t.Run(typeName+"/"+tc.name, func(t *testing.T) {
				attrs := map[string]cty.Value{"api_url": tc.url, "api_key": tc.key}
				for k, v := range base {
					if h.schema.Attributes[k] != nil {
						attrs[k] = v
					}
				}
				diags := h.validate(h.config(attrs))
				if got := summaries(diags); !slices.Equal(got, tc.want) {
					t.Errorf("diagnostics = %q, want %q", got, tc.want)
				}
				for _, d := range diags {
					if got := providers.FormatPath(d.Attribute); got != "api_url" && got != "api_key" {
						t.Errorf("diagnostic %q points at %q, want the server attribute", d.Summary, got)
					}
				}
			})
		}
	}
}

func TestPlanResourceServer(t *testing.T) {
	h := unconfigured(t, typeRecord)
	cfg := func(url cty.Value) cty.Value {
		return recordConfig(h, "www", "A", strs("192.0.2.1"), map[string]cty.Value{"api_url": url, "api_key": cty.StringVal("k")})
	}
	// The server is created in the same run: its address is unknown.
	created := h.plan(cty.NullVal(h.ty), cfg(cty.UnknownVal(cty.String))).PlannedState
	if got := created.GetAttr("fqdn"); !got.IsKnown() || got.AsString() != "www.example.test." {
		t.Errorf("fqdn planned with an unknown server = %#v, want known", got)
	}
	if created.GetAttr("api_url").IsKnown() {
		t.Errorf("api_url planned known: %#v", created.GetAttr("api_url"))
	}
	state := func(url cty.Value) cty.Value {
		m := cfg(url).AsValueMap()
		m["fqdn"], m["ttl"] = cty.StringVal("www.example.test."), cty.NumberIntVal(defaultTTL)
		return cty.ObjectVal(m)
	}
	for _, tc := range []struct {
		name         string
		prior, next  cty.Value
		wantReplaced bool
	}{
		{"same server", state(cty.StringVal("http://10.0.0.5:8081")), cty.StringVal("http://10.0.0.5:8081"), false},
		{"another server", state(cty.StringVal("http://10.0.0.5:8081")), cty.StringVal("http://10.0.0.6:8081"), true},
		{"server being replaced", state(cty.StringVal("http://10.0.0.5:8081")), cty.UnknownVal(cty.String), true},
		{"first named (imported)", state(cty.NullVal(cty.String)), cty.StringVal("http://10.0.0.5:8081"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := h.plan(tc.prior, cfg(tc.next))
			replaced := slices.ContainsFunc(resp.RequiresReplace, func(p cty.Path) bool { return providers.FormatPath(p) == "api_url" })
			if replaced != tc.wantReplaced {
				t.Errorf("RequiresReplace = %v, want api_url replaced: %v", resp.RequiresReplace, tc.wantReplaced)
			}
		})
	}
}

func TestWaitReachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx := context.Background()
	c := newClient(config{APIURL: "http://" + addr, APIKey: testKey, ServerID: defaultServerID}, ctx)

	// Nothing listens yet: a short wait gives up with the connection error.
	if err := c.waitReachable(ctx, 300*time.Millisecond); err == nil || !strings.Contains(err.Error(), "Cannot reach") {
		t.Fatalf("wait on a closed port = %v, want Cannot reach", err)
	}
	// The server comes up while the client waits.
	started := make(chan *httptest.Server, 1)
	time.AfterFunc(800*time.Millisecond, func() {
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"id": "localhost", "daemon_type": "authoritative", "version": "4.7.3"}`)
		}))
		// The client's own dials can hold the port for a moment (a TCP
		// self-connect to a port nobody listens on), so retry briefly.
		var ln net.Listener
		for range 50 {
			if l, lerr := net.Listen("tcp", addr); lerr == nil {
				ln = l
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if ln == nil {
			started <- nil
			return
		}
		srv.Listener = ln
		srv.Start()
		started <- srv
	})
	start := time.Now()
	err = c.waitReachable(ctx, 20*time.Second)
	if srv := <-started; srv != nil {
		defer srv.Close()
	} else {
		t.Fatalf("could not listen on %s again", addr)
	}
	if err != nil {
		t.Fatalf("wait for a server that came up: %v", err)
	}
	if waited := time.Since(start); waited < 500*time.Millisecond {
		t.Errorf("returned after %s, before the server was up", waited)
	}

	// A wrong key is an answer, not an outage: no waiting.
	wrong := newClient(config{APIURL: "http://" + addr, APIKey: "wrong", ServerID: defaultServerID}, ctx)
	api := fakeAPI(t, nil)
	wrong.base = api.URL
	start = time.Now()
	if err := wrong.waitReachable(ctx, 20*time.Second); err == nil || time.Since(start) > 5*time.Second {
		t.Errorf("wrong key: err %v after %s, want an error at once", err, time.Since(start))
	}
}

// TestEndToEndResourceServer manages a zone and a record on a real
// pdns_server named only by the resources, with no provider block.
func TestEndToEndResourceServer(t *testing.T) {
	srv := startPDNS(t)
	p := blockless(t)
	zones := newHarness(t, p, typeZone)
	records := newHarness(t, p, typeRecord)
	server := map[string]cty.Value{"api_url": cty.StringVal(srv.APIURL), "api_key": cty.StringVal(srv.APIKey)}
	with := func(attrs map[string]cty.Value) map[string]cty.Value {
		for k, v := range server {
			attrs[k] = v
		}
		return attrs
	}
	zoneCfg := zones.config(with(map[string]cty.Value{"name": cty.StringVal("example.test"), "nameservers": strs("ns1.example.test")}))
	zone := zones.create(zoneCfg)
	recCfg := recordConfig(records, "www", "A", strs("192.0.2.20"), with(map[string]cty.Value{}))
	rec := records.create(recCfg)
	if a := srv.query(t, "www.example.test", dns.TypeA); !slices.Equal(a.Records, []string{"192.0.2.20"}) {
		t.Fatalf("answer = %+v, want 192.0.2.20", a)
	}
	// Refresh keeps the server attributes, which only the state knows.
	zone = zones.read(zone)
	rec = records.read(rec)
	for _, v := range []cty.Value{zone, rec} {
		if got := v.GetAttr("api_url"); got.IsNull() || got.AsString() != srv.APIURL {
			t.Errorf("read api_url = %#v, want %s", got, srv.APIURL)
		}
	}
	zones.wantNoChange(zone, zoneCfg)
	records.wantNoChange(rec, recCfg)

	records.destroy(rec)
	if a := srv.query(t, "www.example.test", dns.TypeA); len(a.Records) != 0 {
		t.Errorf("answer after destroy = %+v, want none", a)
	}
	zones.destroy(zone)
	if code, _ := srv.api(t, http.MethodGet, "/api/v1/servers/localhost/zones/example.test.", ""); code != http.StatusNotFound {
		t.Errorf("zone after destroy: GET answered %d, want 404", code)
	}
}

// TestConcurrentWrites creates and deletes records in parallel, as the
// engine does: PowerDNS with sqlite3 answers 500 to overlapping writes,
// so the provider must send one call at a time to a server.
func TestConcurrentWrites(t *testing.T) {
	srv := startPDNS(t)
	p := blockless(t)
	zones := newHarness(t, p, typeZone)
	records := newHarness(t, p, typeRecord)
	server := func(attrs map[string]cty.Value) map[string]cty.Value {
		attrs["api_url"], attrs["api_key"] = cty.StringVal(srv.APIURL), cty.StringVal(srv.APIKey)
		return attrs
	}
	zones.create(zones.config(server(map[string]cty.Value{"name": cty.StringVal("example.test"), "nameservers": strs("ns1.example.test")})))

	const n = 24
	apply := func(i int, create bool) providers.ApplyResourceChangeResponse {
		cfg := recordConfig(records, fmt.Sprintf("r%d", i), "A", strs(fmt.Sprintf("192.0.2.%d", i+1)), server(map[string]cty.Value{}))
		planned := providers.ProposedNewObject(records.schema, cty.NullVal(records.ty), cfg)
		m := planned.AsValueMap()
		m["fqdn"] = cty.StringVal(fmt.Sprintf("r%d.example.test.", i))
		m["ttl"] = cty.NumberIntVal(defaultTTL)
		planned = cty.ObjectVal(m)
		req := providers.ApplyResourceChangeRequest{TypeName: typeRecord, PriorState: cty.NullVal(records.ty), PlannedState: planned, Config: cfg}
		if !create {
			req = providers.ApplyResourceChangeRequest{TypeName: typeRecord, PriorState: planned, PlannedState: cty.NullVal(records.ty), Config: cty.NullVal(records.ty)}
		}
		return p.ApplyResourceChange(context.Background(), req)
	}
	for _, create := range []bool{true, false} {
		errs := make(chan error, n)
		for i := range n {
			go func() { errs <- apply(i, create).Diagnostics.Err() }()
		}
		for range n {
			if err := <-errs; err != nil {
				t.Errorf("create=%v: %v", create, err)
			}
		}
		want := 0
		if create {
			want = 1
		}
		for i := range n {
			if a := srv.query(t, fmt.Sprintf("r%d.example.test", i), dns.TypeA); len(a.Records) != want {
				t.Errorf("create=%v: r%d answers %v", create, i, a.Records)
			}
		}
	}
}
