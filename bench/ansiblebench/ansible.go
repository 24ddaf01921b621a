package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ansibleProject is a directory with an inventory of the machines, their
// keys, their pinned host keys, the playbook and ansible.cfg.
type ansibleProject struct {
	dir string
	log *os.File
}

// strategy is how Ansible runs the tasks: its own linear strategy, or
// Mitogen's replacement for it.
type strategy string

const (
	linear  strategy = "linear"
	mitogen strategy = "mitogen_linear"
)

// writeAnsibleProject writes everything ansible-playbook needs into dir.
// Host keys are checked against those pinned in bp's state, as bp does.
func writeAnsibleProject(dir string, w Workload, ms []machine, forks int) (*ansibleProject, error) {
	keys := filepath.Join(dir, "keys")
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(keys, 0o700); err != nil {
		return nil, err
	}
	var inv, known strings.Builder
	inv.WriteString("[bench]\n")
	for _, m := range ms {
		key := filepath.Join(keys, m.Name)
		if err := os.WriteFile(key, []byte(m.PrivateKey), 0o600); err != nil {
			return nil, err
		}
		fmt.Fprintf(&inv, "%s ansible_host=%s ansible_user=%s ansible_ssh_private_key_file=%s\n", m.Name, m.Address, m.User, key)
		fmt.Fprintf(&known, "%s %s\n", m.Address, m.HostKey)
	}
	cfg := fmt.Sprintf(`[defaults]
inventory = %[1]s/inventory.ini
forks = %[2]d
host_key_checking = True
interpreter_python = /usr/bin/python3
retry_files_enabled = False
nocows = True

[ssh_connection]
pipelining = True
control_path_dir = %[1]s/cp
ssh_args = -C -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=%[1]s/known_hosts -o StrictHostKeyChecking=yes
`, dir, forks)
	files := map[string]string{
		"inventory.ini":           inv.String(),
		"known_hosts":             known.String(),
		"ansible.cfg":             cfg,
		"playbook.yml":            w.Playbook(),
		"templates/bench.conf.j2": ansibleTemplate,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return nil, err
		}
	}
	logf, err := os.Create(filepath.Join(dir, "ansible.log"))
	if err != nil {
		return nil, err
	}
	return &ansibleProject{dir: dir, log: logf}, nil
}

// playbookRun is the outcome of one ansible-playbook run.
type playbookRun struct {
	Took    time.Duration
	Changed int // sum of changed= over the recap
	Failed  int // sum of failed= and unreachable=
}

// run runs the playbook with strategy s and returns its wall time and the
// recap's totals. A non-zero exit is an error with the output's tail.
func (p *ansibleProject) run(ctx context.Context, s strategy) (playbookRun, error) {
	cmd := exec.CommandContext(ctx, "ansible-playbook", "playbook.yml")
	cmd.Dir = p.dir
	cmd.Env = append(os.Environ(), "ANSIBLE_CONFIG="+filepath.Join(p.dir, "ansible.cfg"), "ANSIBLE_STRATEGY="+string(s),
		"ANSIBLE_FORCE_COLOR=0", "ANSIBLE_NOCOLOR=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	r := playbookRun{Took: time.Since(start)}
	fmt.Fprintf(p.log, "\n$ ANSIBLE_STRATEGY=%s ansible-playbook playbook.yml   (%s)\n%s", s, r.Took.Round(time.Millisecond), out.String())
	if err != nil {
		return r, fmt.Errorf("ansible-playbook (strategy %s): %v\n%s", s, err, tail(out.String(), 30))
	}
	recap, ok := parseRecap(out.String())
	if !ok {
		return r, fmt.Errorf("ansible-playbook (strategy %s) printed no PLAY RECAP; see %s", s, p.log.Name())
	}
	for _, h := range recap {
		r.Changed += h["changed"]
		r.Failed += h["failed"] + h["unreachable"]
	}
	return r, nil
}

// recapLine matches one host's line of Ansible's PLAY RECAP:
// "m-0   : ok=201  changed=0  unreachable=0  failed=0 ...".
var recapLine = regexp.MustCompile(`^(\S+)\s+:\s+((?:[a-z]+=\d+\s*)+)$`)

// parseRecap returns the counters of each host in the PLAY RECAP of an
// ansible-playbook output, and false when there is no recap.
func parseRecap(out string) (map[string]map[string]int, bool) {
	i := strings.LastIndex(out, "PLAY RECAP")
	if i < 0 {
		return nil, false
	}
	hosts := map[string]map[string]int{}
	for _, line := range strings.Split(out[i:], "\n")[1:] {
		m := recapLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		counts := map[string]int{}
		for _, kv := range strings.Fields(m[2]) {
			k, v, _ := strings.Cut(kv, "=")
			n, err := strconv.Atoi(v)
			if err != nil {
				continue
			}
			counts[k] = n
		}
		hosts[m[1]] = counts
	}
	return hosts, len(hosts) > 0
}
