package resources

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

func init() {
	register(KindSpec{
		Name:          "cron",
		Description:   "A cron job, written as /etc/cron.d/NAME.",
		NameAttribute: "name",
		Attributes: []AttrSpec{
			{Name: "name", Type: TypeString, Description: "File name under /etc/cron.d (letters, digits, - and _); defaults to the block label."},
			{Name: "schedule", Type: TypeString, Description: "Five cron fields such as \"*/5 * * * *\", or @reboot, @hourly, @daily, @weekly, @monthly, @yearly."},
			{Name: "command", Type: TypeString, Description: "The command line to run."},
			{Name: "user", Type: TypeString, Description: "User the job runs as; default \"root\"."},
			{Name: "env", Type: TypeStringMap, Description: "Environment lines (NAME=value) at the top of the file, such as MAILTO."},
			{Name: "state", Type: TypeString, Description: "\"present\" (default) or \"absent\"."},
		},
	}, decodeCron)
}

// cronDir is where cron jobs are written; a variable so tests can use a
// temporary directory.
var cronDir = "/etc/cron.d"

var (
	// cron ignores /etc/cron.d files whose names contain other characters.
	cronName     = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	cronSpecial  = regexp.MustCompile(`^@(reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)$`)
	cronField    = regexp.MustCompile(`^[0-9A-Za-z*/,\-]+$`)
	cronEnvName  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	cronUserName = regexp.MustCompile(`^[a-z_][a-z0-9_.-]*\$?$`)
)

// Cron is a cron job; it is a file resource with generated content.
type Cron struct {
	file *File
}

func decodeCron(a *attrs) Resource {
	name := a.required("name")
	if name != "" && !cronName.MatchString(name) {
		a.problem("name", "Invalid name", fmt.Sprintf("A cron job's name must contain only letters, digits, - and _ (cron ignores other files in /etc/cron.d), not %q.", name))
	}
	absent := a.oneOf("state", "present", "present", "absent") == "absent"
	f := &File{Path: cronDir + "/" + name, Absent: absent, kind: "cron",
		ownership: ownership{owner: "root", group: "root", mode: 0o644, hasMode: true}}
	if absent {
		return &Cron{file: f}
	}
	schedule, command, user := a.str("schedule"), a.str("command"), a.str("user")
	if user == "" {
		user = "root"
	}
	if !cronUserName.MatchString(user) {
		a.problem("user", "Invalid user", fmt.Sprintf("user must be a user name such as \"www-data\", not %q.", user))
	}
	if err := checkSchedule(schedule); err != nil {
		a.problem("schedule", "Invalid schedule", err.Error())
	}
	if strings.TrimSpace(command) == "" || strings.ContainsAny(command, "\n\r") {
		a.problem("command", "Invalid command", "command must be one non-empty line.")
	}
	var content strings.Builder
	content.WriteString("# Managed by bp; changes here are overwritten.\n")
	for _, k := range sortedKeys(a.strMap("env")) {
		v := a.strMap("env")[k]
		if !cronEnvName.MatchString(k) || strings.ContainsAny(v, "\n\r") {
			a.problem("env", "Invalid env", fmt.Sprintf("env names must be identifiers and values single lines; %q is not.", k))
		}
		fmt.Fprintf(&content, "%s=%s\n", k, v)
	}
	fmt.Fprintf(&content, "%s %s %s\n", schedule, user, command)
	f.Content = []byte(content.String())
	return &Cron{file: f}
}

func checkSchedule(s string) error {
	if cronSpecial.MatchString(s) {
		return nil
	}
	fields := strings.Fields(s)
	if len(fields) != 5 {
		return fmt.Errorf("schedule must be five fields (minute hour day-of-month month day-of-week) such as \"*/5 * * * *\", or @daily and the like; %q has %d fields", s, len(fields))
	}
	for _, f := range fields {
		if !cronField.MatchString(f) {
			return fmt.Errorf("schedule field %q is not a cron field", f)
		}
	}
	return nil
}

// Check implements Resource.
func (c *Cron) Check(ctx context.Context, env *Env) (*Diff, error) { return c.file.Check(ctx, env) }

// Apply implements Resource.
func (c *Cron) Apply(ctx context.Context, env *Env) error { return c.file.Apply(ctx, env) }

var _ Resource = (*Cron)(nil)
