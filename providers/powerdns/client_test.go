package powerdns

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

const testKey = "s3cret-key-0815"

// fakeAPI serves the server object with testKey and lets a test decide the
// rest.
func fakeAPI(t *testing.T, zones http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") != testKey {
			w.Header().Set("WWW-Authenticate", `X-API-Key realm="PowerDNS"`)
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/api/v1/servers/localhost" {
			fmt.Fprint(w, `{"id": "localhost", "daemon_type": "authoritative", "version": "4.7.3"}`)
			return
		}
		if !strings.HasPrefix(r.URL.Path, "/api/v1/servers/localhost/") {
			http.Error(w, "Not Found", http.StatusNotFound)
			return
		}
		zones(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// readZone reads zone example.test through p and returns the diagnostics.
func readZone(p *Provider) providers.ReadResourceResponse {
	h := &harness{p: p, schema: zoneResource{}.schema()}
	return p.ReadResource(context.Background(), providers.ReadResourceRequest{
		TypeName: typeZone, CurrentState: h.config(map[string]cty.Value{"name": cty.StringVal("example.test")}),
	})
}

func TestClientErrors(t *testing.T) {
	api := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"error": "Zone data is broken"}`)
	})
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	for _, tc := range []struct {
		name, url, key, serverID string
		summary                  string
		detail                   []string // fragments the detail must contain
	}{
		{"unreachable", closedURL, testKey, "localhost", "Cannot reach the PowerDNS API", []string{closedURL, "api=yes", "connection refused"}},
		{"wrong key", api.URL, "wrong-key-1234", "localhost", "PowerDNS rejected the API key", []string{api.URL, "401", "api_key"}},
		{"unknown server", api.URL, testKey, "ns9", "Unknown PowerDNS server", []string{`no server "ns9"`, "server_id"}},
		{"API error", api.URL, testKey, "localhost", "PowerDNS API error", []string{"422", "Zone data is broken", "/zones/example.test."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := New()
			cfg := cty.ObjectVal(map[string]cty.Value{
				"api_url": cty.StringVal(tc.url), "api_key": cty.StringVal(tc.key), "server_id": cty.StringVal(tc.serverID),
			})
			if d := p.Configure(context.Background(), providers.ConfigureRequest{Config: cfg}).Diagnostics; d.HasErrors() {
				t.Fatal(d.Err())
			}
			resp := readZone(p)
			if !resp.Diagnostics.HasErrors() {
				t.Fatalf("read succeeded, want %q", tc.summary)
			}
			d := resp.Diagnostics[0]
			if d.Summary != tc.summary {
				t.Errorf("summary = %q, want %q (detail: %s)", d.Summary, tc.summary, d.Detail)
			}
			for _, frag := range tc.detail {
				if !strings.Contains(d.Detail, frag) {
					t.Errorf("detail %q does not contain %q", d.Detail, frag)
				}
			}
			if strings.Contains(d.Error(), tc.key) {
				t.Errorf("diagnostic shows the API key: %s", d.Error())
			}
			if resp.NewState.IsNull() {
				t.Errorf("a failed read reported the zone gone")
			}
		})
	}
}

func TestStopInterruptsCalls(t *testing.T) {
	release := make(chan struct{})
	api := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) { <-release })
	defer close(release)
	p := newProvider(t, api.URL, testKey)
	done := make(chan providers.ReadResourceResponse, 1)
	go func() { done <- readZone(p) }()
	time.Sleep(100 * time.Millisecond)
	if err := p.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case resp := <-done:
		if !resp.Diagnostics.HasErrors() || resp.Diagnostics[0].Summary != "PowerDNS call interrupted" {
			t.Errorf("diagnostics = %v, want an interruption", resp.Diagnostics)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Stop did not end the call")
	}
}

func TestReadMissingZone(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
	}{
		{"404", http.StatusNotFound, "Not Found"},
		{"422 could not find", http.StatusUnprocessableEntity, `{"error": "Could not find domain 'example.test.'"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, tc.body, tc.status) })
			resp := readZone(newProvider(t, api.URL, testKey))
			if resp.Diagnostics.HasErrors() {
				t.Fatal(resp.Diagnostics.Err())
			}
			if !resp.NewState.IsNull() {
				t.Errorf("read of a missing zone = %#v, want null", resp.NewState)
			}
		})
	}
}

func TestProviderConfig(t *testing.T) {
	nullStr := cty.NullVal(cty.String)
	for _, tc := range []struct {
		name    string
		cfg     cty.Value
		wantURL string // the default server's URL, when valid
		summary string // empty: valid
	}{
		{"valid", providerCfg("http://127.0.0.1:8081", "k"), "http://127.0.0.1:8081", ""},
		{"trailing slash and api path", providerCfg("http://127.0.0.1:8081/api/v1/", "k"), "http://127.0.0.1:8081", ""},
		{"unknown values validate", cty.ObjectVal(map[string]cty.Value{"api_url": cty.UnknownVal(cty.String), "api_key": cty.StringVal("k"), "server_id": nullStr}), "", ""},
		// Resources may name their own server, so neither a missing block
		// nor a partial one is an error.
		{"no block", cty.NullVal(providerSchema().ImpliedType()), "", ""},
		{"key only", cty.ObjectVal(map[string]cty.Value{"api_url": nullStr, "api_key": cty.StringVal("k"), "server_id": nullStr}), "", ""},
		{"no scheme", providerCfg("127.0.0.1:8081", "k"), "", "Invalid PowerDNS API URL"},
		{"ftp", providerCfg("ftp://127.0.0.1", "k"), "", "Invalid PowerDNS API URL"},
		{"query", providerCfg("http://127.0.0.1:8081/?x=1", "k"), "", "Invalid PowerDNS API URL"},
		{"empty key", providerCfg("http://127.0.0.1:8081", " "), "", "Empty API key"},
		{"bad server id", cty.ObjectVal(map[string]cty.Value{"api_url": nullStr, "api_key": nullStr, "server_id": cty.StringVal("a/b")}), "", "Invalid server_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, diags := parseConfig(tc.cfg)
			if tc.summary == "" {
				if diags.HasErrors() {
					t.Fatalf("unexpected error: %v", diags.Err())
				}
				if cfg.APIURL != tc.wantURL {
					t.Errorf("APIURL = %q, want %q", cfg.APIURL, tc.wantURL)
				}
				return
			}
			if !diags.HasErrors() || diags[0].Summary != tc.summary {
				t.Errorf("diagnostics = %v, want %q", diags, tc.summary)
			}
		})
	}
}

func providerCfg(url, key string) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{"api_url": cty.StringVal(url), "api_key": cty.StringVal(key), "server_id": cty.StringVal("localhost")})
}

func TestRegistered(t *testing.T) {
	p, ok := providers.Builtin("powerdns")
	if !ok {
		t.Fatal("powerdns is not registered")
	}
	s := p.GetSchema(context.Background()).Schema
	if err := s.InternalValidate(); err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"dns_zone", "dns_record"} {
		if s.ResourceTypes[typ] == nil {
			t.Errorf("no resource type %s", typ)
		}
	}
	if !s.Provider.Attributes["api_key"].Sensitive {
		t.Error("api_key is not sensitive")
	}
}
