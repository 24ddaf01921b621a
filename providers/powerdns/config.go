package powerdns

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// config is the provider block.
type config struct {
	// APIURL is the PowerDNS webserver's base URL, without a trailing slash.
	APIURL string
	// APIKey is the server's api-key setting.
	APIKey string
	// ServerID names the server in API paths; pdns_server calls itself
	// "localhost".
	ServerID string
}

// defaultServerID is the id every pdns_server answers to.
const defaultServerID = "localhost"

func providerSchema() *providers.Schema {
	return &providers.Schema{
		Description: "Manages zones and records of a PowerDNS authoritative server through its HTTP API.",
		Attributes: map[string]*providers.Attribute{
			"api_url": {Type: cty.String, Optional: true,
				Description: "Base URL of the PowerDNS webserver, for example \"http://127.0.0.1:8081\". Resources may set their own api_url instead."},
			"api_key": {Type: cty.String, Optional: true, Sensitive: true,
				Description: "The server's api-key setting, sent as X-API-Key. Resources may set their own api_key instead."},
			"server_id": {Type: cty.String, Optional: true, Default: cty.StringVal(defaultServerID),
				Description: "The server's id in API paths; \"localhost\" for pdns_server."},
		},
	}
}

// parseConfig checks the provider block's known values. Every attribute is
// optional: a resource may name its own server (api_url, api_key), so a
// missing block or a partial one is not an error here; a resource whose
// server is still incomplete is reported when it is used ([Provider.clientFor]).
func parseConfig(v cty.Value) (config, providers.Diagnostics) {
	cfg := config{ServerID: defaultServerID}
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() {
		return cfg, nil
	}
	var diags providers.Diagnostics
	if s, ok := knownString(v, "api_url"); ok {
		u, d := parseAPIURL(s)
		diags = diags.Append(d...)
		cfg.APIURL = u
	}
	if s, ok := knownString(v, "api_key"); ok {
		diags = diags.Append(checkAPIKey(s)...)
		cfg.APIKey = s
	}
	if s, ok := knownString(v, "server_id"); ok {
		if s == "" || strings.ContainsAny(s, "/?#") {
			diags = diags.Append(providers.AttributeErrorf(cty.GetAttrPath("server_id"), "Invalid server_id",
				"server_id %q is not a PowerDNS server id; leave it out to use \"localhost\".", s))
		}
		cfg.ServerID = s
	}
	return cfg, diags
}

// parseAPIURL checks an api_url value (of the provider block or of a
// resource) and returns it in the form the client uses: without a trailing
// slash or /api/v1.
func parseAPIURL(s string) (string, providers.Diagnostics) {
	u, err := url.Parse(s)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return "", providers.Diagnostics{providers.AttributeErrorf(cty.GetAttrPath("api_url"), "Invalid PowerDNS API URL",
			"api_url %q is not an http or https URL with a host; write the webserver's base URL, for example \"http://127.0.0.1:8081\".", s)}
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return "", providers.Diagnostics{providers.AttributeErrorf(cty.GetAttrPath("api_url"), "Invalid PowerDNS API URL",
			"api_url %q has a query, fragment or user info; write only scheme, host, port and an optional path prefix.", s)}
	}
	return strings.TrimSuffix(strings.TrimSuffix(s, "/"), "/api/v1"), nil
}

// checkAPIKey checks an api_key value.
func checkAPIKey(s string) providers.Diagnostics {
	if strings.TrimSpace(s) == "" {
		return providers.Diagnostics{providers.AttributeErrorf(cty.GetAttrPath("api_key"), "Empty API key",
			"api_key is empty; set it to the server's api-key setting.")}
	}
	return nil
}

// newClient returns an API client for cfg whose calls end when stopped is
// cancelled.
func newClient(cfg config, stopped context.Context) *client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	// The API is reached directly; an environment proxy would not know a
	// server on a machine Blueprint just created.
	transport.Proxy = nil
	return &client{
		base:     cfg.APIURL,
		apiKey:   cfg.APIKey,
		serverID: cfg.ServerID,
		http:     &http.Client{Transport: transport},
		stopped:  stopped,
		calls:    &sync.Mutex{},
	}
}
