package agentapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Mode says whether the agent changes the host or only reports.
type Mode string

const (
	// ModeApply converges the host.
	ModeApply Mode = "apply"
	// ModeCheck changes nothing; a "changed" status means "would change".
	ModeCheck Mode = "check"
)

// Request is the one JSON document bp writes to the agent's stdin: the
// whole desired state of the host.
type Request struct {
	// Version is the protocol version; it must be ProtocolVersion.
	Version int `json:"version"`
	// Mode is apply or check.
	Mode Mode `json:"mode"`
	// Resources are in converge order: bp has already ordered them by
	// depends_on and declaration.
	Resources []Resource `json:"resources"`
}

// Resource is one host resource to converge.
type Resource struct {
	// ID names the resource in results and notify lists, such as
	// "web/template.site" (role/KIND.NAME). IDs are unique in a request.
	ID string `json:"id"`
	// Kind is the resource kind, such as "file" or "service".
	Kind string `json:"kind"`
	// Attrs are the resource's arguments as plain JSON values, already
	// evaluated by bp. A template arrives rendered, as attrs.content; for a
	// file or template with `source`, bp reads that file and sends its
	// content as attrs.content (or content_base64) instead of source. The
	// kind's name argument (resources.KindSpec.NameAttribute, such as a
	// file's path) may be left out: the agent takes it from the ID.
	Attrs map[string]any `json:"attrs"`
	// Notify lists IDs of service resources to restart or reload at the
	// end of the run when this resource changes.
	Notify []string `json:"notify,omitempty"`
	// Sensitive hides the resource's content, diff and command output in
	// every line the agent writes.
	Sensitive bool `json:"sensitive,omitempty"`
	// Source is the blueprint position of the resource, such as
	// "main.bp.hcl:42", for messages.
	Source string `json:"source,omitempty"`
}

// maxRequestSize bounds what DecodeRequest reads, so a runaway writer
// cannot exhaust the host's memory.
const maxRequestSize = 256 << 20

// DecodeRequest reads one request from r (up to EOF) and checks its shape:
// the version, the mode, and that every resource has a kind and a unique ID
// and that notify targets name resources of the request. It does not check
// kind arguments; package resources does that.
func DecodeRequest(r io.Reader) (*Request, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxRequestSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading request: %w", err)
	}
	if len(data) > maxRequestSize {
		return nil, fmt.Errorf("request is larger than %d MiB", maxRequestSize>>20)
	}
	return ParseRequest(data)
}

// ParseRequest is DecodeRequest for a request already in memory.
func ParseRequest(data []byte) (*Request, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("empty request: bp must write one JSON request to stdin")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var req Request
	if err := dec.Decode(&req); err != nil {
		return nil, fmt.Errorf("decoding request: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("decoding request: unexpected data after the JSON document")
	}
	if err := req.Check(); err != nil {
		return nil, err
	}
	return &req, nil
}

// Check reports the first structural problem in the request, or nil.
func (r *Request) Check() error {
	if r.Version != ProtocolVersion {
		return fmt.Errorf("request has protocol version %d, this agent speaks version %d", r.Version, ProtocolVersion)
	}
	if r.Mode != ModeApply && r.Mode != ModeCheck {
		return fmt.Errorf("request mode is %q; it must be %q or %q", r.Mode, ModeApply, ModeCheck)
	}
	ids := make(map[string]string, len(r.Resources))
	for i, res := range r.Resources {
		if res.ID == "" {
			return fmt.Errorf("resource #%d has no id", i+1)
		}
		if res.Kind == "" {
			return fmt.Errorf("resource %q has no kind", res.ID)
		}
		if _, dup := ids[res.ID]; dup {
			return fmt.Errorf("resource id %q appears twice in the request", res.ID)
		}
		ids[res.ID] = res.Kind
	}
	for _, res := range r.Resources {
		for _, target := range res.Notify {
			kind, ok := ids[target]
			if !ok {
				return fmt.Errorf("resource %q notifies %q, which is not in the request", res.ID, target)
			}
			if kind != "service" {
				return fmt.Errorf("resource %q notifies %q, which is a %s; only services can be notified", res.ID, target, kind)
			}
		}
	}
	return nil
}

// EncodeRequest writes req as one JSON document.
func EncodeRequest(w io.Writer, req *Request) error {
	data, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("encoding request: %w", err)
	}
	_, err = w.Write(data)
	return err
}
