package converge

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/pkg/sftp"
)

// AgentBinaryName is the agent's file name inside its content-hash directory.
const AgentBinaryName = "bp-agent"

// EnsureAgent makes sure the host has the agent build for its architecture
// and returns the build's path there: <agent root>/<sha256>/bp-agent. A
// converge does not need it (ConvergeAgent uploads only when the agent is
// missing, without a separate exec); it is for callers that run the agent
// in other ways. One exec learns the architecture (uname) and which builds the host already
// has; when this build is among them nothing is uploaded. Otherwise it is
// uploaded over SFTP on this connection to a temporary name, made
// executable and renamed into place, so a concurrent or interrupted upload
// never leaves a partial binary at the final path.
func (c *Conn) EnsureAgent(ctx context.Context, src AgentSource) (remotePath string, err error) {
	root := c.target.agentRoot()
	out, err := c.Output(ctx, probeCommand(root))
	if err != nil {
		return "", fmt.Errorf("host %s: probing for bp-agent: %w", c.target.DisplayName(), err)
	}
	goarch, present, err := parseProbe(string(out))
	if err != nil {
		return "", fmt.Errorf("host %s: %w", c.target.DisplayName(), err)
	}
	content, sum, err := agentDigest(src, goarch)
	if err != nil {
		return "", fmt.Errorf("host %s: %w", c.target.DisplayName(), err)
	}
	remotePath = path.Join(root, sum, AgentBinaryName)
	if present[remotePath] {
		return remotePath, nil
	}
	if err := c.upload(ctx, content, remotePath); err != nil {
		return "", c.uploadError(err, remotePath)
	}
	return remotePath, nil
}

// uploadError says why uploading the agent to remotePath failed.
func (c *Conn) uploadError(err error, remotePath string) error {
	hint := ""
	if errors.Is(err, os.ErrPermission) {
		hint = fmt.Sprintf(" (log in as root, or give %s write access to %s)", c.target.user(), c.target.agentRoot())
	}
	return fmt.Errorf("host %s: uploading bp-agent to %s: %w%s", c.target.DisplayName(), remotePath, err, hint)
}

// probeCommand prints `uname -sm`, then the path of every executable agent
// build under root, one per line.
func probeCommand(root string) string {
	return fmt.Sprintf(`uname -sm; for f in %s/*/%s; do [ -x "$f" ] && echo "$f"; done; true`, shellQuote(root), AgentBinaryName)
}

// parseProbe reads probeCommand's output.
func parseProbe(out string) (goarch string, present map[string]bool, err error) {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	fields := strings.Fields(lines[0])
	if len(fields) != 2 {
		return "", nil, fmt.Errorf("unexpected answer to uname -sm: %q", lines[0])
	}
	if fields[0] != "Linux" {
		return "", nil, fmt.Errorf("the host runs %s; bp-agent runs on Linux only", fields[0])
	}
	switch fields[1] {
	case "x86_64", "amd64":
		goarch = "amd64"
	case "aarch64", "arm64":
		goarch = "arm64"
	default:
		return "", nil, fmt.Errorf("the host's architecture %s is not supported: bp-agent is built for linux/amd64 and linux/arm64", fields[1])
	}
	present = make(map[string]bool, len(lines)-1)
	for _, l := range lines[1:] {
		present[l] = true
	}
	return goarch, present, nil
}

func (c *Conn) upload(ctx context.Context, content []byte, remotePath string) error {
	client, err := sftp.NewClient(c.client, sftp.UseConcurrentWrites(true))
	if err != nil {
		return fmt.Errorf("starting SFTP (the host's sshd needs an sftp Subsystem): %w", err)
	}
	defer client.Close()
	// SFTP calls take no context; closing the client aborts them.
	stop := context.AfterFunc(ctx, func() { client.Close() })
	defer stop()

	if err := client.MkdirAll(path.Dir(remotePath)); err != nil {
		return ctxErr(ctx, err)
	}
	var suffix [8]byte
	rand.Read(suffix[:])
	tmp := fmt.Sprintf("%s.%s.tmp", remotePath, hex.EncodeToString(suffix[:]))
	if err := writeRemote(client, tmp, content); err != nil {
		client.Remove(tmp)
		return ctxErr(ctx, err)
	}
	if err := client.PosixRename(tmp, remotePath); err != nil {
		client.Remove(tmp)
		return ctxErr(ctx, err)
	}
	return nil
}

func writeRemote(client *sftp.Client, name string, content []byte) error {
	f, err := client.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err != nil {
		return err
	}
	if _, err := f.ReadFrom(bytes.NewReader(content)); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o755); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return err
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
