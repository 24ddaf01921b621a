package funcs

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// resolvePath expands a leading "~" and makes a relative path absolute
// against baseDir, the directory of the module being evaluated.
func resolvePath(baseDir, path string) (string, error) {
	expanded, err := expandHome(path)
	if err != nil {
		return "", err
	}
	if !filepath.IsAbs(expanded) {
		expanded = filepath.Join(baseDir, expanded)
	}
	return filepath.Clean(expanded), nil
}

// expandHome replaces a leading "~" or "~/" with the current user's home
// directory. "~user" forms are refused: they would need a user database
// lookup whose answer differs between machines.
func expandHome(path string) (string, error) {
	if path != "~" && !strings.HasPrefix(path, "~/") && !strings.HasPrefix(path, "~"+string(filepath.Separator)) {
		if strings.HasPrefix(path, "~") {
			return "", fmt.Errorf("cannot expand %q: only \"~\" (the current user's home directory) is supported, not \"~user\"", path)
		}
		return path, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot expand %q: %w", path, err)
	}
	return filepath.Join(home, path[1:]), nil
}

// readFile reads the file at path (resolved against baseDir) and returns
// errors that name the path and say what to do.
func readFile(baseDir, path string) ([]byte, error) {
	full, err := resolvePath(baseDir, path)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(full)
	switch {
	case err == nil:
		return data, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("no file exists at %q (resolved to %s); paths are relative to the directory of the blueprint module, and the file must exist before bp runs — a file created by a resource cannot be read with this function", path, full)
	default:
		var pathErr *fs.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err
		}
		return nil, fmt.Errorf("cannot read %q (resolved to %s): %v", path, full, err)
	}
}

// pathParam is the single string parameter of the file functions.
var pathParam = []function.Parameter{{Name: "path", Type: cty.String}}

// makeFileFunc returns file(path): the contents of a UTF-8 text file.
func makeFileFunc(baseDir string) function.Function {
	return function.New(&function.Spec{
		Description: "Reads the file at the given path (relative to the module directory) and returns its contents as a string. The file must be valid UTF-8.",
		Params:      pathParam,
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			path := args[0].AsString()
			data, err := readFile(baseDir, path)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			if !utf8.Valid(data) {
				return cty.NilVal, function.NewArgErrorf(0, "the file %q is not valid UTF-8 text; use filebase64 to read binary files", path)
			}
			return cty.StringVal(string(data)), nil
		},
	})
}

// makeFileBase64Func returns filebase64(path): a file's bytes, base64-encoded.
func makeFileBase64Func(baseDir string) function.Function {
	return function.New(&function.Spec{
		Description: "Reads the file at the given path (relative to the module directory) and returns its bytes encoded as standard base64.",
		Params:      pathParam,
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			data, err := readFile(baseDir, args[0].AsString())
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			return cty.StringVal(base64.StdEncoding.EncodeToString(data)), nil
		},
	})
}

// makeFileHashFunc returns a function that hashes a file's bytes with h.
func makeFileHashFunc(baseDir string, algo hashAlgo) function.Function {
	return function.New(&function.Spec{
		Description: fmt.Sprintf("Reads the file at the given path (relative to the module directory) and returns the hex-encoded %s of its bytes.", algo.name),
		Params:      pathParam,
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			data, err := readFile(baseDir, args[0].AsString())
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			return cty.StringVal(algo.hex(data)), nil
		},
	})
}

// makeFileExistsFunc returns fileexists(path).
func makeFileExistsFunc(baseDir string) function.Function {
	return function.New(&function.Spec{
		Description: "Returns true if a regular file exists at the given path (relative to the module directory), false if nothing exists there. It is an error if the path names something other than a regular file, such as a directory.",
		Params:      pathParam,
		Type:        function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			path := args[0].AsString()
			full, err := resolvePath(baseDir, path)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			fi, err := os.Stat(full)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				return cty.False, nil
			case err != nil:
				return cty.NilVal, function.NewArgErrorf(0, "cannot check %q (resolved to %s): %v", path, full, err)
			case !fi.Mode().IsRegular():
				return cty.NilVal, function.NewArgErrorf(0, "%q (resolved to %s) exists but is not a regular file (mode %s)", path, full, fi.Mode())
			}
			return cty.True, nil
		},
	})
}

// makeAbsPathFunc returns abspath(path). Unlike Terraform's abspath, a
// relative path resolves against the module directory, as every other file
// function here does, not against the process's working directory.
func makeAbsPathFunc(baseDir string) function.Function {
	return function.New(&function.Spec{
		Description: "Returns the given path made absolute: a relative path is resolved against the module directory. Separators are forward slashes.",
		Params:      pathParam,
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			path := args[0].AsString()
			if !filepath.IsAbs(path) {
				path = filepath.Join(baseDir, path)
			}
			abs, err := filepath.Abs(path)
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(0, "cannot make %q absolute: %v", args[0].AsString(), err)
			}
			return cty.StringVal(filepath.ToSlash(abs)), nil
		},
	})
}

// pathExpandFunc is pathexpand(path).
var pathExpandFunc = function.New(&function.Spec{
	Description: "Replaces a leading \"~\" in the given path with the current user's home directory. Other paths are returned unchanged.",
	Params:      pathParam,
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		path, err := expandHome(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		return cty.StringVal(path), nil
	},
})

// basenameFunc is basename(path).
var basenameFunc = function.New(&function.Spec{
	Description: "Returns the last element of the given path (\"a/b/c.txt\" → \"c.txt\").",
	Params:      pathParam,
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(filepath.Base(args[0].AsString())), nil
	},
})

// dirnameFunc is dirname(path).
var dirnameFunc = function.New(&function.Spec{
	Description: "Returns all but the last element of the given path (\"a/b/c.txt\" → \"a/b\").",
	Params:      pathParam,
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(filepath.Dir(args[0].AsString())), nil
	},
})
