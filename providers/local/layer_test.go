package local

import (
	"archive/tar"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata golden files from actual output")

// fakeRootfs is a tarball shaped like debootstrap's: "./"-prefixed names,
// baked host keys, a machine ID.
func fakeRootfs(t *testing.T, root bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	entries := []struct {
		name, body string
		dir        bool
	}{
		{name: "./", dir: true},
		{name: "./etc/", dir: true},
		{name: "./etc/hostname", body: "builder\n"},
		{name: "./etc/machine-id", body: "015b0cadb743423a9915acd07b53497e\n"},
		{name: "./etc/ssh/", dir: true},
		{name: "./etc/ssh/ssh_host_rsa_key", body: "secret"},
		{name: "./etc/ssh/ssh_host_ed25519_key.pub", body: "ssh-ed25519 AAAA"},
		{name: "./etc/ssh/sshd_config", body: "PermitRootLogin prohibit-password\n"},
		{name: "./etc/systemd/system/multi-user.target.wants/ssh.service", body: "old link"},
		{name: "./var/lib/dbus/machine-id", body: "015b0cadb743423a9915acd07b53497e\n"},
	}
	for _, e := range entries {
		if e.name == "./" && !root {
			continue
		}
		h := &tar.Header{Name: e.name, Mode: 0o644, Typeflag: tar.TypeReg, Size: int64(len(e.body))}
		if e.dir {
			h.Typeflag, h.Mode, h.Size = tar.TypeDir, 0o755, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		io.WriteString(tw, e.body)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCustomizeRootfs checks the image layer against a golden listing of
// the entries it writes: host keys and the machine ID gone, units added and
// masked.
func TestCustomizeRootfs(t *testing.T) {
	var out bytes.Buffer
	if err := customizeRootfs(bytes.NewReader(fakeRootfs(t, true)), &out, recipes["debian-12"]); err != nil {
		t.Fatal(err)
	}
	var listing strings.Builder
	tr := tar.NewReader(&out)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		switch h.Typeflag {
		case tar.TypeSymlink:
			fmt.Fprintf(&listing, "%s -> %s\n", h.Name, h.Linkname)
		case tar.TypeDir:
			fmt.Fprintf(&listing, "%s (dir)\n", h.Name)
		default:
			fmt.Fprintf(&listing, "%s %o %q\n", h.Name, h.Mode, firstLine(string(body)))
		}
	}
	golden := filepath.Join("testdata", "debian-12-layer.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(listing.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if listing.String() != string(want) {
		t.Errorf("layer entries differ from %s (go test -update rewrites it):\n%s", golden, listing.String())
	}
}

func TestCustomizeRootfsErrors(t *testing.T) {
	tests := []struct {
		name    string
		input   []byte
		wantErr string
	}{
		{"not a tarball", []byte(strings.Repeat("x", 1024)), "reading the root file system tarball"},
		{"no root entry", fakeRootfs(t, false), "no root directory entry"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := customizeRootfs(bytes.NewReader(tc.input), io.Discard, recipes["debian-12"])
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestRecipe(t *testing.T) {
	r, err := lookupRecipe("debian-12")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.ref(), "bp/debian-12:1"; got != want {
		t.Errorf("ref = %q, want %q", got, want)
	}
	changes := strings.Join(r.changes(), "\n")
	for _, want := range []string{`CMD ["/sbin/init"]`, "STOPSIGNAL SIGRTMIN+3", "LABEL bp.recipe=debian-12", "LABEL bp.recipe.version=1"} {
		if !strings.Contains(changes, want) {
			t.Errorf("changes lack %q:\n%s", want, changes)
		}
	}
	other := r
	other.packages = append([]string{"curl"}, r.packages...)
	if other.rootfsKey() == r.rootfsKey() {
		t.Error("a different package list must use another cached root file system")
	}
	other = r
	other.version++
	if other.rootfsKey() != r.rootfsKey() {
		t.Error("a new layer version alone must reuse the cached root file system")
	}
	if _, err := lookupRecipe("debian-99"); err == nil || !strings.Contains(err.Error(), `"debian-12"`) {
		t.Errorf("unknown recipe error should name the recipes: %v", err)
	}
}
