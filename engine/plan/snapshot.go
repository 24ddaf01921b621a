package plan

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	pathpkg "path"
	"path/filepath"
	"slices"
	"strings"
)

// MaxSnapshotTotal caps a configuration snapshot: SnapshotConfig fails when
// the files of a blueprint hold more.
const MaxSnapshotTotal = 16 << 20

// SnapshotConfig returns the files the blueprint under rootDir is made of,
// as a saved plan keeps them: slash-separated path relative to rootDir →
// content. Those are
//
//   - blueprint files, *.bp.hcl and *.bp.json;
//   - variable files, *.bpvars.hcl and *.bpvars.json;
//   - the provider lock file, bp.lock.hcl;
//   - templates: *.tpl and *.tmpl files, and every file under a directory
//     named templates.
//
// Nothing else goes in: files that resources write into the blueprint
// directory (a generated password file, say) must not end up inside a
// saved plan. Hidden files and directories (.bp/ among them) and symbolic
// links are left out, and so are state files with their journals, locks and
// backups, and plan files, even under templates. The selection is
// deterministic, so taking a second snapshot of an unchanged directory
// gives an equal map.
func SnapshotConfig(rootDir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	total := 0
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
		rel := relPath(rootDir, path)
		if snapshotKind(rel) == notInSnapshot {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !inSnapshot(rel, data) {
			return nil
		}
		total += len(data)
		if total > MaxSnapshotTotal {
			return fmt.Errorf("its files hold more than %d MiB; a saved plan cannot carry that much (are large files kept under a templates directory?)", MaxSnapshotTotal>>20)
		}
		files[rel] = data
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cannot snapshot the blueprint: %w", err)
	}
	return files, nil
}

// ConfigChanged compares the snapshot saved in p with the blueprint under
// rootDir now and returns, sorted, the paths of files that changed, were
// removed or were added since the plan was made. An empty result means the
// blueprint is the one the plan was made from. Only the files SnapshotConfig
// takes count: other files an older bp saved in the plan are ignored.
func (p *Plan) ConfigChanged(rootDir string) ([]string, error) {
	now, err := SnapshotConfig(rootDir)
	if err != nil {
		return nil, err
	}
	var changed []string
	for _, path := range sortedKeys(p.ConfigFiles) {
		if !inSnapshot(path, p.ConfigFiles[path]) {
			continue
		}
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

// fileKind says whether and how a file belongs in a snapshot.
type fileKind int

const (
	notInSnapshot fileKind = iota
	// blueprintFile is a blueprint, variable or lock file.
	blueprintFile
	// template is a template: a *.tpl or *.tmpl file, or a file under a
	// templates directory, which may be anything.
	template
)

// snapshotKind classifies the file at rel, a slash-separated path relative
// to the blueprint directory.
func snapshotKind(rel string) fileKind {
	dir, name := pathpkg.Split(rel)
	switch {
	case isStateFileName(name):
		return notInSnapshot
	case name == "bp.lock.hcl":
		return blueprintFile
	}
	for _, suffix := range []string{".bp.hcl", ".bp.json", ".bpvars.hcl", ".bpvars.json"} {
		if strings.HasSuffix(name, suffix) {
			return blueprintFile
		}
	}
	if strings.HasSuffix(name, ".tpl") || strings.HasSuffix(name, ".tmpl") ||
		slices.Contains(strings.Split(strings.TrimSuffix(dir, "/"), "/"), "templates") {
		return template
	}
	return notInSnapshot
}

// inSnapshot reports whether the file at rel (slash-separated, relative to
// the blueprint directory) with content data belongs in a snapshot. Hidden
// files, which SnapshotConfig never reaches, are not checked.
func inSnapshot(rel string, data []byte) bool {
	switch snapshotKind(rel) {
	case blueprintFile:
		return true
	case template:
		return !isGenerated(data)
	}
	return false
}

// isStateFileName reports whether name is a state file or one of the files
// the local backend keeps beside it.
func isStateFileName(name string) bool {
	for _, suffix := range []string{".state", ".tfstate", ".journal", ".backup", ".lock"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

// isGenerated reports whether data is a plan file or a state file, which a
// backend may keep under any name.
func isGenerated(data []byte) bool {
	if IsPlanFile(data) {
		return true
	}
	head := data[:min(len(data), 512)]
	trimmed := bytes.TrimSpace(head)
	return len(trimmed) > 0 && trimmed[0] == '{' &&
		bytes.Contains(head, []byte(`"lineage"`)) && bytes.Contains(head, []byte(`"version"`))
}
