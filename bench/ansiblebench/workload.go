package main

import (
	"fmt"
	"strconv"
	"strings"
)

// Workload is the role both tools converge, as counts of each resource
// kind. Every kind is written once for bp (a role) and once for Ansible
// (tasks), so that both describe the same files, lines, packages and
// services with the same content, owners and modes.
type Workload struct {
	Directories int // /srv/bench/dNN, created with their parents
	Files       int // files with literal content, spread over the directories
	Templates   int // rendered from one template with per-file variables and host facts
	Lines       int // lines ensured in files the setup role created
	Packages    int // packages already present on the image (Ansible: one apt task)
	Services    int // oneshot units the setup role created, enabled and running
}

// DefaultWorkload is the 200-resource role of issue 6 and DESIGN.md §4.
var DefaultWorkload = Workload{Directories: 20, Files: 80, Templates: 60, Lines: 20, Packages: 10, Services: 10}

// presentPackages are packages of the debian-12 image (python3 after the
// setup role), so that package resources are no-ops for both tools.
var presentPackages = []string{"python3", "bash", "coreutils", "openssh-server", "systemd", "apt", "dpkg", "grep", "sed", "tar"}

// Resources is the number of bp resources in the role.
func (w Workload) Resources() int {
	return w.Directories + w.Files + w.Templates + w.Lines + w.Packages + w.Services
}

// Tasks is the number of Ansible tasks in the playbook: packages are one
// apt task, as Ansible recommends (bp batches them into one query too).
func (w Workload) Tasks() int {
	n := w.Resources() - w.Packages
	if w.Packages > 0 {
		n++
	}
	return n
}

// validate says what is wrong with the counts.
func (w Workload) validate() error {
	switch {
	case w.Directories < 1:
		return fmt.Errorf("the workload needs at least one directory (files and templates go in them)")
	case w.Packages > len(presentPackages):
		return fmt.Errorf("the workload can have at most %d packages (those present on the image), not %d", len(presentPackages), w.Packages)
	case w.Files < 0 || w.Templates < 0 || w.Lines < 0 || w.Packages < 0 || w.Services < 0:
		return fmt.Errorf("resource counts must not be negative: %+v", w)
	}
	return nil
}

// lineFiles is how many files the lines go into (two lines per file).
func (w Workload) lineFiles() int { return (w.Lines + 1) / 2 }

// benchRoot is removed by the reset (setup) role; every directory, file and
// template of the workload lives under it.
const benchRoot = "/srv/bench"

// linesDir holds the files the lines go into and the setup role resets.
const linesDir = "/etc/bench"

// dirPath is the i-th directory.
func dirPath(i int) string { return fmt.Sprintf("%s/d%02d", benchRoot, i) }

// filePath is the i-th file, spread round-robin over the directories.
func (w Workload) filePath(i int) string {
	return fmt.Sprintf("%s/f%03d.txt", dirPath(i%w.Directories), i)
}

// fileContent is the i-th file's content.
func fileContent(i int) string {
	return fmt.Sprintf("# bench file %03d\nvalue = %d\nname = file-%03d\n", i, i*7, i)
}

// fileMode varies the modes so that the check compares something.
func fileMode(i int) string { return [...]string{"0644", "0640", "0600"}[i%3] }

// templatePath is the i-th rendered template.
func (w Workload) templatePath(i int) string {
	return fmt.Sprintf("%s/t%03d.conf", dirPath(i%w.Directories), i)
}

// lineFile is the j-th file lines go into.
func lineFile(j int) string { return fmt.Sprintf("%s/lines-%02d.conf", linesDir, j) }

// lineBase is the content the setup role gives every line file.
const lineBase = "# lines managed by the benchmark\n"

// lineText is the i-th line; lines 2j and 2j+1 go into lineFile(j).
func lineText(i int) string { return fmt.Sprintf("key%03d = value%03d", i, i) }

// serviceName is the i-th oneshot unit.
func serviceName(i int) string { return fmt.Sprintf("bench-svc-%02d", i) }

// unitContent is the unit file of serviceName(i).
func unitContent(i int) string {
	return fmt.Sprintf("[Unit]\nDescription=benchmark service %02d\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n\n[Install]\nWantedBy=multi-user.target\n", i)
}

// templateVars are the i-th template's variables.
func templateVars(i int) (label string, number int) { return fmt.Sprintf("t%03d", i), i * 3 }

// bpTemplate and ansibleTemplate render the same text: a host's name
// (the machine name, which is also the Ansible inventory name) and OS facts
// gathered by each tool.
const (
	bpTemplate = "# bench template ${label}\nlabel = ${label}\nnumber = ${number}\n" +
		"host = ${host.name}\nos = ${host.facts.os} ${host.facts.os_version}\n"
	ansibleTemplate = "# bench template {{ label }}\nlabel = {{ label }}\nnumber = {{ number }}\n" +
		"host = {{ inventory_hostname }}\nos = {{ ansible_distribution | lower }} {{ ansible_distribution_major_version }}\n"
)

// quote returns s as an HCL (and YAML) double-quoted string. The workload's
// strings are plain ASCII without template sequences, for which Go quoting
// is valid HCL and JSON quoting is valid YAML.
func quote(s string) string {
	if strings.Contains(s, "${") || strings.Contains(s, "%{") {
		panic("workload string with an HCL template sequence: " + s)
	}
	return strconv.Quote(s)
}

// SetupRole is the bp role that prepares (and resets) a host before each
// tool's first converge, untimed: python3 for Ansible, no /srv/bench, the
// line files at their base content, and the benchmark's services created,
// enabled and running.
func (w Workload) SetupRole() string {
	var b strings.Builder
	b.WriteString("role \"setup\" {\n  package \"python3\" {}\n")
	fmt.Fprintf(&b, "  directory %s {\n    state     = \"absent\"\n    recursive = true\n  }\n", quote(benchRoot))
	fmt.Fprintf(&b, "  directory %s {}\n", quote(linesDir))
	for j := range w.lineFiles() {
		fmt.Fprintf(&b, "  file %s {\n    content = %s\n    mode    = \"0644\"\n  }\n", quote(lineFile(j)), quote(lineBase))
	}
	for i := range w.Services {
		fmt.Fprintf(&b, "  file %s {\n    content = %s\n  }\n", quote("/etc/systemd/system/"+serviceName(i)+".service"), quote(unitContent(i)))
		fmt.Fprintf(&b, "  service %s {\n    state   = \"running\"\n    enabled = true\n  }\n", quote(serviceName(i)))
	}
	b.WriteString("}\n")
	return b.String()
}

// BenchRole is the measured role in bp's language.
func (w Workload) BenchRole() string {
	var b strings.Builder
	b.WriteString("role \"bench\" {\n")
	for i := range w.Directories {
		fmt.Fprintf(&b, "  directory %s {\n    recursive = true\n    owner     = \"root\"\n    group     = \"root\"\n    mode      = \"0755\"\n  }\n", quote(dirPath(i)))
	}
	for i := range w.Files {
		fmt.Fprintf(&b, "  file %s {\n    content = %s\n    owner   = \"root\"\n    group   = \"root\"\n    mode    = %s\n  }\n",
			quote(w.filePath(i)), quote(fileContent(i)), quote(fileMode(i)))
	}
	for i := range w.Templates {
		label, number := templateVars(i)
		fmt.Fprintf(&b, "  template %s {\n    source = \"templates/bench.conf.tpl\"\n    vars   = { label = %s, number = %d }\n    owner  = \"root\"\n    group  = \"root\"\n    mode   = %s\n  }\n",
			quote(w.templatePath(i)), quote(label), number, quote(fileMode(i)))
	}
	for i := range w.Lines {
		fmt.Fprintf(&b, "  line \"l%03d\" {\n    path = %s\n    line = %s\n  }\n", i, quote(lineFile(i/2)), quote(lineText(i)))
	}
	for _, p := range presentPackages[:w.Packages] {
		fmt.Fprintf(&b, "  package %s {}\n", quote(p))
	}
	for i := range w.Services {
		fmt.Fprintf(&b, "  service %s {\n    state   = \"running\"\n    enabled = true\n  }\n", quote(serviceName(i)))
	}
	b.WriteString("}\n")
	return b.String()
}

// Playbook is the measured role as an Ansible playbook for the inventory
// group "bench". Facts are gathered (the template uses them, as bp's
// agent gathers them in its one exec).
func (w Workload) Playbook() string {
	var b strings.Builder
	b.WriteString("- hosts: bench\n  gather_facts: true\n  tasks:\n")
	task := func(name, module, args string) {
		fmt.Fprintf(&b, "    - name: %s\n      %s: {%s}\n", quote(name), module, args)
	}
	for i := range w.Directories {
		task("directory "+dirPath(i), "ansible.builtin.file",
			fmt.Sprintf("path: %s, state: directory, owner: root, group: root, mode: \"0755\"", quote(dirPath(i))))
	}
	for i := range w.Files {
		task("file "+w.filePath(i), "ansible.builtin.copy",
			fmt.Sprintf("dest: %s, content: %s, owner: root, group: root, mode: %s", quote(w.filePath(i)), quote(fileContent(i)), quote(fileMode(i))))
	}
	for i := range w.Templates {
		label, number := templateVars(i)
		task("template "+w.templatePath(i), "ansible.builtin.template",
			fmt.Sprintf("src: templates/bench.conf.j2, dest: %s, owner: root, group: root, mode: %s", quote(w.templatePath(i)), quote(fileMode(i))))
		fmt.Fprintf(&b, "      vars: {label: %s, number: %d}\n", quote(label), number)
	}
	for i := range w.Lines {
		task(fmt.Sprintf("line l%03d", i), "ansible.builtin.lineinfile",
			fmt.Sprintf("path: %s, line: %s", quote(lineFile(i/2)), quote(lineText(i))))
	}
	if w.Packages > 0 {
		names := make([]string, w.Packages)
		for i, p := range presentPackages[:w.Packages] {
			names[i] = quote(p)
		}
		task("packages", "ansible.builtin.apt", "name: ["+strings.Join(names, ", ")+"], state: present")
	}
	for i := range w.Services {
		task("service "+serviceName(i), "ansible.builtin.systemd",
			fmt.Sprintf("name: %s, state: started, enabled: true", quote(serviceName(i))))
	}
	return b.String()
}
