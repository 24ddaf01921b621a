package discovery

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// NotFoundError is Find finding no plugin binary for a provider.
type NotFoundError struct {
	// Name is the provider name looked up.
	Name string
	// Searched are the directories looked in, in order.
	Searched []Dir
	// NearMisses are files that look like the plugin under another name.
	NearMisses []string
}

// Error says where bp looked and how to install the plugin.
func (e *NotFoundError) Error() string {
	var where []string
	for _, d := range e.Searched {
		where = append(where, d.String())
	}
	file := BinaryName(e.Name)
	msg := fmt.Sprintf("no plugin binary %s was found in %s; build the plugin into ./.bp/plugins "+
		"(go build -o .bp/plugins/%s ...) or add the directory that holds it to %s",
		file, strings.Join(where, ", "), file, PluginPathEnv)
	if len(e.NearMisses) > 0 {
		msg += fmt.Sprintf("; %s looks like this plugin under another name, but bp runs only a file named exactly %s: rename it",
			strings.Join(e.NearMisses, ", "), file)
	}
	return msg
}

// NotExecutableError is the first entry named like the plugin not being an
// executable file.
type NotExecutableError struct {
	Name string
	// Path is the absolute path of the entry.
	Path string
	Dir  Dir
	Mode fs.FileMode
}

// Error says what is wrong with the file and how to fix it.
func (e *NotExecutableError) Error() string {
	if !e.Mode.IsRegular() {
		return fmt.Sprintf("%s in %s is not a regular file (mode %s); replace it with the plugin binary", filepath.Base(e.Path), e.Dir, e.Mode)
	}
	return fmt.Sprintf("plugin %s is not executable (mode %s); make it executable with: chmod +x %s", e.Path, e.Mode.Perm(), e.Path)
}

var (
	_ error = (*NotFoundError)(nil)
	_ error = (*NotExecutableError)(nil)
)
