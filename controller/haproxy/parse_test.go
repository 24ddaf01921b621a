package haproxy

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// summary renders parsed stats as text, one line per entity, for golden
// comparison.
func summary(st *Stats) string {
	var b strings.Builder
	for _, f := range st.Frontends {
		fmt.Fprintf(&b, "frontend %s status=%s scur=%d rate=%g req_rate=%g req_tot=%d\n",
			f.Name, f.Status, f.Sessions, f.SessionRate, f.RequestRate, f.RequestsTotal)
	}
	for _, be := range st.Backends {
		fmt.Fprintf(&b, "backend %s status=%s scur=%d rate=%g requests=%d rtime=%s\n",
			be.Name, be.Status, be.Sessions, be.SessionRate, be.RequestsTotal, be.ResponseTime)
		for _, s := range be.Servers {
			fmt.Fprintf(&b, "  server %s status=%s raw=%q serving=%v addr=%q weight=%d scur=%d rate=%g requests=%d rtime=%s check=%q\n",
				s.Name, s.Status, s.RawStatus, s.Serving(), s.Address, s.Weight, s.Sessions, s.SessionRate, s.RequestsTotal, s.ResponseTime, s.CheckStatus)
		}
	}
	return b.String()
}

// TestParseRecorded parses CSV recorded from a real HAProxy 2.6 (see the
// integration test for how it is produced) against golden summaries.
func TestParseRecorded(t *testing.T) {
	files, err := filepath.Glob("testdata/*.csv")
	if err != nil || len(files) == 0 {
		t.Fatalf("no recorded CSV under testdata/ (%v)", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			st, err := ParseCSV(f)
			if err != nil {
				t.Fatal(err)
			}
			got := summary(st)
			golden := strings.TrimSuffix(file, ".csv") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("summary differs from %s (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

func TestParseCSV(t *testing.T) {
	const header = "# pxname,svname,scur,stot,status,weight,type,rate,req_rate,req_tot,rtime,check_status,addr,\n"
	tests := []struct {
		name    string
		in      string
		check   func(*testing.T, *Stats)
		wantErr string
	}{
		{name: "empty", in: "", wantErr: "HAProxy stats CSV is empty"},
		{name: "html instead of csv", in: "<html><body>stats</body></html>\n", wantErr: "check that the URL ends in \";csv\""},
		{name: "no svname column", in: "# pxname,scur\nweb,1\n", wantErr: "the header has no svname column"},
		{name: "header only", in: header, check: func(t *testing.T, st *Stats) {
			if len(st.Backends)+len(st.Frontends) != 0 {
				t.Errorf("entities from a header alone: %+v", st)
			}
		}},
		{name: "bad number", in: header + "app,s1,x,0,UP,1,2,0,,0,0,L7OK,,\n",
			wantErr: `line 2 (app/s1): column scur is "x", not a count`},
		{name: "negative rate", in: header + "app,s1,0,0,UP,1,2,-1,,0,0,L7OK,,\n", wantErr: `column rate is "-1"`},
		{name: "NaN rate", in: header + "app,s1,0,0,UP,1,2,NaN,,0,0,L7OK,,\n", wantErr: `column rate is "NaN"`},
		{name: "negative rtime", in: header + "app,s1,0,0,UP,1,2,0,,0,-4,L7OK,,\n", wantErr: `column rtime is "-4"`},
		{name: "tcp mode counts sessions", in: header +
			"db,s1,1,40,UP,1,2,3,,,0,L4OK,10.0.0.1:5432,\n" +
			"db,BACKEND,1,40,UP,1,1,3,,,0,,,\n",
			check: func(t *testing.T, st *Stats) {
				b, _ := st.Backend("db")
				if b.RequestsTotal != 40 || b.Servers[0].RequestsTotal != 40 {
					t.Errorf("requests = %d/%d, want stot 40", b.RequestsTotal, b.Servers[0].RequestsTotal)
				}
				if b.Servers[0].Address != "10.0.0.1:5432" {
					t.Errorf("address = %q", b.Servers[0].Address)
				}
			}},
		{name: "no type column: svname decides", in: "# pxname,svname,scur,status\nweb,FRONTEND,3,OPEN\napp,s1,1,UP 1/3\napp,BACKEND,1,UP\n",
			check: func(t *testing.T, st *Stats) {
				if len(st.Frontends) != 1 || st.Frontends[0].Sessions != 3 {
					t.Errorf("frontends = %+v", st.Frontends)
				}
				b, ok := st.Backend("app")
				if !ok || len(b.Servers) != 1 || b.Servers[0].Status != StatusUp || b.Status != "UP" {
					t.Errorf("backend = %+v", b)
				}
			}},
		{name: "listeners are skipped", in: header + "web,sock-1,0,0,OPEN,,3,,,,,,,\n", check: func(t *testing.T, st *Stats) {
			if len(st.Backends)+len(st.Frontends) != 0 {
				t.Errorf("listener parsed: %+v", st)
			}
		}},
		{name: "quoted field with comma", in: header + `app,s1,0,0,"DOWN 1/2",1,2,0,,0,0,"L7STS, 503",,` + "\n", check: func(t *testing.T, st *Stats) {
			s := st.Backends[0].Servers[0]
			if s.CheckStatus != "L7STS, 503" || s.Status != StatusDown {
				t.Errorf("server = %+v", s)
			}
		}},
		{name: "short rows read as zero", in: header + "app,s1\n", check: func(t *testing.T, st *Stats) {
			s := st.Backends[0].Servers[0]
			if s.Sessions != 0 || s.Status != StatusUnknown {
				t.Errorf("server = %+v", s)
			}
		}},
		{name: "broken quoting", in: header + "app,\"s1\n", wantErr: "HAProxy stats CSV:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := ParseCSV(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, st)
		})
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		raw  string
		want Status
	}{
		{"UP", StatusUp}, {"UP 1/3", StatusUp}, {"no check", StatusUp},
		{"DOWN", StatusDown}, {"DOWN 1/2", StatusDown},
		{"DRAIN", StatusDrain}, {"DRAIN (agent)", StatusDrain},
		{"MAINT", StatusMaint}, {"MAINT (via app/s1)", StatusMaint}, {"MAINT(resolution)", StatusMaint},
		{"NOLB", StatusNoLB}, {"NOLB 1/2", StatusNoLB},
		{"UPPER", StatusUnknown}, {"", StatusUnknown}, {"no", StatusUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.raw, func(t *testing.T) {
			if got := parseStatus(tc.raw); got != tc.want {
				t.Errorf("parseStatus(%q) = %s, want %s", tc.raw, got, tc.want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	f, err := os.Open("testdata/haproxy-2.6-mixed.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cur, err := ParseCSV(f)
	if err != nil {
		t.Fatal(err)
	}
	cur.At = time.Unix(1000, 0)
	// The same backend 4 s earlier, 8 requests fewer.
	prev := &Stats{At: time.Unix(996, 0), Backends: []Backend{{Name: "app", RequestsTotal: 12}}}
	reset := &Stats{At: time.Unix(996, 0), Backends: []Backend{{Name: "app", RequestsTotal: 500}}}
	tests := []struct {
		name    string
		prev    *Stats
		backend string
		want    Load
		wantErr string
	}{
		// The recording: s1 UP, s2 DOWN, s3 "no check": 2 serving members;
		// rate 20/s, 0 current sessions, rtime 1 ms.
		{name: "instant rate", backend: "app", want: Load{Backend: "app", At: cur.At, Members: 2,
			RequestsPerSecond: 20, RateSource: RateInstant, RequestsPerMember: 10, ResponseTime: time.Millisecond}},
		{name: "counter rate", prev: prev, backend: "app", want: Load{Backend: "app", At: cur.At, Members: 2,
			RequestsPerSecond: 2, RateSource: RateCounter, RequestsPerMember: 1, ResponseTime: time.Millisecond}},
		{name: "counter reset falls back to instant", prev: reset, backend: "app", want: Load{Backend: "app", At: cur.At, Members: 2,
			RequestsPerSecond: 20, RateSource: RateInstant, RequestsPerMember: 10, ResponseTime: time.Millisecond}},
		{name: "unknown backend", backend: "web", wantErr: `HAProxy has no backend "web" (it has ["app"])`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cur.Load(tc.backend, tc.prev)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Load = %+v\nwant   %+v", got, tc.want)
			}
		})
	}
	t.Run("no serving member carries the whole load", func(t *testing.T) {
		st := &Stats{Backends: []Backend{{Name: "b", SessionRate: 30, Sessions: 6, Servers: []Server{{Name: "s", Status: StatusMaint}}}}}
		l, err := st.Load("b", nil)
		if err != nil {
			t.Fatal(err)
		}
		if l.Members != 0 || l.RequestsPerMember != 30 || l.SessionsPerMember != 6 {
			t.Errorf("Load = %+v", l)
		}
	})
}

// FuzzParseCSV feeds arbitrary text to the parser: it must return stats or
// an error, never panic, and every server it returns has a known or
// UNKNOWN status and no negative figure.
func FuzzParseCSV(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.csv")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("# pxname,svname,type\na,b,2\n")
	f.Add("# pxname,svname,status,rtime\na,BACKEND,UP,5\n")
	f.Fuzz(func(t *testing.T, in string) {
		st, err := ParseCSV(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, b := range st.Backends {
			if b.Sessions < 0 || b.SessionRate < 0 || b.ResponseTime < 0 {
				t.Fatalf("negative figure in backend %+v", b)
			}
			for _, s := range b.Servers {
				if parseStatus(s.RawStatus) != s.Status || s.ResponseTime < 0 || s.SessionRate < 0 {
					t.Fatalf("inconsistent server %+v", s)
				}
			}
			if _, err := st.Load(b.Name, st); err != nil {
				t.Fatalf("Load of a parsed backend: %v", err)
			}
		}
	})
}
