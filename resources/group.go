package resources

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
)

func init() {
	register(KindSpec{
		Name:          "group",
		Description:   "A local group.",
		NameAttribute: "name",
		Attributes: []AttrSpec{
			{Name: "name", Type: TypeString, Description: "The group name; defaults to the block label."},
			{Name: "gid", Type: TypeNumber, Description: "The numeric group ID; unset lets groupadd choose."},
			{Name: "system", Type: TypeBool, Description: "Create a system group (GID from the system range)."},
			{Name: "state", Type: TypeString, Description: "\"present\" (default) or \"absent\"."},
		},
	}, decodeGroup)
}

// accountName is what useradd and groupadd accept by default on Debian.
var accountName = regexp.MustCompile(`^[a-z_][a-z0-9_-]*\$?$`)

// Group is a local group resource.
type Group struct {
	Name   string
	GID    int // -1: any
	System bool
	Absent bool

	exists bool // found by Check
}

func decodeGroup(a *attrs) Resource {
	g := &Group{Name: a.required("name"), GID: -1, System: a.boolean("system", false)}
	g.Absent = a.oneOf("state", "present", "present", "absent") == "absent"
	if gid, ok := a.integer("gid", 0, 1<<31-2); ok {
		g.GID = gid
	}
	checkAccountName(a, g.Name)
	return g
}

func checkAccountName(a *attrs, name string) {
	if name != "" && (len(name) > 32 || !accountName.MatchString(name)) {
		a.problem("name", "Invalid name", fmt.Sprintf("name must be lowercase letters, digits, _ and -, starting with a letter or _, at most 32 characters; %q is not.", name))
	}
}

// Check implements Resource.
func (g *Group) Check(ctx context.Context, env *Env) (*Diff, error) {
	d := &Diff{}
	cur, err := lookupGroup(g.Name)
	if err != nil {
		return nil, fmt.Errorf("reading groups: %w", err)
	}
	g.exists = cur != nil
	switch {
	case g.Absent && cur != nil:
		d.add("delete group %s", g.Name)
	case g.Absent:
	case cur == nil:
		d.add("create group %s", g.Name)
	case g.GID >= 0 && cur.GID != g.GID:
		d.add("gid %d → %d", cur.GID, g.GID)
	}
	return d, nil
}

// Apply implements Resource.
func (g *Group) Apply(ctx context.Context, env *Env) error {
	var args []string
	switch {
	case g.Absent:
		_, err := env.cmd(ctx, "groupdel", g.Name)
		return err
	case !g.exists:
		if g.GID >= 0 {
			args = append(args, "-g", strconv.Itoa(g.GID))
		}
		if g.System {
			args = append(args, "-r")
		}
		_, err := env.cmd(ctx, "groupadd", append(args, g.Name)...)
		return err
	}
	_, err := env.cmd(ctx, "groupmod", "-g", strconv.Itoa(g.GID), g.Name)
	return err
}

var _ Resource = (*Group)(nil)
