package powerdns

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blueprint-engine/bp/providers"
)

// client calls the PowerDNS HTTP API of one server. It is safe for
// concurrent use.
type client struct {
	// base is api_url without a trailing slash, for example
	// "http://127.0.0.1:8081".
	base     string
	apiKey   string
	serverID string
	http     *http.Client
	// stopped is cancelled by Provider.Stop; every call ends with it.
	stopped context.Context
	// serverChecked is set once a call to the server object succeeded.
	serverChecked atomic.Bool
	// calls serializes the calls to one server, shared by every client of
	// it: PowerDNS with the sqlite3 backend answers 500 ("database is
	// locked") to a write that overlaps another call, and the API answers
	// in milliseconds, so one call at a time costs nothing that matters.
	calls *sync.Mutex
}

// requestTimeout bounds one API call; the API answers in milliseconds.
const requestTimeout = 30 * time.Second

// maxResponse bounds the body read from the API (a zone with many records
// is a few megabytes).
const maxResponse = 64 << 20

// callError is a failed API call, worded for the person at the keyboard.
type callError struct {
	Summary string
	Detail  string
	// Status is the HTTP status, or 0 when no answer came.
	Status int
	// Unreachable is set when no connection could be made (the server is
	// down or not started yet).
	Unreachable bool
}

func (e *callError) Error() string { return e.Summary + ": " + e.Detail }

// diagnostic turns err into an error Diagnostic, using a callError's own
// summary and detail.
func diagnostic(summary string, err error) providers.Diagnostic {
	var ce *callError
	if errors.As(err, &ce) {
		return providers.Errorf(ce.Summary, "%s", ce.Detail)
	}
	return providers.FromError(summary, err)
}

// zonePath returns the API path of a zone (or of the zone list when zone is
// empty).
func (c *client) zonePath(zone string) string {
	p := "/api/v1/servers/" + url.PathEscape(c.serverID) + "/zones"
	if zone != "" {
		p += "/" + url.PathEscape(absolute(zone))
	}
	return p
}

// do sends one request and returns the status and body of a 2xx answer, or
// the status and a callError for any other. Statuses in ok are returned
// without error, for the caller to handle (404 for "gone", 409 for
// "exists").
func (c *client) do(ctx context.Context, method, path string, body any, ok ...int) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	defer context.AfterFunc(c.stopped, cancel)()

	var reader io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, fmt.Errorf("encoding the request: %w", err)
		}
		reader = bytes.NewReader(b)
	}
	target := c.base + path
	req, err := http.NewRequestWithContext(ctx, method, target, reader)
	if err != nil {
		return 0, nil, &callError{Summary: "Invalid PowerDNS API URL", Detail: fmt.Sprintf(
			"Cannot build a request for %s: %v. Set api_url to the PowerDNS webserver's base URL, for example \"http://127.0.0.1:8081\".", target, err)}
	}
	req.Header.Set("X-API-Key", c.apiKey)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	c.calls.Lock()
	defer c.calls.Unlock()
	resp, err := c.http.Do(req)
	if err != nil {
		if c.stopped.Err() != nil {
			return 0, nil, &callError{Summary: "PowerDNS call interrupted", Detail: fmt.Sprintf("The call %s %s was stopped before it finished.", method, target)}
		}
		return 0, nil, &callError{Unreachable: true, Summary: "Cannot reach the PowerDNS API", Detail: fmt.Sprintf(
			"%s %s failed: %v. Check that api_url is right and that pdns_server runs with api=yes and webserver=yes, listening on that address and port.",
			method, target, unwrapURLError(err))}
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return resp.StatusCode, nil, &callError{Status: resp.StatusCode, Summary: "Cannot read the PowerDNS API's answer",
			Detail: fmt.Sprintf("Reading the answer to %s %s failed: %v.", method, target, err)}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp.StatusCode, respBody, nil
	}
	for _, s := range ok {
		if resp.StatusCode == s {
			return resp.StatusCode, respBody, nil
		}
	}
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return resp.StatusCode, nil, &callError{Status: resp.StatusCode, Summary: "PowerDNS rejected the API key", Detail: fmt.Sprintf(
			"The PowerDNS API at %s answered %q: the provider's api_key does not match the server's api-key setting. Set api_key to the key the server was started with.",
			c.base, resp.Status)}
	}
	msg := errorMessage(respBody)
	if msg == "" {
		msg = resp.Status
	}
	return resp.StatusCode, respBody, &callError{Status: resp.StatusCode, Summary: "PowerDNS API error", Detail: fmt.Sprintf(
		"%s %s answered %d: %s", method, target, resp.StatusCode, msg)}
}

// unwrapURLError drops net/http's "Get \"URL\":" prefix, which the message
// already names.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// checkServer verifies once that the API answers for the configured server
// with the configured key, so that a wrong server_id is reported as such
// rather than as every zone missing.
func (c *client) checkServer(ctx context.Context) error {
	if c.serverChecked.Load() {
		return nil
	}
	path := "/api/v1/servers/" + url.PathEscape(c.serverID)
	status, body, err := c.do(ctx, http.MethodGet, path, nil, http.StatusNotFound)
	if err != nil {
		return err
	}
	if status == http.StatusNotFound {
		return &callError{Status: status, Summary: "Unknown PowerDNS server", Detail: fmt.Sprintf(
			"The PowerDNS API at %s has no server %q. Set server_id to the server's id; a pdns_server calls itself \"localhost\".", c.base, c.serverID)}
	}
	if _, err := parseServer(body); err != nil {
		return &callError{Status: status, Summary: "Unexpected PowerDNS API answer", Detail: fmt.Sprintf("GET %s%s: %v.", c.base, path, err)}
	}
	c.serverChecked.Store(true)
	return nil
}

// getZone returns the zone called name with its RRsets, or nil when it does
// not exist.
func (c *client) getZone(ctx context.Context, name string) (*apiZone, error) {
	if err := c.checkServer(ctx); err != nil {
		return nil, err
	}
	// PowerDNS 4.x answers 404 for a missing zone; some versions say 422
	// "Could not find domain".
	status, body, err := c.do(ctx, http.MethodGet, c.zonePath(name), nil, http.StatusNotFound, http.StatusUnprocessableEntity)
	if err != nil {
		return nil, err
	}
	switch status {
	case http.StatusNotFound:
		return nil, nil
	case http.StatusUnprocessableEntity:
		msg := errorMessage(body)
		if strings.Contains(strings.ToLower(msg), "could not find") {
			return nil, nil
		}
		return nil, &callError{Status: status, Summary: "PowerDNS API error", Detail: fmt.Sprintf("GET %s%s answered %d: %s", c.base, c.zonePath(name), status, msg)}
	}
	z, err := parseZone(body)
	if err != nil {
		return nil, &callError{Status: status, Summary: "Unexpected PowerDNS API answer", Detail: err.Error() + "."}
	}
	return z, nil
}

// createZone creates a zone. It reports exists=true, without error, when a
// zone of that name already exists.
func (c *client) createZone(ctx context.Context, req zoneCreateRequest) (exists bool, err error) {
	if err := c.checkServer(ctx); err != nil {
		return false, err
	}
	status, _, err := c.do(ctx, http.MethodPost, c.zonePath(""), req, http.StatusConflict)
	if err != nil {
		return false, err
	}
	return status == http.StatusConflict, nil
}

// updateZone changes a zone's properties (not its records).
func (c *client) updateZone(ctx context.Context, name string, req zoneUpdateRequest) error {
	_, _, err := c.do(ctx, http.MethodPut, c.zonePath(name), req)
	return err
}

// patchZone applies RRset changes to a zone, all or none.
func (c *client) patchZone(ctx context.Context, name string, req rrsetPatchRequest) error {
	if err := c.checkServer(ctx); err != nil {
		return err
	}
	_, _, err := c.do(ctx, http.MethodPatch, c.zonePath(name), req)
	return err
}

// deleteZone deletes a zone; a zone already gone is not an error.
func (c *client) deleteZone(ctx context.Context, name string) error {
	if err := c.checkServer(ctx); err != nil {
		return err
	}
	_, _, err := c.do(ctx, http.MethodDelete, c.zonePath(name), nil, http.StatusNotFound)
	return err
}
