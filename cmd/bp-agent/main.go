// Command bp-agent converges one host: bp uploads it over SFTP and runs
// `bp-agent converge` over SSH with the host's desired state on stdin (see
// package resources/agentapi for the protocol). It is a static binary built
// from the standard library only, so nothing else needs to be on the host.
//
// Usage:
//
//	bp-agent converge [--state-dir DIR] [--verbose]
//	bp-agent facts
//	bp-agent version
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/blueprint-engine/bp/resources"
	"github.com/blueprint-engine/bp/resources/agentapi"
	"github.com/blueprint-engine/bp/resources/facts"
)

// version is set at build time with -ldflags '-X main.version=…'; without
// it the module version and VCS revision are used.
var version = ""

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func agentVersion() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += "+" + s.Value[:12]
		}
	}
	return v
}

const usage = `usage:
  bp-agent converge [--state-dir DIR] [--verbose]   converge this host (request on stdin, JSON lines on stdout)
  bp-agent facts                                    print this host's facts as JSON
  bp-agent version                                  print the agent version
`

// run is main without the process: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return agentapi.ExitInternal
	}
	switch args[0] {
	case "version":
		fmt.Fprintln(stdout, agentVersion())
		return agentapi.ExitOK
	case "facts":
		data, _ := json.MarshalIndent(facts.Gather(agentVersion()), "", "  ")
		fmt.Fprintf(stdout, "%s\n", data)
		return agentapi.ExitOK
	case "converge":
		return converge(args[1:], stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return agentapi.ExitOK
	}
	fmt.Fprintf(stderr, "bp-agent: unknown command %q\n%s", args[0], usage)
	return agentapi.ExitInternal
}

func converge(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("converge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	stateDir := fs.String("state-dir", agentapi.DefaultStateDir, "directory for the agent's state (pending notifications)")
	verbose := fs.Bool("verbose", false, "log every command to stderr")
	if err := fs.Parse(args); err != nil {
		return agentapi.ExitInternal
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bp-agent converge: unexpected arguments %q\n", fs.Args())
		return agentapi.ExitInternal
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	enc := agentapi.NewEncoder(stdout)
	hostFacts := facts.Gather(agentVersion())
	if err := enc.Encode(&agentapi.FactsLine{Facts: hostFacts}); err != nil {
		fmt.Fprintf(stderr, "bp-agent: writing facts: %v\n", err)
		return agentapi.ExitInternal
	}
	req, err := agentapi.DecodeRequest(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "bp-agent: %v\n", err)
		return agentapi.ExitInternal
	}
	env := &resources.Env{StateDir: *stateDir, Facts: hostFacts}
	if *verbose {
		env.Log = log.New(stderr, "bp-agent: ", 0)
	}
	done, err := resources.Converge(ctx, env, req, enc.Encode)
	if err != nil {
		fmt.Fprintf(stderr, "bp-agent: %v\n", err)
		return agentapi.ExitInternal
	}
	if err := enc.Encode(done); err != nil {
		fmt.Fprintf(stderr, "bp-agent: writing the result: %v\n", err)
		return agentapi.ExitInternal
	}
	if done.Failed > 0 {
		return agentapi.ExitFailed
	}
	return agentapi.ExitOK
}
