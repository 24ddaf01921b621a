package resources

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

func init() {
	register(KindSpec{
		Name:          "apt_repository",
		Description:   "An APT source with its signing key: /etc/apt/sources.list.d/NAME.list signed by /etc/apt/keyrings/NAME.asc.",
		NameAttribute: "name",
		Attributes: []AttrSpec{
			{Name: "name", Type: TypeString, Description: "File name of the source and key (letters, digits, ., _ and -); defaults to the block label."},
			{Name: "uri", Type: TypeString, Required: true, Description: "Repository URI, such as \"https://nginx.org/packages/debian\"."},
			{Name: "suite", Type: TypeString, Required: true, Description: "Suite or codename, such as \"bookworm\" (use host.facts to choose it)."},
			{Name: "components", Type: TypeStringList, Description: "Components; default [\"main\"]."},
			{Name: "key", Type: TypeString, Description: "The repository's ASCII-armored public signing key."},
			{Name: "state", Type: TypeString, Description: "\"present\" (default) or \"absent\"."},
		},
	}, decodeAptRepository)
}

// The APT directories; variables so tests can use temporary ones.
var (
	aptSourcesDir = "/etc/apt/sources.list.d"
	aptKeyringDir = "/etc/apt/keyrings"
)

var aptName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// AptRepository is an APT source resource. After it changes, the package
// lists are refreshed once: by the next package batch, or right away when
// no package resource follows it in the request.
type AptRepository struct {
	Name   string
	source *File
	key    *File // nil without key
	Absent bool

	packagesFollow bool // set by Link
	changed        []*File
}

func decodeAptRepository(a *attrs) Resource {
	r := &AptRepository{Name: a.required("name")}
	if r.Name != "" && !aptName.MatchString(r.Name) {
		a.problem("name", "Invalid name", fmt.Sprintf("name must contain only letters, digits, ., _ and - (APT ignores other files), not %q.", r.Name))
	}
	r.Absent = a.oneOf("state", "present", "present", "absent") == "absent"
	root := ownership{owner: "root", group: "root", mode: 0o644, hasMode: true}
	r.source = &File{Path: aptSourcesDir + "/" + r.Name + ".list", Absent: r.Absent, kind: "file", ownership: root}
	uri, suite, comps := a.str("uri"), a.str("suite"), a.list("components")
	if len(comps) == 0 {
		comps = []string{"main"}
	}
	for _, field := range append([]string{uri, suite}, comps...) {
		if strings.ContainsAny(field, " \t\n[]") {
			a.problem("uri", "Invalid source field", fmt.Sprintf("uri, suite and components must not contain spaces or brackets; %q does.", field))
		}
	}
	if uri != "" && !strings.Contains(uri, ":") {
		a.problem("uri", "Invalid uri", fmt.Sprintf("uri must be a URI such as \"https://deb.example.org/debian\", not %q.", uri))
	}
	options := ""
	if a.has("key") {
		key := a.str("key")
		if !strings.Contains(key, "-----BEGIN PGP PUBLIC KEY BLOCK-----") {
			a.problem("key", "Invalid key", "key must be an ASCII-armored public key (\"-----BEGIN PGP PUBLIC KEY BLOCK-----\" …), such as file(\"keys/repo.asc\").")
		}
		if !strings.HasSuffix(key, "\n") {
			key += "\n"
		}
		r.key = &File{Path: aptKeyringDir + "/" + r.Name + ".asc", Content: []byte(key), Absent: r.Absent, kind: "file", ownership: root}
		options = "[signed-by=" + r.key.Path + "] "
	}
	r.source.Content = []byte(fmt.Sprintf("# Managed by bp; changes here are overwritten.\ndeb %s%s %s %s\n",
		options, uri, suite, strings.Join(comps, " ")))
	return r
}

// Link implements Linker: it notes whether a package resource follows.
func (r *AptRepository) Link(seq []Resource, index int) {
	for _, next := range seq[index+1:] {
		if _, ok := next.(*Package); ok {
			r.packagesFollow = true
			return
		}
	}
}

// BatchBarrier implements Barrier.
func (r *AptRepository) BatchBarrier() {}

func (r *AptRepository) files() []*File {
	// The key goes first when adding and last when removing, so APT never
	// sees a source whose key is missing.
	if r.key == nil {
		return []*File{r.source}
	}
	if r.Absent {
		return []*File{r.source, r.key}
	}
	return []*File{r.key, r.source}
}

// Check implements Resource.
func (r *AptRepository) Check(ctx context.Context, env *Env) (*Diff, error) {
	d := &Diff{}
	r.changed = nil
	for _, f := range r.files() {
		fd, err := f.Check(ctx, env)
		if err != nil {
			return nil, err
		}
		if fd.Changed() {
			r.changed = append(r.changed, f)
			d.Changes = append(d.Changes, fd.Changes...)
			d.Text += fd.Text
		}
	}
	if d.Changed() && !r.Absent {
		d.add("apt-get update")
	}
	return d, nil
}

// Apply implements Resource.
func (r *AptRepository) Apply(ctx context.Context, env *Env) error {
	if err := mkdirs(aptSourcesDir, aptKeyringDir); err != nil {
		return err
	}
	for _, f := range r.changed {
		if err := f.Apply(ctx, env); err != nil {
			return err
		}
	}
	env.aptUpdatePending = true
	if r.Absent || r.packagesFollow {
		return nil
	}
	return aptUpdate(ctx, env)
}

// aptUpdate refreshes the package lists.
func aptUpdate(ctx context.Context, env *Env) error {
	if _, err := env.cmd(ctx, "apt-get", "update", "-q"); err != nil {
		return err
	}
	env.aptUpdatePending = false
	return nil
}

var (
	_ Resource = (*AptRepository)(nil)
	_ Linker   = (*AptRepository)(nil)
	_ Barrier  = (*AptRepository)(nil)
)
