package state

// Host keys pinned by trust on first use.
//
// A host bp configures without a host key from its provider or blueprint
// (a configure block on a plain address or a connection block) is trusted
// the first time bp reaches it; the key it presented is recorded here, by
// the address bp dialled, and every later run verifies the host against it.
// In the state file they are one optional object, sorted by address:
//
//	"host_keys": {
//	  "10.0.0.5:22": "ssh-ed25519 AAAA…"
//	}
//
// The state file leaves "host_keys" out when there are none, so states
// without them encode as before.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"slices"
	"strings"
)

// hostKeySet is a State's host keys by "host:port". Snapshots share it;
// only the State whose editor made it changes it in place.
type hostKeySet struct {
	owner *editor
	keys  map[string]string
}

// clone returns a copy of the set for the State with editor ed.
func (h *hostKeySet) clone(ed *editor) *hostKeySet {
	if h == nil {
		return nil
	}
	return &hostKeySet{owner: ed, keys: maps.Clone(h.keys)}
}

// mutableHostKeys returns the host keys for s to change.
func (s *State) mutableHostKeys() map[string]string {
	ed := s.editor()
	switch {
	case s.hostKeys == nil:
		s.hostKeys = &hostKeySet{owner: ed, keys: map[string]string{}}
	case s.hostKeys.owner != ed:
		s.hostKeys = s.hostKeys.clone(ed)
	}
	return s.hostKeys.keys
}

// hostKeyMap returns the host keys for reading.
func (s *State) hostKeyMap() map[string]string {
	if s.hostKeys == nil {
		return nil
	}
	return s.hostKeys.keys
}

// HostKey returns the host key recorded for address ("host:port"), or "".
func (s *State) HostKey(address string) string {
	return s.hostKeyMap()[address]
}

// SetHostKey records key (authorized_keys format, "ssh-ed25519 AAAA…") as
// the pinned host key of address ("host:port").
func (s *State) SetHostKey(address, key string) {
	s.mutableHostKeys()[address] = key
}

// RemoveHostKey forgets the host key of address, so the next run trusts
// the key the host presents, and reports whether one was recorded.
func (s *State) RemoveHostKey(address string) bool {
	if _, ok := s.hostKeyMap()[address]; !ok {
		return false
	}
	delete(s.mutableHostKeys(), address)
	return true
}

// HostKeyAddresses returns the addresses that have a recorded host key, in
// order.
func (s *State) HostKeyAddresses() []string {
	return slices.Sorted(maps.Keys(s.hostKeyMap()))
}

// sameHostKeys reports whether a and b record the same host keys. A state
// and its snapshots share their host keys until one of them changes them,
// so this is usually a pointer comparison.
func sameHostKeys(a, b *State) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.hostKeys == b.hostKeys || maps.Equal(a.hostKeyMap(), b.hostKeyMap())
}

// encodeHostKeys returns the "host_keys" member of the state file, with the
// comma that separates it from the member before, or nothing when there are
// no host keys.
func encodeHostKeys(keys map[string]string) []byte {
	if len(keys) == 0 {
		return nil
	}
	var b bytes.Buffer
	b.WriteString(",\n  \"host_keys\": {")
	for i, addr := range slices.Sorted(maps.Keys(keys)) {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "\n    %s: %s", jsonString(addr), jsonString(keys[addr]))
	}
	b.WriteString("\n  }")
	return b.Bytes()
}

// decodeHostKeys checks the "host_keys" member of a state file.
func decodeHostKeys(raw json.RawMessage) (map[string]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var keys map[string]string
	if err := json.Unmarshal(raw, &keys); err != nil {
		return nil, fmt.Errorf("\"host_keys\" must be an object of strings: %w", err)
	}
	for addr, key := range keys {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return nil, fmt.Errorf("\"host_keys\": %q is not an address of the form host:port", addr)
		}
		if len(strings.Fields(key)) < 2 {
			return nil, fmt.Errorf("\"host_keys\": the key of %s is not in authorized_keys format (\"ssh-ed25519 AAAA…\")", addr)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	return keys, nil
}
