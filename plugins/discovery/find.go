package discovery

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// BinaryPrefix starts the file name of every provider plugin.
const BinaryPrefix = "bp-provider-"

// Candidate is the plugin binary Find chose for a provider.
type Candidate struct {
	// Name is the provider name the binary was looked up by ("kv").
	Name string
	// Path is the absolute path of the binary.
	Path string
	// SHA256 is the hex-encoded SHA-256 digest of the binary's contents.
	SHA256 string
	// Dir is the search directory it was found in.
	Dir Dir
}

// Hash returns the checksum in the form lock files record:
// "sha256:" followed by the hex digest.
func (c Candidate) Hash() string { return HashPrefix + c.SHA256 }

// HashPrefix starts every checksum in the form Hash returns.
const HashPrefix = "sha256:"

// BinaryName returns the file name of the plugin binary for provider name:
// bp-provider-NAME, with .exe on Windows.
func BinaryName(name string) string {
	if runtime.GOOS == "windows" {
		return BinaryPrefix + name + ".exe"
	}
	return BinaryPrefix + name
}

// Find returns the plugin binary for provider name from the first
// directory of Dirs(opts) holding an entry named BinaryName(name).
//
// It returns a *NotFoundError when no directory has one, and a
// *NotExecutableError when the first entry of that name is not an
// executable regular file (it does not look further: the user put that file
// there to be used). Other errors (an unreadable directory or binary) say
// which file or directory failed.
func Find(name string, opts Options) (Candidate, error) {
	if err := checkName(name); err != nil {
		return Candidate{}, err
	}
	dirs := Dirs(opts)
	file := BinaryName(name)
	for _, dir := range dirs {
		path := filepath.Join(dir.Path, file)
		info, err := os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return Candidate{}, fmt.Errorf("cannot read plugin %s in %s: %w", file, dir, err)
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return Candidate{}, fmt.Errorf("cannot resolve the path of plugin %s: %w", path, err)
		}
		if !info.Mode().IsRegular() || !isExecutable(info) {
			return Candidate{}, &NotExecutableError{Name: name, Path: abs, Dir: dir, Mode: info.Mode()}
		}
		sum, err := HashFile(abs)
		if err != nil {
			return Candidate{}, err
		}
		return Candidate{Name: name, Path: abs, SHA256: sum, Dir: dir}, nil
	}
	return Candidate{}, &NotFoundError{Name: name, Searched: dirs, NearMisses: nearMisses(name, dirs)}
}

// checkName refuses provider names that cannot be part of a file name, so
// that no name can make Find look outside the search directories.
func checkName(name string) error {
	if name == "" {
		return errors.New("a provider name is required to find its plugin")
	}
	for _, r := range name {
		ok := r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !ok {
			return fmt.Errorf("%q is not a valid provider name for a plugin: use letters, digits, '-' and '_' only", name)
		}
	}
	return nil
}

// isExecutable reports whether a file may be run. Windows has no execute
// bit; there a file named .exe is executable.
func isExecutable(info fs.FileInfo) bool {
	if runtime.GOOS == "windows" {
		return true
	}
	return info.Mode().Perm()&0o111 != 0
}

// HashFile returns the hex-encoded SHA-256 digest of the file at path.
func HashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("cannot read plugin binary: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("cannot read plugin binary %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// nearMisses lists files in dirs that look like a plugin for name under
// another file name (bp-provider-NAME_v1.2.3, bp-provider-NAME-linux), so
// the error can suggest renaming them.
func nearMisses(name string, dirs []Dir) []string {
	var found []string
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir.Path)
		if err != nil {
			continue
		}
		for _, e := range entries {
			n := e.Name()
			if n != BinaryName(name) && strings.HasPrefix(n, BinaryPrefix+name) && len(n) > len(BinaryPrefix+name) &&
				strings.ContainsRune("_-.", rune(n[len(BinaryPrefix+name)])) {
				found = append(found, filepath.Join(dir.Path, n))
			}
		}
	}
	sort.Strings(found)
	return found
}
