package plugins

import (
	"os/exec"

	"github.com/hashicorp/go-plugin"
)

// process is the plugin process behind a Client, as far as the Client needs
// to know it.
type process interface {
	// exited reports whether the process has ended.
	exited() bool
	// exitStatus says how the process ended ("exit status 2"); empty while
	// it runs.
	exitStatus() string
	// kill asks the process to exit, forces it after a grace period, and
	// waits until it is gone.
	kill()
}

// pluginProcess is a process started by go-plugin from cmd.
type pluginProcess struct {
	pc  *plugin.Client
	cmd *exec.Cmd
}

func (p *pluginProcess) exited() bool { return p.pc.Exited() }

func (p *pluginProcess) exitStatus() string {
	// go-plugin sets Exited only after cmd.Wait has returned, under a lock
	// that Exited takes too, so ProcessState is safe to read afterwards.
	if !p.pc.Exited() {
		return ""
	}
	if p.cmd.ProcessState == nil {
		return "exited"
	}
	return p.cmd.ProcessState.String()
}

func (p *pluginProcess) kill() { p.pc.Kill() }

var _ process = (*pluginProcess)(nil)
