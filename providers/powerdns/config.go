package powerdns

import (
	"context"
	"net/http"
	"net/url"
	"strings"

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
			"api_url": {Type: cty.String, Required: true,
				Description: "Base URL of the PowerDNS webserver, for example \"http://127.0.0.1:8081\"."},
			"api_key": {Type: cty.String, Required: true, Sensitive: true,
				Description: "The server's api-key setting, sent as X-API-Key."},
			"server_id": {Type: cty.String, Optional: true, Default: cty.StringVal(defaultServerID),
				Description: "The server's id in API paths; \"localhost\" for pdns_server."},
		},
	}
}

// parseConfig checks the provider block. With final unset it checks only
// known values (validation); with final set every value must be present
// (Configure).
func parseConfig(v cty.Value, final bool) (config, providers.Diagnostics) {
	var diags providers.Diagnostics
	if v == cty.NilVal || v.IsNull() {
		if final {
			diags = diags.Append(providers.Errorf("Missing PowerDNS provider configuration",
				"The powerdns provider needs a provider block with api_url and api_key, for example api_url = \"http://127.0.0.1:8081\"."))
		}
		return config{}, diags
	}
	if !v.IsKnown() {
		return config{}, nil
	}
	cfg := config{ServerID: defaultServerID}
	if s, ok := knownString(v, "api_url"); ok {
		u, err := url.Parse(s)
		switch {
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			diags = diags.Append(providers.AttributeErrorf(cty.GetAttrPath("api_url"), "Invalid PowerDNS API URL",
				"api_url %q is not an http or https URL with a host; write the webserver's base URL, for example \"http://127.0.0.1:8081\".", s))
		case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
			diags = diags.Append(providers.AttributeErrorf(cty.GetAttrPath("api_url"), "Invalid PowerDNS API URL",
				"api_url %q has a query, fragment or user info; write only scheme, host, port and an optional path prefix.", s))
		default:
			cfg.APIURL = strings.TrimSuffix(s, "/")
			cfg.APIURL = strings.TrimSuffix(cfg.APIURL, "/api/v1")
		}
	} else if final {
		diags = diags.Append(providers.AttributeErrorf(cty.GetAttrPath("api_url"), "Missing api_url",
			"Set api_url to the PowerDNS webserver's base URL, for example \"http://127.0.0.1:8081\"."))
	}
	if s, ok := knownString(v, "api_key"); ok {
		if strings.TrimSpace(s) == "" {
			diags = diags.Append(providers.AttributeErrorf(cty.GetAttrPath("api_key"), "Empty API key",
				"api_key is empty; set it to the server's api-key setting."))
		}
		cfg.APIKey = s
	} else if final {
		diags = diags.Append(providers.AttributeErrorf(cty.GetAttrPath("api_key"), "Missing api_key",
			"Set api_key to the PowerDNS server's api-key setting."))
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
	}
}
