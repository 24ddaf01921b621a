// Package lockfile reads and writes bp.lock.hcl, the record of which plugin
// provider binaries a blueprint was initialized with.
//
// `bp init` writes one provider block per plugin source the blueprint
// requires: the version the plugin reported, the version constraint the
// blueprint had, and the SHA-256 checksums of the accepted binaries. Every
// command that runs a plugin checks the binary it found against this
// record, so a replaced binary is noticed before it touches anything:
//
//	# This file is maintained by "bp init". Commit it with your blueprints.
//
//	provider "example/kv" {
//	  version     = "0.1.0"
//	  constraints = ">= 0.1.0"
//	  hashes = [
//	    "sha256:…",
//	  ]
//	}
//
// Built-in providers ship inside bp and are never recorded. The output of
// Bytes is deterministic (providers sorted by source, hashes sorted), so a
// lock file only changes when what it records changes.
//
// This package knows no discovery and no plugin protocol; it only models the
// file.
package lockfile
