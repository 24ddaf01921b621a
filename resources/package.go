package resources

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
)

func init() {
	register(KindSpec{
		Name: "package",
		Description: "A system package (apt, dnf or apk, from the host's facts). All package resources between two " +
			"apt_repository or exec resources are checked with one query and changed with one package-manager call.",
		NameAttribute: "name",
		Attributes: []AttrSpec{
			{Name: "name", Type: TypeString, Description: "The package name; defaults to the block label."},
			{Name: "version", Type: TypeString, Description: "An exact version to install, such as \"1.22.1-9\"; unset accepts any."},
			{Name: "state", Type: TypeString, Description: "\"present\" (default), \"absent\", or \"latest\" (upgrade when the package manager has a newer candidate)."},
		},
	}, decodePackage)
}

var packageName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9+._:-]*$`)
var packageVersion = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9+.~:_-]*$`)

// Package is a package resource. Resources of one batch share a
// packageBatch; Check of the first one queries all of them, Apply of the
// first changed one changes all that need it.
type Package struct {
	Name    string
	Version string
	State   string // present, absent or latest

	batch *packageBatch
	diff  *Diff // this member's part of the batch check
}

func decodePackage(a *attrs) Resource {
	p := &Package{Name: a.required("name"), Version: a.str("version")}
	p.State = a.oneOf("state", "present", "present", "absent", "latest")
	if p.Name != "" && !packageName.MatchString(p.Name) {
		a.problem("name", "Invalid name", fmt.Sprintf("%q is not a package name.", p.Name))
	}
	if p.Version != "" && !packageVersion.MatchString(p.Version) {
		a.problem("version", "Invalid version", fmt.Sprintf("%q is not a package version.", p.Version))
	}
	if p.Version != "" && p.State != "present" {
		a.problem("version", "Invalid version", "version only goes with state = \"present\" (the default).")
	}
	return p
}

// Link implements Linker: the package joins the batch of the nearest
// earlier package not separated from it by a Barrier.
func (p *Package) Link(seq []Resource, index int) {
	for j := index - 1; j >= 0; j-- {
		if _, ok := seq[j].(Barrier); ok {
			break
		}
		if prev, ok := seq[j].(*Package); ok {
			p.batch = prev.batch
			p.batch.members = append(p.batch.members, p)
			return
		}
	}
	p.batch = &packageBatch{members: []*Package{p}}
}

// Check implements Resource.
func (p *Package) Check(ctx context.Context, env *Env) (*Diff, error) {
	if p.batch == nil {
		p.batch = &packageBatch{members: []*Package{p}}
	}
	if err := p.batch.check(ctx, env); err != nil {
		return nil, err
	}
	return p.diff, nil
}

// Apply implements Resource.
func (p *Package) Apply(ctx context.Context, env *Env) error {
	return p.batch.apply(ctx, env)
}

// installed is what the package manager says about one package.
type installed struct {
	version   string // "" when not installed
	candidate string // for state = latest; "" when unknown
}

// packageBatch is the packages checked and changed together.
type packageBatch struct {
	members []*Package
	checked bool
	applied bool
	err     error // of apply
}

// packageManager is one of apt, dnf and apk.
type packageManager interface {
	// query returns the installed version (and, when latest, the candidate)
	// of each named package.
	query(ctx context.Context, env *Env, names []string, latest []string) (map[string]installed, error)
	// change installs (name or name=version specs) and removes packages in
	// as few calls as the manager allows.
	change(ctx context.Context, env *Env, install []*Package, remove []string) error
}

func managerFor(env *Env) (packageManager, error) {
	pm := env.Facts.PackageManager
	if pm == "" {
		for _, c := range []struct{ bin, name string }{{"apt-get", "apt"}, {"dnf", "dnf"}, {"apk", "apk"}} {
			if _, err := exec.LookPath(c.bin); err == nil {
				pm = c.name
				break
			}
		}
	}
	switch pm {
	case "apt":
		return aptManager{}, nil
	case "dnf":
		return dnfManager{}, nil
	case "apk":
		return apkManager{}, nil
	}
	return nil, errors.New("no supported package manager (apt, dnf or apk) on this host")
}

func (b *packageBatch) check(ctx context.Context, env *Env) error {
	if b.checked {
		return nil
	}
	pm, err := managerFor(env)
	if err != nil {
		return err
	}
	if env.aptUpdatePending {
		if _, ok := pm.(aptManager); ok {
			// A source changed earlier in this run: candidates must come
			// from the new lists.
			if err := aptUpdate(ctx, env); err != nil {
				return err
			}
		}
	}
	var names, latest []string
	for _, p := range b.members {
		names = append(names, p.Name)
		if p.State == "latest" {
			latest = append(latest, p.Name)
		}
	}
	state, err := pm.query(ctx, env, names, latest)
	if err != nil {
		return err
	}
	for _, p := range b.members {
		p.diff = p.compare(state[p.Name])
	}
	b.checked = true
	return nil
}

// compare says what must change for the package.
func (p *Package) compare(cur installed) *Diff {
	d := &Diff{}
	switch {
	case p.State == "absent":
		if cur.version != "" {
			d.add("remove %s %s", p.Name, cur.version)
		}
	case cur.version == "":
		if p.Version != "" {
			d.add("install %s %s", p.Name, p.Version)
		} else {
			d.add("install %s", p.Name)
		}
	case p.Version != "" && cur.version != p.Version:
		d.add("%s %s → %s", p.Name, cur.version, p.Version)
	case p.State == "latest" && cur.candidate != "" && cur.candidate != cur.version:
		d.add("upgrade %s %s → %s", p.Name, cur.version, cur.candidate)
	}
	return d
}

// apply changes every member that needs it, once for the batch.
func (b *packageBatch) apply(ctx context.Context, env *Env) error {
	if b.applied {
		return b.err
	}
	b.applied = true
	var install []*Package
	var remove []string
	for _, p := range b.members {
		if !p.diff.Changed() {
			continue
		}
		if p.State == "absent" {
			remove = append(remove, p.Name)
		} else {
			install = append(install, p)
		}
	}
	pm, err := managerFor(env)
	if err == nil {
		err = pm.change(ctx, env, install, remove)
	}
	b.err = err
	return err
}

// aptManager drives dpkg-query, apt-cache and apt-get.
type aptManager struct{}

func (aptManager) query(ctx context.Context, env *Env, names, latest []string) (map[string]installed, error) {
	res, err := env.runner().Run(ctx, Command{Path: "dpkg-query",
		Args: append([]string{"-W", "-f=${binary:Package}\\t${Package}\\t${db:Status-Abbrev}\\t${Version}\\n"}, names...)})
	if err != nil {
		return nil, err
	}
	// dpkg-query exits 1 when a package is unknown, which only means "not
	// installed"; its complaints start with "dpkg-query:".
	out := map[string]installed{}
	for _, line := range strings.Split(res.Output, "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			if res.ExitCode > 1 || (line != "" && !strings.HasPrefix(line, "dpkg-query:")) && res.ExitCode != 0 {
				return nil, &CommandError{Command: "dpkg-query -W", ExitCode: res.ExitCode, Output: res.Output}
			}
			continue
		}
		if !strings.HasPrefix(f[2], "ii") && !strings.HasPrefix(f[2], "hi") {
			continue
		}
		out[f[0]] = installed{version: f[3]}
		out[f[1]] = installed{version: f[3]}
	}
	if len(latest) > 0 {
		policy, err := env.cmd(ctx, "apt-cache", append([]string{"policy"}, latest...)...)
		if err != nil {
			return nil, err
		}
		for name, cand := range parsePolicy(policy) {
			cur := out[name]
			cur.candidate = cand
			out[name] = cur
		}
	}
	return out, nil
}

// parsePolicy reads the candidate versions from `apt-cache policy`.
func parsePolicy(out string) map[string]string {
	cands := map[string]string{}
	pkg := ""
	for _, line := range strings.Split(out, "\n") {
		switch {
		case line != "" && !strings.HasPrefix(line, " ") && strings.HasSuffix(line, ":"):
			pkg = strings.TrimSuffix(line, ":")
		case strings.HasPrefix(strings.TrimSpace(line), "Candidate:") && pkg != "":
			c := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "Candidate:"))
			if c != "(none)" {
				cands[pkg] = c
			}
		}
	}
	return cands
}

func (aptManager) change(ctx context.Context, env *Env, install []*Package, remove []string) error {
	args := []string{"install", "-y", "-q", "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold"}
	for _, p := range install {
		if p.Version != "" {
			args = append(args, p.Name+"="+p.Version)
		} else {
			args = append(args, p.Name)
		}
	}
	for _, name := range remove {
		args = append(args, name+"-") // apt-get removes "name-" in the same call
	}
	out, err := env.cmd(ctx, "apt-get", args...)
	if err != nil && len(install) > 0 && staleLists(out) {
		// A fresh host often has no package lists yet.
		if uerr := aptUpdate(ctx, env); uerr != nil {
			return uerr
		}
		_, err = env.cmd(ctx, "apt-get", args...)
	}
	return err
}

// staleLists reports whether apt-get failed for want of package lists.
func staleLists(out string) bool {
	return strings.Contains(out, "Unable to locate package") || strings.Contains(out, "has no installation candidate") ||
		strings.Contains(out, "404") || strings.Contains(out, "Version '")
}

// dnfManager drives rpm and dnf.
type dnfManager struct{}

func (dnfManager) query(ctx context.Context, env *Env, names, latest []string) (map[string]installed, error) {
	res, err := env.runner().Run(ctx, Command{Path: "rpm", Args: append([]string{"-q", "--qf", "%{NAME}\\t%{VERSION}-%{RELEASE}\\n"}, names...)})
	if err != nil {
		return nil, err
	}
	out := map[string]installed{}
	for _, line := range strings.Split(res.Output, "\n") {
		if name, version, ok := strings.Cut(line, "\t"); ok {
			out[name] = installed{version: version}
		}
	}
	if len(latest) > 0 {
		res, err := env.runner().Run(ctx, Command{Path: "dnf", Args: append([]string{"-q", "list", "--upgrades"}, latest...)})
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(res.Output, "\n") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				name, _, _ := strings.Cut(f[0], ".") // NAME.ARCH
				if cur, ok := out[name]; ok {
					cur.candidate = f[1]
					out[name] = cur
				}
			}
		}
	}
	return out, nil
}

func (dnfManager) change(ctx context.Context, env *Env, install []*Package, remove []string) error {
	if len(install) > 0 {
		args := []string{"install", "-y"}
		var upgrade []string
		for _, p := range install {
			if p.Version != "" {
				args = append(args, p.Name+"-"+p.Version)
			} else {
				args = append(args, p.Name)
			}
			if p.State == "latest" {
				upgrade = append(upgrade, p.Name)
			}
		}
		if _, err := env.cmd(ctx, "dnf", args...); err != nil {
			return err
		}
		if len(upgrade) > 0 {
			if _, err := env.cmd(ctx, "dnf", append([]string{"upgrade", "-y"}, upgrade...)...); err != nil {
				return err
			}
		}
	}
	if len(remove) > 0 {
		_, err := env.cmd(ctx, "dnf", append([]string{"remove", "-y"}, remove...)...)
		return err
	}
	return nil
}

// apkManager drives apk.
type apkManager struct{}

func (apkManager) query(ctx context.Context, env *Env, names, latest []string) (map[string]installed, error) {
	res, err := env.runner().Run(ctx, Command{Path: "apk", Args: []string{"info", "-v"}})
	if err != nil {
		return nil, err
	}
	if res.ExitCode != 0 {
		return nil, &CommandError{Command: "apk info -v", ExitCode: res.ExitCode, Output: res.Output}
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	out := map[string]installed{}
	for _, line := range strings.Split(res.Output, "\n") {
		// NAME-VERSION-rREL: the version starts at the second-to-last dash.
		parts := strings.Split(strings.TrimSpace(line), "-")
		if len(parts) < 3 {
			continue
		}
		name := strings.Join(parts[:len(parts)-2], "-")
		if want[name] {
			out[name] = installed{version: strings.Join(parts[len(parts)-2:], "-")}
		}
	}
	if len(latest) > 0 {
		res, err := env.runner().Run(ctx, Command{Path: "apk", Args: []string{"version", "-l", "<"}})
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(res.Output, "\n") {
			f := strings.Fields(line) // NAME-VERSION < NEWVERSION
			if len(f) == 3 {
				parts := strings.Split(f[0], "-")
				if len(parts) >= 3 {
					name := strings.Join(parts[:len(parts)-2], "-")
					if cur, ok := out[name]; ok {
						cur.candidate = f[2]
						out[name] = cur
					}
				}
			}
		}
	}
	return out, nil
}

func (apkManager) change(ctx context.Context, env *Env, install []*Package, remove []string) error {
	if len(install) > 0 {
		args := []string{"add", "--no-interactive"}
		for _, p := range install {
			switch {
			case p.Version != "":
				args = append(args, p.Name+"="+p.Version)
			case p.State == "latest":
				args = append(args, "-u", p.Name)
			default:
				args = append(args, p.Name)
			}
		}
		if _, err := env.cmd(ctx, "apk", args...); err != nil {
			return err
		}
	}
	if len(remove) > 0 {
		_, err := env.cmd(ctx, "apk", append([]string{"del", "--no-interactive"}, remove...)...)
		return err
	}
	return nil
}

var (
	_ Resource = (*Package)(nil)
	_ Linker   = (*Package)(nil)
)
