package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint/funcs"
	"github.com/blueprint-engine/bp/resources/agentapi"
)

// The agent profile runs bp-agent over plain OpenSSH with a request the
// benchmark builds itself (the bench role as bp would send it), so that
// its figures split bp's no-op time into SSH, the agent's work on the host
// by kind, and what is left: bp's own evaluation, planning and state.

// agentRequest is the bench role for one host as bp sends it to the agent:
// templates rendered with the host's name and facts, names from the IDs.
func (w Workload) agentRequest(hostName string, facts agentapi.Facts) (agentapi.Request, error) {
	req := agentapi.Request{Version: agentapi.ProtocolVersion, Mode: agentapi.ModeApply}
	add := func(kind, name string, attrs map[string]any) {
		req.Resources = append(req.Resources, agentapi.Resource{ID: "bench/" + kind + "." + name, Kind: kind, Attrs: attrs})
	}
	own := func(mode string, attrs map[string]any) map[string]any {
		attrs["owner"], attrs["group"], attrs["mode"] = "root", "root", mode
		return attrs
	}
	for i := range w.Directories {
		add("directory", dirPath(i), own("0755", map[string]any{"recursive": true}))
	}
	for i := range w.Files {
		add("file", w.filePath(i), own(fileMode(i), map[string]any{"content": fileContent(i)}))
	}
	host := cty.ObjectVal(map[string]cty.Value{
		"name":  cty.StringVal(hostName),
		"facts": cty.ObjectVal(map[string]cty.Value{"os": cty.StringVal(facts.OS), "os_version": cty.StringVal(facts.OSVersion)}),
	})
	for i := range w.Templates {
		label, number := templateVars(i)
		content, diags := funcs.RenderTemplate([]byte(bpTemplate), "bench.conf.tpl", map[string]cty.Value{
			"host": host, "label": cty.StringVal(label), "number": cty.NumberIntVal(int64(number))}, nil)
		if diags.HasErrors() {
			return req, diags
		}
		add("template", w.templatePath(i), own(fileMode(i), map[string]any{"content": content}))
	}
	for i := range w.Lines {
		add("line", fmt.Sprintf("l%03d", i), map[string]any{"path": lineFile(i / 2), "line": lineText(i)})
	}
	for _, p := range presentPackages[:w.Packages] {
		add("package", p, map[string]any{})
	}
	for i := range w.Services {
		add("service", serviceName(i), map[string]any{"state": "running", "enabled": true})
	}
	return req, nil
}

// agentRun is what one agent run over OpenSSH reported.
type agentRun struct {
	wall    time.Duration            // ssh process start to exit
	agent   time.Duration            // the agent's own Done.duration_ms
	byKind  map[string]time.Duration // sum of duration_ms per kind
	changed int
}

// agentPath finds the agent bp uploaded to m.
func (b *bench) agentPath(ctx context.Context, m machine) (string, error) {
	out, err := exec.CommandContext(ctx, "ssh", b.sshArgs(m, "ls -d /var/lib/bp/agent/*/bp-agent")...).Output()
	paths := strings.Fields(string(out))
	if err != nil || len(paths) == 0 {
		return "", fmt.Errorf("no agent under /var/lib/bp/agent on %s: %v", m.Name, err)
	}
	return paths[len(paths)-1], nil
}

// runAgent runs the agent on m with req on stdin (req nil: facts only)
// and decodes its lines.
func (b *bench) runAgent(ctx context.Context, m machine, agent string, req *agentapi.Request) (agentRun, agentapi.Facts, error) {
	var facts agentapi.Facts
	var stdin bytes.Buffer
	args := b.sshArgs(m, agent+" facts")
	if req != nil {
		if err := agentapi.EncodeRequest(&stdin, req); err != nil {
			return agentRun{}, facts, err
		}
		args = b.sshArgs(m, agent+" converge")
	}
	cmd := exec.CommandContext(ctx, "ssh", args...)
	cmd.Stdin = &stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	r := agentRun{wall: time.Since(start), byKind: map[string]time.Duration{}}
	if err != nil {
		return r, facts, fmt.Errorf("agent on %s: %v: %s", m.Name, err, stderr.String())
	}
	if req == nil {
		err := json.Unmarshal(out, &facts)
		return r, facts, err
	}
	kinds := map[string]string{}
	for _, res := range req.Resources {
		kinds[res.ID] = res.Kind
	}
	dec := agentapi.NewDecoder(bytes.NewReader(out))
	for {
		line, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return r, facts, fmt.Errorf("agent on %s: %v", m.Name, err)
		}
		switch l := line.(type) {
		case *agentapi.Result:
			r.byKind[kinds[l.ID]] += time.Duration(l.DurationMS) * time.Millisecond
			if l.Status != agentapi.StatusUnchanged {
				r.changed++
			}
		case *agentapi.Done:
			r.agent = time.Duration(l.DurationMS) * time.Millisecond
		}
	}
	return r, facts, nil
}

// profileAgent runs the no-op bench request on the first host alone, then
// on every host at once, runs times each, and adds the medians to the
// profile.
func (b *bench) profileAgent(ctx context.Context, runs int) error {
	agent, err := b.agentPath(ctx, b.ms[0])
	if err != nil {
		return err
	}
	reqs := make([]*agentapi.Request, len(b.ms))
	for i, m := range b.ms {
		_, facts, err := b.runAgent(ctx, m, agent, nil)
		if err != nil {
			return err
		}
		req, err := b.w.agentRequest(m.Name, facts)
		if err != nil {
			return err
		}
		reqs[i] = &req
	}
	empty := &agentapi.Request{Version: agentapi.ProtocolVersion, Mode: agentapi.ModeApply}
	var emptyWall, oneWall, oneAgent, allWall, allAgent []time.Duration
	byKind := map[string][]time.Duration{}
	for range runs {
		r, _, err := b.runAgent(ctx, b.ms[0], agent, empty)
		if err != nil {
			return err
		}
		emptyWall = append(emptyWall, r.wall)
		r, _, err = b.runAgent(ctx, b.ms[0], agent, reqs[0])
		if err != nil {
			return err
		}
		if r.changed != 0 {
			return fmt.Errorf("the profile's request is not a no-op on %s: %d resources changed (it no longer matches what bp sends)", b.ms[0].Name, r.changed)
		}
		oneWall, oneAgent = append(oneWall, r.wall), append(oneAgent, r.agent)
		for k, d := range r.byKind {
			byKind[k] = append(byKind[k], d)
		}
		start := time.Now()
		results := make([]agentRun, len(b.ms))
		errs := make([]error, len(b.ms))
		var wg sync.WaitGroup
		for i, m := range b.ms {
			wg.Go(func() { results[i], _, errs[i] = b.runAgent(ctx, m, agent, reqs[i]) })
		}
		wg.Wait()
		allWall = append(allWall, time.Since(start))
		for i, err := range errs {
			if err != nil {
				return err
			}
			allAgent = append(allAgent, results[i].agent)
		}
	}
	var kinds []string
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return median(byKind[kinds[i]]) > median(byKind[kinds[j]]) })
	var split []string
	for _, k := range kinds {
		split = append(split, fmt.Sprintf("%s %s", k, seconds(median(byKind[k]))))
	}
	b.profile = append(b.profile,
		profileLine{"OpenSSH + agent, facts only (empty request), 1 host", median(emptyWall)},
		profileLine{"OpenSSH + agent, bench request, 1 host alone (ssh wall)", median(oneWall)},
		profileLine{"  of which the agent's own run (Done.duration_ms)", median(oneAgent)},
		profileLine{"    by kind: " + strings.Join(split, ", "), 0},
		profileLine{fmt.Sprintf("OpenSSH + agent, bench request, %d hosts at once (wall)", len(b.ms)), median(allWall)},
		profileLine{"  agent's own run per host then (median)", median(allAgent)},
	)
	return nil
}
