package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func testStore(t *testing.T, now *time.Time) *Store {
	t.Helper()
	s, err := NewStore(filepath.Join(t.TempDir(), "kv"))
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return *now }
	return s
}

func TestCheckKey(t *testing.T) {
	tests := []struct {
		key string
		ok  bool
	}{
		{"greeting", true},
		{"db_password-2.old", true},
		{"_x", true},
		{"", false},
		{".hidden", false},
		{"..", false},
		{"a/b", false},
		{"a b", false},
		{strings.Repeat("k", 128), true},
		{strings.Repeat("k", 129), false},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			if err := CheckKey(tc.key); (err == nil) != tc.ok {
				t.Errorf("CheckKey(%q) = %v, want ok=%v", tc.key, err, tc.ok)
			}
		})
	}
}

func TestStoreRoundTrip(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 600, time.UTC)
	s := testStore(t, &now)
	put, err := s.Put(Entry{Key: "a", Value: "v", SensitiveValue: "s", TTL: 10, Version: 4})
	if err != nil {
		t.Fatal(err)
	}
	if put.UpdatedAt != "2025-01-02T03:04:05Z" {
		t.Errorf("UpdatedAt = %q", put.UpdatedAt)
	}
	got, ok, err := s.Get("a")
	if err != nil || !ok || got != put {
		t.Fatalf("Get = %+v, %v, %v; want %+v", got, ok, err, put)
	}
	if info, err := os.Stat(filepath.Join(s.Dir, "a.json")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("entry file: %v, %v; want mode 0600", info, err)
	}

	now = now.Add(9 * time.Second)
	if _, ok, _ := s.Get("a"); !ok {
		t.Error("the entry expired before its ttl")
	}
	now = now.Add(time.Second)
	if _, ok, err := s.Get("a"); ok || err != nil {
		t.Errorf("Get after ttl = %v, %v; want not found", ok, err)
	}

	if err := s.Delete("a"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("a"); err != nil {
		t.Errorf("second Delete: %v", err)
	}
	if entries, _ := os.ReadDir(s.Dir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
}

func TestStoreErrors(t *testing.T) {
	now := time.Now()
	s := testStore(t, &now)
	if err := os.WriteFile(filepath.Join(s.Dir, "bad.json"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Get("bad"); err == nil || !strings.Contains(err.Error(), "is not a kv entry") {
		t.Errorf("Get of a corrupt entry: %v", err)
	}
	if _, err := s.Put(Entry{Key: "../escape"}); err == nil {
		t.Error("Put accepted a key outside the directory")
	}
	if _, err := NewStore(""); err == nil {
		t.Error("NewStore accepted an empty directory")
	}
}

// FuzzStore checks that any key CheckKey accepts stays a plain file in the
// store's directory, and that Get never panics on whatever a file holds.
func FuzzStore(f *testing.F) {
	f.Add("greeting", []byte(`{"key":"greeting","value":"v","version":1}`))
	f.Add("a.b", []byte(`{"ttl":-5,"updated_at":"yesterday"}`))
	f.Add("..", []byte("null"))
	f.Fuzz(func(t *testing.T, key string, content []byte) {
		if CheckKey(key) != nil {
			return
		}
		now := time.Now()
		s := testStore(t, &now)
		if filepath.Dir(s.path(key)) != s.Dir {
			t.Fatalf("key %q escapes the store: %s", key, s.path(key))
		}
		if err := os.WriteFile(s.path(key), content, 0o600); err != nil {
			t.Fatal(err)
		}
		_, _, _ = s.Get(key)
	})
}
