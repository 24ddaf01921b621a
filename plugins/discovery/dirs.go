package discovery

import (
	"os"
	"path/filepath"
	"strings"
)

// Origin says why a directory is searched.
type Origin string

// The places plugins are looked for, in search order.
const (
	// OriginWorkDir is ./.bp/plugins beside the blueprint.
	OriginWorkDir Origin = "./.bp/plugins"
	// OriginPluginPath is a directory listed in $BP_PLUGIN_PATH.
	OriginPluginPath Origin = "BP_PLUGIN_PATH"
	// OriginHome is ~/.bp/plugins.
	OriginHome Origin = "~/.bp/plugins"
)

// PluginPathEnv is the environment variable listing extra plugin
// directories.
const PluginPathEnv = "BP_PLUGIN_PATH"

// Options say where to look for plugins. The zero value searches only
// ./.bp/plugins of the process's working directory.
type Options struct {
	// WorkDir is the directory whose .bp/plugins is searched first; the
	// working directory of the process when empty.
	WorkDir string
	// PluginPath is the value of $BP_PLUGIN_PATH: directories separated by
	// os.PathListSeparator. Empty entries are ignored; relative ones are
	// relative to the working directory of the process.
	PluginPath string
	// HomeDir is the user's home directory; ~/.bp/plugins is not searched
	// when it is empty.
	HomeDir string
}

// OptionsFromEnv returns the Options for a blueprint in workDir, reading
// BP_PLUGIN_PATH and HOME through getenv (os.Getenv in bp itself).
func OptionsFromEnv(workDir string, getenv func(string) string) Options {
	return Options{WorkDir: workDir, PluginPath: getenv(PluginPathEnv), HomeDir: getenv("HOME")}
}

// Dir is one directory searched for plugins.
type Dir struct {
	// Path is the directory as configured (it may be relative).
	Path string
	// Origin says which setting put it in the search list.
	Origin Origin
}

// String describes the directory for messages: "./.bp/plugins" or
// "/opt/bp (BP_PLUGIN_PATH)".
func (d Dir) String() string {
	switch d.Origin {
	case OriginWorkDir:
		return string(OriginWorkDir)
	case OriginHome:
		return string(OriginHome) + " (" + d.Path + ")"
	}
	return d.Path + " (" + string(d.Origin) + ")"
}

// Dirs returns the directories searched for plugins, in search order, each
// once: a directory that appears twice (say, BP_PLUGIN_PATH naming the
// home plugin directory) is kept at its first place. Dirs does not check
// that they exist.
func Dirs(opts Options) []Dir {
	var dirs []Dir
	seen := map[string]bool{}
	add := func(path string, origin Origin) {
		key := path
		if abs, err := filepath.Abs(path); err == nil {
			key = abs
		}
		if seen[key] {
			return
		}
		seen[key] = true
		dirs = append(dirs, Dir{Path: path, Origin: origin})
	}
	add(filepath.Join(opts.WorkDir, ".bp", "plugins"), OriginWorkDir)
	for _, p := range strings.Split(opts.PluginPath, string(os.PathListSeparator)) {
		if p = strings.TrimSpace(p); p != "" {
			add(filepath.Clean(p), OriginPluginPath)
		}
	}
	if opts.HomeDir != "" {
		add(filepath.Join(opts.HomeDir, ".bp", "plugins"), OriginHome)
	}
	return dirs
}
