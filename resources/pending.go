package resources

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

// pendingFile is the notifications not yet delivered, persisted in
// <state-dir>/pending-notify.json so that a run that fails after a change
// still restarts the service on the next run.
type pendingFile struct {
	Version int `json:"version"`
	// Pending are in the order they were first notified.
	Pending []pendingNotify `json:"pending"`
}

// pendingNotify is one service to restart or reload.
type pendingNotify struct {
	// ID is the service resource's ID.
	ID string `json:"id"`
	// Attrs are the service's arguments when it was notified, so the
	// notification can be delivered even if a later request drops the
	// service.
	Attrs map[string]any `json:"attrs,omitempty"`
	// By is the ID of the first resource whose change notified it.
	By string `json:"by,omitempty"`
}

// pendingSet is the in-memory pending set of a run.
type pendingSet struct {
	path  string // "" in check mode: nothing is persisted
	items []pendingNotify
}

func loadPending(stateDir string) (*pendingSet, error) {
	path := filepath.Join(stateDir, agentapi.PendingNotifyFile)
	p := &pendingSet{path: path}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading pending notifications: %w", err)
	}
	var pf pendingFile
	if err := json.Unmarshal(data, &pf); err != nil {
		return nil, fmt.Errorf("reading pending notifications: %s is not valid JSON (%v); delete it to drop them", path, err)
	}
	p.items = pf.Pending
	return p, nil
}

func (p *pendingSet) has(id string) bool {
	for _, it := range p.items {
		if it.ID == id {
			return true
		}
	}
	return false
}

// add records a notification and persists the set; adding one already
// pending does nothing.
func (p *pendingSet) add(n pendingNotify) error {
	if p.has(n.ID) {
		return nil
	}
	p.items = append(p.items, n)
	return p.save()
}

// remove drops a delivered notification and persists the set.
func (p *pendingSet) remove(id string) error {
	out := p.items[:0]
	for _, it := range p.items {
		if it.ID != id {
			out = append(out, it)
		}
	}
	p.items = out
	return p.save()
}

// save writes the set atomically; an empty set removes the file.
func (p *pendingSet) save() error {
	if p.path == "" {
		return nil
	}
	if len(p.items) == 0 {
		if err := os.Remove(p.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("clearing pending notifications: %w", err)
		}
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p.path), 0o700); err != nil {
		return fmt.Errorf("saving pending notifications: %w", err)
	}
	data, err := json.MarshalIndent(pendingFile{Version: 1, Pending: p.items}, "", "  ")
	if err != nil {
		return fmt.Errorf("saving pending notifications: %w", err)
	}
	return writeFileAtomic(p.path, append(data, '\n'), ownership{mode: 0o600, hasMode: true}, 0o600)
}
