// Command localbench measures the local provider on this host: the wall
// time from the start of an apply (plan included) to every machine of a
// blueprint answering SSH, for 1, 3 and 10 machines with a warm image, and
// the memory an idle machine uses. DESIGN.md's target is 3 machines in
// under 5 s.
//
// It needs the engine make setup starts, and builds debian-12 first if it
// is missing (not counted). Every blueprint is destroyed afterwards.
//
// Usage: go run ./bench/localbench [-counts 1,3,10] [-idle 10s]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/client"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
	"github.com/blueprint-engine/bp/providers/local"
)

func main() {
	countsFlag := flag.String("counts", "1,3,10", "comma-separated machine counts")
	idle := flag.Duration("idle", 10*time.Second, "how long machines idle before their memory is read")
	flag.Parse()
	if err := run(*countsFlag, *idle); err != nil {
		fmt.Fprintln(os.Stderr, "localbench:", err)
		os.Exit(1)
	}
}

func run(countsFlag string, idle time.Duration) error {
	ctx := context.Background()
	e, err := local.Connect(ctx, local.ConnectOptions{})
	if err != nil {
		return err
	}
	defer e.Close()
	start := time.Now()
	if _, err := e.BuildImage(ctx, local.BuildImageRequest{Name: "debian-12", Progress: os.Stderr}); err != nil {
		return err
	}
	fmt.Printf("image debian-12 ready in %s (not counted)\n", time.Since(start).Round(time.Millisecond))
	api, err := client.NewClientWithOpts(client.WithHost(e.Host()), client.WithAPIVersionNegotiation())
	if err != nil {
		return err
	}
	defer api.Close()

	fmt.Printf("%-9s %-14s %-12s %-22s\n", "machines", "apply→SSH", "destroy", "idle memory/machine")
	for _, s := range strings.Split(countsFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("bad count %q in -counts", s)
		}
		if err := measure(ctx, api, n, idle); err != nil {
			return err
		}
	}
	return nil
}

// measure applies an n-machine blueprint, reads the idle memory of its
// machines and destroys it.
func measure(ctx context.Context, api *client.Client, n int, idle time.Duration) error {
	dir, err := os.MkdirTemp("", "localbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	project := fmt.Sprintf("bench-%d-%d", n, time.Now().UnixNano()%1_000_000)
	src := fmt.Sprintf(`
blueprint {
  required_providers {
    local = { source = "builtin/local" }
  }
}
provider "local" { project = %q }
resource "machine" "m" {
  count = %d
  name  = "m-${count.index}"
}
`, project, n)
	if err := os.WriteFile(filepath.Join(dir, "main.bp.hcl"), []byte(src), 0o644); err != nil {
		return err
	}
	start := time.Now()
	if err := apply(ctx, dir, plan.Normal); err != nil {
		return err
	}
	up := time.Since(start)
	time.Sleep(idle)
	mem, memErr := idleMemory(ctx, api, project)
	start = time.Now()
	if err := apply(ctx, dir, plan.Destroy); err != nil {
		return err
	}
	down := time.Since(start)
	memText := "?"
	if memErr == nil {
		memText = fmt.Sprintf("%.1f MiB (median)", mem/(1<<20))
	} else {
		memText = memErr.Error()
	}
	fmt.Printf("%-9d %-14s %-12s %s\n", n, up.Round(time.Millisecond), down.Round(time.Millisecond), memText)
	return nil
}

// apply plans and applies the blueprint in dir in mode, as bp apply does.
func apply(ctx context.Context, dir string, mode plan.Mode) error {
	cfg, diags := blueprint.NewLoader().LoadDir(dir)
	if diags.HasErrors() {
		return diags
	}
	backend := state.NewLocal(filepath.Join(dir, "bp.state"))
	prior, err := backend.Read(ctx)
	if err != nil {
		return err
	}
	eng := engine.New(engine.Options{Config: cfg, Variables: map[string]cty.Value{}})
	defer eng.Close()
	p, diags := eng.Plan(ctx, prior, engine.PlanOptions{Mode: mode})
	if diags.HasErrors() {
		return diags
	}
	if diags := eng.Apply(ctx, p, state.NewSync(prior, backend)); diags.HasErrors() {
		return diags
	}
	return nil
}

// idleMemory returns the median working set (usage minus inactive file
// cache) of the project's machines.
func idleMemory(ctx context.Context, api *client.Client, project string) (float64, error) {
	list, err := api.ContainerList(ctx, container.ListOptions{Filters: filters.NewArgs(filters.Arg("label", "bp.project="+project))})
	if err != nil {
		return 0, err
	}
	var sizes []float64
	for _, c := range list {
		resp, err := api.ContainerStatsOneShot(ctx, c.ID)
		if err != nil {
			return 0, err
		}
		var st container.StatsResponse
		err = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
		if err != nil {
			return 0, err
		}
		used := float64(st.MemoryStats.Usage)
		for _, k := range []string{"total_inactive_file", "inactive_file"} {
			if v, ok := st.MemoryStats.Stats[k]; ok && float64(v) < used {
				used -= float64(v)
				break
			}
		}
		sizes = append(sizes, used)
	}
	if len(sizes) == 0 {
		return 0, fmt.Errorf("no machines found")
	}
	sort.Float64s(sizes)
	return sizes[len(sizes)/2], nil
}
