package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const recapOutput = `PLAY [bench] *******

TASK [Gathering Facts] *****
ok: [m-0]

PLAY RECAP *********************************************************************
m-0                        : ok=192  changed=180  unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
m-10                       : ok=192  changed=0    unreachable=1    failed=2    skipped=0    rescued=0    ignored=0

`

func TestParseRecap(t *testing.T) {
	for _, tc := range []struct {
		name, out string
		want      map[string]map[string]int
	}{
		{"two hosts", recapOutput, map[string]map[string]int{
			"m-0":  {"ok": 192, "changed": 180, "unreachable": 0, "failed": 0, "skipped": 0, "rescued": 0, "ignored": 0},
			"m-10": {"ok": 192, "changed": 0, "unreachable": 1, "failed": 2, "skipped": 0, "rescued": 0, "ignored": 0},
		}},
		{"no recap", "ERROR! the playbook could not be found\n", nil},
		{"empty recap", "PLAY RECAP ***\n\n", nil},
		{"task output mentioning the recap is ignored", "ok: [m-0] => {\"msg\": \"PLAY RECAP\"}\n" + recapOutput[strings.Index(recapOutput, "PLAY RECAP"):],
			map[string]map[string]int{
				"m-0":  {"ok": 192, "changed": 180, "unreachable": 0, "failed": 0, "skipped": 0, "rescued": 0, "ignored": 0},
				"m-10": {"ok": 192, "changed": 0, "unreachable": 1, "failed": 2, "skipped": 0, "rescued": 0, "ignored": 0},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseRecap(tc.out)
			if ok != (tc.want != nil) {
				t.Fatalf("parseRecap ok = %v, want %v", ok, tc.want != nil)
			}
			if tc.want != nil && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("parseRecap = %v\nwant %v", got, tc.want)
			}
		})
	}
}

func FuzzParseRecap(f *testing.F) {
	f.Add(recapOutput)
	f.Add("PLAY RECAP\nx : a=1 b=99999999999999999999\n")
	f.Fuzz(func(t *testing.T, out string) {
		hosts, ok := parseRecap(out)
		if ok != (len(hosts) > 0) {
			t.Errorf("ok = %v with %d hosts", ok, len(hosts))
		}
	})
}

func TestHostChanges(t *testing.T) {
	for _, tc := range []struct {
		name, out string
		n         int
		ok        bool
	}{
		{"converge", "machine.m[0]: Converged\n\nConverge complete! Hosts: 10 converged, 1800 resources changed.\n", 1800, true},
		{"apply no-op", "No changes. Your infrastructure matches the blueprint.\n", 0, false},
		{"last summary counts", "Hosts: 1 converged, 5 resources changed.\nHosts: 2 converged, 0 resources changed.\n", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, ok := hostChanges(tc.out)
			if n != tc.n || ok != tc.ok {
				t.Errorf("hostChanges = %d, %v; want %d, %v", n, ok, tc.n, tc.ok)
			}
		})
	}
}

func machineState(attrs string) string {
	return `{"version":1,"resources":[{"mode":"managed","type":"std_null","name":"x","instances":[{"attributes":{}}]},
{"mode":"managed","type":"machine","name":"m","instances":[` + attrs + `]}]}`
}

const machineAttrs = `{"attributes":{"name":%q,"address":"10.0.0.%d","host_key":"ssh-ed25519 AAAA","ssh_user":"root","ssh_private_key":"KEY"}}`

func TestParseMachines(t *testing.T) {
	one := func(name string, n int) string {
		return strings.NewReplacer("%q", `"`+name+`"`, "%d", string(rune('0'+n))).Replace(machineAttrs)
	}
	for _, tc := range []struct {
		name, doc string
		want      []string // names in order
		wantErr   string
	}{
		{"natural order", machineState(one("m-10", 1) + "," + one("m-2", 2) + "," + one("m-1", 3)), []string{"m-1", "m-2", "m-10"}, ""},
		{"no machines", machineState(""), nil, "no machines"},
		{"missing key", machineState(`{"attributes":{"name":"m-0","address":"10.0.0.1","host_key":"k"}}`), nil, "lacks"},
		{"not JSON", "<html>", nil, "reading bp state"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := parseMachines([]byte(tc.doc))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parseMachines error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, m := range ms {
				names = append(names, m.Name)
				if m.User != "root" || m.PrivateKey != "KEY" {
					t.Errorf("%s: user %q, key %q", m.Name, m.User, m.PrivateKey)
				}
			}
			if !reflect.DeepEqual(names, tc.want) {
				t.Errorf("names = %v, want %v", names, tc.want)
			}
		})
	}
}

func FuzzParseMachines(f *testing.F) {
	f.Add([]byte(machineState(`{"attributes":{"name":"m-0","address":"a","host_key":"k","ssh_private_key":"p"}}`)))
	f.Add([]byte(`{"resources":[{"mode":"managed","type":"machine","instances":[{"attributes":null}]}]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		ms, err := parseMachines(doc)
		if err == nil && len(ms) == 0 {
			t.Error("no error and no machines")
		}
	})
}

func TestPrintTable(t *testing.T) {
	rows := []row{
		{tool: "bp converge", first: 1500 * time.Millisecond, noop: 300 * time.Millisecond, firstChanged: 1800, base: true},
		{tool: "bp apply (plan+check+converge)", noop: 450 * time.Millisecond, firstChanged: -1},
		{tool: "ansible (linear)", first: 290 * time.Second, noop: 277 * time.Second, firstChanged: 1800},
		{tool: "ansible + mitogen", note: "not installed: apt-get install ansible-mitogen: exit status 100"},
	}
	var buf bytes.Buffer
	printTable(&buf, rows)
	path := filepath.Join("testdata", "table.txt")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if buf.String() != string(want) {
		t.Errorf("table differs from %s (go test -update rewrites it):\n%s", path, buf.String())
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []time.Duration
		want time.Duration
	}{
		{"empty", nil, 0},
		{"odd", []time.Duration{3, 1, 2}, 2},
		{"even takes the upper middle", []time.Duration{4, 1, 3, 2}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := median(tc.in); got != tc.want {
				t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}
