package resources

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func init() {
	register(KindSpec{
		Name:          "user",
		Description:   "A local user account, with its supplementary groups and SSH authorized keys.",
		NameAttribute: "name",
		Attributes: []AttrSpec{
			{Name: "name", Type: TypeString, Description: "The user name; defaults to the block label."},
			{Name: "uid", Type: TypeNumber, Description: "The numeric user ID; unset lets useradd choose."},
			{Name: "groups", Type: TypeStringList, Description: "Supplementary groups the user must be a member of (other memberships are kept)."},
			{Name: "shell", Type: TypeString, Description: "Login shell, such as \"/bin/bash\"."},
			{Name: "home", Type: TypeString, Description: "Home directory; created when the user is created. Default /home/NAME."},
			{Name: "system", Type: TypeBool, Description: "Create a system account (UID from the system range, no home unless home is set)."},
			{Name: "ssh_authorized_keys", Type: TypeStringList, Description: "Public keys, one per entry; HOME/.ssh/authorized_keys holds exactly these."},
			{Name: "state", Type: TypeString, Description: "\"present\" (default) or \"absent\" (the home directory is kept)."},
		},
	}, decodeUser)
}

// User is a local user resource.
type User struct {
	Name    string
	UID     int // -1: any
	Groups  []string
	Shell   string
	Home    string
	System  bool
	Keys    []string
	hasKeys bool
	Absent  bool

	// found by Check
	cur       *passwdEntry
	modify    []string // usermod arguments
	addGroups []string
	keys      *File
}

func decodeUser(a *attrs) Resource {
	u := &User{Name: a.required("name"), UID: -1, Groups: a.list("groups"), Shell: a.str("shell"),
		System: a.boolean("system", false), Keys: a.list("ssh_authorized_keys"), hasKeys: a.has("ssh_authorized_keys")}
	u.Absent = a.oneOf("state", "present", "present", "absent") == "absent"
	if uid, ok := a.integer("uid", 0, 1<<31-2); ok {
		u.UID = uid
	}
	if a.has("home") {
		u.Home = a.absPath("home")
	}
	if a.has("shell") {
		u.Shell = a.absPath("shell")
	}
	checkAccountName(a, u.Name)
	for _, g := range u.Groups {
		if !accountName.MatchString(g) {
			a.problem("groups", "Invalid groups", fmt.Sprintf("%q is not a group name.", g))
		}
	}
	for _, k := range u.Keys {
		if strings.ContainsAny(k, "\n\r") || len(strings.Fields(k)) < 2 {
			a.problem("ssh_authorized_keys", "Invalid ssh_authorized_keys",
				"Each entry must be one public key line such as \"ssh-ed25519 AAAA… user@host\".")
			break
		}
	}
	return u
}

// home is the home directory the user has or will have.
func (u *User) home() string {
	switch {
	case u.Home != "":
		return u.Home
	case u.cur != nil:
		return u.cur.Home
	}
	return "/home/" + u.Name
}

// Check implements Resource.
func (u *User) Check(ctx context.Context, env *Env) (*Diff, error) {
	d := &Diff{}
	cur, err := lookupUser(u.Name)
	if err != nil {
		return nil, fmt.Errorf("reading users: %w", err)
	}
	u.cur, u.modify, u.addGroups, u.keys = cur, nil, nil, nil
	if u.Absent {
		if cur != nil {
			d.add("delete user %s", u.Name)
		}
		return d, nil
	}
	if cur == nil {
		d.add("create user %s", u.Name)
		if len(u.Groups) > 0 {
			d.add("groups %s", strings.Join(u.Groups, ","))
		}
	} else {
		if u.UID >= 0 && cur.UID != u.UID {
			u.modify = append(u.modify, "-u", strconv.Itoa(u.UID))
			d.add("uid %d → %d", cur.UID, u.UID)
		}
		if u.Shell != "" && cur.Shell != u.Shell {
			u.modify = append(u.modify, "-s", u.Shell)
			d.add("shell %s → %s", cur.Shell, u.Shell)
		}
		if u.Home != "" && cur.Home != u.Home {
			u.modify = append(u.modify, "-d", u.Home)
			d.add("home %s → %s", cur.Home, u.Home)
		}
		have, err := groupsOf(u.Name)
		if err != nil {
			return nil, fmt.Errorf("reading groups: %w", err)
		}
		for _, g := range u.Groups {
			if !contains(have, g) {
				u.addGroups = append(u.addGroups, g)
			}
		}
		if len(u.addGroups) > 0 {
			d.add("add to groups %s", strings.Join(u.addGroups, ","))
		}
	}
	if u.hasKeys {
		if err := u.checkKeys(ctx, env, d); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// checkKeys compares authorized_keys; a user being created gets it in
// Apply, after useradd.
func (u *User) checkKeys(ctx context.Context, env *Env, d *Diff) error {
	var content strings.Builder
	for _, k := range u.Keys {
		content.WriteString(k + "\n")
	}
	u.keys = &File{Path: filepath.Join(u.home(), ".ssh", "authorized_keys"), Content: []byte(content.String()), kind: "file",
		ownership: ownership{owner: u.Name, mode: 0o600, hasMode: true}}
	if u.cur == nil {
		d.add("authorized_keys: %d keys", len(u.Keys))
		return nil
	}
	u.keys.ownership.group = strconv.Itoa(u.cur.GID)
	kd, err := u.keys.Check(ctx, env)
	if err != nil {
		return fmt.Errorf("checking authorized_keys: %w", err)
	}
	if kd.Changed() {
		d.add("authorized_keys: %d keys", len(u.Keys))
		d.Text = kd.Text
	} else {
		u.keys = nil
	}
	return nil
}

// Apply implements Resource.
func (u *User) Apply(ctx context.Context, env *Env) error {
	if u.Absent {
		_, err := env.cmd(ctx, "userdel", u.Name)
		return err
	}
	if u.cur == nil {
		args := []string{"-m"}
		if u.System && u.Home == "" {
			args = []string{"-M"}
		}
		if u.UID >= 0 {
			args = append(args, "-u", strconv.Itoa(u.UID))
		}
		if u.Shell != "" {
			args = append(args, "-s", u.Shell)
		}
		if u.Home != "" {
			args = append(args, "-d", u.Home)
		}
		if u.System {
			args = append(args, "-r")
		}
		if len(u.Groups) > 0 {
			args = append(args, "-G", strings.Join(u.Groups, ","))
		}
		// useradd refuses to create the user's own group when a group of
		// that name exists (a group resource before this one): that group
		// becomes the user's primary group instead.
		if g, err := lookupGroup(u.Name); err == nil && g != nil {
			args = append(args, "-g", u.Name)
		}
		if _, err := env.cmd(ctx, "useradd", append(args, u.Name)...); err != nil {
			return err
		}
		cur, err := lookupUser(u.Name)
		if err != nil || cur == nil {
			return fmt.Errorf("user %s not found after useradd: %v", u.Name, err)
		}
		u.cur = cur
	} else {
		if len(u.modify) > 0 {
			if _, err := env.cmd(ctx, "usermod", append(u.modify, u.Name)...); err != nil {
				return err
			}
		}
		if len(u.addGroups) > 0 {
			if _, err := env.cmd(ctx, "usermod", "-a", "-G", strings.Join(u.addGroups, ","), u.Name); err != nil {
				return err
			}
		}
	}
	if u.keys != nil {
		return u.writeKeys(ctx, env)
	}
	return nil
}

func (u *User) writeKeys(ctx context.Context, env *Env) error {
	u.keys.Path = filepath.Join(u.home(), ".ssh", "authorized_keys")
	u.keys.ownership.group = strconv.Itoa(u.cur.GID)
	dir := filepath.Dir(u.keys.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	if err := os.Chown(dir, u.cur.UID, u.cur.GID); err != nil {
		return fmt.Errorf("setting owner of %s: %w", dir, err)
	}
	if _, err := u.keys.Check(ctx, env); err != nil {
		return err
	}
	return u.keys.Apply(ctx, env)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

var _ Resource = (*User)(nil)
