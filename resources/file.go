package resources

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
)

func init() {
	register(KindSpec{
		Name:          "file",
		Description:   "A regular file with the given content, owner, group and mode.",
		NameAttribute: "path",
		Attributes: append([]AttrSpec{
			{Name: "path", Type: TypeString, Description: "Absolute path of the file; defaults to the block label."},
			{Name: "content", Type: TypeString, Description: "The file's content, as text."},
			{Name: "content_base64", Type: TypeString, Description: "The file's content, base64-encoded (for binary files)."},
			{Name: "source", Type: TypeString, Description: "A file next to the blueprint whose content bp sends as content."},
			{Name: "state", Type: TypeString, Description: "\"present\" (default) or \"absent\" (delete the file)."},
		}, ownershipAttrs("file")...),
	}, func(a *attrs) Resource { return decodeFile(a, "file") })
}

// File is a file or template resource: a regular file with desired
// content, owner, group and mode, replaced atomically.
type File struct {
	// Path is the absolute path.
	Path string
	// Content is the desired content. bp reads a source file and sends
	// its content, so nil here (with Source set) means it did not.
	Content []byte
	// Source is the blueprint-side file named by the source argument.
	Source string
	// Absent means the file must not exist.
	Absent bool
	// Ownership is the owner, group and mode.
	ownership ownership
	// kind is "file" or "template", for diff labels.
	kind string

	// found by Check, for Apply
	writeContent bool
}

// decodeFile decodes a file or template resource.
func decodeFile(a *attrs, kind string) *File {
	f := &File{kind: kind, Path: a.absPath("path"), Source: a.str("source"), ownership: decodeOwnership(a)}
	f.Absent = a.oneOf("state", "present", "present", "absent") == "absent"
	if a.has("content") {
		f.Content = []byte(a.str("content"))
	}
	if a.has("content_base64") {
		b, err := base64.StdEncoding.DecodeString(a.str("content_base64"))
		if err != nil {
			a.problem("content_base64", "Invalid content_base64", "content_base64 must be standard base64 (RFC 4648): "+err.Error()+".")
		}
		f.Content = b
	}
	contentAttrs := []string{"content", "source"}
	if kind == "file" {
		contentAttrs = append(contentAttrs, "content_base64")
	}
	if !f.Absent {
		a.exactlyOne(contentAttrs...)
	}
	return f
}

// Check implements Resource.
func (f *File) Check(ctx context.Context, env *Env) (*Diff, error) {
	d := &Diff{}
	f.writeContent = false
	old, fi, isLink, err := readRegular(f.Path)
	if err != nil {
		return nil, err
	}
	exists := fi != nil
	if f.Absent {
		if exists {
			d.add("delete %s", f.Path)
			if !isLink {
				d.Text = contentDiff(f.Path, old, "/dev/null", nil)
			}
		}
		return d, nil
	}
	if f.Content == nil {
		return nil, fmt.Errorf("the content of %s did not arrive: bp reads source %q and must send it as content", f.Path, f.Source)
	}
	newLabel := f.Path
	if f.kind == "template" {
		newLabel = f.Path + " (template)"
	}
	switch {
	case !exists:
		d.add("create %s (%d bytes)", f.Path, len(f.Content))
		d.Text = contentDiff("/dev/null", nil, newLabel, f.Content)
		f.writeContent = true
	case isLink:
		d.add("replace symlink %s with a file", f.Path)
		f.writeContent = true
	case string(old) != string(f.Content):
		d.add("content of %s", f.Path)
		d.Text = contentDiff(f.Path, old, newLabel, f.Content)
		f.writeContent = true
	}
	if isLink {
		fi = nil
	}
	if err := f.ownership.check(fi, d); err != nil {
		return nil, err
	}
	return d, nil
}

// Apply implements Resource.
func (f *File) Apply(ctx context.Context, env *Env) error {
	if f.Absent {
		if err := os.Remove(f.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("deleting %s: %w", f.Path, err)
		}
		return nil
	}
	if f.writeContent {
		return writeFileAtomic(f.Path, f.Content, f.ownership, 0o644)
	}
	return f.ownership.apply(f.Path)
}

var _ Resource = (*File)(nil)
