package main

import (
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// rewriteArgs lets Terraform-style single-dash long flags through pflag, which
// only knows --long: it follows the command words in args down the command
// tree and turns every "-name" or "-name=value" whose name is a long flag of
// the command being run into "--name…".
//
// Left as they are: "-h" and other single letters, "--name", "-" (standard
// input), negative numbers, positional arguments, values of flags and
// everything after "--". A multi-letter "-name" that is no flag and does not
// start with a known shorthand also becomes "--name", so pflag reports it as
// an unknown flag rather than as a string of shorthands.
func rewriteArgs(root *cobra.Command, args []string) []string {
	root.InitDefaultHelpCmd()
	root.InitDefaultVersionFlag()
	cmd := root
	cmd.InitDefaultHelpFlag()
	inCommandWords := true
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			return append(out, args[i:]...)

		case arg == "-" || !strings.HasPrefix(arg, "-"):
			if inCommandWords {
				if sub := subcommand(cmd, arg); sub != nil {
					cmd = sub
					cmd.InitDefaultHelpFlag()
				} else {
					inCommandWords = false
				}
			}
			out = append(out, arg)

		case strings.HasPrefix(arg, "--"):
			out = append(out, arg)
			name, _, hasValue := strings.Cut(arg[2:], "=")
			if !hasValue && takesValue(longFlag(cmd, name)) && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}

		default: // one dash
			name, _, hasValue := strings.Cut(arg[1:], "=")
			var f *pflag.Flag
			switch {
			case name == "":
			case len(name) == 1:
				f = shortFlag(cmd, name)
			case longFlag(cmd, name) != nil:
				f = longFlag(cmd, name)
				arg = "-" + arg
			case isNumber(arg):
			case shortFlag(cmd, name[:1]) == nil:
				arg = "-" + arg
			}
			out = append(out, arg)
			if !hasValue && takesValue(f) && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
		}
	}
	return out
}

// subcommand returns cmd's child named (or aliased) name, or nil.
func subcommand(cmd *cobra.Command, name string) *cobra.Command {
	for _, sub := range cmd.Commands() {
		if sub.Name() == name || sub.HasAlias(name) {
			return sub
		}
	}
	return nil
}

// flagSets are the flags cmd accepts: its own, its persistent ones and those
// inherited from its parents.
func flagSets(cmd *cobra.Command) []*pflag.FlagSet {
	return []*pflag.FlagSet{cmd.Flags(), cmd.PersistentFlags(), cmd.InheritedFlags()}
}

// longFlag looks up the flag called name among those cmd accepts.
func longFlag(cmd *cobra.Command, name string) *pflag.Flag {
	for _, fs := range flagSets(cmd) {
		if f := fs.Lookup(name); f != nil {
			return f
		}
	}
	return nil
}

// shortFlag looks up a one-letter shorthand among the flags cmd accepts.
func shortFlag(cmd *cobra.Command, letter string) *pflag.Flag {
	for _, fs := range flagSets(cmd) {
		if f := fs.ShorthandLookup(letter); f != nil {
			return f
		}
	}
	return nil
}

// takesValue reports whether f needs a value, which then may be the next
// argument. Boolean flags do not.
func takesValue(f *pflag.Flag) bool {
	return f != nil && f.NoOptDefVal == ""
}

// isNumber reports whether arg reads as a number, such as -1 or -0.5.
func isNumber(arg string) bool {
	_, err := strconv.ParseFloat(arg, 64)
	return err == nil
}
