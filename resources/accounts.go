package resources

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// The account databases. Variables so tests could point elsewhere; the
// agent reads the host's.
var (
	passwdFile = "/etc/passwd"
	groupFile  = "/etc/group"
)

// passwdEntry is one line of /etc/passwd.
type passwdEntry struct {
	Name     string
	UID, GID int
	Home     string
	Shell    string
}

// groupEntry is one line of /etc/group.
type groupEntry struct {
	Name    string
	GID     int
	Members []string
}

// readColon reads a colon-separated database, calling fn with the fields
// of each line that has at least n of them.
func readColon(path string, n int, fn func(f []string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, ":")
		if len(fields) >= n {
			fn(fields)
		}
	}
	return sc.Err()
}

func lookupUser(name string) (*passwdEntry, error) {
	var found *passwdEntry
	err := readColon(passwdFile, 7, func(f []string) {
		if found != nil || f[0] != name {
			return
		}
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if err1 == nil && err2 == nil {
			found = &passwdEntry{Name: f[0], UID: uid, GID: gid, Home: f[5], Shell: f[6]}
		}
	})
	return found, err
}

func lookupGroup(name string) (*groupEntry, error) {
	var found *groupEntry
	err := readColon(groupFile, 4, func(f []string) {
		if found != nil || f[0] != name {
			return
		}
		if gid, err := strconv.Atoi(f[2]); err == nil {
			found = &groupEntry{Name: f[0], GID: gid, Members: splitMembers(f[3])}
		}
	})
	return found, err
}

// groupsOf returns the supplementary groups listing user as a member.
func groupsOf(user string) ([]string, error) {
	var out []string
	err := readColon(groupFile, 4, func(f []string) {
		for _, m := range splitMembers(f[3]) {
			if m == user {
				out = append(out, f[0])
				return
			}
		}
	})
	return out, err
}

func splitMembers(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// userID resolves a user name or numeric ID.
func userID(owner string) (int, error) {
	if n, err := strconv.Atoi(owner); err == nil && n >= 0 {
		return n, nil
	}
	u, err := lookupUser(owner)
	if err != nil {
		return 0, fmt.Errorf("reading users: %w", err)
	}
	if u == nil {
		return 0, fmt.Errorf("user %q does not exist; create it with a user resource ordered before this one", owner)
	}
	return u.UID, nil
}

// groupID resolves a group name or numeric ID.
func groupID(group string) (int, error) {
	if n, err := strconv.Atoi(group); err == nil && n >= 0 {
		return n, nil
	}
	g, err := lookupGroup(group)
	if err != nil {
		return 0, fmt.Errorf("reading groups: %w", err)
	}
	if g == nil {
		return 0, fmt.Errorf("group %q does not exist; create it with a group resource ordered before this one", group)
	}
	return g.GID, nil
}

// userName names a UID for change lines, or gives the number.
func userName(uid int) string {
	name := strconv.Itoa(uid)
	_ = readColon(passwdFile, 7, func(f []string) {
		if f[2] == strconv.Itoa(uid) && name == strconv.Itoa(uid) {
			name = f[0]
		}
	})
	return name
}

// groupName names a GID for change lines, or gives the number.
func groupName(gid int) string {
	name := strconv.Itoa(gid)
	_ = readColon(groupFile, 4, func(f []string) {
		if f[2] == strconv.Itoa(gid) && name == strconv.Itoa(gid) {
			name = f[0]
		}
	})
	return name
}
