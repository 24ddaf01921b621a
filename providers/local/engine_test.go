package local

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestConnectErrors(t *testing.T) {
	tests := []struct {
		name   string
		opts   ConnectOptions
		wanted []string
	}{
		{
			name:   "host argument",
			opts:   ConnectOptions{Host: "unix:///nonexistent/bp.sock", Getenv: func(string) string { return "" }},
			wanted: []string{"unix:///nonexistent/bp.sock", "given by the host setting", "make setup"},
		},
		{
			name: "DOCKER_HOST",
			opts: ConnectOptions{Getenv: func(k string) string {
				if k == "DOCKER_HOST" {
					return "unix:///nonexistent/docker.sock"
				}
				return ""
			}},
			wanted: []string{"unix:///nonexistent/docker.sock", "given by DOCKER_HOST"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Connect(context.Background(), tc.opts)
			if err == nil {
				t.Fatal("Connect succeeded")
			}
			for _, w := range tc.wanted {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestReadJSONStream(t *testing.T) {
	tests := []struct {
		name, input, wantErr string
	}{
		{name: "progress only", input: `{"status":"Importing"}` + "\n" + `{"stream":"sha256:1"}`},
		{name: "error field", input: `{"status":"x"}{"error":"disk full"}`, wantErr: "disk full"},
		{name: "error detail", input: `{"errorDetail":{"message":"bad tar"}}`, wantErr: "bad tar"},
		{name: "not JSON", input: `<html>`, wantErr: "reading the engine's answer"},
		{name: "empty", input: ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := readJSONStream(strings.NewReader(tc.input))
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestPrefixWriter(t *testing.T) {
	var out bytes.Buffer
	w := &prefixWriter{w: &out, prefix: "debootstrap: "}
	for _, chunk := range []string{"I: Retr", "ieving\nI: Valid", "ating\n", "tail"} {
		w.Write([]byte(chunk))
	}
	if got, want := out.String(), "debootstrap: I: Retrieving\ndebootstrap: I: Validating\n"; got != want {
		t.Errorf("before flush: %q, want %q", got, want)
	}
	w.Flush()
	if got, want := out.String(), "debootstrap: I: Retrieving\ndebootstrap: I: Validating\ndebootstrap: tail\n"; got != want {
		t.Errorf("after flush: %q, want %q", got, want)
	}
}
