package local

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// hostKeyUnit generates the machine's SSH host key at first boot, so that
// no two machines share one baked into the image.
const hostKeyUnit = `[Unit]
Description=Generate the SSH host key on first boot (Blueprint)
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key

[Install]
WantedBy=multi-user.target
`

// sshdConfig makes sshd use only the ed25519 host key, the one generated
// at first boot: fast to make, and what the provider pins in state.
const sshdConfig = "# Written by Blueprint's image recipe.\nHostKey /etc/ssh/ssh_host_ed25519_key\n"

// customizeRootfs copies the debootstrap tarball src to dst, turning it into
// a machine image: baked SSH host keys and the machine ID removed (each
// machine makes its own at first boot), ssh enabled, the recipe's units
// masked.
func customizeRootfs(src io.Reader, dst io.Writer, r recipe) error {
	tr := tar.NewReader(src)
	tw := tar.NewWriter(dst)
	replaced := map[string]bool{
		"etc/machine-id":                                                    true,
		"var/lib/dbus/machine-id":                                           true,
		"etc/ssh/sshd_config.d/bp.conf":                                     true,
		"etc/systemd/system/bp-ssh-hostkey.service":                         true,
		"etc/systemd/system/multi-user.target.wants/ssh.service":            true,
		"etc/systemd/system/multi-user.target.wants/bp-ssh-hostkey.service": true,
	}
	for _, unit := range r.masked {
		replaced["etc/systemd/system/"+unit] = true
	}
	sawRoot := false
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("reading the root file system tarball: %w", err)
		}
		name := cleanName(h.Name)
		if name == "" {
			sawRoot = true
		}
		if replaced[name] || strings.HasPrefix(name, "etc/ssh/ssh_host_") {
			continue
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := io.Copy(tw, tr); err != nil {
			return err
		}
	}
	if !sawRoot {
		return fmt.Errorf("the root file system tarball has no root directory entry; it is not a debootstrap tarball")
	}
	now := time.Unix(0, 0)
	add := []*tar.Header{
		{Typeflag: tar.TypeReg, Name: "etc/machine-id", Mode: 0o444},
		{Typeflag: tar.TypeSymlink, Name: "var/lib/dbus/machine-id", Linkname: "/etc/machine-id", Mode: 0o777},
		{Typeflag: tar.TypeReg, Name: "etc/ssh/sshd_config.d/bp.conf", Mode: 0o644, Size: int64(len(sshdConfig))},
		{Typeflag: tar.TypeReg, Name: "etc/systemd/system/bp-ssh-hostkey.service", Mode: 0o644, Size: int64(len(hostKeyUnit))},
		{Typeflag: tar.TypeSymlink, Name: "etc/systemd/system/multi-user.target.wants/bp-ssh-hostkey.service", Linkname: "/etc/systemd/system/bp-ssh-hostkey.service", Mode: 0o777},
		{Typeflag: tar.TypeSymlink, Name: "etc/systemd/system/multi-user.target.wants/ssh.service", Linkname: "/lib/systemd/system/ssh.service", Mode: 0o777},
	}
	for _, unit := range r.masked {
		add = append(add, &tar.Header{Typeflag: tar.TypeSymlink, Name: "etc/systemd/system/" + unit, Linkname: "/dev/null", Mode: 0o777})
	}
	content := map[string]string{
		"etc/ssh/sshd_config.d/bp.conf":             sshdConfig,
		"etc/systemd/system/bp-ssh-hostkey.service": hostKeyUnit,
	}
	for _, h := range add {
		h.ModTime, h.Format = now, tar.FormatPAX
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if c, ok := content[h.Name]; ok {
			if _, err := io.WriteString(tw, c); err != nil {
				return err
			}
		}
	}
	return tw.Close()
}

// cleanName returns a tar entry's path relative to the root, without "./"
// or a trailing slash; "" for the root itself.
func cleanName(name string) string {
	name = path.Clean("/" + name)
	return strings.TrimPrefix(name, "/")
}
