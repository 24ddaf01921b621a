package resources

import (
	"fmt"
	"os"
	"syscall"
)

// ownership is the owner, group and mode arguments shared by the kinds
// that manage a filesystem object (file, template, directory, line, cron).
type ownership struct {
	owner, group string
	mode         os.FileMode
	hasMode      bool
}

func decodeOwnership(a *attrs) ownership {
	o := ownership{owner: a.str("owner"), group: a.str("group")}
	o.mode, o.hasMode = a.fileMode("mode")
	return o
}

// ownershipAttrs are the AttrSpecs of owner, group and mode.
func ownershipAttrs(what string) []AttrSpec {
	return []AttrSpec{
		{Name: "owner", Type: TypeString, Description: "User name or numeric UID owning the " + what + "; unset leaves it as it is (root for a new one)."},
		{Name: "group", Type: TypeString, Description: "Group name or numeric GID of the " + what + "; unset leaves it as it is."},
		{Name: "mode", Type: TypeString, Description: "Permissions as an octal string such as \"0644\"; unset leaves them as they are (new files get 0644, directories 0755)."},
	}
}

// check adds change lines for how fi differs. fi may be nil (the object
// is being created, so every set attribute is listed as it will be).
func (o ownership) check(fi os.FileInfo, d *Diff) error {
	uid, gid, err := o.ids()
	if err != nil {
		return err
	}
	if fi == nil {
		return nil
	}
	st, _ := fi.Sys().(*syscall.Stat_t)
	if o.owner != "" && st != nil && int(st.Uid) != uid {
		d.add("owner %s → %s", userName(int(st.Uid)), o.owner)
	}
	if o.group != "" && st != nil && int(st.Gid) != gid {
		d.add("group %s → %s", groupName(int(st.Gid)), o.group)
	}
	if o.hasMode && modeBits(fi.Mode()) != o.mode {
		d.add("mode %s → %s", formatMode(modeBits(fi.Mode())), formatMode(o.mode))
	}
	return nil
}

func modeBits(m os.FileMode) os.FileMode {
	return m & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky)
}

// ids resolves owner and group; -1 means "leave as is".
func (o ownership) ids() (uid, gid int, err error) {
	uid, gid = -1, -1
	if o.owner != "" {
		if uid, err = userID(o.owner); err != nil {
			return 0, 0, err
		}
	}
	if o.group != "" {
		if gid, err = groupID(o.group); err != nil {
			return 0, 0, err
		}
	}
	return uid, gid, nil
}

// apply sets owner, group and mode on path (not following a final
// symlink for ownership); unset ones are left as they are.
func (o ownership) apply(path string) error {
	uid, gid, err := o.ids()
	if err != nil {
		return err
	}
	if uid != -1 || gid != -1 {
		if err := os.Lchown(path, uid, gid); err != nil {
			return fmt.Errorf("setting owner of %s: %w", path, err)
		}
	}
	if o.hasMode {
		// chown clears setuid/setgid, so the mode comes last.
		if err := os.Chmod(path, o.mode); err != nil {
			return fmt.Errorf("setting mode of %s: %w", path, err)
		}
	}
	return nil
}
