package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"
	"golang.org/x/crypto/ssh"
	"golang.org/x/term"

	"github.com/blueprint-engine/bp/engine/state"
)

func init() { register(newSSHCommand) }

func newSSHCommand(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "ssh [flags] MACHINE [-- COMMAND...]",
		Short: "Open a shell on a machine, or run a command there",
		Long: `Log in to a machine of the blueprint over SSH with the login key recorded in
the state, checking that the machine presents the host key pinned there.
MACHINE is a resource address (machine.web[0]), or a machine's address or
name as recorded in the state.

Without COMMAND, an interactive shell opens (with a terminal when standard
input is one). With COMMAND, it runs on the machine and bp exits with its
exit status.`,
		Example: `  bp ssh machine.web[0]
  bp ssh 10.89.0.2
  bp ssh machine.db -- systemctl status postgresql
  bp ssh 'machine.web["a"]' -- cat /etc/bp/labels.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := c.openSession(cmd.Context(), sessionOptions{})
			if err != nil {
				return err
			}
			defer s.close()
			st, err := s.readState(cmd.Context())
			if err != nil {
				return err
			}
			target, diags := findMachine(st, args[0])
			if diags.HasErrors() {
				return s.fail(diags)
			}
			code, err := c.runSSH(cmd.Context(), target, args[1:])
			if err != nil {
				return s.fail(errorDiag("SSH to "+target.label+" failed", err))
			}
			if code != 0 {
				return exitCode(code)
			}
			return nil
		},
	}
}

// sshTarget is what bp ssh needs to know about a machine, from its state.
type sshTarget struct {
	label      string // "machine.web[0] (10.89.0.2)"
	address    string
	user       string
	hostKey    string
	privateKey string
}

// machineAttrs are the attributes that make a state object a machine bp ssh
// can log in to, whichever provider made it.
var machineAttrs = []string{"address", "ssh_user", "host_key", "ssh_private_key"}

// findMachine finds the machine arg names: a resource instance address, a
// single-instance resource address, or an address or name recorded in a
// machine's state.
func findMachine(st *state.State, arg string) (sshTarget, hcl.Diagnostics) {
	type candidate struct {
		addr state.InstanceAddr
		val  cty.Value
	}
	var all []candidate
	for _, addr := range st.AllInstances() {
		obj := st.Object(addr)
		if obj == nil || !isMachine(obj.Value) {
			continue
		}
		all = append(all, candidate{addr, obj.Value})
	}
	var matches []candidate
	if addr, err := state.ParseInstanceAddr(arg); err == nil {
		for _, c := range all {
			if c.addr == addr || addr.Key == nil && c.addr.Resource == addr.Resource {
				matches = append(matches, c)
			}
		}
	}
	if len(matches) == 0 {
		for _, c := range all {
			if stringOf(c.val, "address") == arg || stringOf(c.val, "name") == arg || stringOf(c.val, "private_address") == arg {
				matches = append(matches, c)
			}
		}
	}
	switch len(matches) {
	case 1:
		c := matches[0]
		return sshTarget{
			label:      c.addr.String() + " (" + stringOf(c.val, "address") + ")",
			address:    stringOf(c.val, "address"),
			user:       stringOf(c.val, "ssh_user"),
			hostKey:    stringOf(c.val, "host_key"),
			privateKey: stringOf(c.val, "ssh_private_key"),
		}, nil
	case 0:
		detail := fmt.Sprintf("No machine in the state is %s.", arg)
		if len(all) == 0 {
			detail += " The state has no machines; run bp apply first."
		} else {
			var list []string
			for _, c := range all {
				list = append(list, c.addr.String()+" ("+stringOf(c.val, "address")+")")
			}
			sort.Strings(list)
			detail += " Its machines are: " + strings.Join(list, ", ") + "."
		}
		return sshTarget{}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No such machine", Detail: detail}}
	}
	var list []string
	for _, c := range matches {
		list = append(list, c.addr.String())
	}
	sort.Strings(list)
	return sshTarget{}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Ambiguous machine",
		Detail: fmt.Sprintf("%s names %d machines: %s. Name one by its address, such as %s.", arg, len(list), strings.Join(list, ", "), list[0])}}
}

// isMachine reports whether v has every attribute bp ssh needs, known.
func isMachine(v cty.Value) bool {
	if v.IsNull() || !v.Type().IsObjectType() {
		return false
	}
	for _, a := range machineAttrs {
		if stringOf(v, a) == "" {
			return false
		}
	}
	return true
}

// stringOf returns v.name when it is a known string, else "".
func stringOf(v cty.Value, name string) string {
	if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute(name) {
		return ""
	}
	a := v.GetAttr(name)
	if a.IsNull() || !a.IsKnown() || a.Type() != cty.String {
		return ""
	}
	a, _ = a.Unmark()
	return a.AsString()
}

// pinnedHostKey accepts only the host key recorded in the state, and says
// both fingerprints when the machine presents another.
func pinnedHostKey(pinned ssh.PublicKey) ssh.HostKeyCallback {
	return func(host string, _ net.Addr, got ssh.PublicKey) error {
		if string(got.Marshal()) == string(pinned.Marshal()) {
			return nil
		}
		return fmt.Errorf("the machine at %s presents host key %s, but the state pins %s: the machine was replaced outside Blueprint, or something else answers at its address. Run bp apply -refresh-only to see what changed, or bp apply to recreate the machine",
			host, ssh.FingerprintSHA256(got), ssh.FingerprintSHA256(pinned))
	}
}

// runSSH logs in to t and runs command (a shell when empty), returning the
// remote exit status.
func (c *cli) runSSH(ctx context.Context, t sshTarget, command []string) (int, error) {
	signer, err := ssh.ParsePrivateKey([]byte(t.privateKey))
	if err != nil {
		return 0, fmt.Errorf("the login key in the state cannot be read: %w", err)
	}
	pinned, _, _, _, err := ssh.ParseAuthorizedKey([]byte(t.hostKey))
	if err != nil {
		return 0, fmt.Errorf("the host key in the state cannot be read: %w", err)
	}
	addr := t.address
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(addr, "22")
	}
	dialer := net.Dialer{Timeout: 10 * time.Second}
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return 0, fmt.Errorf("cannot connect to %s: %w", addr, err)
	}
	cc, chans, reqs, err := ssh.NewClientConn(conn, addr, &ssh.ClientConfig{
		User: t.user, Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: pinnedHostKey(pinned), Timeout: 10 * time.Second,
	})
	if err != nil {
		conn.Close()
		return 0, err
	}
	client := ssh.NewClient(cc, chans, reqs)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		return 0, err
	}
	defer sess.Close()
	sess.Stdout, sess.Stderr = c.stdout, c.stderr

	in, isTerm := c.stdin.(*os.File)
	isTerm = isTerm && term.IsTerminal(int(in.Fd()))
	if len(command) == 0 && isTerm {
		restore, err := c.startTerminal(sess, in)
		if err != nil {
			return 0, err
		}
		defer restore()
	} else {
		stdin, err := sess.StdinPipe()
		if err != nil {
			return 0, err
		}
		go func() {
			io.Copy(stdin, c.stdin)
			stdin.Close()
		}()
	}
	if len(command) == 0 {
		err = sess.Shell()
		if err == nil {
			err = sess.Wait()
		}
	} else {
		err = sess.Run(strings.Join(command, " "))
	}
	var exit *ssh.ExitError
	if errors.As(err, &exit) {
		return exit.ExitStatus(), nil
	}
	var missing *ssh.ExitMissingError
	if errors.As(err, &missing) {
		return exitError, nil
	}
	return 0, err
}

// startTerminal gives the session a terminal the size of in, puts in in raw
// mode, and follows window size changes; restore undoes it.
func (c *cli) startTerminal(sess *ssh.Session, in *os.File) (restore func(), err error) {
	fd := int(in.Fd())
	width, height, err := term.GetSize(fd)
	if err != nil {
		width, height = 80, 24
	}
	termType := c.getenv("TERM")
	if termType == "" {
		termType = "xterm-256color"
	}
	if err := sess.RequestPty(termType, height, width, ssh.TerminalModes{ssh.ECHO: 1}); err != nil {
		return nil, fmt.Errorf("requesting a terminal: %w", err)
	}
	old, err := term.MakeRaw(fd)
	if err != nil {
		return nil, fmt.Errorf("setting the terminal to raw mode: %w", err)
	}
	sess.Stdin = in
	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-winch:
				if w, h, err := term.GetSize(fd); err == nil {
					sess.WindowChange(h, w)
				}
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(winch)
		close(done)
		term.Restore(fd, old)
	}, nil
}
