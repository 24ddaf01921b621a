package resources

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

// TestPackageCheckReal checks packages against this machine's dpkg
// database, in check mode only.
func TestPackageCheckReal(t *testing.T) {
	if _, err := exec.LookPath("dpkg-query"); err != nil {
		t.Fatal("dpkg-query is needed: these tests run on Debian")
	}
	env := &Env{Facts: agentapi.Facts{PackageManager: "apt"}}
	tests := []struct {
		name, pkg, state, version string
		want                      string // "" for unchanged
	}{
		{"installed", "bash", "present", "", ""},
		{"installed, arch-qualified", "libc6:" + dpkgArch(t), "present", "", ""},
		{"missing", "bp-no-such-package", "present", "", "install bp-no-such-package"},
		{"absent and missing", "bp-no-such-package", "absent", "", ""},
		{"absent but installed", "bash", "absent", "", "remove bash"},
		{"other version", "bash", "present", "0.0.1", "→ 0.0.1"},
		{"latest", "bash", "latest", "", ""}, // the candidate may be newer; checked below only for errors
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			attrs := map[string]any{"name": tc.pkg, "state": tc.state}
			if tc.version != "" {
				attrs["version"] = tc.version
			}
			d, err := mustNew(t, "package", attrs).Check(context.Background(), env)
			if err != nil {
				t.Fatal(err)
			}
			if tc.state == "latest" {
				return
			}
			got := strings.Join(d.Changes, "\n")
			if (tc.want == "") != !d.Changed() || !strings.Contains(got, tc.want) {
				t.Errorf("changes %q, want %q", d.Changes, tc.want)
			}
		})
	}
}

func dpkgArch(t *testing.T) string {
	out, err := exec.Command("dpkg", "--print-architecture").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// TestPackageBatch converges five package resources with a fake apt: one
// dpkg-query for all of them and one apt-get install for those missing
// (removals in the same call).
func TestPackageBatch(t *testing.T) {
	fake := &fakeRunner{respond: func(c Command) (CommandResult, bool) {
		switch c.Path {
		case "dpkg-query":
			return CommandResult{ExitCode: 1, Output: "curl\tcurl\tii \t7.88\nold\told\tii \t1.0\n" +
				"dpkg-query: no packages found matching nginx\n"}, true
		case "apt-cache":
			return CommandResult{Output: "curl:\n  Installed: 7.88\n  Candidate: 7.89\n"}, true
		}
		return CommandResult{}, true
	}}
	env := &Env{Runner: fake, Facts: agentapi.Facts{PackageManager: "apt"}}
	req := &agentapi.Request{Version: 1, Mode: agentapi.ModeApply, Resources: []agentapi.Resource{
		{ID: "r/package.nginx", Kind: "package", Attrs: map[string]any{}},
		{ID: "r/file.f", Kind: "file", Attrs: map[string]any{"path": t.TempDir() + "/f", "content": "x"}},
		{ID: "r/package.curl", Kind: "package", Attrs: map[string]any{"state": "latest"}},
		{ID: "r/package.old", Kind: "package", Attrs: map[string]any{"state": "absent"}},
		{ID: "r/package.git", Kind: "package", Attrs: map[string]any{"version": "1:2.39"}},
		{ID: "r/exec.x", Kind: "exec", Attrs: map[string]any{"command": "true", "creates": "/"}},
		{ID: "r/package.jq", Kind: "package", Attrs: map[string]any{}},
	}}
	lines := convergeLines(t, env, req)
	if got := fake.callsWith("dpkg-query"); len(got) != 2 || !strings.HasSuffix(got[0], " nginx curl old git") || !strings.HasSuffix(got[1], " jq") {
		t.Errorf("dpkg-query calls %q: want one for the four packages before the exec, one for jq", got)
	}
	installs := fake.callsWith("apt-get install")
	if len(installs) != 2 || !strings.HasSuffix(installs[0], " nginx curl git=1:2.39 old-") {
		t.Errorf("apt-get calls %q: want one install of nginx, curl, git=1:2.39 removing old, then one for jq", installs)
	}
	for _, id := range []string{"r/package.nginx", "r/package.curl", "r/package.old", "r/package.git", "r/package.jq"} {
		if r := resultFor(lines, id); r == nil || r.Status != agentapi.StatusChanged {
			t.Errorf("%s: %+v, want changed", id, r)
		}
	}
	if r := resultFor(lines, "r/package.curl"); r == nil || r.Changes[0] != "upgrade curl 7.88 → 7.89" {
		t.Errorf("curl: %+v", r)
	}
}

// TestPackageInstallFailure shows the package manager's output in the
// result of the first package of the batch and skips the rest.
func TestPackageInstallFailure(t *testing.T) {
	fake := &fakeRunner{respond: func(c Command) (CommandResult, bool) {
		switch {
		case c.Path == "dpkg-query":
			return CommandResult{ExitCode: 1}, true
		case c.Path == "apt-get" && c.Args[0] == "install":
			return CommandResult{ExitCode: 100, Output: "Reading package lists...\nE: Unable to locate package nosuch\n"}, true
		}
		return CommandResult{}, true
	}}
	env := &Env{Runner: fake, Facts: agentapi.Facts{PackageManager: "apt"}}
	req := &agentapi.Request{Version: 1, Mode: agentapi.ModeApply, Resources: []agentapi.Resource{
		{ID: "r/package.nosuch", Kind: "package", Attrs: map[string]any{}},
		{ID: "r/package.other", Kind: "package", Attrs: map[string]any{}},
	}}
	lines := convergeLines(t, env, req)
	r := resultFor(lines, "r/package.nosuch")
	if r.Status != agentapi.StatusFailed || !strings.Contains(r.Error, "Unable to locate package nosuch") || !strings.Contains(r.Output, "Reading package lists") {
		t.Errorf("first package: %+v", r)
	}
	if r := resultFor(lines, "r/package.other"); r.Status != agentapi.StatusSkipped {
		t.Errorf("second package: %+v, want skipped", r)
	}
	// Stale lists: apt-get update, then one retry.
	if got := fake.callsWith("apt-get"); len(got) != 3 || !strings.HasPrefix(got[1], "apt-get update") {
		t.Errorf("apt-get calls %q: want install, update, install", got)
	}
}

// TestPackageRealInstall installs and removes a tiny package for real. It
// needs network access to the Debian mirror, so it is not run with -short.
func TestPackageRealInstall(t *testing.T) {
	if testing.Short() {
		t.Skip("installs a package from the network")
	}
	const pkg = "sl"
	env := &Env{Facts: agentapi.Facts{PackageManager: "apt"}}
	t.Cleanup(func() { exec.Command("apt-get", "remove", "-y", "-q", pkg).Run() })
	runConvergeCase(t, env, convergeCase{
		kind:  "package",
		attrs: func(string) map[string]any { return map[string]any{"name": pkg} },
		holds: func(t *testing.T, _ string) bool {
			out, _ := exec.Command("dpkg-query", "-W", "-f=${db:Status-Abbrev}", pkg).Output()
			return strings.HasPrefix(string(out), "ii")
		},
		wantChange: "install " + pkg,
	})
}
