package resources

import (
	"fmt"
	"os"
	"reflect"
	"testing"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

func TestParseShow(t *testing.T) {
	tests := []struct {
		name  string
		out   string
		names []string
		want  map[string]unitState
	}{
		{"two units", "Id=nginx.service\nLoadState=loaded\nActiveState=active\nUnitFileState=enabled\n\nId=ssh.service\nLoadState=loaded\nActiveState=inactive\nUnitFileState=disabled\n",
			[]string{"nginx", "sshd"}, map[string]unitState{"nginx": {"active", "enabled"}, "sshd": {"inactive", "disabled"}}},
		{"missing unit", "Id=ghost.service\nLoadState=not-found\nActiveState=inactive\nUnitFileState=\n",
			[]string{"ghost"}, map[string]unitState{"ghost": {"inactive", ""}}},
		{"properties in another order, CRLF, extra blank lines", "\r\nActiveState=reloading\r\nId=a.service\r\n\r\n\r\nUnitFileState=static\r\nId=b.service\r\n\r\n",
			[]string{"a", "b"}, map[string]unitState{"a": {ActiveState: "reloading"}, "b": {UnitFileState: "static"}}},
		{"fewer blocks than units", "Id=a.service\nActiveState=active\n", []string{"a", "b"}, nil},
		{"more blocks than units", "Id=a.service\n\nId=b.service\n", []string{"a"}, nil},
		{"not KEY=VALUE", "Failed to get properties: Access denied\n", []string{"a"}, nil},
		{"block without Id", "ActiveState=active\n", []string{"a"}, nil},
		{"empty", "", []string{"a"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseShow(tc.out, tc.names)
			if ok != (tc.want != nil) || (ok && !reflect.DeepEqual(got, tc.want)) {
				t.Errorf("parseShow = %v, %v; want %v", got, ok, tc.want)
			}
		})
	}
}

func FuzzParseShow(f *testing.F) {
	f.Add("Id=a.service\nActiveState=active\n\nId=b.service\n", 2)
	f.Add("=\n\n\n=x", 1)
	f.Fuzz(func(t *testing.T, out string, n int) {
		n = min(max(n, 0), 8)
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("u%d", i)
		}
		units, ok := parseShow(out, names)
		if ok && len(units) != n {
			t.Fatalf("%d units for %d names", len(units), n)
		}
	})
}

// serviceRequest is n services that should run and be enabled, with a
// file between the first and the rest.
func serviceRequest(mode agentapi.Mode, dir string, n int) *agentapi.Request {
	req := &agentapi.Request{Version: 1, Mode: mode}
	for i := range n {
		req.Resources = append(req.Resources, agentapi.Resource{ID: fmt.Sprintf("r/service.s%d", i), Kind: "service",
			Attrs: map[string]any{"name": fmt.Sprintf("s%d", i), "state": "running", "enabled": true}})
		if i == 0 {
			req.Resources = append(req.Resources, agentapi.Resource{ID: "r/file.f", Kind: "file",
				Attrs: map[string]any{"path": dir + "/f", "content": "x"}})
		}
	}
	return req
}

// TestServiceChecksBatched: the services of a request are read with one
// systemctl show; after a change the later services read again; without
// systemctl show they are asked one by one.
func TestServiceChecksBatched(t *testing.T) {
	const n = 5
	tests := []struct {
		name     string
		mode     agentapi.Mode
		stopped  []string // units not running
		newFile  bool     // the file between the services is created
		noShow   bool
		wantShow int
		wantIs   int
		changed  int
	}{
		{name: "no-op check reads once", mode: agentapi.ModeCheck, wantShow: 1},
		{name: "no-op apply reads once", mode: agentapi.ModeApply, wantShow: 1},
		{name: "check with changes reads once", mode: agentapi.ModeCheck, stopped: []string{"s3"}, newFile: true, wantShow: 1, changed: 2},
		{name: "apply reads again after a change", mode: agentapi.ModeApply, stopped: []string{"s3"}, wantShow: 2, changed: 1},
		// The file's apply makes the second read, s3's start the third.
		{name: "apply reads again after each change", mode: agentapi.ModeApply, stopped: []string{"s3"}, newFile: true, wantShow: 3, changed: 2},
		{name: "without systemctl show each unit is asked", mode: agentapi.ModeCheck, noShow: true, wantShow: 1, wantIs: 2 * n},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sys := &fakeSystemctl{active: map[string]bool{}, enabled: map[string]string{}, noShow: tc.noShow}
			for i := range n {
				name := fmt.Sprintf("s%d", i)
				sys.active[name], sys.enabled[name] = true, "enabled"
			}
			for _, u := range tc.stopped {
				sys.active[u] = false
			}
			fake := sys.runner()
			dir := t.TempDir()
			if !tc.newFile {
				if err := os.WriteFile(dir+"/f", []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			lines := convergeLines(t, &Env{Runner: fake, StateDir: dir}, serviceRequest(tc.mode, dir, n))
			done := lines[len(lines)-1].(*agentapi.Done)
			if done.Changed != tc.changed || done.Failed != 0 {
				t.Errorf("done = %+v, want %d changed (the new file and the stopped unit)", done, tc.changed)
			}
			if got := len(fake.callsWith("systemctl show")); got != tc.wantShow {
				t.Errorf("%d systemctl show calls, want %d: %q", got, tc.wantShow, fake.calls)
			}
			if got := len(fake.callsWith("systemctl is-")); got != tc.wantIs {
				t.Errorf("%d is-active/is-enabled calls, want %d", got, tc.wantIs)
			}
			for _, u := range tc.stopped {
				r := resultFor(lines, "r/service."+u)
				if r == nil || r.Status != agentapi.StatusChanged || len(r.Changes) != 1 || r.Changes[0] != "start "+u {
					t.Errorf("result of %s = %+v, want changed: start %s", u, r, u)
				}
			}
		})
	}
}
