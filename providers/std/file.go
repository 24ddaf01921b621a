package std

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// defaultFileMode is the mode of a std_file whose mode is not set.
const defaultFileMode = "0644"

// fileResource is std_file: a file on the machine running bp, written
// atomically. Its id is its path.
type fileResource struct{}

var fileType = cty.Object(map[string]cty.Type{
	"path": cty.String, "content": cty.String, "mode": cty.String, "id": cty.String, "sha256": cty.String,
})

func (fileResource) schema() *providers.Schema {
	return &providers.Schema{
		Description: "A file on the machine running bp, written atomically.",
		Attributes: map[string]*providers.Attribute{
			"path": {Type: cty.String, Required: true, RequiresReplace: true,
				Description: "Where the file is written; relative paths are relative to the working directory. Missing parent directories are created."},
			"content": {Type: cty.String, Required: true, Description: "The file's content."},
			"mode": {Type: cty.String, Optional: true, Default: cty.StringVal(defaultFileMode),
				Description: `The permission bits as an octal string, such as "0644" or "600".`},
			"id":     {Type: cty.String, Computed: true, Description: "The path."},
			"sha256": {Type: cty.String, Computed: true, Description: "The hex SHA-256 digest of content."},
		},
	}
}

func (fileResource) validate(config cty.Value) providers.Diagnostics {
	var diags providers.Diagnostics
	if path, ok := knownString(config, "path"); ok && path == "" {
		diags = diags.Append(providers.AttributeErrorf(cty.GetAttrPath("path"), "Empty file path",
			"The path of a std_file must not be empty; set it to where the file should be written."))
	}
	if mode, ok := knownString(config, "mode"); ok {
		if _, err := parseMode(mode); err != nil {
			diags = diags.Append(providers.AttributeErrorf(cty.GetAttrPath("mode"), "Invalid file mode", "%s", err))
		}
	}
	return diags
}

func (r fileResource) plan(req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	planned := planFile(req.ProposedNewState)
	return providers.PlanResourceChangeResponse{
		PlannedState:    planned,
		RequiresReplace: fileReplacePaths(req.PriorState, planned),
		Diagnostics:     r.validate(planned),
	}
}

// planFile completes a proposed std_file: the default mode and the computed
// id and sha256, known whenever path and content are.
func planFile(proposed cty.Value) cty.Value {
	path := attr(proposed, "path", cty.String)
	content := attr(proposed, "content", cty.String)
	mode := attr(proposed, "mode", cty.String)
	if mode.IsNull() {
		mode = cty.StringVal(defaultFileMode)
	}
	sum := cty.UnknownVal(cty.String)
	if s, ok := knownString(proposed, "content"); ok {
		sum = cty.StringVal(sha256Hex(s))
	}
	return cty.ObjectVal(map[string]cty.Value{
		"path": path, "content": content, "mode": mode, "id": path, "sha256": sum,
	})
}

func fileReplacePaths(prior, planned cty.Value) []cty.Path {
	if prior.IsNull() {
		return nil
	}
	if changed(attr(prior, "path", cty.String), attr(planned, "path", cty.String)) {
		return []cty.Path{cty.GetAttrPath("path")}
	}
	return nil
}

func (r fileResource) apply(_ context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	if req.PlannedState.IsNull() {
		path, _ := knownString(req.PriorState, "path")
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: providers.Diagnostics{
				providers.FromError("Cannot delete file", err)}}
		}
		return providers.ApplyResourceChangeResponse{NewState: cty.NullVal(fileType)}
	}
	planned := planFile(req.PlannedState)
	path, okPath := knownString(planned, "path")
	content, okContent := knownString(planned, "content")
	modeStr, _ := knownString(planned, "mode")
	mode, err := parseMode(modeStr)
	if !okPath || !okContent || err != nil {
		return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: providers.Diagnostics{
			providers.Errorf("Invalid planned file", "The planned std_file must have a known path, content and a valid mode; got path=%#v content known=%v mode=%q. This is a bug in the engine.",
				planned.GetAttr("path"), okContent, modeStr)}}
	}
	if err := writeFileAtomic(path, []byte(content), mode); err != nil {
		// The write is atomic: on failure the file is as it was before.
		return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: providers.Diagnostics{
			providers.AttributeErrorf(cty.GetAttrPath("path"), "Cannot write file", "%s. Check that the directory is writable.", err)}}
	}
	return providers.ApplyResourceChangeResponse{NewState: planned}
}

func (r fileResource) read(_ context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	path, ok := knownString(req.CurrentState, "path")
	if !ok {
		path, ok = knownString(req.CurrentState, "id")
	}
	if !ok {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Diagnostics: providers.Diagnostics{
			providers.Errorf("Invalid std_file state", "The stored state of this std_file has no path, so the file cannot be read. Remove it from state and import it again by path.")}}
	}
	priorMode, _ := knownString(req.CurrentState, "mode")
	state, exists, err := readFileState(path, priorMode)
	if err != nil {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Diagnostics: providers.Diagnostics{
			providers.AttributeErrorf(cty.GetAttrPath("path"), "Cannot read file", "%s.", err)}}
	}
	if !exists {
		return providers.ReadResourceResponse{NewState: cty.NullVal(fileType)}
	}
	return providers.ReadResourceResponse{NewState: state, Private: req.Private}
}

func (r fileResource) importState(_ context.Context, id string) (cty.Value, providers.Diagnostics) {
	if id == "" {
		return cty.NilVal, providers.Diagnostics{providers.Errorf("Invalid import ID", "Import a std_file by its path, for example id = \"/etc/motd\".")}
	}
	state, exists, err := readFileState(id, "")
	switch {
	case err != nil:
		return cty.NilVal, providers.Diagnostics{providers.FromError("Cannot import file", err)}
	case !exists:
		return cty.NilVal, providers.Diagnostics{providers.Errorf("Cannot import file", "There is no file at %q to import. Check the path, or create the file with a std_file resource instead.", id)}
	}
	return state, nil
}

// readFileState reads the file at path into a std_file state. It keeps
// priorMode's spelling when it means the file's current mode, so "644" does
// not show as drift from "0644". exists is false when there is no file.
func readFileState(path, priorMode string) (state cty.Value, exists bool, err error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return cty.NilVal, false, nil
	}
	if err != nil {
		return cty.NilVal, false, err
	}
	if info.IsDir() {
		return cty.NilVal, false, fmt.Errorf("%s is a directory, not a file", path)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return cty.NilVal, false, nil
	}
	if err != nil {
		return cty.NilVal, false, err
	}
	mode := formatMode(info.Mode().Perm())
	if m, err := parseMode(priorMode); err == nil && m == info.Mode().Perm() {
		mode = priorMode
	}
	content := cty.StringVal(string(data))
	return cty.ObjectVal(map[string]cty.Value{
		"path":    cty.StringVal(path),
		"content": content,
		"mode":    cty.StringVal(mode),
		"id":      cty.StringVal(path),
		"sha256":  cty.StringVal(sha256Hex(content.AsString())),
	}), true, nil
}

// writeFileAtomic writes data to path through a temporary file in the same
// directory renamed over path, so readers see the old or the new content,
// never a mix. The mode is set explicitly, ignoring the umask.
func writeFileAtomic(path string, data []byte, mode fs.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("%s is a directory, not a file", path)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".bp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// parseMode parses an octal permission string of three or four digits, such
// as "644" or "0644". Its errors say how to write a valid mode.
func parseMode(s string) (fs.FileMode, error) {
	if len(s) < 3 || len(s) > 4 {
		return 0, fmt.Errorf("%q is not a file mode: write the permission bits as 3 or 4 octal digits, such as \"0644\" or \"755\"", s)
	}
	n, err := strconv.ParseUint(s, 8, 32)
	if err != nil {
		return 0, fmt.Errorf("%q is not a file mode: use only the octal digits 0-7, such as \"0644\" or \"755\"", s)
	}
	if n > 0o777 {
		return 0, fmt.Errorf("%q sets setuid, setgid or sticky bits, which std_file does not support; use a mode from \"0000\" to \"0777\"", s)
	}
	return fs.FileMode(n), nil
}

// formatMode writes permission bits as four octal digits, such as "0644".
func formatMode(m fs.FileMode) string {
	return fmt.Sprintf("%04o", uint32(m.Perm()))
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
