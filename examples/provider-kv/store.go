package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// Entry is one key and what is stored with it.
type Entry struct {
	Key            string `json:"key"`
	Value          string `json:"value"`
	SensitiveValue string `json:"sensitive_value"`
	// TTL is how many seconds after UpdatedAt the entry expires; 0 means
	// never.
	TTL     int `json:"ttl"`
	Version int `json:"version"`
	// UpdatedAt is the time of the last write, RFC 3339 in UTC.
	UpdatedAt string `json:"updated_at"`
}

// Store keeps entries in a directory, one JSON file per key, each written
// atomically (temporary file, then rename).
type Store struct {
	Dir string
	// Now tells the time; tests replace it.
	Now func() time.Time
}

// NewStore returns a Store on dir, creating the directory if needed.
func NewStore(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("the directory is empty")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return &Store{Dir: dir, Now: time.Now}, nil
}

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$`)

// CheckKey says why key cannot be stored, or returns nil.
func CheckKey(key string) error {
	if !keyPattern.MatchString(key) {
		return fmt.Errorf("%q is not a valid key: use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'", key)
	}
	return nil
}

// Get returns the entry for key; ok is false when there is none or it has
// expired.
func (s *Store) Get(key string) (e Entry, ok bool, err error) {
	if err := CheckKey(key); err != nil {
		return Entry{}, false, err
	}
	data, err := os.ReadFile(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return Entry{}, false, nil
	}
	if err != nil {
		return Entry{}, false, err
	}
	if err := json.Unmarshal(data, &e); err != nil {
		return Entry{}, false, fmt.Errorf("%s is not a kv entry: %w", s.path(key), err)
	}
	if s.expired(e) {
		return Entry{}, false, nil
	}
	return e, true, nil
}

// Put writes e with UpdatedAt set to now, and returns what it wrote.
func (s *Store) Put(e Entry) (Entry, error) {
	if err := CheckKey(e.Key); err != nil {
		return Entry{}, err
	}
	e.UpdatedAt = s.Now().UTC().Format(time.RFC3339)
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return Entry{}, err
	}
	tmp, err := os.CreateTemp(s.Dir, "."+e.Key+".tmp-*")
	if err != nil {
		return Entry{}, err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return Entry{}, err
	}
	if err := tmp.Close(); err != nil {
		return Entry{}, err
	}
	return e, os.Rename(tmp.Name(), s.path(e.Key))
}

// Delete removes key; removing a key that is not there succeeds.
func (s *Store) Delete(key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	if err := os.Remove(s.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func (s *Store) path(key string) string { return filepath.Join(s.Dir, key+".json") }

func (s *Store) expired(e Entry) bool {
	if e.TTL <= 0 {
		return false
	}
	at, err := time.Parse(time.RFC3339, e.UpdatedAt)
	return err == nil && !s.Now().Before(at.Add(time.Duration(e.TTL)*time.Second))
}
