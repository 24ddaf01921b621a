// Command fakeagent stands in for bp-agent in the converge package's tests:
// it speaks the agentapi protocol, but instead of converging real resources
// it does what each resource's attributes tell it. Kinds:
//
//	fake     status ("unchanged" default, "changed", "failed"), error, output,
//	         sleep_ms (wait before reporting)
//	service  reported unchanged; a notify target
//	crash    write attrs.message to stderr and exit 1 (internal error)
//	garbage  write a line that is not JSON
//
// Every converge appends "run <mode>" to <state-dir>/runs, so tests can see
// which state directory each host used.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

const version = "fake-1"

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: fakeagent converge [--state-dir DIR] | version")
		os.Exit(agentapi.ExitInternal)
	}
	switch os.Args[1] {
	case "version":
		fmt.Println(version)
	case "converge":
		stateDir := agentapi.DefaultStateDir
		if len(os.Args) == 4 && os.Args[2] == "--state-dir" {
			stateDir = os.Args[3]
		}
		os.Exit(converge(stateDir))
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n", os.Args[1])
		os.Exit(agentapi.ExitInternal)
	}
}

func converge(stateDir string) int {
	start := time.Now()
	enc := agentapi.NewEncoder(os.Stdout)
	host, _ := os.Hostname()
	enc.Encode(&agentapi.FactsLine{Facts: agentapi.Facts{
		Hostname: host, OS: "debian", OSFamily: "debian", Arch: runtime.GOARCH,
		CPUs: runtime.NumCPU(), AgentVersion: version,
	}})
	req, err := agentapi.DecodeRequest(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return agentapi.ExitInternal
	}
	if err := record(stateDir, "run "+string(req.Mode)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return agentapi.ExitInternal
	}

	var done agentapi.Done
	var notified []string
	failed := false
	for _, res := range req.Resources {
		if failed {
			enc.Encode(&agentapi.Result{ID: res.ID, Status: agentapi.StatusSkipped})
			done.Skipped++
			continue
		}
		str := func(name string) string { s, _ := res.Attrs[name].(string); return s }
		result := agentapi.Result{ID: res.ID, Status: agentapi.StatusUnchanged}
		switch res.Kind {
		case "crash":
			fmt.Fprintln(os.Stderr, str("message"))
			return agentapi.ExitInternal
		case "garbage":
			fmt.Println("this is not JSON")
			continue
		case "fake":
			if ms, ok := res.Attrs["sleep_ms"].(float64); ok {
				time.Sleep(time.Duration(ms) * time.Millisecond)
			}
			if s := str("status"); s != "" {
				result.Status = agentapi.Status(s)
			}
			result.Error, result.Output = str("error"), str("output")
		}
		switch result.Status {
		case agentapi.StatusChanged:
			done.Changed++
			notified = append(notified, res.Notify...)
		case agentapi.StatusFailed:
			done.Failed++
			failed = true
		default:
			done.Unchanged++
		}
		enc.Encode(&result)
	}
	if !failed {
		seen := map[string]bool{}
		for _, id := range notified {
			if seen[id] {
				continue
			}
			seen[id] = true
			enc.Encode(&agentapi.Handler{ID: id, Action: agentapi.ActionRestart, Status: agentapi.StatusChanged})
		}
	}
	done.DurationMS = time.Since(start).Milliseconds()
	enc.Encode(&done)
	if failed {
		return agentapi.ExitFailed
	}
	return agentapi.ExitOK
}

func record(stateDir, line string) error {
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(stateDir, "runs"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintln(f, line)
	return f.Close()
}
