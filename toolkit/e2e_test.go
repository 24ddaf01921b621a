package toolkit

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"
	"github.com/miekg/dns"

	"github.com/blueprint-engine/bp/providers/local"
)

// smokeBlueprint calls the three modules by local path, as the engine does
// for the portable resources they realize: a web machine with nginx behind
// the load balancer, and a zone whose www record points at it.
const smokeBlueprint = `
blueprint {
  required_providers {
    local = { source = "builtin/local" }
  }
  backend "local" { path = "bp.state" }
}

variable "project" { type = string }

provider "local" { project = var.project }

resource "machine" "web" {
  name = "web"
}

role "web" {
  package "nginx" {}
  file "/var/www/html/index.html" {
    content = "hello from ${host.name}\n"
  }
  service "nginx" {
    state   = "running"
    enabled = true
  }
}

configure "web" {
  hosts = [resource.machine.web]
  roles = [role.web]
}

module "lb" {
  source           = "./toolkit/load_balancer"
  realization_name = "smoke"
  listener         = [{ port = 80, target_port = null, protocol = null }]
  targets          = [resource.machine.web.address]
  health_check     = { path = "/", interval = "1s", healthy_threshold = null, unhealthy_threshold = null }
}

module "zone" {
  source           = "./toolkit/dns_zone"
  realization_name = "smoke"
  name             = "example.test"
}

module "www" {
  source           = "./toolkit/dns_record"
  realization_name = "www"
  server           = module.zone.server
  zone             = module.zone.name
  name             = "www"
  type             = "A"
  records          = [module.lb.address]
  ttl              = 30
}

output "lb_address" { value = module.lb.address }
output "stats_url" { value = module.lb.stats_url }
output "dns_address" { value = module.zone.address }
output "fqdn" { value = module.www.fqdn }
output "zone_fqdn" { value = module.zone.fqdn }
`

// TestModulesOnMachines applies the modules on machines of the local
// provider with bp built from this tree: HTTP through the HAProxy machine
// reaches nginx, the PowerDNS machine answers the record and the glue of
// its name server, a second plan is empty, and destroy leaves nothing.
func TestModulesOnMachines(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: creates machines of the local provider")
	}
	bp := buildBP(t)
	api := engineAPI(t)
	dir := t.TempDir()
	toolkitDir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(toolkitDir, filepath.Join(dir, "toolkit")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.bp.hcl"), []byte(smokeBlueprint), 0o644); err != nil {
		t.Fatal(err)
	}
	var suffix [3]byte
	rand.Read(suffix[:])
	project := "toolkit-" + hex.EncodeToString(suffix[:])
	if err := os.WriteFile(filepath.Join(dir, "project.auto.bpvars.hcl"), []byte(fmt.Sprintf("project = %q\n", project)), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, error) {
		cmd := exec.Command(bp, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "BP_AGENT_DIR="+filepath.Dir(bp), "NO_COLOR=1")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		start := time.Now()
		err := cmd.Run()
		t.Logf("bp %s: %v after %s", strings.Join(args, " "), err, time.Since(start).Round(100*time.Millisecond))
		if err != nil {
			return stdout.String(), fmt.Errorf("bp %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
		}
		return stdout.String(), nil
	}
	destroyed := false
	t.Cleanup(func() {
		if !destroyed {
			if _, err := run("destroy", "-auto-approve"); err != nil {
				t.Errorf("cleanup: %v", err)
			}
		}
		removeProject(t, api, project, false)
	})

	if _, err := run("apply", "-auto-approve"); err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{}
	for _, name := range []string{"lb_address", "stats_url", "dns_address", "fqdn", "zone_fqdn"} {
		out, err := run("output", "-json", name)
		if err != nil {
			t.Fatal(err)
		}
		var s string
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatalf("output %s: %v in %q", name, err, out)
		}
		outputs[name] = s
	}
	lb, nsAddr := outputs["lb_address"], outputs["dns_address"]
	if outputs["fqdn"] != "www.example.test." || outputs["zone_fqdn"] != "example.test." {
		t.Errorf("fqdn outputs = %q and %q, want www.example.test. and example.test.", outputs["fqdn"], outputs["zone_fqdn"])
	}
	if want := "http://" + lb + ":8404/stats;csv"; outputs["stats_url"] != want {
		t.Errorf("stats_url = %q, want %q", outputs["stats_url"], want)
	}

	t.Run("HTTP through the load balancer", func(t *testing.T) {
		c := &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{Proxy: nil}}
		var last string
		deadline := time.Now().Add(30 * time.Second)
		for {
			body, err := get(c, "http://"+lb+"/")
			if err == nil && body == "hello from web\n" {
				break
			}
			last = fmt.Sprintf("%q, %v", body, err)
			if time.Now().After(deadline) {
				t.Fatalf("http://%s/ did not answer nginx's page within 30s: last %s", lb, last)
			}
			time.Sleep(500 * time.Millisecond)
		}
		csv, err := get(c, outputs["stats_url"])
		if err != nil || !strings.Contains(csv, "targets_80,") || !strings.Contains(csv, ",UP,") {
			t.Errorf("stats CSV (%v) lacks backend targets_80 with a server UP:\n%s", err, csv)
		}
	})

	t.Run("DNS from the zone's server", func(t *testing.T) {
		for _, q := range []struct{ name, want string }{
			{"www.example.test.", lb},
			{"ns1.example.test.", nsAddr},
		} {
			got, err := queryA(nsAddr, q.name)
			if err != nil || len(got) != 1 || got[0] != q.want {
				t.Errorf("A %s @%s = %v, %v; want [%s]", q.name, nsAddr, got, err, q.want)
			}
		}
	})

	t.Run("second plan", func(t *testing.T) {
		out, err := run("plan", "-detailed-exitcode")
		if err != nil {
			t.Errorf("a plan right after apply is not empty: %v", err)
		} else if !strings.Contains(out, "No changes") {
			t.Logf("plan output:\n%s", out)
		}
	})

	if _, err := run("destroy", "-auto-approve"); err != nil {
		t.Fatal(err)
	}
	destroyed = true
	removeProject(t, api, project, !t.Failed())
}

// buildBP builds bp and the agent it uploads, for this machine's
// architecture, from this tree.
func buildBP(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	for _, b := range []struct{ out, pkg string }{
		{"bp", "./cmd/bp"},
		{"bp-agent-linux-" + runtime.GOARCH, "./cmd/bp-agent"},
	} {
		cmd := exec.Command(gobin, "build", "-trimpath", "-o", filepath.Join(dir, b.out), b.pkg)
		cmd.Dir = ".."
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", b.pkg, err, out)
		}
	}
	return filepath.Join(dir, "bp")
}

// engineAPI connects to the container engine make setup starts.
func engineAPI(t *testing.T) *client.Client {
	t.Helper()
	eng, err := local.Connect(context.Background(), local.ConnectOptions{})
	if err != nil {
		t.Fatalf("the toolkit's end-to-end test needs the container engine that `make setup` starts: %v", err)
	}
	host := eng.Host()
	eng.Close()
	api, err := client.NewClientWithOpts(client.WithHost(host), client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatalf("connecting to %s: %v", host, err)
	}
	t.Cleanup(func() { api.Close() })
	return api
}

// removeProject removes the project's containers and networks; with strict
// set, finding any is an error (destroy must have removed them).
func removeProject(t *testing.T, api *client.Client, project string, strict bool) {
	ctx := context.Background()
	label := filters.NewArgs(filters.Arg("label", "bp.project="+project))
	list, err := api.ContainerList(ctx, container.ListOptions{All: true, Filters: label})
	if err != nil {
		t.Errorf("listing containers: %v", err)
	}
	for _, c := range list {
		if strict {
			t.Errorf("bp destroy left container %v", c.Names)
		}
		api.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true})
	}
	nets, err := api.NetworkList(ctx, network.ListOptions{Filters: label})
	if err != nil {
		t.Errorf("listing networks: %v", err)
	}
	for _, n := range nets {
		if strict {
			t.Errorf("bp destroy left network %s", n.Name)
		}
		api.NetworkRemove(ctx, n.ID)
	}
}

// queryA asks server for name's A records over UDP.
func queryA(server, name string) ([]string, error) {
	m := new(dns.Msg)
	m.SetQuestion(name, dns.TypeA)
	r, _, err := (&dns.Client{Timeout: 5 * time.Second}).Exchange(m, net.JoinHostPort(server, "53"))
	if err != nil {
		return nil, err
	}
	if r.Rcode != dns.RcodeSuccess {
		return nil, fmt.Errorf("answer %s", dns.RcodeToString[r.Rcode])
	}
	var out []string
	for _, rr := range r.Answer {
		if a, ok := rr.(*dns.A); ok {
			out = append(out, a.A.String())
		}
	}
	return out, nil
}
