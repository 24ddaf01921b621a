package resources

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"unicode/utf8"

	"github.com/blueprint-engine/bp/resources/diff"
)

// maxDiff bounds the diff text of one result line.
const maxDiff = 256 << 10

// writeFileAtomic replaces path with content: it writes a temporary file
// in the same directory, sets its owner and mode (o's, else the old file's,
// else root and defMode), syncs it and renames it over path, so readers
// see the old or the new file, never a half-written one.
func writeFileAtomic(path string, content []byte, o ownership, defMode os.FileMode) error {
	dir, base := filepath.Split(path)
	tmp, err := os.CreateTemp(dir, "."+base+".bp-")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(content); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// Unset attributes keep the old file's values.
	final := o
	if old, err := os.Stat(path); err == nil && old.Mode().IsRegular() {
		st, _ := old.Sys().(*syscall.Stat_t)
		if final.owner == "" && st != nil {
			final.owner = fmt.Sprint(st.Uid)
		}
		if final.group == "" && st != nil {
			final.group = fmt.Sprint(st.Gid)
		}
		if !final.hasMode {
			final.mode, final.hasMode = modeBits(old.Mode()), true
		}
	}
	if !final.hasMode {
		final.mode, final.hasMode = defMode, true
	}
	if err := final.apply(tmp.Name()); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	done = true
	return nil
}

// readRegular returns a regular file's content. exists is false when
// nothing is at path; a directory or other non-regular file is an error,
// except a symlink, which reports exists with isLink set.
func readRegular(path string) (content []byte, fi os.FileInfo, isLink bool, err error) {
	fi, err = os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, false, err
	}
	switch {
	case fi.Mode()&os.ModeSymlink != 0:
		return nil, fi, true, nil
	case fi.IsDir():
		return nil, nil, false, fmt.Errorf("%s is a directory, not a file", path)
	case !fi.Mode().IsRegular():
		return nil, nil, false, fmt.Errorf("%s is not a regular file (%s)", path, fi.Mode().Type())
	}
	content, err = os.ReadFile(path)
	return content, fi, false, err
}

// contentDiff is the unified diff of a file's content, or a note for
// binary content.
func contentDiff(oldName string, old []byte, newName string, new []byte) string {
	if bytes.Equal(old, new) {
		return ""
	}
	if isBinary(old) || isBinary(new) {
		return fmt.Sprintf("Binary files %s and %s differ\n", oldName, newName)
	}
	d := diff.Unified(oldName, string(old), newName, string(new))
	if len(d) > maxDiff {
		d = d[:maxDiff] + "\n… (diff truncated)\n"
	}
	return d
}

func isBinary(b []byte) bool {
	return bytes.IndexByte(b, 0) >= 0 || !utf8.Valid(b)
}

// mkdirs creates directories (and parents) that do not exist, 0755.
func mkdirs(dirs ...string) error {
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("creating %s: %w", d, err)
		}
	}
	return nil
}
