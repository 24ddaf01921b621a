// Package view renders what the bp command line shows to people and to
// programs: hcl.Diagnostics as text with source snippets (optionally in
// color) and as JSON.
//
// It only formats; it decides nothing about exit codes, which stream to write
// to, or whether a terminal supports color. Callers pass those decisions in.
package view
