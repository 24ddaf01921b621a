package resources

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

func init() {
	register(KindSpec{
		Name:          "download",
		Description:   "A file fetched from a URL and verified against its SHA-256; not fetched again while the file matches.",
		NameAttribute: "destination",
		Attributes: append([]AttrSpec{
			{Name: "destination", Type: TypeString, Description: "Absolute path of the file; defaults to the block label."},
			{Name: "url", Type: TypeString, Required: true, Description: "http or https URL to fetch."},
			{Name: "sha256", Type: TypeString, Required: true, Description: "Expected SHA-256 of the content, 64 hex digits."},
		}, ownershipAttrs("file")...),
	}, decodeDownload)
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Download is a download resource.
type Download struct {
	Destination string
	URL         string
	SHA256      string
	ownership   ownership

	fetch bool // found by Check
}

func decodeDownload(a *attrs) Resource {
	d := &Download{Destination: a.absPath("destination"), URL: a.required("url"),
		SHA256: strings.ToLower(a.str("sha256")), ownership: decodeOwnership(a)}
	if d.URL != "" && !strings.HasPrefix(d.URL, "http://") && !strings.HasPrefix(d.URL, "https://") {
		a.problem("url", "Invalid url", fmt.Sprintf("url must start with http:// or https://, not %q.", d.URL))
	}
	if a.has("sha256") && !sha256Hex.MatchString(d.SHA256) {
		a.problem("sha256", "Invalid sha256", "sha256 must be 64 hex digits, such as the output of sha256sum.")
	}
	return d
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Check implements Resource.
func (d *Download) Check(ctx context.Context, env *Env) (*Diff, error) {
	diff := &Diff{}
	d.fetch = false
	fi, err := os.Stat(d.Destination)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		d.fetch = true
		diff.add("download %s to %s", d.URL, d.Destination)
		fi = nil
	case err != nil:
		return nil, err
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s exists and is not a regular file", d.Destination)
	default:
		sum, err := fileSHA256(d.Destination)
		if err != nil {
			return nil, err
		}
		if sum != d.SHA256 {
			d.fetch = true
			diff.add("download %s to %s (sha256 %s… → %s…)", d.URL, d.Destination, sum[:12], d.SHA256[:12])
		}
	}
	if err := d.ownership.check(fi, diff); err != nil {
		return nil, err
	}
	return diff, nil
}

// Apply implements Resource.
func (d *Download) Apply(ctx context.Context, env *Env) error {
	if !d.fetch {
		return d.ownership.apply(d.Destination)
	}
	dir := filepath.Dir(d.Destination)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(d.Destination)+".bp-")
	if err != nil {
		return fmt.Errorf("downloading to %s: %w", d.Destination, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.URL, nil)
	if err != nil {
		return err
	}
	resp, err := env.httpClient().Do(req)
	if err != nil {
		return fmt.Errorf("downloading %s: %w", d.URL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("downloading %s: %s", d.URL, resp.Status)
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tmp, h), resp.Body); err != nil {
		return fmt.Errorf("downloading %s: %w", d.URL, err)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != d.SHA256 {
		return fmt.Errorf("%s has sha256 %s, not the expected %s; the file was not installed", d.URL, sum, d.SHA256)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	o := d.ownership
	if !o.hasMode {
		o.mode, o.hasMode = 0o644, true
	}
	if err := o.apply(tmp.Name()); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), d.Destination); err != nil {
		return fmt.Errorf("installing %s: %w", d.Destination, err)
	}
	return nil
}

var _ Resource = (*Download)(nil)
