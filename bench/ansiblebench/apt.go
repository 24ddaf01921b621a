package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// Debian packages the benchmark runs: Ansible itself, and Mitogen's
// Ansible strategy plugins (ansible-mitogen; python3-mitogen alone is only
// the library and comes with it).
const (
	ansiblePackage = "ansible-core"
	mitogenPackage = "ansible-mitogen"
)

// installed reports whether the Debian package is installed.
func installed(ctx context.Context, pkg string) bool {
	out, err := exec.CommandContext(ctx, "dpkg-query", "-W", "-f=${db:Status-Abbrev}", pkg).Output()
	return err == nil && strings.HasPrefix(string(out), "ii")
}

// ensurePackage installs the Debian package with apt-get unless it is
// installed already. apt-get waits up to five minutes for another apt or
// dpkg to release its lock rather than failing; when the package is
// unknown, the package lists are updated once and the install retried.
func ensurePackage(ctx context.Context, pkg string) error {
	if installed(ctx, pkg) {
		return nil
	}
	fmt.Fprintf(os.Stderr, "installing %s with apt-get\n", pkg)
	install := func() ([]byte, error) {
		cmd := exec.CommandContext(ctx, "apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "--no-install-recommends", pkg)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		return cmd.CombinedOutput()
	}
	out, err := install()
	if err != nil && strings.Contains(string(out), "Unable to locate package") {
		if upd, uerr := exec.CommandContext(ctx, "apt-get", "-o", "DPkg::Lock::Timeout=300", "update").CombinedOutput(); uerr != nil {
			return fmt.Errorf("apt-get update: %v\n%s", uerr, tail(string(upd), 10))
		}
		out, err = install()
	}
	if err != nil {
		return fmt.Errorf("apt-get install %s: %v\n%s", pkg, err, tail(string(out), 10))
	}
	return nil
}
