package converge

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// AgentSource supplies bp-agent builds. Implementations must be safe for
// concurrent use: Run asks for the agent from one goroutine per host.
type AgentSource interface {
	// Agent returns the agent binary for linux/goarch ("amd64" or "arm64").
	// The caller does not modify the returned bytes. An error says where the
	// build was looked for and how to provide it.
	Agent(goarch string) (content []byte, err error)
}

// AgentDigester is an optional extension of AgentSource: a source that knows
// (or caches) the SHA-256 of its builds saves hashing the binary again for
// every host.
type AgentDigester interface {
	// AgentDigest returns the lowercase hex SHA-256 of Agent(goarch).
	AgentDigest(goarch string) (string, error)
}

// AgentFileName is the name an agent build has in an agent directory:
// bp-agent-linux-<goarch>.
func AgentFileName(goarch string) string { return "bp-agent-linux-" + goarch }

// AgentDir returns a source reading dir/bp-agent-linux-<goarch>. Each build is
// read once and kept in memory.
func AgentDir(dir string) AgentSource { return newDirSource([]string{dir}, "") }

// AgentDirEnv is the environment variable that points DefaultAgentSource at a
// directory of agent builds.
const AgentDirEnv = "BP_AGENT_DIR"

// DefaultAgentSource finds the agent builds that ship with bp. When
// $BP_AGENT_DIR is set only that directory is used; otherwise it looks for
// bp-agent-linux-<goarch> next to the running executable (symlinks resolved),
// then in ../lib/bp relative to it (the layout of an installed package:
// /usr/bin/bp and /usr/lib/bp/).
func DefaultAgentSource() AgentSource {
	if dir := os.Getenv(AgentDirEnv); dir != "" {
		return newDirSource([]string{dir}, "$"+AgentDirEnv)
	}
	exe, err := os.Executable()
	if err == nil {
		if resolved, rerr := filepath.EvalSymlinks(exe); rerr == nil {
			exe = resolved
		}
	}
	if err != nil {
		return newDirSource(nil, fmt.Sprintf("the directory of bp (unknown: %v)", err))
	}
	dir := filepath.Dir(exe)
	return newDirSource([]string{dir, filepath.Join(dir, "..", "lib", "bp")}, "")
}

// dirSource reads builds from the first directory that has them.
type dirSource struct {
	dirs []string
	// via names where the directories came from, for messages.
	via string

	mu     sync.Mutex
	builds map[string]agentBuild
}

type agentBuild struct {
	content []byte
	digest  string
}

func newDirSource(dirs []string, via string) *dirSource {
	return &dirSource{dirs: dirs, via: via, builds: map[string]agentBuild{}}
}

// Agent implements AgentSource.
func (s *dirSource) Agent(goarch string) ([]byte, error) {
	b, err := s.build(goarch)
	return b.content, err
}

// AgentDigest implements AgentDigester.
func (s *dirSource) AgentDigest(goarch string) (string, error) {
	b, err := s.build(goarch)
	return b.digest, err
}

func (s *dirSource) build(goarch string) (agentBuild, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.builds[goarch]; ok {
		return b, nil
	}
	name := AgentFileName(goarch)
	var looked []string
	for _, dir := range s.dirs {
		path := filepath.Join(dir, name)
		content, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			looked = append(looked, path)
			continue
		}
		if err != nil {
			return agentBuild{}, fmt.Errorf("reading the bp-agent build: %w", err)
		}
		b := agentBuild{content: content, digest: digest(content)}
		s.builds[goarch] = b
		return b, nil
	}
	where := strings.Join(looked, ", ")
	if s.via != "" {
		where += " (from " + s.via + ")"
	}
	return agentBuild{}, fmt.Errorf("no bp-agent build for linux/%s: looked for %s. Build it (GOOS=linux GOARCH=%s CGO_ENABLED=0 go build -o %s ./cmd/bp-agent) and put it next to bp, or point $%s at its directory",
		goarch, where, goarch, name, AgentDirEnv)
}

// agentDigest returns the build and its digest, using the source's cached
// digest when it offers one.
func agentDigest(src AgentSource, goarch string) ([]byte, string, error) {
	content, err := src.Agent(goarch)
	if err != nil {
		return nil, "", err
	}
	if len(content) == 0 {
		return nil, "", fmt.Errorf("the bp-agent build for linux/%s is empty", goarch)
	}
	if d, ok := src.(AgentDigester); ok {
		sum, err := d.AgentDigest(goarch)
		if err != nil {
			return nil, "", err
		}
		return content, sum, nil
	}
	return content, digest(content), nil
}

func digest(content []byte) string {
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:])
}

var (
	_ AgentSource   = (*dirSource)(nil)
	_ AgentDigester = (*dirSource)(nil)
)
