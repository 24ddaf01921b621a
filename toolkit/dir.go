package toolkit

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// modules holds the realizations' blueprint modules, one directory per kind.
//
//go:embed modules
var modules embed.FS

// Dir returns a directory holding the embedded modules, one subdirectory per
// kind (Dir()/load_balancer/main.bp.hcl, ...). The modules are extracted
// once per content into os.UserCacheDir()/bp/toolkit/HASH (os.TempDir() when
// there is no cache directory or it is not writable), atomically: a
// directory at that path is complete. An existing copy whose files differ
// from the embedded ones (edited by hand) is replaced. The result is the
// same for every call in a process; callers must not write into it.
func Dir() (string, error) { return extracted() }

var extracted = sync.OnceValues(func() (string, error) {
	files, hash, err := embeddedFiles(modules)
	if err != nil {
		return "", err
	}
	var errs []error
	for _, base := range cacheBases() {
		dir, err := extract(filepath.Join(base, "bp", "toolkit"), hash, files)
		if err == nil {
			return dir, nil
		}
		errs = append(errs, err)
	}
	return "", fmt.Errorf("cannot extract bp's toolkit modules: %w; make the cache directory ($XDG_CACHE_HOME or ~/.cache) or $TMPDIR writable", errors.Join(errs...))
})

// cacheBases lists where the modules may be extracted, best first.
func cacheBases() []string {
	var out []string
	if d, err := os.UserCacheDir(); err == nil {
		out = append(out, d)
	}
	return append(out, os.TempDir())
}

// embeddedFiles returns the files of fsys under modules/ by their path
// relative to it, and a hash naming that content.
func embeddedFiles(fsys fs.FS) (map[string][]byte, string, error) {
	files := map[string][]byte{}
	err := fs.WalkDir(fsys, "modules", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("modules", filepath.FromSlash(path))
		files[rel] = data
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("reading the embedded toolkit modules: %w", err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		// Lengths keep "a"+"bc" apart from "ab"+"c".
		fmt.Fprintf(h, "%d:%s\n%d:", len(name), filepath.ToSlash(name), len(files[name]))
		h.Write(files[name])
	}
	return files, hex.EncodeToString(h.Sum(nil))[:16], nil
}

// extract makes root/hash hold exactly files and returns its path.
func extract(root, hash string, files map[string][]byte) (string, error) {
	dest := filepath.Join(root, hash)
	if matches(dest, files) {
		return dest, nil
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(root, ".extract-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	for name, data := range files {
		path := filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return "", err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dest); err == nil {
		return dest, nil
	}
	// Another process extracted the same content first, or a damaged copy
	// is in the way.
	if matches(dest, files) {
		return dest, nil
	}
	if err := os.RemoveAll(dest); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dest); err != nil {
		if matches(dest, files) {
			return dest, nil
		}
		return "", err
	}
	return dest, nil
}

// matches reports whether dir holds exactly files.
func matches(dir string, files map[string][]byte) bool {
	seen := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		want, ok := files[rel]
		if !ok {
			return fs.ErrExist
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			return fs.ErrInvalid
		}
		seen++
		return nil
	})
	return err == nil && seen == len(files)
}
