package lockfile

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// hash returns a valid checksum made of one repeated hex digit.
func hash(digit string) string { return "sha256:" + strings.Repeat(digit, 64) }

func TestBytesGolden(t *testing.T) {
	tests := []struct {
		name string
		lock *Lock
	}{
		{name: "empty", lock: New()},
		{
			name: "one",
			lock: &Lock{Providers: map[string]*Provider{
				"example/kv": {Source: "example/kv", Version: "0.1.0", Constraints: ">= 0.1.0", Hashes: []string{hash("a")}},
			}},
		},
		{
			// Sources and hashes come out sorted, duplicates once; no
			// constraints attribute when there was none.
			name: "sorted",
			lock: &Lock{Providers: map[string]*Provider{
				"example.com/acme/zeta": {Source: "example.com/acme/zeta", Version: "2.0.0-beta.1", Hashes: []string{hash("c"), hash("b"), hash("c")}},
				"example/kv":            {Source: "example/kv", Version: "0.1.0", Constraints: ">= 0.1, < 1.0", Hashes: []string{hash("a")}},
			}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.lock.Bytes()
			golden := filepath.Join("testdata", "golden", tc.name+".hcl")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Bytes() differs from %s (go test -update rewrites it):\n%s", golden, got)
			}
			// The same lock gives the same bytes every time.
			for range 5 {
				if again := tc.lock.Bytes(); !bytes.Equal(again, got) {
					t.Fatalf("Bytes() is not deterministic:\n%s\n---\n%s", got, again)
				}
			}
		})
	}
}

// TestRoundTrip parses every golden file and writes it back unchanged.
func TestRoundTrip(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.hcl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files (%v)", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			lock, diags := Parse(src, file)
			if diags.HasErrors() {
				t.Fatalf("Parse: %s", diags)
			}
			if got := lock.Bytes(); !bytes.Equal(got, src) {
				t.Errorf("written back differently:\n%s", got)
			}
		})
	}
}

func TestParse(t *testing.T) {
	src := `
# A comment someone added.
provider "example/kv" {
  hashes = ["` + hash("b") + `", "` + hash("a") + `"]
  version = "0.1.0"
}
provider "example/other" {
  version = "1.2.3"
  constraints = "~> 1.2"
  hashes = ["` + hash("c") + `"]
}
`
	lock, diags := Parse([]byte(src), "bp.lock.hcl")
	if diags.HasErrors() {
		t.Fatalf("Parse: %s", diags)
	}
	if got, want := strings.Join(lock.Sources(), " "), "example/kv example/other"; got != want {
		t.Errorf("Sources() = %q, want %q", got, want)
	}
	kv := lock.Provider("example/kv")
	if kv.Version != "0.1.0" || kv.Constraints != "" || len(kv.Hashes) != 2 {
		t.Errorf("example/kv = %+v", kv)
	}
	if !kv.HasHash(hash("a")) || kv.HasHash(hash("c")) {
		t.Errorf("HasHash is wrong for %v", kv.Hashes)
	}
	if kv.DeclRange.Filename != "bp.lock.hcl" || kv.DeclRange.Start.Line != 3 {
		t.Errorf("DeclRange = %v, want bp.lock.hcl line 3", kv.DeclRange)
	}
	if other := lock.Provider("example/other"); other.Constraints != "~> 1.2" || other.Version != "1.2.3" {
		t.Errorf("example/other = %+v", other)
	}
	if lock.Provider("example/missing") != nil || (*Lock)(nil).Provider("x") != nil {
		t.Error("Provider of an unlocked source is not nil")
	}
	if lock.Source == nil {
		t.Error("Source is nil for a parsed lock")
	}
	// Writing normalizes order and layout.
	want := `# This file is maintained by "bp init". Commit it with your blueprints.

provider "example/kv" {
  version = "0.1.0"
  hashes = [
    "` + hash("a") + `",
    "` + hash("b") + `",
  ]
}

provider "example/other" {
  version     = "1.2.3"
  constraints = "~> 1.2"
  hashes = [
    "` + hash("c") + `",
  ]
}
`
	if got := string(lock.Bytes()); got != want {
		t.Errorf("Bytes() =\n%s\nwant\n%s", got, want)
	}
}

// errorMarker marks the line an error is expected on, and its summary.
var errorMarker = regexp.MustCompile(`# ERROR: (.+)$`)

// TestParseErrors parses testdata/invalid/*.hcl and checks that the errors
// are exactly those marked "# ERROR: Summary" on the line they point at.
func TestParseErrors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "invalid", "*.hcl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no invalid files (%v)", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for i, line := range strings.Split(string(src), "\n") {
				if m := errorMarker.FindStringSubmatch(line); m != nil {
					want = append(want, lineError(file, i+1, m[1]))
				}
			}
			_, diags := Parse(src, file)
			var got []string
			for _, d := range diags {
				if d.Severity != hcl.DiagError {
					continue
				}
				if d.Subject == nil {
					t.Errorf("error %q has no source range", d.Summary)
					continue
				}
				if d.Subject.Filename != file || d.Subject.Start.Column < 1 {
					t.Errorf("error %q points at %v", d.Summary, d.Subject)
				}
				if d.Detail == "" {
					t.Errorf("error %q has no detail", d.Summary)
				}
				got = append(got, lineError(file, d.Subject.Start.Line, d.Summary))
			}
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s\n(all: %s)", strings.Join(got, "\n"), strings.Join(want, "\n"), diags)
			}
		})
	}
}

func lineError(file string, line int, summary string) string {
	return filepath.Base(file) + ":" + strconv.Itoa(line) + ": " + summary
}

func TestLoadAndSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)

	lock, diags := Load(path)
	if diags.HasErrors() || len(lock.Providers) != 0 {
		t.Fatalf("Load of a missing file = %v, %s; want an empty lock", lock.Providers, diags)
	}

	lock.SetProvider(&Provider{Source: "example/kv", Version: "0.1.0", Hashes: []string{hash("d")}})
	if err := Save(path, lock); err != nil {
		t.Fatal(err)
	}
	again, diags := Load(path)
	if diags.HasErrors() {
		t.Fatalf("Load: %s", diags)
	}
	if !again.Provider("example/kv").HasHash(hash("d")) {
		t.Errorf("saved lock lost its hash: %+v", again.Provider("example/kv"))
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o644 {
		t.Errorf("lock file mode = %v, want 0644", info.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("Save left temporary files: %v", entries)
	}

	if err := Save(filepath.Join(dir, "missing", FileName), lock); err == nil || !strings.Contains(err.Error(), "cannot write the lock file") {
		t.Errorf("Save into a missing directory: %v", err)
	}
	if _, diags := Load(dir); !diags.HasErrors() || diags[0].Summary != "Cannot read the lock file" {
		t.Errorf("Load of a directory: %s", diags)
	}
}

// FuzzParse checks that no input makes Parse panic, and that whatever it
// accepts is written back as a file that parses to the same lock.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*", "*.hcl"))
	for _, s := range seeds {
		src, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(`provider "a" { version = "1" hashes = ["` + hash("0") + `"] }`))
	f.Fuzz(func(t *testing.T, src []byte) {
		lock, diags := Parse(src, "bp.lock.hcl")
		if diags.HasErrors() {
			return
		}
		out := lock.Bytes()
		again, diags := Parse(out, "bp.lock.hcl")
		if diags.HasErrors() {
			t.Fatalf("written lock does not parse: %s\n%s", diags, out)
		}
		if !bytes.Equal(again.Bytes(), out) {
			t.Fatalf("lock changed in a round trip:\n%s\n---\n%s", out, again.Bytes())
		}
	})
}
