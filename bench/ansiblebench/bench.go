package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// bench is one run of the benchmark: the blueprint of the machines, the
// Ansible project for the same machines, and what was measured.
type bench struct {
	w        Workload
	machines int
	work     string
	bp       *bpCLI
	ansible  *ansibleProject // written once the machines exist
	ms       []machine
	created  bool // bp apply ran, so there may be machines to destroy

	digests map[string]string // tool → digest of the hosts after its first converge
	profile []profileLine
}

// profileLine is one figure of where bp's no-op time goes.
type profileLine struct {
	what string
	took time.Duration
}

// newBench writes the blueprint of n machines, with the setup role as its
// configuration, into work/blueprint.
func newBench(work, bin string, w Workload, n int) (*bench, error) {
	dir := filepath.Join(work, "blueprint")
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		return nil, err
	}
	project := fmt.Sprintf("ansiblebench-%d", time.Now().UnixNano()%1_000_000)
	main := fmt.Sprintf(`blueprint {
  required_providers {
    local = { source = "builtin/local" }
  }
}

provider "local" { project = %q }

resource "machine" "m" {
  count = %d
  name  = "m-${count.index}"
}
`, project, n)
	if err := os.WriteFile(filepath.Join(dir, "main.bp.hcl"), []byte(main), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "templates", "bench.conf.tpl"), []byte(bpTemplate), 0o644); err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(work, "bp.log"))
	if err != nil {
		return nil, err
	}
	return &bench{w: w, machines: n, work: work, bp: &bpCLI{bin: bin, dir: dir, log: logf}, digests: map[string]string{}}, nil
}

// useRole makes the configure block of the blueprint run role "setup" or
// "bench".
func (b *bench) useRole(name string) error {
	role := b.w.SetupRole()
	if name == "bench" {
		role = b.w.BenchRole()
	}
	src := role + fmt.Sprintf("\nconfigure \"hosts\" {\n  hosts = resource.machine.m\n  roles = [role.%s]\n}\n", name)
	return os.WriteFile(filepath.Join(b.bp.dir, "config.bp.hcl"), []byte(src), 0o644)
}

// setup creates the machines with the setup role, untimed, and writes the
// Ansible project for them.
func (b *bench) setup(ctx context.Context) error {
	if err := b.useRole("setup"); err != nil {
		return err
	}
	b.created = true
	took, _, err := b.bp.run(ctx, "apply", "-auto-approve")
	if err != nil {
		return err
	}
	fmt.Printf("setup: %d machines created and set up in %s (not counted)\n", b.machines, took.Round(time.Millisecond))
	if b.ms, err = b.bp.machines(ctx); err != nil {
		return err
	}
	b.ansible, err = writeAnsibleProject(filepath.Join(b.work, "ansible"), b.w, b.ms, b.machines)
	return err
}

// reset brings every host back to the state after setup, untimed, and
// switches the blueprint to the measured role.
func (b *bench) reset(ctx context.Context) error {
	if err := b.useRole("setup"); err != nil {
		return err
	}
	if _, _, err := b.bp.run(ctx, "converge"); err != nil {
		return fmt.Errorf("resetting the hosts: %v", err)
	}
	return b.useRole("bench")
}

// destroy removes the machines, with a context of its own so that it
// runs after an interrupt too.
func (b *bench) destroy() error {
	if !b.created {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	fmt.Println("destroying the machines")
	_, _, err := b.bp.run(ctx, "destroy", "-auto-approve")
	return err
}

// measureBP times bp's first converge, then runs no-op converge, plan and
// apply, and a few figures that show where the no-op time goes.
func (b *bench) measureBP(ctx context.Context, runs int) ([]row, error) {
	if err := b.reset(ctx); err != nil {
		return nil, err
	}
	fmt.Println("bp: first converge")
	first, out, err := b.bp.run(ctx, "converge")
	if err != nil {
		return nil, err
	}
	firstChanged, _ := hostChanges(out)
	if err := b.recordDigest(ctx, "bp"); err != nil {
		return nil, err
	}
	cpu := map[string]time.Duration{}
	noop := func(args ...string) (time.Duration, int, error) {
		fmt.Printf("bp: %d no-op runs of bp %s\n", runs, strings.Join(args, " "))
		var times, cpus []time.Duration
		worst := 0
		for range runs {
			took, out, err := b.bp.run(ctx, args...)
			if err != nil {
				return 0, 0, err
			}
			if args[0] == "plan" && !strings.Contains(out, "No changes") {
				return 0, 0, fmt.Errorf("a no-op bp plan shows changes:\n%s", tail(out, 30))
			}
			n, _ := hostChanges(out)
			worst = max(worst, n)
			times, cpus = append(times, took), append(cpus, b.bp.cpu)
		}
		cpu[args[0]] = median(cpus)
		return median(times), worst, nil
	}
	converge, convergeChanged, err := noop("converge")
	if err != nil {
		return nil, err
	}
	plan, _, err := noop("plan")
	if err != nil {
		return nil, err
	}
	apply, applyChanged, err := noop("apply", "-auto-approve")
	if err != nil {
		return nil, err
	}
	validate, _, err := noop("validate")
	if err != nil {
		return nil, err
	}
	b.profile = append(b.profile,
		profileLine{"bp validate (process start, load, no hosts)", validate},
		profileLine{"bp plan, no-op (refresh + agent check on every host)", plan},
		profileLine{"CPU time of the bp process (user+sys), no-op bp converge", cpu["converge"]},
		profileLine{"CPU time of the bp process (user+sys), no-op bp plan", cpu["plan"]},
		profileLine{"CPU time of the bp process (user+sys), no-op bp apply", cpu["apply"]})
	floor, err := b.sshFloor(ctx, runs)
	if err != nil {
		return nil, err
	}
	b.profile = append(b.profile, profileLine{fmt.Sprintf("OpenSSH floor: new connection + `true` on %d hosts in parallel", len(b.ms)), floor})
	fmt.Println("bp: profiling the agent over OpenSSH")
	if err := b.profileAgent(ctx, runs); err != nil {
		return nil, err
	}
	return []row{
		{tool: "bp converge", first: first, noop: converge, firstChanged: firstChanged, noopChanged: convergeChanged, base: true},
		{tool: "bp apply (plan+check+converge)", noop: apply, firstChanged: -1, noopChanged: applyChanged},
	}, nil
}

// measureAnsible resets the hosts and times the playbook's first and
// no-op runs with strategy s.
func (b *bench) measureAnsible(ctx context.Context, s strategy) (row, error) {
	name := "ansible"
	if s == mitogen {
		name = "ansible + mitogen"
	}
	if err := b.reset(ctx); err != nil {
		return row{}, err
	}
	fmt.Printf("%s: first run\n", name)
	first, err := b.ansible.run(ctx, s)
	if err != nil {
		return row{}, err
	}
	if err := b.recordDigest(ctx, name); err != nil {
		return row{}, err
	}
	fmt.Printf("%s: no-op run\n", name)
	noop, err := b.ansible.run(ctx, s)
	if err != nil {
		return row{}, err
	}
	r := row{tool: name + " (" + string(s) + ")", first: first.Took, noop: noop.Took, firstChanged: first.Changed, noopChanged: noop.Changed}
	if noop.Changed != 0 {
		r.note = "the no-op run changed something"
	}
	return r, nil
}

// sshArgs are the ssh arguments to run command on m with a new connection.
func (b *bench) sshArgs(m machine, command string) []string {
	return []string{"-i", filepath.Join(b.ansible.dir, "keys", m.Name), "-o", "BatchMode=yes",
		"-o", "UserKnownHostsFile=" + filepath.Join(b.ansible.dir, "known_hosts"), "-o", "StrictHostKeyChecking=yes",
		"-o", "ControlMaster=no", "-o", "ControlPath=none", m.User + "@" + m.Address, command}
}

// sshFloor is the median wall time of a new OpenSSH connection running
// `true` on every host at once: what one SSH handshake and one exec cost.
func (b *bench) sshFloor(ctx context.Context, runs int) (time.Duration, error) {
	var times []time.Duration
	for range runs {
		start := time.Now()
		var wg sync.WaitGroup
		errs := make([]error, len(b.ms))
		for i, m := range b.ms {
			wg.Go(func() {
				if out, err := exec.CommandContext(ctx, "ssh", b.sshArgs(m, "true")...).CombinedOutput(); err != nil {
					errs[i] = fmt.Errorf("ssh %s: %v: %s", m.Name, err, out)
				}
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return 0, err
			}
		}
		times = append(times, time.Since(start))
	}
	return median(times), nil
}

// listing prints, for every object under the workload's directories, its
// path, type, mode and owner, then the sha256 of every file.
const listing = `cd / && find srv/bench etc/bench -printf '%p %y %m %u:%g\n' | sort && find srv/bench etc/bench -type f | sort | xargs sha256sum`

// recordDigest stores a digest of what tool left on the hosts, and the
// listing of every host under work/result-TOOL/.
func (b *bench) recordDigest(ctx context.Context, tool string) error {
	dir := filepath.Join(b.work, "result-"+strings.ReplaceAll(tool, " ", ""))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	h := sha256.New()
	for _, m := range b.ms {
		out, err := exec.CommandContext(ctx, "ssh", b.sshArgs(m, listing)...).Output()
		if err != nil {
			return fmt.Errorf("listing what %s left on %s: %v", tool, m.Name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, m.Name+".txt"), out, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\n%s", m.Name, out)
	}
	b.digests[tool] = hex.EncodeToString(h.Sum(nil))[:16]
	return nil
}

// printProfile prints where bp's no-op time goes.
func (b *bench) printProfile(w io.Writer) {
	if len(b.profile) == 0 {
		return
	}
	fmt.Fprintln(w, "where bp's no-op time goes (medians):")
	for _, p := range b.profile {
		if p.took == 0 {
			fmt.Fprintf(w, "  %s\n", p.what)
			continue
		}
		fmt.Fprintf(w, "  %-70s %8s s\n", p.what, seconds(p.took))
	}
	fmt.Fprintln(w)
}

// printSameResult says whether every tool left the same files, modes,
// owners and contents on the hosts.
func (b *bench) printSameResult(w io.Writer) {
	var tools []string
	for t := range b.digests {
		tools = append(tools, t)
	}
	sort.Strings(tools)
	same := true
	for _, t := range tools {
		fmt.Fprintf(w, "result digest after first converge, %-18s %s\n", t+":", b.digests[t])
		same = same && b.digests[t] == b.digests[tools[0]]
	}
	if len(tools) > 1 {
		if same {
			fmt.Fprintln(w, "every tool left identical files, modes, owners and contents on every host")
		} else {
			fmt.Fprintf(w, "the tools left different results: compare %s/result-*/\n", b.work)
		}
	}
}

// median is the middle value (the upper middle of an even count).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
