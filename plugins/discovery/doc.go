// Package discovery finds provider plugin binaries on the local machine.
//
// A plugin for the provider NAME is an executable file named exactly
// bp-provider-NAME (bp-provider-NAME.exe on Windows). It is looked for, in
// order, in
//
//  1. ./.bp/plugins, relative to the blueprint's working directory;
//  2. every directory of $BP_PLUGIN_PATH (separated like $PATH);
//  3. ~/.bp/plugins.
//
// The first directory holding an entry of that name decides: if that entry
// is not an executable file, Find reports it rather than quietly running a
// different binary found further down the list.
//
// File names carrying a version (bp-provider-NAME_v1.2.3) are not accepted:
// the version of a plugin is what the plugin itself reports over the
// protocol, not what its file name claims, and choosing among several
// versions in one directory would make which binary runs depend on a naming
// convention instead of on the directory order the user controls. To keep
// several versions, put them in separate directories and order
// BP_PLUGIN_PATH. Find mentions such near-miss names in its error so the
// user can rename the file.
//
// This package only finds files and hashes them. Launching a plugin is the
// plugins package's job; recording what was found is the lockfile package's.
package discovery
