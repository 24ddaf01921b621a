package powerdns

import (
	"context"
	"errors"
	"time"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// A resource may name the server it lives on with its own api_url and
// api_key, overriding the provider block: the self-hosted dns_zone creates
// its PowerDNS machine in the same run, so no provider block can know the
// server's address up front.

// serverAttributes returns the per-resource server attributes every
// resource type has.
func serverAttributes() map[string]*providers.Attribute {
	return map[string]*providers.Attribute{
		"api_url": {Type: cty.String, Optional: true,
			Description: "Base URL of the PowerDNS webserver holding this object; overrides the provider block's api_url. A change of server replaces the object."},
		"api_key": {Type: cty.String, Optional: true, Sensitive: true,
			Description: "The server's api-key setting; overrides the provider block's api_key."},
	}
}

// withServerAttributes adds the per-resource server attributes to s.
func withServerAttributes(s *providers.Schema) *providers.Schema {
	for name, a := range serverAttributes() {
		s.Attributes[name] = a
	}
	return s
}

// validateServer checks a resource's known api_url and api_key.
func validateServer(cfg cty.Value) providers.Diagnostics {
	var diags providers.Diagnostics
	if s, ok := knownString(cfg, "api_url"); ok {
		_, d := parseAPIURL(s)
		diags = diags.Append(d...)
	}
	if s, ok := knownString(cfg, "api_key"); ok {
		diags = diags.Append(checkAPIKey(s)...)
	}
	return diags
}

// serverReplace returns the api_url path when planning proposed over prior
// moves the object to another server, which a PowerDNS API cannot do in
// place. A prior without api_url (imported, or managed through the provider
// block) takes one in place: it names the server the object is already on.
func serverReplace(prior, proposed cty.Value) []cty.Path {
	if prior.IsNull() {
		return nil
	}
	was := attr(prior, "api_url", cty.String)
	if was.IsNull() {
		return nil
	}
	if changed(was, attr(proposed, "api_url", cty.String)) {
		return []cty.Path{cty.GetAttrPath("api_url")}
	}
	return nil
}

// serverState returns obj's api_url and api_key, which live in the
// configuration and state only (the server cannot report its own address),
// for a state built from what the server holds.
func serverState(obj cty.Value) map[string]cty.Value {
	return map[string]cty.Value{
		"api_url": attr(obj, "api_url", cty.String),
		"api_key": attr(obj, "api_key", cty.String),
	}
}

// clientFor returns the client of the server that holds obj: its own
// api_url and api_key where set, the provider block's otherwise.
func (p *Provider) clientFor(obj cty.Value) (*client, providers.Diagnostics) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.configured {
		return nil, providers.Diagnostics{providers.Errorf("Provider not configured",
			"The powerdns provider was called before Configure succeeded; this is a bug in the engine, or the provider block has errors reported above.")}
	}
	cfg := p.defaults
	if s, ok := knownString(obj, "api_url"); ok {
		u, diags := parseAPIURL(s)
		if diags.HasErrors() {
			return nil, diags
		}
		cfg.APIURL = u
	}
	if s, ok := knownString(obj, "api_key"); ok {
		cfg.APIKey = s
	}
	switch {
	case cfg.APIURL == "":
		return nil, providers.Diagnostics{providers.Errorf("No PowerDNS server",
			"Neither this resource nor the powerdns provider block sets api_url. Set api_url and api_key on the resource, or in a provider \"powerdns\" block, to the PowerDNS webserver that holds it, for example api_url = \"http://127.0.0.1:8081\".")}
	case cfg.APIKey == "":
		return nil, providers.Diagnostics{providers.Errorf("No PowerDNS API key",
			"Neither this resource nor the powerdns provider block sets api_key for the server at %s. Set api_key to the server's api-key setting, on the resource or in the provider block.", cfg.APIURL)}
	}
	key := clientKey{url: cfg.APIURL, apiKey: cfg.APIKey}
	if c := p.clients[key]; c != nil {
		return c, nil
	}
	c := newClient(cfg, p.stopped)
	if m := p.serverCalls[cfg.APIURL]; m != nil {
		c.calls = m
	} else {
		p.serverCalls[cfg.APIURL] = c.calls
	}
	p.clients[key] = c
	return c, nil
}

// clientKey identifies one client: a server with one key.
type clientKey struct{ url, apiKey string }

// serverWait is how long an apply waits for a server that does not accept
// connections yet: one created in the same run may still be starting.
const serverWait = 60 * time.Second

// waitReachable retries reaching the server while connections fail, for at
// most d. Other errors (a wrong key, an unknown server id) end it at once.
func (c *client) waitReachable(ctx context.Context, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		err := c.checkServer(ctx)
		var ce *callError
		if err == nil || !errors.As(err, &ce) || !ce.Unreachable || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-c.stopped.Done():
			return err
		case <-time.After(500 * time.Millisecond):
		}
	}
}
