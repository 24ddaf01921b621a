package plan

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits of a configuration snapshot.
const (
	// MaxSnapshotFile is the size above which a file that is not a
	// blueprint file is left out of the snapshot.
	MaxSnapshotFile = 1 << 20
	// MaxSnapshotTotal caps the whole snapshot: blueprint files always go
	// in (SnapshotConfig fails if they alone exceed it), other files only
	// while they fit.
	MaxSnapshotTotal = 16 << 20
)

// SnapshotConfig returns the blueprint under rootDir as a saved plan keeps
// it: slash-separated path relative to rootDir → content. It holds every
// blueprint file (*.bp.hcl, *.bp.json, *.bpvars.hcl) and the other small
// text files beside them, such as templates and bp.lock.hcl. It leaves out
// hidden files and directories (.bp/ among them), state files and their
// backups and locks, plan files, binary files, symbolic links, and files
// over MaxSnapshotFile. The selection is deterministic, so taking a second
// snapshot of an unchanged directory gives an equal map.
func SnapshotConfig(rootDir string) (map[string][]byte, error) {
	var blueprint, other []string
	err := filepath.WalkDir(rootDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if path != rootDir && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		if isBlueprintFile(name) {
			blueprint = append(blueprint, path)
		} else if !isStateFileName(name) {
			other = append(other, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cannot snapshot the blueprint: %w", err)
	}
	files := map[string][]byte{}
	total := 0
	for _, path := range blueprint {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("cannot snapshot the blueprint: %w", err)
		}
		total += len(data)
		if total > MaxSnapshotTotal {
			return nil, fmt.Errorf("cannot snapshot the blueprint: its files hold more than %d MiB; a saved plan cannot carry that much", MaxSnapshotTotal>>20)
		}
		files[relPath(rootDir, path)] = data
	}
	for _, path := range other {
		info, err := os.Stat(path)
		if err != nil || info.Size() > MaxSnapshotFile || total+int(info.Size()) > MaxSnapshotTotal {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil || len(data) > MaxSnapshotFile || total+len(data) > MaxSnapshotTotal || !isSnapshotText(data) {
			continue
		}
		total += len(data)
		files[relPath(rootDir, path)] = data
	}
	return files, nil
}

// ConfigChanged compares the snapshot saved in p with the blueprint under
// rootDir now and returns, sorted, the paths of files that changed, were
// removed or were added since the plan was made. An empty result means the
// blueprint is the one the plan was made from.
func (p *Plan) ConfigChanged(rootDir string) ([]string, error) {
	now, err := SnapshotConfig(rootDir)
	if err != nil {
		return nil, err
	}
	var changed []string
	for _, path := range sortedKeys(p.ConfigFiles) {
		if data, ok := now[path]; !ok || !bytes.Equal(data, p.ConfigFiles[path]) {
			changed = append(changed, path)
		}
	}
	for _, path := range sortedKeys(now) {
		if _, ok := p.ConfigFiles[path]; !ok {
			changed = append(changed, path)
		}
	}
	slices.Sort(changed)
	return changed, nil
}

func relPath(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		rel = path
	}
	return filepath.ToSlash(rel)
}

func isBlueprintFile(name string) bool {
	return strings.HasSuffix(name, ".bp.hcl") || strings.HasSuffix(name, ".bp.json") || strings.HasSuffix(name, ".bpvars.hcl")
}

// isStateFileName reports whether name is a state file or one of the files
// the local backend keeps beside it.
func isStateFileName(name string) bool {
	for _, suffix := range []string{".state", ".state.backup", ".state.lock", ".tfstate", ".tfstate.backup"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

// isSnapshotText reports whether data is a text file worth keeping: valid
// UTF-8 without NUL bytes, and neither a plan file nor a state file (which
// a backend may keep under any name).
func isSnapshotText(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) || IsPlanFile(data) {
		return false
	}
	head := data[:min(len(data), 512)]
	if trimmed := bytes.TrimSpace(head); len(trimmed) > 0 && trimmed[0] == '{' &&
		bytes.Contains(head, []byte(`"lineage"`)) && bytes.Contains(head, []byte(`"version"`)) {
		return false
	}
	return true
}
