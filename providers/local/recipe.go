package local

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Labels the provider puts on the images it builds.
const (
	labelRecipe        = "bp.recipe"
	labelRecipeVersion = "bp.recipe.version"
)

// recipe is how one machine image is made: a debootstrap root file system
// (cached, since it takes most of a minute) plus a layer of changes that
// turn it into a machine that boots systemd and serves SSH.
type recipe struct {
	// name is what a machine's image argument says, such as "debian-12".
	name string
	// version is bumped whenever anything below changes, so that machines
	// created afterwards get an image built by the new recipe.
	version int
	suite   string
	mirror  string
	// packages are installed by debootstrap on top of its minbase variant.
	packages []string
	// masked units make no sense in a container (consoles, udev, logind,
	// remounting /) or would hold the dpkg lock the SSH step needs (apt
	// timers).
	masked []string
}

// recipes are the images the provider can build, by name.
var recipes = map[string]recipe{
	"debian-12": {
		name:    "debian-12",
		version: 1,
		suite:   "bookworm",
		mirror:  "http://deb.debian.org/debian",
		// ca-certificates lets later steps fetch over HTTPS; apt itself
		// works over HTTP without it.
		packages: []string{"systemd", "systemd-sysv", "dbus", "openssh-server", "iproute2", "ca-certificates"},
		masked: []string{
			"getty.target", "console-getty.service", "getty@tty1.service",
			"systemd-logind.service",
			"systemd-udevd.service", "systemd-udevd-control.socket", "systemd-udevd-kernel.socket", "systemd-udev-trigger.service",
			"systemd-remount-fs.service",
			"apt-daily.timer", "apt-daily-upgrade.timer",
			"e2scrub_all.timer", "e2scrub_reap.service", "fstrim.timer",
		},
	},
}

// RecipeNames returns the names of the images the provider can build.
func RecipeNames() []string {
	names := make([]string, 0, len(recipes))
	for n := range recipes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// lookupRecipe returns the recipe called name, or an error naming those
// there are.
func lookupRecipe(name string) (recipe, error) {
	r, ok := recipes[name]
	if !ok {
		return recipe{}, fmt.Errorf("there is no image recipe %q; the local provider builds %s", name, quoteList(RecipeNames()))
	}
	return r, nil
}

// ref is the image's reference on the engine: one tag per recipe version.
func (r recipe) ref() string {
	return "bp/" + r.name + ":" + strconv.Itoa(r.version)
}

// rootfsKey names the cached debootstrap tarball: it changes only with
// what debootstrap is asked for, so a change to the layer on top reuses it.
func (r recipe) rootfsKey() string {
	sum := sha256.Sum256([]byte(strings.Join([]string{r.suite, r.mirror, "minbase", strings.Join(r.packages, ",")}, "\n")))
	return r.name + "-" + hex.EncodeToString(sum[:6])
}

// changes are the image settings applied at import: systemd as PID 1,
// stopped the way systemd wants, and the recipe labels.
func (r recipe) changes() []string {
	return []string{
		`CMD ["/sbin/init"]`,
		`STOPSIGNAL SIGRTMIN+3`,
		`LABEL ` + labelRecipe + `=` + r.name,
		`LABEL ` + labelRecipeVersion + `=` + strconv.Itoa(r.version),
	}
}
