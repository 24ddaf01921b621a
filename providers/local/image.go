package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
)

// CacheDir is where built root file systems are kept, so that rebuilding an
// image after `bp image rm` skips debootstrap. BP_CACHE_DIR overrides it.
const CacheDir = "/var/cache/bp"

// Image describes a machine image on the engine.
type Image struct {
	// Name is the recipe name, such as "debian-12".
	Name string
	// Ref is the engine's reference, such as "bp/debian-12:1".
	Ref string
	// ID is the engine's image ID.
	ID string
	// RecipeVersion is the version of the recipe the image was built by.
	RecipeVersion int
	// Current says whether RecipeVersion is the recipe's current version
	// (machines created now use only current images).
	Current bool
	Created time.Time
	// Size is in bytes.
	Size int64
}

// BuildImageRequest asks for a machine image.
type BuildImageRequest struct {
	// Name is the recipe name, such as "debian-12".
	Name string
	// Force rebuilds the image even if the current version exists.
	Force bool
	// Fresh also runs debootstrap again instead of using the cached root
	// file system (for newer packages).
	Fresh bool
	// Progress receives one line per step; nil discards them.
	Progress io.Writer
	// Quiet leaves out the line saying the image is up to date: a machine
	// being created says nothing about an image it need not build.
	Quiet bool
}

// BuildImage builds the image of a recipe unless its current version exists
// (or Force is set), and returns it. Concurrent calls for the same recipe
// share one build.
func (e *Engine) BuildImage(ctx context.Context, req BuildImageRequest) (Image, error) {
	r, err := lookupRecipe(req.Name)
	if err != nil {
		return Image{}, err
	}
	progress := req.Progress
	if progress == nil {
		progress = io.Discard
	}
	if !req.Force {
		if img, err := e.inspectImage(ctx, r); err == nil {
			if !req.Quiet {
				fmt.Fprintf(progress, "image %s is up to date (%s)\n", r.ref(), shortID(img.ID))
			}
			return img, nil
		} else if !cerrdefs.IsNotFound(err) {
			return Image{}, err
		}
	}
	key := r.ref()
	if req.Force {
		key += "+force"
	}
	ch := e.builds.DoChan(key, func() (any, error) {
		// The build outlives a cancelled waiter only while others wait;
		// singleflight gives every waiter the same result.
		return e.build(context.WithoutCancel(ctx), r, req.Fresh, progress)
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return Image{}, res.Err
		}
		return res.Val.(Image), nil
	case <-ctx.Done():
		return Image{}, ctx.Err()
	}
}

// build makes the image of r from the cached root file system.
func (e *Engine) build(ctx context.Context, r recipe, fresh bool, progress io.Writer) (Image, error) {
	start := time.Now()
	rootfs, err := ensureRootfs(ctx, r, fresh, progress)
	if err != nil {
		return Image{}, err
	}
	var previous string // the image a forced build replaces
	if old, err := e.inspectImage(ctx, r); err == nil {
		previous = old.ID
	}
	fmt.Fprintf(progress, "importing %s as %s\n", rootfs, r.ref())
	f, err := os.Open(rootfs)
	if err != nil {
		return Image{}, err
	}
	defer f.Close()
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(customizeRootfs(f, pw, r)) }()
	out, err := e.api.ImageImport(ctx, image.ImportSource{Source: pr, SourceName: "-"}, r.ref(), image.ImportOptions{Changes: r.changes()})
	if err != nil {
		pr.CloseWithError(err)
		return Image{}, fmt.Errorf("importing image %s: %w", r.ref(), err)
	}
	err = readJSONStream(out)
	out.Close()
	if err != nil {
		return Image{}, fmt.Errorf("importing image %s: %w", r.ref(), err)
	}
	img, err := e.inspectImage(ctx, r)
	if err != nil {
		return Image{}, fmt.Errorf("image %s was imported but cannot be found: %w", r.ref(), err)
	}
	if previous != "" && previous != img.ID {
		// The replaced image lost its tag; machines still using it keep it.
		if _, err := e.api.ImageRemove(ctx, previous, image.RemoveOptions{}); err == nil {
			fmt.Fprintf(progress, "removed the previous image %s\n", shortID(previous))
		}
	}
	fmt.Fprintf(progress, "built %s (%s) in %s\n", r.ref(), shortID(img.ID), time.Since(start).Round(100*time.Millisecond))
	return img, nil
}

// readJSONStream drains an engine progress stream, returning the first
// error it reports.
func readJSONStream(r io.Reader) error {
	dec := json.NewDecoder(r)
	for {
		var msg struct {
			Error       string `json:"error"`
			ErrorDetail struct {
				Message string `json:"message"`
			} `json:"errorDetail"`
		}
		if err := dec.Decode(&msg); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("reading the engine's answer: %w", err)
		}
		if msg.Error != "" {
			return errors.New(msg.Error)
		}
		if msg.ErrorDetail.Message != "" {
			return errors.New(msg.ErrorDetail.Message)
		}
	}
}

// inspectImage returns the current image of r; a NotFound error when it
// does not exist.
func (e *Engine) inspectImage(ctx context.Context, r recipe) (Image, error) {
	resp, err := e.api.ImageInspect(ctx, r.ref())
	if err != nil {
		return Image{}, err
	}
	img := Image{Name: r.name, Ref: r.ref(), ID: resp.ID, Size: resp.Size, Current: true, RecipeVersion: r.version}
	if resp.Config != nil && resp.Config.Labels[labelRecipe] != r.name {
		return Image{}, fmt.Errorf("image %s exists but was not built by Blueprint's %s recipe (its label %s is %q); remove it with `bp image rm %s`",
			r.ref(), r.name, labelRecipe, resp.Config.Labels[labelRecipe], r.name)
	}
	img.Created, _ = time.Parse(time.RFC3339Nano, resp.Created)
	return img, nil
}

// Images lists the machine images on the engine built by Blueprint's
// recipes, by name and then newest version first.
func (e *Engine) Images(ctx context.Context) ([]Image, error) {
	list, err := e.api.ImageList(ctx, image.ListOptions{Filters: filters.NewArgs(filters.Arg("label", labelRecipe))})
	if err != nil {
		return nil, fmt.Errorf("listing images: %w", err)
	}
	var out []Image
	for _, s := range list {
		name := s.Labels[labelRecipe]
		v, _ := strconv.Atoi(s.Labels[labelRecipeVersion])
		img := Image{Name: name, ID: s.ID, RecipeVersion: v, Created: time.Unix(s.Created, 0), Size: s.Size}
		if r, ok := recipes[name]; ok {
			img.Current = r.version == v
		}
		for _, tag := range s.RepoTags {
			// Podman's Docker API names imported images docker.io/…
			img.Ref = strings.TrimPrefix(strings.TrimPrefix(tag, "docker.io/"), "localhost/")
			break
		}
		out = append(out, img)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].RecipeVersion > out[j].RecipeVersion
	})
	return out, nil
}

// RemoveImage removes every version of the named image. It fails while a
// machine uses one; the cached root file system stays.
func (e *Engine) RemoveImage(ctx context.Context, name string) (removed []Image, err error) {
	all, err := e.Images(ctx)
	if err != nil {
		return nil, err
	}
	for _, img := range all {
		if img.Name != name {
			continue
		}
		if _, err := e.api.ImageRemove(ctx, img.ID, image.RemoveOptions{}); err != nil && !cerrdefs.IsNotFound(err) {
			return removed, fmt.Errorf("removing image %s (%s): %v; remove the machines that use it first (bp destroy)", img.Ref, shortID(img.ID), firstLine(err.Error()))
		}
		removed = append(removed, img)
	}
	if len(removed) == 0 {
		return nil, fmt.Errorf("there is no image %q on the engine; bp image list shows those there are", name)
	}
	return removed, nil
}

// machineImage returns the engine reference a machine's image argument
// names: a recipe's current image (built now if missing) or, for other
// names, an image already on the engine.
func (e *Engine) machineImage(ctx context.Context, name string, progress io.Writer) (string, error) {
	if _, ok := recipes[name]; ok {
		img, err := e.BuildImage(ctx, BuildImageRequest{Name: name, Progress: progress, Quiet: true})
		if err != nil {
			return "", fmt.Errorf("building image %q: %w", name, err)
		}
		return img.ID, nil
	}
	resp, err := e.api.ImageInspect(ctx, name)
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return "", fmt.Errorf("there is no image recipe %q and no such image on the engine; use %s, or an image with systemd and sshd that is already on the engine", name, quoteList(RecipeNames()))
		}
		return "", err
	}
	return resp.ID, nil
}

// cacheDir returns the root file system cache directory.
func cacheDir() string {
	if d := os.Getenv("BP_CACHE_DIR"); d != "" {
		return d
	}
	return CacheDir
}

// ensureRootfs returns the path of r's debootstrap tarball, running
// debootstrap if it is not cached (or fresh is set). A file lock keeps two
// processes from bootstrapping at once.
func ensureRootfs(ctx context.Context, r recipe, fresh bool, progress io.Writer) (string, error) {
	dir := filepath.Join(cacheDir(), "rootfs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating the image cache: %w", err)
	}
	final := filepath.Join(dir, r.rootfsKey()+".tar")
	lock, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", fmt.Errorf("locking the image cache: %w", err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", fmt.Errorf("locking the image cache: %w", err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(final); err == nil && !fresh {
		fmt.Fprintf(progress, "using the cached root file system %s\n", final)
		return final, nil
	}
	if _, err := exec.LookPath("debootstrap"); err != nil {
		return "", fmt.Errorf("debootstrap is not installed, and building image %q needs it: run `make setup` (or apt-get install debootstrap)", r.name)
	}
	work, err := os.MkdirTemp(dir, r.name+"-build-")
	if err != nil {
		return "", err
	}
	target := filepath.Join(work, "root")
	defer removeBuildDir(work)
	fmt.Fprintf(progress, "debootstrap %s (%s) into %s: about a minute\n", r.suite, strings.Join(r.packages, ","), target)
	cmd := exec.CommandContext(ctx, "debootstrap", "--variant=minbase", "--include="+strings.Join(r.packages, ","), r.suite, target, r.mirror)
	pw := &prefixWriter{w: progress, prefix: "debootstrap: "}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Run(); err != nil {
		pw.Flush()
		return "", fmt.Errorf("debootstrap %s failed: %v; its output is above (log: %s/debootstrap/debootstrap.log)", r.suite, err, target)
	}
	pw.Flush()
	fmt.Fprintf(progress, "packing %s\n", final)
	tmp := final + ".tmp"
	pack := exec.CommandContext(ctx, "tar", "--numeric-owner", "--xattrs", "-C", target, "-cf", tmp, ".")
	if out, err := pack.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("packing the root file system: %v: %s", err, strings.TrimSpace(string(out)))
	}
	if err := os.Rename(tmp, final); err != nil {
		return "", err
	}
	return final, nil
}

// removeBuildDir removes a debootstrap work directory, first detaching any
// file system debootstrap left mounted in it (/proc, /sys) after a failure,
// so that removing never reaches into the host's.
func removeBuildDir(dir string) {
	if data, err := os.ReadFile("/proc/self/mountinfo"); err == nil {
		var mounts []string
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(line)
			if len(f) > 4 && (f[4] == dir || strings.HasPrefix(f[4], dir+"/")) {
				mounts = append(mounts, f[4])
			}
		}
		sort.Sort(sort.Reverse(sort.StringSlice(mounts)))
		for _, m := range mounts {
			if err := syscall.Unmount(m, syscall.MNT_DETACH); err != nil {
				return // leave it rather than remove through a mount
			}
		}
	}
	os.RemoveAll(dir)
}

func shortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		id = id[:12]
	}
	return id
}
