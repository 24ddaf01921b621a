package blueprint

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

const invalidDir = "testdata/invalid"

// expectation is one diagnostic a testdata case must produce: its severity,
// summary, and the file (relative to the case directory) and line its
// subject starts on. File "-" and line 0 stand for a diagnostic without a
// subject.
type expectation struct {
	severity string
	file     string
	line     int
	summary  string
}

func (e expectation) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", e.file, e.line, e.severity, e.summary)
}

// caseExpectations reads the inline markers of every text file in dir and
// the lines of its expect.txt ("FILE:LINE: SUMMARY", or
// "FILE:LINE: WARNING: SUMMARY").
func caseExpectations(t *testing.T, dir string) []expectation {
	t.Helper()
	var out []expectation
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == "expect.txt":
			out = append(out, readExpectFile(t, path)...)
		case strings.HasSuffix(rel, ".hcl"):
			out = append(out, inlineMarkers(t, path, rel)...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func inlineMarkers(t *testing.T, path, rel string) []expectation {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []expectation
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		for {
			i := strings.Index(text, "ERROR: ")
			j := strings.Index(text, "WARNING: ")
			if i < 0 && j < 0 {
				break
			}
			sev, at := "error", i
			if i < 0 || (j >= 0 && j < i) {
				sev, at = "warning", j
			}
			text = text[at+strings.Index(text[at:], ": ")+2:]
			summary := text
			if k := nextMarker(text); k >= 0 {
				summary = text[:k]
			}
			summary = strings.TrimSpace(summary)
			summary = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(summary, "#"), "//"))
			out = append(out, expectation{severity: sev, file: rel, line: line, summary: summary})
		}
	}
	return out
}

func nextMarker(s string) int {
	i, j := strings.Index(s, "ERROR: "), strings.Index(s, "WARNING: ")
	switch {
	case i < 0:
		return j
	case j < 0:
		return i
	case i < j:
		return i
	}
	return j
}

func readExpectFile(t *testing.T, path string) []expectation {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []expectation
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		parts := strings.SplitN(l, ":", 3)
		if len(parts) != 3 {
			t.Fatalf("%s: bad line %q, want FILE:LINE: SUMMARY", path, l)
		}
		var line int
		if _, err := fmt.Sscan(parts[1], &line); err != nil {
			t.Fatalf("%s: bad line number in %q", path, l)
		}
		e := expectation{severity: "error", file: parts[0], line: line, summary: strings.TrimSpace(parts[2])}
		if s, ok := strings.CutPrefix(e.summary, "WARNING: "); ok {
			e.severity, e.summary = "warning", s
		}
		out = append(out, e)
	}
	return out
}

// readCaseInputs reads the optional vars.txt ("-var NAME=VALUE" or
// "-var-file PATH" per line, PATH relative to the case) and env.txt
// (KEY=VALUE per line) of a case.
func readCaseInputs(t *testing.T, dir string) (args []VarArg, env []string, ok bool) {
	t.Helper()
	lines := func(name string) []string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		ok = true
		var out []string
		for _, l := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(l) != "" {
				out = append(out, l)
			}
		}
		return out
	}
	for _, l := range lines("vars.txt") {
		switch {
		case strings.HasPrefix(l, "-var-file "):
			args = append(args, VarArg{File: filepath.Join(dir, strings.TrimPrefix(l, "-var-file "))})
		case strings.HasPrefix(l, "-var "):
			args = append(args, VarArg{Assign: strings.TrimPrefix(l, "-var ")})
		default:
			t.Fatalf("%s/vars.txt: bad line %q", dir, l)
		}
	}
	env = lines("env.txt")
	return args, env, ok
}

// loadCase loads a testdata case the way `bp validate` would: the
// directory, then, when the case gives input values, the variables.
func loadCase(t *testing.T, dir string) hcl.Diagnostics {
	t.Helper()
	l := NewLoader()
	cfg, diags := l.LoadDir(dir)
	args, env, hasInputs := readCaseInputs(t, dir)
	if hasInputs && !diags.HasErrors() {
		inputs, inDiags := l.CollectInputs(dir, args, env)
		diags = append(diags, inDiags...)
		_, varDiags := PrepareVariables(cfg.Module, inputs)
		diags = append(diags, varDiags...)
	}
	return diags
}

func diagExpectation(dir string, d *hcl.Diagnostic) expectation {
	e := expectation{severity: "error", file: "-", summary: d.Summary}
	if d.Severity == hcl.DiagWarning {
		e.severity = "warning"
	}
	if d.Subject != nil {
		rel, err := filepath.Rel(dir, d.Subject.Filename)
		if err != nil {
			rel = d.Subject.Filename
		}
		e.file, e.line = filepath.ToSlash(rel), d.Subject.Start.Line
	}
	return e
}

func invalidCases(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(invalidDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names
}

func TestInvalidBlueprints(t *testing.T) {
	names := invalidCases(t)
	if len(names) < 45 {
		t.Errorf("only %d invalid cases under %s, want at least 45", len(names), invalidDir)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(invalidDir, name)
			want := caseExpectations(t, dir)
			if len(want) == 0 {
				t.Fatalf("case %s marks no expected diagnostic", name)
			}
			diags := loadCase(t, dir)
			var got []expectation
			for _, d := range diags {
				got = append(got, diagExpectation(dir, d))
				if d.Severity == hcl.DiagError && strings.TrimSpace(d.Detail) == "" {
					t.Errorf("%q has no detail; every error must say what to do about it", d.Summary)
				}
			}
			missing, extra := diffExpectations(want, got)
			for _, e := range missing {
				t.Errorf("missing diagnostic %s", e)
			}
			for _, e := range extra {
				t.Errorf("unexpected diagnostic %s", e)
			}
			if t.Failed() {
				for _, d := range diags {
					t.Logf("got: %s", d.Error())
				}
			}
		})
	}
}

// diffExpectations matches want and got as multisets.
func diffExpectations(want, got []expectation) (missing, extra []expectation) {
	left := map[expectation]int{}
	for _, g := range got {
		left[g]++
	}
	for _, w := range want {
		if left[w] > 0 {
			left[w]--
			continue
		}
		missing = append(missing, w)
	}
	for _, g := range got {
		if left[g] > 0 {
			left[g]--
			extra = append(extra, g)
		}
	}
	return missing, extra
}

// TestInvalidDetailsGolden renders the full diagnostics (summary, position
// and detail) of every invalid case and compares them with
// testdata/golden/invalid/<case>.txt. Run with -update to rewrite them after
// an intended change, then review the diff: each detail must say what is
// wrong and how to fix it.
func TestInvalidDetailsGolden(t *testing.T) {
	for _, name := range invalidCases(t) {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(invalidDir, name)
			diags := loadCase(t, dir)
			var b strings.Builder
			for _, d := range sortedDiags(diags) {
				e := diagExpectation(dir, d)
				fmt.Fprintf(&b, "%s\n", e)
				for _, l := range strings.Split(strings.TrimSpace(d.Detail), "\n") {
					fmt.Fprintf(&b, "    %s\n", l)
				}
			}
			checkGolden(t, filepath.Join("testdata/golden/invalid", name+".txt"), b.String())
		})
	}
}

func sortedDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	out := append(hcl.Diagnostics(nil), diags...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Subject, out[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
	return out
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run go test -update and review the diff)\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}
