package resources

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

func init() {
	register(KindSpec{
		Name:          "directory",
		Description:   "A directory with the given owner, group and mode.",
		NameAttribute: "path",
		Attributes: append([]AttrSpec{
			{Name: "path", Type: TypeString, Description: "Absolute path of the directory; defaults to the block label."},
			{Name: "recursive", Type: TypeBool, Description: "Create missing parent directories; with state = \"absent\", delete the directory with its content."},
			{Name: "state", Type: TypeString, Description: "\"present\" (default) or \"absent\"."},
		}, ownershipAttrs("directory")...),
	}, decodeDirectory)
}

// Directory is a directory resource.
type Directory struct {
	Path      string
	Recursive bool
	Absent    bool
	ownership ownership

	create bool // found by Check
}

func decodeDirectory(a *attrs) Resource {
	return &Directory{
		Path:      a.absPath("path"),
		Recursive: a.boolean("recursive", false),
		Absent:    a.oneOf("state", "present", "present", "absent") == "absent",
		ownership: decodeOwnership(a),
	}
}

// Check implements Resource.
func (r *Directory) Check(ctx context.Context, env *Env) (*Diff, error) {
	d := &Diff{}
	fi, err := os.Lstat(r.Path)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if exists && !fi.IsDir() {
		return nil, fmt.Errorf("%s exists and is not a directory (%s); remove it or manage it with another kind", r.Path, fi.Mode().Type())
	}
	r.create = false
	if r.Absent {
		if exists {
			d.add("delete directory %s", r.Path)
		}
		return d, nil
	}
	if !exists {
		if !r.Recursive {
			if _, err := os.Stat(filepath.Dir(r.Path)); err != nil {
				return nil, fmt.Errorf("the parent of %s does not exist; create it first or set recursive = true", r.Path)
			}
		}
		r.create = true
		d.add("create directory %s", r.Path)
		fi = nil
	}
	if err := r.ownership.check(fi, d); err != nil {
		return nil, err
	}
	return d, nil
}

// Apply implements Resource.
func (r *Directory) Apply(ctx context.Context, env *Env) error {
	if r.Absent {
		if r.Recursive {
			return os.RemoveAll(r.Path)
		}
		if err := os.Remove(r.Path); err != nil {
			return fmt.Errorf("deleting %s: %w (set recursive = true to delete a directory with its content)", r.Path, err)
		}
		return nil
	}
	if r.create {
		mk := os.Mkdir
		if r.Recursive {
			mk = os.MkdirAll
		}
		if err := mk(r.Path, 0o755); err != nil {
			return fmt.Errorf("creating %s: %w", r.Path, err)
		}
	}
	return r.ownership.apply(r.Path)
}

var _ Resource = (*Directory)(nil)
