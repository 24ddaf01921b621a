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
		Name:          "link",
		Description:   "A symbolic link pointing at target.",
		NameAttribute: "path",
		Attributes: []AttrSpec{
			{Name: "path", Type: TypeString, Description: "Absolute path of the link; defaults to the block label."},
			{Name: "target", Type: TypeString, Description: "What the link points at, stored as given (absolute or relative to the link's directory)."},
			{Name: "force", Type: TypeBool, Description: "Replace a file or empty directory that is at path (a different symlink is always replaced)."},
			{Name: "state", Type: TypeString, Description: "\"present\" (default) or \"absent\"."},
		},
	}, decodeLink)
}

// Link is a symlink resource.
type Link struct {
	Path, Target string
	Force        bool
	Absent       bool
}

func decodeLink(a *attrs) Resource {
	l := &Link{Path: a.absPath("path"), Target: a.str("target"), Force: a.boolean("force", false)}
	l.Absent = a.oneOf("state", "present", "present", "absent") == "absent"
	if !l.Absent && l.Target == "" {
		a.problem("target", "Missing target", "A link needs target, the path it points at.")
	}
	return l
}

// Check implements Resource.
func (l *Link) Check(ctx context.Context, env *Env) (*Diff, error) {
	d := &Diff{}
	fi, err := os.Lstat(l.Path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	exists := err == nil
	isLink := exists && fi.Mode()&os.ModeSymlink != 0
	if l.Absent {
		if isLink {
			d.add("delete link %s", l.Path)
		} else if exists {
			return nil, fmt.Errorf("%s is not a symlink; not deleting it (use a file or directory resource)", l.Path)
		}
		return d, nil
	}
	switch {
	case !exists:
		d.add("create link %s → %s", l.Path, l.Target)
	case isLink:
		old, err := os.Readlink(l.Path)
		if err != nil {
			return nil, err
		}
		if old != l.Target {
			d.add("link %s target %s → %s", l.Path, old, l.Target)
		}
	case !l.Force:
		return nil, fmt.Errorf("%s exists and is not a symlink; set force = true to replace it", l.Path)
	default:
		d.add("replace %s with a link → %s", l.Path, l.Target)
	}
	return d, nil
}

// Apply implements Resource.
func (l *Link) Apply(ctx context.Context, env *Env) error {
	if l.Absent {
		return os.Remove(l.Path)
	}
	if fi, err := os.Lstat(l.Path); err == nil && fi.IsDir() {
		if err := os.Remove(l.Path); err != nil {
			return fmt.Errorf("replacing %s: %w (only an empty directory is replaced)", l.Path, err)
		}
	}
	// A new link under a temporary name, renamed over the old path, so
	// the path never disappears.
	tmp := filepath.Join(filepath.Dir(l.Path), "."+filepath.Base(l.Path)+".bp-link")
	os.Remove(tmp)
	if err := os.Symlink(l.Target, tmp); err != nil {
		return fmt.Errorf("creating link %s: %w", l.Path, err)
	}
	if err := os.Rename(tmp, l.Path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("creating link %s: %w", l.Path, err)
	}
	return nil
}

var _ Resource = (*Link)(nil)
