package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/providers/local"
)

func TestImageTable(t *testing.T) {
	now := time.Date(2025, 5, 20, 12, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	c := &cli{stdout: &out}
	err := printImages(c, []local.Image{
		{Name: "debian-12", RecipeVersion: 2, Current: true, Ref: "bp/debian-12:2", ID: "sha256:1e5b00454775e723c569", Created: now.Add(-90 * time.Second), Size: 278_179_840},
		{Name: "debian-12", RecipeVersion: 1, Ref: "bp/debian-12:1", ID: "sha256:0a", Created: now.Add(-72 * time.Hour), Size: 1},
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	want := `NAME       VERSION  CURRENT  REF             ID                   CREATED       SIZE
debian-12  2        yes      bp/debian-12:2  sha256:1e5b00454775  1 minute ago  278 MB
debian-12  1        no       bp/debian-12:1  sha256:0a            3 days ago    0 MB
`
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestAge(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{10 * time.Second, "just now"},
		{2 * time.Minute, "2 minutes ago"},
		{time.Hour, "1 hour ago"},
		{47 * time.Hour, "47 hours ago"},
		{49 * time.Hour, "2 days ago"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := age(tc.d); got != tc.want {
				t.Errorf("age(%s) = %q, want %q", tc.d, got, tc.want)
			}
		})
	}
}
