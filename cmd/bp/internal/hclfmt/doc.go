// Package hclfmt puts blueprint files (HCL native syntax) into canonical form
// for `bp fmt`: the layout of github.com/hashicorp/hcl/v2/hclwrite.Format,
// applied only to sources that parse, and checked to be stable.
//
// It formats bytes; finding files, writing them back and printing belong to
// the command.
package hclfmt
