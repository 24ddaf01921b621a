package resources

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

func init() {
	register(KindSpec{
		Name:          "git",
		Description:   "A git checkout at a revision (uses the host's git).",
		NameAttribute: "destination",
		Attributes: []AttrSpec{
			{Name: "destination", Type: TypeString, Description: "Absolute path of the working tree; defaults to the block label."},
			{Name: "repository", Type: TypeString, Required: true, Description: "URL of the repository to clone."},
			{Name: "revision", Type: TypeString, Description: "Branch, tag or commit to check out; default \"HEAD\" (the remote's default branch)."},
		},
	}, decodeGit)
}

var fullSHA = regexp.MustCompile(`^[0-9a-f]{40}$`)

// Git is a checkout resource. The working tree is left on a detached HEAD
// at the revision's commit; local changes to tracked files are discarded.
type Git struct {
	Destination string
	Repository  string
	Revision    string

	want  string // commit, found by Check
	clone bool
}

func decodeGit(a *attrs) Resource {
	g := &Git{Destination: a.absPath("destination"), Repository: a.required("repository"), Revision: a.str("revision")}
	if g.Revision == "" {
		g.Revision = "HEAD"
	}
	if strings.HasPrefix(g.Revision, "-") || strings.ContainsAny(g.Revision, " \n") {
		a.problem("revision", "Invalid revision", fmt.Sprintf("%q is not a branch, tag or commit.", g.Revision))
	}
	if strings.HasPrefix(g.Repository, "-") {
		a.problem("repository", "Invalid repository", "repository must be a URL or path, not an option.")
	}
	return g
}

func (g *Git) git(ctx context.Context, env *Env, args ...string) (string, error) {
	out, err := env.cmd(ctx, "git", args...)
	var cmdErr *CommandError
	if err != nil && !errors.As(err, &cmdErr) {
		return "", fmt.Errorf("%w: git is not installed on this host; add package \"git\" before this resource", err)
	}
	return strings.TrimSpace(out), err
}

// Check implements Resource. It asks the remote which commit the revision
// is (git ls-remote) unless the revision is a full commit ID.
func (g *Git) Check(ctx context.Context, env *Env) (*Diff, error) {
	d := &Diff{}
	g.want, g.clone = "", false
	if fullSHA.MatchString(g.Revision) {
		g.want = g.Revision
	} else {
		out, err := g.git(ctx, env, "ls-remote", "--", g.Repository, g.Revision, g.Revision+"^{}")
		if err != nil {
			return nil, fmt.Errorf("asking %s for %s: %w", g.Repository, g.Revision, err)
		}
		g.want = pickRef(out, g.Revision)
		if g.want == "" {
			return nil, fmt.Errorf("%s has no branch or tag %q", g.Repository, g.Revision)
		}
	}
	if _, err := os.Stat(filepath.Join(g.Destination, ".git")); errors.Is(err, fs.ErrNotExist) {
		g.clone = true
		d.add("clone %s at %s into %s", g.Repository, short(g.want), g.Destination)
		return d, nil
	}
	url, err := g.git(ctx, env, "-C", g.Destination, "remote", "get-url", "origin")
	if err != nil || url != g.Repository {
		return nil, fmt.Errorf("%s is a checkout of %q, not of %s; remove it or choose another destination", g.Destination, url, g.Repository)
	}
	head, err := g.git(ctx, env, "-C", g.Destination, "rev-parse", "HEAD")
	if err != nil {
		head = "(none)"
	}
	if head != g.want {
		d.add("%s: %s → %s (%s)", g.Destination, short(head), short(g.want), g.Revision)
		return d, nil
	}
	if status, err := g.git(ctx, env, "-C", g.Destination, "status", "--porcelain", "--untracked-files=no"); err == nil && status != "" {
		d.add("%s: discard local changes", g.Destination)
	}
	return d, nil
}

// pickRef chooses the commit of rev in ls-remote output: a tag's peeled
// commit (^{}) wins over the tag object.
func pickRef(out, rev string) string {
	commit := ""
	for _, line := range strings.Split(out, "\n") {
		sha, ref, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		switch {
		case strings.HasSuffix(ref, "^{}"):
			return sha
		case commit == "" || ref == rev || ref == "refs/heads/"+rev:
			commit = sha
		}
	}
	return commit
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// Apply implements Resource.
func (g *Git) Apply(ctx context.Context, env *Env) error {
	if g.clone {
		if err := os.MkdirAll(filepath.Dir(g.Destination), 0o755); err != nil {
			return err
		}
		if _, err := g.git(ctx, env, "clone", "--no-checkout", "--", g.Repository, g.Destination); err != nil {
			return err
		}
	}
	if _, err := g.git(ctx, env, "-C", g.Destination, "cat-file", "-e", g.want+"^{commit}"); err != nil {
		if _, err := g.git(ctx, env, "-C", g.Destination, "fetch", "-q", "origin", "--", g.Revision); err != nil {
			return err
		}
	}
	_, err := g.git(ctx, env, "-C", g.Destination, "checkout", "-q", "--force", "--detach", g.want)
	return err
}

var _ Resource = (*Git)(nil)
