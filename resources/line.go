package resources

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

func init() {
	register(KindSpec{
		Name:        "line",
		Description: "One line in an existing file: present (added, or replacing the last line matching match) or absent.",
		Attributes: append([]AttrSpec{
			{Name: "path", Type: TypeString, Required: true, Description: "Absolute path of the file."},
			{Name: "line", Type: TypeString, Description: "The whole line, without a newline. Required unless state = \"absent\" with match."},
			{Name: "match", Type: TypeString, Description: "A regular expression (Go RE2 syntax): the last line matching it is replaced by line; with state = \"absent\", every matching line is removed."},
			{Name: "create", Type: TypeBool, Description: "Create the file when it does not exist (otherwise that is an error)."},
			{Name: "state", Type: TypeString, Description: "\"present\" (default) or \"absent\"."},
		}, ownershipAttrs("file")...),
	}, decodeLine)
}

// Line is a line-in-file resource.
type Line struct {
	Path   string
	Line   string
	Match  *regexp.Regexp
	Create bool
	Absent bool
	// ownership applies to the file.
	ownership ownership

	newContent []byte // found by Check
	write      bool
}

func decodeLine(a *attrs) Resource {
	l := &Line{Path: a.absPath("path"), Line: a.str("line"), Create: a.boolean("create", false), ownership: decodeOwnership(a)}
	l.Absent = a.oneOf("state", "present", "present", "absent") == "absent"
	if strings.ContainsAny(l.Line, "\n\r") {
		a.problem("line", "Invalid line", "line must be a single line, without newline characters.")
	}
	if a.has("match") {
		re, err := regexp.Compile(a.str("match"))
		if err != nil {
			a.problem("match", "Invalid match", fmt.Sprintf("match must be a regular expression in Go (RE2) syntax: %v.", err))
		}
		l.Match = re
	}
	if !a.has("line") && !(l.Absent && a.has("match")) {
		a.problem("line", "Missing line", "Set line, the line to ensure (or match alone with state = \"absent\").")
	}
	return l
}

// editLines returns content edited so that line is present (replacing the
// last line matching match, if any, else appended unless already there)
// or absent (removing lines equal to line, or matching match when set).
func editLines(content, line string, match *regexp.Regexp, absent bool) string {
	lines := strings.SplitAfter(content, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	body := func(l string) string { return strings.TrimSuffix(l, "\n") }
	if absent {
		var out strings.Builder
		for _, l := range lines {
			b := body(l)
			if (match != nil && match.MatchString(b)) || (match == nil && b == line) {
				continue
			}
			out.WriteString(l)
		}
		return out.String()
	}
	if match != nil {
		for i := len(lines) - 1; i >= 0; i-- {
			if match.MatchString(body(lines[i])) {
				nl := ""
				if strings.HasSuffix(lines[i], "\n") {
					nl = "\n"
				}
				lines[i] = line + nl
				return strings.Join(lines, "")
			}
		}
	}
	for _, l := range lines {
		if body(l) == line {
			return content
		}
	}
	if content != "" && !strings.HasSuffix(content, "\n") {
		content += "\n"
	}
	return content + line + "\n"
}

// Check implements Resource.
func (l *Line) Check(ctx context.Context, env *Env) (*Diff, error) {
	d := &Diff{}
	l.write = false
	old, fi, isLink, err := readRegular(l.Path)
	if err != nil {
		return nil, err
	}
	if isLink {
		// Edit the file the link points at, as editors do.
		if old, err = os.ReadFile(l.Path); err != nil {
			return nil, err
		}
		if fi, err = os.Stat(l.Path); err != nil {
			return nil, err
		}
	}
	if fi == nil {
		if l.Absent {
			return d, nil
		}
		if !l.Create {
			return nil, fmt.Errorf("%s does not exist; create it first, or set create = true", l.Path)
		}
	}
	edited := editLines(string(old), l.Line, l.Match, l.Absent)
	if edited != string(old) || fi == nil {
		l.newContent, l.write = []byte(edited), true
		switch {
		case fi == nil:
			d.add("create %s with the line", l.Path)
		case l.Absent:
			d.add("remove line from %s", l.Path)
		default:
			d.add("ensure line in %s", l.Path)
		}
		d.Text = contentDiff(l.Path, old, l.Path, l.newContent)
	}
	if err := l.ownership.check(fi, d); err != nil {
		return nil, err
	}
	return d, nil
}

// Apply implements Resource.
func (l *Line) Apply(ctx context.Context, env *Env) error {
	if l.write {
		path := l.Path
		if target, err := resolveLink(path); err == nil {
			path = target
		}
		return writeFileAtomic(path, l.newContent, l.ownership, 0o644)
	}
	return l.ownership.apply(l.Path)
}

// resolveLink follows symlinks at path, so an edit replaces the real file
// and keeps the link.
func resolveLink(path string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return path, err
	}
	return filepath.EvalSymlinks(path)
}

var _ Resource = (*Line)(nil)
