package resources

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}

func writeString(t *testing.T, path, s string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), mode); err != nil {
		t.Fatal(err)
	}
}

func modeOf(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	return formatMode(modeBits(fi.Mode()))
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func ownerOf(path string) int {
	fi, err := os.Lstat(path)
	if err != nil {
		return -1
	}
	return int(fi.Sys().(*syscall.Stat_t).Uid)
}

// uniqueName is a user or group name no other test run uses.
func uniqueName(t *testing.T) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "bptest-" + hex.EncodeToString(b)
}

func TestFileKinds(t *testing.T) {
	tests := []convergeCase{
		{
			name: "file created", kind: "file",
			attrs: func(dir string) map[string]any {
				return map[string]any{"path": dir + "/motd", "content": "hi\n", "mode": "0640"}
			},
			holds: func(t *testing.T, dir string) bool {
				return readString(t, dir+"/motd") == "hi\n" && modeOf(dir+"/motd") == "0640"
			},
			wantChange: "create", wantDiff: "+hi",
		},
		{
			name: "file content replaced", kind: "file",
			setup: func(t *testing.T, dir string) { writeString(t, dir+"/f", "a\nb\nc\n", 0o600) },
			attrs: func(dir string) map[string]any { return map[string]any{"path": dir + "/f", "content": "a\nB\nc\n"} },
			holds: func(t *testing.T, dir string) bool {
				return readString(t, dir+"/f") == "a\nB\nc\n" && modeOf(dir+"/f") == "0600"
			},
			wantChange: "content", wantDiff: "-b\n+B\n",
		},
		{
			name: "file mode only", kind: "file",
			setup: func(t *testing.T, dir string) { writeString(t, dir+"/f", "x", 0o644) },
			attrs: func(dir string) map[string]any {
				return map[string]any{"path": dir + "/f", "content": "x", "mode": "0600"}
			},
			holds:      func(t *testing.T, dir string) bool { return modeOf(dir+"/f") == "0600" },
			wantChange: "mode 0644 → 0600",
		},
		{
			name: "file owner", kind: "file",
			setup: func(t *testing.T, dir string) { writeString(t, dir+"/f", "x", 0o644) },
			attrs: func(dir string) map[string]any {
				return map[string]any{"path": dir + "/f", "content": "x", "owner": "nobody", "group": "nogroup"}
			},
			holds:      func(t *testing.T, dir string) bool { return ownerOf(dir+"/f") == 65534 },
			wantChange: "owner root → nobody",
		},
		{
			name: "binary file", kind: "file",
			attrs: func(dir string) map[string]any {
				return map[string]any{"path": dir + "/bin", "content_base64": "AAEC/w=="}
			},
			holds:      func(t *testing.T, dir string) bool { return readString(t, dir+"/bin") == "\x00\x01\x02\xff" },
			wantChange: "create", wantDiff: "Binary files",
		},
		{
			name: "file absent", kind: "file",
			setup:      func(t *testing.T, dir string) { writeString(t, dir+"/old", "bye\n", 0o644) },
			attrs:      func(dir string) map[string]any { return map[string]any{"path": dir + "/old", "state": "absent"} },
			holds:      func(t *testing.T, dir string) bool { return !exists(dir + "/old") },
			wantChange: "delete", wantDiff: "-bye",
		},
		{
			name: "file replaces symlink", kind: "file",
			setup: func(t *testing.T, dir string) {
				writeString(t, dir+"/target", "t", 0o644)
				if err := os.Symlink("target", dir+"/f"); err != nil {
					t.Fatal(err)
				}
			},
			attrs: func(dir string) map[string]any { return map[string]any{"path": dir + "/f", "content": "own"} },
			holds: func(t *testing.T, dir string) bool {
				fi, err := os.Lstat(dir + "/f")
				return err == nil && fi.Mode().IsRegular() && readString(t, dir+"/target") == "t"
			},
			wantChange: "replace symlink",
		},
		{
			name: "template", kind: "template",
			setup: func(t *testing.T, dir string) { writeString(t, dir+"/site.conf", "listen 80;\n", 0o644) },
			attrs: func(dir string) map[string]any {
				return map[string]any{"path": dir + "/site.conf", "content": "listen 8080;\n"}
			},
			holds:      func(t *testing.T, dir string) bool { return readString(t, dir+"/site.conf") == "listen 8080;\n" },
			wantChange: "content", wantDiff: "site.conf (template)",
		},
		{
			name: "directory recursive", kind: "directory",
			attrs: func(dir string) map[string]any {
				return map[string]any{"path": dir + "/a/b/c", "recursive": true, "mode": "0750", "owner": "nobody"}
			},
			holds: func(t *testing.T, dir string) bool {
				return modeOf(dir+"/a/b/c") == "0750" && ownerOf(dir+"/a/b/c") == 65534
			},
			wantChange: "create directory",
		},
		{
			name: "directory mode", kind: "directory",
			setup:      func(t *testing.T, dir string) { os.Mkdir(dir+"/d", 0o700) },
			attrs:      func(dir string) map[string]any { return map[string]any{"path": dir + "/d", "mode": "2775"} },
			holds:      func(t *testing.T, dir string) bool { return modeOf(dir+"/d") == "2775" },
			wantChange: "mode 0700 → 2775",
		},
		{
			name: "directory absent", kind: "directory",
			setup: func(t *testing.T, dir string) { os.MkdirAll(dir+"/d/sub", 0o755) },
			attrs: func(dir string) map[string]any {
				return map[string]any{"path": dir + "/d", "state": "absent", "recursive": true}
			},
			holds:      func(t *testing.T, dir string) bool { return !exists(dir + "/d") },
			wantChange: "delete directory",
		},
		{
			name: "link created", kind: "link",
			attrs: func(dir string) map[string]any { return map[string]any{"path": dir + "/l", "target": "/etc/hostname"} },
			holds: func(t *testing.T, dir string) bool {
				got, _ := os.Readlink(dir + "/l")
				return got == "/etc/hostname"
			},
			wantChange: "create link",
		},
		{
			name: "link retargeted", kind: "link",
			setup: func(t *testing.T, dir string) { os.Symlink("old", dir+"/l") },
			attrs: func(dir string) map[string]any { return map[string]any{"path": dir + "/l", "target": "new"} },
			holds: func(t *testing.T, dir string) bool {
				got, _ := os.Readlink(dir + "/l")
				return got == "new"
			},
			wantChange: "target old → new",
		},
		{
			name: "link forced over file", kind: "link",
			setup: func(t *testing.T, dir string) { writeString(t, dir+"/l", "file", 0o644) },
			attrs: func(dir string) map[string]any {
				return map[string]any{"path": dir + "/l", "target": "x", "force": true}
			},
			holds: func(t *testing.T, dir string) bool {
				got, _ := os.Readlink(dir + "/l")
				return got == "x"
			},
			wantChange: "replace",
		},
		{
			name: "line appended", kind: "line",
			setup:      func(t *testing.T, dir string) { writeString(t, dir+"/conf", "a=1\nb=2", 0o644) },
			attrs:      func(dir string) map[string]any { return map[string]any{"path": dir + "/conf", "line": "c=3"} },
			holds:      func(t *testing.T, dir string) bool { return readString(t, dir+"/conf") == "a=1\nb=2\nc=3\n" },
			wantChange: "ensure line", wantDiff: "+c=3",
		},
		{
			name: "line replaced by match", kind: "line",
			setup: func(t *testing.T, dir string) {
				writeString(t, dir+"/sshd", "Port 22\n#PermitRootLogin yes\nX 1\n", 0o600)
			},
			attrs: func(dir string) map[string]any {
				return map[string]any{"path": dir + "/sshd", "line": "PermitRootLogin no", "match": "^#?PermitRootLogin"}
			},
			holds: func(t *testing.T, dir string) bool {
				return readString(t, dir+"/sshd") == "Port 22\nPermitRootLogin no\nX 1\n" && modeOf(dir+"/sshd") == "0600"
			},
			wantChange: "ensure line", wantDiff: "-#PermitRootLogin yes\n+PermitRootLogin no",
		},
		{
			name: "line absent", kind: "line",
			setup: func(t *testing.T, dir string) { writeString(t, dir+"/hosts", "1 a\n2 b\n1 a\n", 0o644) },
			attrs: func(dir string) map[string]any {
				return map[string]any{"path": dir + "/hosts", "line": "1 a", "state": "absent"}
			},
			holds:      func(t *testing.T, dir string) bool { return readString(t, dir+"/hosts") == "2 b\n" },
			wantChange: "remove line",
		},
		{
			name: "line creates file", kind: "line",
			attrs: func(dir string) map[string]any {
				return map[string]any{"path": dir + "/new", "line": "x", "create": true}
			},
			holds:      func(t *testing.T, dir string) bool { return readString(t, dir+"/new") == "x\n" },
			wantChange: "create",
		},
		{
			name: "exec creates guard", kind: "exec",
			attrs: func(dir string) map[string]any {
				return map[string]any{"command": "echo $GREETING > out", "creates": dir + "/out", "cwd": dir, "env": map[string]any{"GREETING": "hi"}}
			},
			holds:      func(t *testing.T, dir string) bool { return readString(t, dir+"/out") == "hi\n" },
			wantChange: "run command",
		},
		{
			name: "exec unless guard", kind: "exec",
			attrs: func(dir string) map[string]any {
				return map[string]any{"command": "echo x >> " + dir + "/log", "unless": "grep -q x " + dir + "/log"}
			},
			holds:      func(t *testing.T, dir string) bool { return readString(t, dir+"/log") == "x\n" },
			wantChange: "run command",
		},
		{
			name: "exec onlyif guard", kind: "exec",
			setup: func(t *testing.T, dir string) { writeString(t, dir+"/todo", "", 0o644) },
			attrs: func(dir string) map[string]any {
				return map[string]any{"command": "rm " + dir + "/todo; echo done > " + dir + "/done", "onlyif": "test -e " + dir + "/todo"}
			},
			holds:      func(t *testing.T, dir string) bool { return readString(t, dir+"/done") == "done\n" },
			wantChange: "run command",
		},
	}
	env := &Env{StateDir: t.TempDir()}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { runConvergeCase(t, env, tc) })
	}
}

func TestCron(t *testing.T) {
	old := cronDir
	cronDir = t.TempDir()
	t.Cleanup(func() { cronDir = old })
	runConvergeCase(t, &Env{}, convergeCase{
		kind: "cron",
		attrs: func(dir string) map[string]any {
			return map[string]any{"name": "backup", "schedule": "0 3 * * *", "command": "/usr/local/bin/backup", "user": "nobody",
				"env": map[string]any{"MAILTO": ""}}
		},
		holds: func(t *testing.T, dir string) bool {
			return readString(t, cronDir+"/backup") == "# Managed by bp; changes here are overwritten.\nMAILTO=\n0 3 * * * nobody /usr/local/bin/backup\n" &&
				modeOf(cronDir+"/backup") == "0644"
		},
		wantChange: "create", wantDiff: "+0 3 * * * nobody /usr/local/bin/backup",
	})
}

func TestAccounts(t *testing.T) {
	groupName, userName := uniqueName(t), uniqueName(t)
	t.Cleanup(func() {
		exec.Command("userdel", "-r", userName).Run()
		exec.Command("groupdel", userName).Run()
		exec.Command("groupdel", groupName).Run()
	})
	env := &Env{}
	home := t.TempDir() + "/home"
	t.Run("group", func(t *testing.T) {
		runConvergeCase(t, env, convergeCase{
			kind:  "group",
			attrs: func(string) map[string]any { return map[string]any{"name": groupName, "system": true} },
			holds: func(t *testing.T, _ string) bool {
				g, err := lookupGroup(groupName)
				return err == nil && g != nil && g.GID < 1000
			},
			wantChange: "create group",
		})
	})
	t.Run("group gid", func(t *testing.T) {
		runConvergeCase(t, env, convergeCase{
			kind:  "group",
			attrs: func(string) map[string]any { return map[string]any{"name": groupName, "gid": 48123.0} },
			holds: func(t *testing.T, _ string) bool {
				g, _ := lookupGroup(groupName)
				return g != nil && g.GID == 48123
			},
			wantChange: "→ 48123",
		})
	})
	key := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBpt3st test@bp"
	t.Run("user", func(t *testing.T) {
		runConvergeCase(t, env, convergeCase{
			kind: "user",
			attrs: func(string) map[string]any {
				return map[string]any{"name": userName, "home": home, "shell": "/bin/sh", "groups": []any{groupName},
					"ssh_authorized_keys": []any{key}}
			},
			holds: func(t *testing.T, _ string) bool {
				u, _ := lookupUser(userName)
				groups, _ := groupsOf(userName)
				keys := home + "/.ssh/authorized_keys"
				return u != nil && u.Home == home && u.Shell == "/bin/sh" && contains(groups, groupName) &&
					readString(t, keys) == key+"\n" && modeOf(keys) == "0600" && ownerOf(keys) == u.UID &&
					ownerOf(home+"/.ssh") == u.UID && modeOf(home+"/.ssh") == "0700"
			},
			wantChange: "create user",
		})
	})
	t.Run("user modified", func(t *testing.T) {
		runConvergeCase(t, env, convergeCase{
			kind: "user",
			attrs: func(string) map[string]any {
				return map[string]any{"name": userName, "shell": "/bin/bash", "ssh_authorized_keys": []any{}}
			},
			holds: func(t *testing.T, _ string) bool {
				u, _ := lookupUser(userName)
				return u != nil && u.Shell == "/bin/bash" && readString(t, home+"/.ssh/authorized_keys") == ""
			},
			wantChange: "shell /bin/sh → /bin/bash",
		})
	})
	t.Run("user absent", func(t *testing.T) {
		runConvergeCase(t, env, convergeCase{
			kind:       "user",
			attrs:      func(string) map[string]any { return map[string]any{"name": userName, "state": "absent"} },
			holds:      func(t *testing.T, _ string) bool { u, _ := lookupUser(userName); return u == nil },
			wantChange: "delete user",
		})
	})
	t.Run("group absent", func(t *testing.T) {
		runConvergeCase(t, env, convergeCase{
			kind:       "group",
			attrs:      func(string) map[string]any { return map[string]any{"name": groupName, "state": "absent"} },
			holds:      func(t *testing.T, _ string) bool { g, _ := lookupGroup(groupName); return g == nil },
			wantChange: "delete group",
		})
	})
}

func TestDownload(t *testing.T) {
	body := []byte("release tarball\n")
	sum := sha256.Sum256(body)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/app.tgz" {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	env := &Env{}
	tests := []convergeCase{
		{
			name: "fresh",
			attrs: func(dir string) map[string]any {
				return map[string]any{"destination": dir + "/app.tgz", "url": srv.URL + "/app.tgz", "sha256": hex.EncodeToString(sum[:]), "mode": "0600"}
			},
			holds: func(t *testing.T, dir string) bool {
				return readString(t, dir+"/app.tgz") == string(body) && modeOf(dir+"/app.tgz") == "0600"
			},
			wantChange: "download",
		},
		{
			name:  "stale",
			setup: func(t *testing.T, dir string) { writeString(t, dir+"/app.tgz", "old", 0o644) },
			attrs: func(dir string) map[string]any {
				return map[string]any{"destination": dir + "/app.tgz", "url": srv.URL + "/app.tgz", "sha256": hex.EncodeToString(sum[:])}
			},
			holds:      func(t *testing.T, dir string) bool { return readString(t, dir+"/app.tgz") == string(body) },
			wantChange: "sha256",
		},
	}
	for _, tc := range tests {
		tc.kind = "download"
		t.Run(tc.name, func(t *testing.T) { runConvergeCase(t, env, tc) })
	}
	t.Run("checksum mismatch", func(t *testing.T) {
		dir := t.TempDir()
		r := mustNew(t, "download", map[string]any{"destination": dir + "/x", "url": srv.URL + "/app.tgz", "sha256": strings.Repeat("0", 64)})
		if _, err := r.Check(t.Context(), env); err != nil {
			t.Fatal(err)
		}
		err := r.Apply(t.Context(), env)
		if err == nil || !strings.Contains(err.Error(), "not the expected") || exists(dir+"/x") {
			t.Errorf("got %v (file exists: %v), want a checksum error and no file", err, exists(dir+"/x"))
		}
	})
	t.Run("not found", func(t *testing.T) {
		dir := t.TempDir()
		r := mustNew(t, "download", map[string]any{"destination": dir + "/x", "url": srv.URL + "/missing", "sha256": strings.Repeat("0", 64)})
		r.Check(t.Context(), env)
		if err := r.Apply(t.Context(), env); err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("got %v, want a 404 error", err)
		}
	})
}

func TestGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed for this test (scripts/setup.sh installs it)")
	}
	repo := t.TempDir() + "/repo"
	gitRun := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	os.MkdirAll(repo, 0o755)
	gitRun("init", "-q", "-b", "main")
	writeString(t, repo+"/README", "one\n", 0o644)
	gitRun("add", "README")
	gitRun("commit", "-q", "-m", "one")
	first := gitRun("rev-parse", "HEAD")
	gitRun("tag", "-a", "v1", "-m", "v1")
	writeString(t, repo+"/README", "two\n", 0o644)
	gitRun("commit", "-q", "-am", "two")
	env := &Env{}
	dest := t.TempDir() + "/app"
	t.Run("clone branch", func(t *testing.T) {
		runConvergeCase(t, env, convergeCase{
			kind: "git",
			attrs: func(string) map[string]any {
				return map[string]any{"destination": dest, "repository": repo, "revision": "main"}
			},
			holds:      func(t *testing.T, _ string) bool { return readString(t, dest+"/README") == "two\n" },
			wantChange: "clone",
		})
	})
	t.Run("annotated tag", func(t *testing.T) {
		runConvergeCase(t, env, convergeCase{
			kind: "git",
			attrs: func(string) map[string]any {
				return map[string]any{"destination": dest, "repository": repo, "revision": "v1"}
			},
			holds:      func(t *testing.T, _ string) bool { return readString(t, dest+"/README") == "one\n" },
			wantChange: first[:12],
		})
	})
	t.Run("local change discarded", func(t *testing.T) {
		runConvergeCase(t, env, convergeCase{
			kind:  "git",
			setup: func(t *testing.T, _ string) { writeString(t, dest+"/README", "edited\n", 0o644) },
			attrs: func(string) map[string]any {
				return map[string]any{"destination": dest, "repository": repo, "revision": first}
			},
			holds:      func(t *testing.T, _ string) bool { return readString(t, dest+"/README") == "one\n" },
			wantChange: "discard local changes",
		})
	})
	t.Run("unknown revision", func(t *testing.T) {
		r := mustNew(t, "git", map[string]any{"destination": dest, "repository": repo, "revision": "nope"})
		if _, err := r.Check(t.Context(), env); err == nil || !strings.Contains(err.Error(), `no branch or tag "nope"`) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("git missing", func(t *testing.T) {
		r := mustNew(t, "git", map[string]any{"destination": dest, "repository": repo})
		t.Setenv("PATH", t.TempDir())
		if _, err := r.Check(t.Context(), env); err == nil || !strings.Contains(err.Error(), "git is not installed") {
			t.Errorf("got %v", err)
		}
	})
}

func TestAptRepository(t *testing.T) {
	oldSources, oldKeys := aptSourcesDir, aptKeyringDir
	aptSourcesDir, aptKeyringDir = t.TempDir()+"/sources", t.TempDir()+"/keyrings"
	t.Cleanup(func() { aptSourcesDir, aptKeyringDir = oldSources, oldKeys })
	fake := &fakeRunner{respond: func(c Command) (CommandResult, bool) { return CommandResult{}, true }}
	env := &Env{Runner: fake}
	key := "-----BEGIN PGP PUBLIC KEY BLOCK-----\nabc\n-----END PGP PUBLIC KEY BLOCK-----\n"
	runConvergeCase(t, env, convergeCase{
		kind: "apt_repository",
		attrs: func(string) map[string]any {
			return map[string]any{"name": "nginx", "uri": "https://nginx.org/packages/debian", "suite": "bookworm",
				"components": []any{"nginx"}, "key": key}
		},
		holds: func(t *testing.T, _ string) bool {
			return readString(t, aptSourcesDir+"/nginx.list") == "# Managed by bp; changes here are overwritten.\n"+
				"deb [signed-by="+aptKeyringDir+"/nginx.asc] https://nginx.org/packages/debian bookworm nginx\n" &&
				readString(t, aptKeyringDir+"/nginx.asc") == key
		},
		wantChange: "apt-get update",
	})
	if got := fake.callsWith("apt-get update"); len(got) != 1 {
		t.Errorf("apt-get update ran %d times, want once: %q", len(got), fake.calls)
	}
}

func TestOwnerMissing(t *testing.T) {
	dir := t.TempDir()
	r := mustNew(t, "file", map[string]any{"path": dir + "/f", "content": "x", "owner": "no-such-user-bp"})
	_, err := r.Check(t.Context(), &Env{})
	if err == nil || !strings.Contains(err.Error(), `user "no-such-user-bp" does not exist`) {
		t.Errorf("got %v", err)
	}
}

func TestFileSourceNotSent(t *testing.T) {
	r := mustNew(t, "file", map[string]any{"path": t.TempDir() + "/x", "source": "files/x"})
	_, err := r.Check(t.Context(), &Env{})
	if err == nil || !strings.Contains(err.Error(), "did not arrive") {
		t.Errorf("got %v", err)
	}
}

func TestDirectoryErrors(t *testing.T) {
	dir := t.TempDir()
	writeString(t, dir+"/file", "", 0o644)
	for _, tc := range []struct {
		name  string
		attrs map[string]any
		want  string
	}{
		{"not a directory", map[string]any{"path": dir + "/file"}, "is not a directory"},
		{"missing parent", map[string]any{"path": dir + "/a/b"}, "set recursive = true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mustNew(t, "directory", tc.attrs).Check(t.Context(), &Env{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestLinkRefusesFile(t *testing.T) {
	dir := t.TempDir()
	writeString(t, dir+"/f", "", 0o644)
	_, err := mustNew(t, "link", map[string]any{"path": dir + "/f", "target": "x"}).Check(t.Context(), &Env{})
	if err == nil || !strings.Contains(err.Error(), "set force = true") {
		t.Errorf("got %v", err)
	}
}

func TestLineMissingFile(t *testing.T) {
	_, err := mustNew(t, "line", map[string]any{"path": filepath.Join(t.TempDir(), "nope"), "line": "x"}).Check(t.Context(), &Env{})
	if err == nil || !strings.Contains(err.Error(), "set create = true") {
		t.Errorf("got %v", err)
	}
}

func TestExecFailure(t *testing.T) {
	r := mustNew(t, "exec", map[string]any{"command": "echo oops >&2; exit 3"})
	if _, err := r.Check(t.Context(), &Env{}); err != nil {
		t.Fatal(err)
	}
	err := r.Apply(t.Context(), &Env{})
	if err == nil || !strings.Contains(err.Error(), "status 3") {
		t.Errorf("got %v", err)
	}
	if got := r.(OutputReporter).Output(); got != "oops\n" {
		t.Errorf("output %q", got)
	}
}

func TestFormatParseMode(t *testing.T) {
	for _, s := range []string{"0644", "0755", "4755", "2775", "1777", "0000"} {
		m, err := parseMode(s)
		if err != nil || formatMode(m) != s {
			t.Errorf("%s → %v, %v → %s", s, m, err, formatMode(m))
		}
	}
	for _, s := range []string{"644x", "9", "rw-r--r--", "077777", ""} {
		if _, err := parseMode(s); err == nil {
			t.Errorf("parseMode(%q) accepted", s)
		}
	}
	if fmt.Sprint(os.FileMode(0)) == "" {
		t.Fatal("unreachable")
	}
}
