package converge_test

import (
	"bufio"
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/converge/testhost"
)

// echoServer answers each line of each connection with "echo: LINE" and
// returns its address.
func echoServer(t *testing.T, network, addr string) string {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				sc := bufio.NewScanner(c)
				for sc.Scan() {
					if _, err := c.Write([]byte("echo: " + sc.Text() + "\n")); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// TestConnDialContext reaches a Unix socket and a TCP port on the host
// through the SSH connection, and says what to change when sshd refuses.
func TestConnDialContext(t *testing.T) {
	t.Parallel()
	sock := echoServer(t, "unix", filepath.Join(t.TempDir(), "admin.sock"))
	tcp := echoServer(t, "tcp", "127.0.0.1:0")
	closed := filepath.Join(t.TempDir(), "none.sock")

	plain := dial(t, testhost.Start(t, testhost.Options{}).Target)
	forwarding := dial(t, testhost.Start(t, testhost.Options{AllowTCPForwarding: true}).Target)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	tests := []struct {
		name          string
		ctx           context.Context
		forwardTCP    bool
		network, addr string
		wantErr       string // empty: the echo must come back
	}{
		{"unix socket through streamlocal", context.Background(), true, "unix", sock, ""},
		{"tcp when the server allows it", context.Background(), true, "tcp", tcp, ""},
		{"tcp refused by AllowTcpForwarding no", context.Background(), false, "tcp", tcp, "AllowTcpForwarding"},
		// OpenSSH 9.2 applies AllowTcpForwarding to Unix sockets too.
		{"unix refused by AllowTcpForwarding no", context.Background(), false, "unix", sock, "AllowTcpForwarding"},
		{"no socket at the path", context.Background(), true, "unix", closed, "accept connections"},
		{"unknown network", context.Background(), false, "udp", "127.0.0.1:53", "must be tcp or unix"},
		{"cancelled", cancelled, false, "unix", sock, "context canceled"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conn := plain
			if tc.forwardTCP {
				conn = forwarding
			}
			nc, err := conn.DialContext(tc.ctx, tc.network, tc.addr)
			if tc.wantErr != "" {
				if err == nil {
					nc.Close()
					t.Fatalf("DialContext succeeded, want an error with %q", tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q in it", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer nc.Close()
			if _, err := nc.Write([]byte("show stat\n")); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(nc).ReadString('\n')
			if err != nil || line != "echo: show stat\n" {
				t.Errorf("reply = %q, %v; want the echo", line, err)
			}
		})
	}
}
