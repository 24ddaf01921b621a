// Command ansiblebench converges the same 200-resource role on the same
// machines with bp, with Ansible and with Ansible + Mitogen, and prints
// the first and the no-op (second) converge times side by side with how
// many times faster bp is (DESIGN.md §4: no-op ≥ 300× faster than Ansible,
// ≥ 100× faster than Ansible + Mitogen; issue 6 asks for ≥ 50×).
//
// The role (see Workload) has directories, files, templates, lines,
// packages already present and services already enabled. bp converges it
// with `bp converge` (first, then no-op runs; no-op `bp plan` and
// `bp apply` are timed too); Ansible runs the same work written as a
// playbook with Debian's ansible-core (pipelining on, forks = machines,
// ssh with the machines' keys and pinned host keys from bp's state), then
// with the mitogen_linear strategy from Debian's ansible-mitogen.
//
// Machines come from the local provider (run scripts/local-engine.sh
// first). A setup role, untimed, gives every host python3, the services
// and the files lines go into; it runs again before each tool's first
// converge so that every tool starts from the same hosts. The machines are
// destroyed at the end, also on failure or interrupt.
//
// It needs ansible-core and ansible-mitogen (Debian packages; installed
// with apt-get when missing) and takes several minutes, mostly Ansible's.
//
// Usage: go run ./bench/ansiblebench [-machines 10] [-runs 5] [-tools bp,ansible,mitogen] [-keep]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// options are the command's flags.
type options struct {
	machines int
	runs     int
	tools    map[string]bool
	bp       string
	workdir  string
	keep     bool
}

func main() {
	var o options
	tools := flag.String("tools", "bp,ansible,mitogen", "comma-separated tools to measure: bp, ansible, mitogen")
	flag.IntVar(&o.machines, "machines", 10, "number of machines (Ansible forks as many)")
	flag.IntVar(&o.runs, "runs", 5, "no-op runs of each bp command; the median is reported")
	flag.StringVar(&o.bp, "bp", "", "a built bp (with bp-agent-linux-* beside it) instead of building one")
	flag.StringVar(&o.workdir, "workdir", "", "directory for the blueprint, playbook and logs (default: a new one under /tmp)")
	flag.BoolVar(&o.keep, "keep", false, "after a successful run, leave the machines up (bp destroy -auto-approve in WORKDIR/blueprint removes them)")
	flag.Parse()
	o.tools = map[string]bool{}
	for _, t := range strings.Split(*tools, ",") {
		t = strings.TrimSpace(t)
		if t != "bp" && t != "ansible" && t != "mitogen" {
			fmt.Fprintf(os.Stderr, "ansiblebench: unknown tool %q in -tools; use bp, ansible and mitogen\n", t)
			os.Exit(2)
		}
		o.tools[t] = true
	}
	if o.machines < 1 || o.runs < 1 {
		fmt.Fprintln(os.Stderr, "ansiblebench: -machines and -runs must be at least 1")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, DefaultWorkload); err != nil {
		fmt.Fprintln(os.Stderr, "ansiblebench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, w Workload) (err error) {
	if err := w.validate(); err != nil {
		return err
	}
	var mitogenMissing error
	if o.tools["ansible"] || o.tools["mitogen"] {
		if err := ensurePackage(ctx, ansiblePackage); err != nil {
			return err
		}
	}
	if o.tools["mitogen"] {
		if mitogenMissing = ensurePackage(ctx, mitogenPackage); mitogenMissing != nil {
			fmt.Fprintln(os.Stderr, "ansiblebench: Ansible + Mitogen left out:", mitogenMissing)
		}
	}
	work := o.workdir
	if work == "" {
		if work, err = os.MkdirTemp("", "ansiblebench-"); err != nil {
			return err
		}
	}
	bin := o.bp
	if bin == "" {
		root, err := moduleRoot(ctx)
		if err != nil {
			return err
		}
		if bin, err = buildBP(ctx, root, filepath.Join(work, "bin")); err != nil {
			return err
		}
	}
	b, err := newBench(work, bin, w, o.machines)
	if err != nil {
		return err
	}
	fmt.Printf("ansiblebench: %d machines, role of %d resources (%d Ansible tasks); files and logs in %s\n",
		o.machines, w.Resources(), w.Tasks(), work)
	defer func() {
		if o.keep && err == nil {
			fmt.Printf("machines kept: run bp destroy -auto-approve in %s to remove them\n", b.bp.dir)
			return
		}
		if derr := b.destroy(); derr != nil {
			err = fmt.Errorf("%v\nand destroying the machines failed: %v\n(remove them by hand: bp destroy -auto-approve in %s)", err, derr, b.bp.dir)
		}
	}()
	if err := b.setup(ctx); err != nil {
		return err
	}
	var rows []row
	if o.tools["bp"] {
		bpRows, err := b.measureBP(ctx, o.runs)
		if err != nil {
			return err
		}
		rows = append(rows, bpRows...)
	}
	if o.tools["ansible"] {
		r, err := b.measureAnsible(ctx, linear)
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	if o.tools["mitogen"] {
		if mitogenMissing != nil {
			rows = append(rows, row{tool: "ansible + mitogen", note: "not installed: " + firstLine(mitogenMissing.Error())})
		} else {
			r, err := b.measureAnsible(ctx, mitogen)
			if err != nil {
				return err
			}
			rows = append(rows, r)
		}
	}
	fmt.Println()
	printTable(os.Stdout, rows)
	fmt.Println()
	b.printProfile(os.Stdout)
	b.printSameResult(os.Stdout)
	return nil
}

// moduleRoot is the directory of the go.mod bp is built from.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run ansiblebench inside the bp module (go run ./bench/ansiblebench), or pass -bp with a built bp")
	}
	return filepath.Dir(gomod), nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// since formats a duration in seconds for the table.
func seconds(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	if d < 10*time.Second {
		return fmt.Sprintf("%.3f", d.Seconds())
	}
	return fmt.Sprintf("%.1f", d.Seconds())
}
