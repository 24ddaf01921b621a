package main

import (
	"slices"
	"testing"

	"github.com/spf13/cobra"
)

// testTree is a command tree shaped like bp's: persistent flags on the root,
// bool, string and shorthand flags on the commands, and a nested command.
func testTree() *cobra.Command {
	root := &cobra.Command{Use: "bp"}
	root.PersistentFlags().String("chdir", "", "")
	root.PersistentFlags().Bool("no-color", false, "")
	root.Version = "1"

	fmtCmd := &cobra.Command{Use: "fmt", Run: func(*cobra.Command, []string) {}}
	fmtCmd.Flags().Bool("check", false, "")
	fmtCmd.Flags().Bool("diff", false, "")
	fmtCmd.Flags().Bool("list", true, "")

	plan := &cobra.Command{Use: "plan", Run: func(*cobra.Command, []string) {}}
	plan.Flags().StringArray("var", nil, "")
	plan.Flags().StringP("out", "o", "", "")
	plan.Flags().Bool("auto-approve", false, "")
	plan.Flags().Int("parallelism", 10, "")

	state := &cobra.Command{Use: "state"}
	list := &cobra.Command{Use: "list", Run: func(*cobra.Command, []string) {}}
	list.Flags().String("state", "", "")
	state.AddCommand(list)

	root.AddCommand(fmtCmd, plan, state)
	return root
}

func TestRewriteArgs(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"bool flags", []string{"fmt", "-check", "-diff"}, []string{"fmt", "--check", "--diff"}},
		{"bool flag with value", []string{"fmt", "-list=false"}, []string{"fmt", "--list=false"}},
		{"double dash untouched", []string{"fmt", "--check"}, []string{"fmt", "--check"}},
		{"help shorthand untouched", []string{"fmt", "-h"}, []string{"fmt", "-h"}},
		{"help long form", []string{"fmt", "-help"}, []string{"fmt", "--help"}},
		{"stdin untouched", []string{"fmt", "-"}, []string{"fmt", "-"}},
		{"positional untouched", []string{"fmt", "-check", "dir/a.bp.hcl"}, []string{"fmt", "--check", "dir/a.bp.hcl"}},
		{
			"value flags separate and joined",
			[]string{"plan", "-var", "x=1", "-var=y=2", "-out", "f", "-auto-approve"},
			[]string{"plan", "--var", "x=1", "--var=y=2", "--out", "f", "--auto-approve"},
		},
		{"value that looks like a flag", []string{"plan", "-var", "-check"}, []string{"plan", "--var", "-check"}},
		{"value of a double-dash flag", []string{"plan", "--out", "-diff"}, []string{"plan", "--out", "-diff"}},
		{"value of a shorthand", []string{"plan", "-o", "-auto-approve"}, []string{"plan", "-o", "-auto-approve"}},
		{"negative number value", []string{"plan", "-parallelism", "-1"}, []string{"plan", "--parallelism", "-1"}},
		{"negative number positional", []string{"plan", "-1"}, []string{"plan", "-1"}},
		{"negative decimal", []string{"plan", "-0.5"}, []string{"plan", "-0.5"}},
		{"global flag before command", []string{"-chdir=dir", "fmt", "-check"}, []string{"--chdir=dir", "fmt", "--check"}},
		{"global flag value before command", []string{"-chdir", "fmt", "fmt", "-check"}, []string{"--chdir", "fmt", "fmt", "--check"}},
		{"global flag after command", []string{"fmt", "-no-color"}, []string{"fmt", "--no-color"}},
		{"version flag", []string{"-version"}, []string{"--version"}},
		{"flag of another command is unknown", []string{"fmt", "-var", "x"}, []string{"fmt", "--var", "x"}},
		{"unknown flag reads as long", []string{"fmt", "-bogus"}, []string{"fmt", "--bogus"}},
		{"shorthand cluster untouched", []string{"plan", "-ofile"}, []string{"plan", "-ofile"}},
		{"after double dash untouched", []string{"fmt", "--", "-check", "-x"}, []string{"fmt", "--", "-check", "-x"}},
		{"nested command flags", []string{"state", "list", "-state=s.json"}, []string{"state", "list", "--state=s.json"}},
		{"positional stops command words", []string{"fmt", "plan", "-check"}, []string{"fmt", "plan", "--check"}},
		{"help command", []string{"help", "fmt"}, []string{"help", "fmt"}},
		{"lone equals sign", []string{"fmt", "-=x"}, []string{"fmt", "-=x"}},
		{"empty", []string{}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := rewriteArgs(testTree(), slices.Clone(tc.args))
			if !slices.Equal(got, tc.want) {
				t.Errorf("rewriteArgs(%q)\n got %q\nwant %q", tc.args, got, tc.want)
			}
		})
	}
}

// TestRewriteArgsRealTree checks the flags of bp's own commands are found.
func TestRewriteArgsRealTree(t *testing.T) {
	root := newRootCommand(&cli{getenv: func(string) string { return "" }})
	got := rewriteArgs(root, []string{"-no-color", "fmt", "-check", "-recursive", "-write=false", "-list=false", "-diff", "x"})
	want := []string{"--no-color", "fmt", "--check", "--recursive", "--write=false", "--list=false", "--diff", "x"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// FuzzRewriteArgs checks that rewriting never panics, never drops or adds an
// argument, and only ever prefixes one dash.
func FuzzRewriteArgs(f *testing.F) {
	f.Add("fmt", "-check", "-")
	f.Add("plan", "-var", "x=1")
	f.Add("-chdir", "x", "-=")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		args := []string{a, b, c}
		got := rewriteArgs(testTree(), slices.Clone(args))
		if len(got) != len(args) {
			t.Fatalf("rewriteArgs(%q) = %q: length changed", args, got)
		}
		for i := range args {
			if got[i] != args[i] && got[i] != "-"+args[i] {
				t.Fatalf("rewriteArgs(%q) = %q: argument %d changed beyond a dash", args, got, i)
			}
		}
	})
}
