package powerdns

import (
	"reflect"
	"strings"
	"testing"
)

func TestLUARoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		rec  luaRecord
		want string
	}{
		{"failover port", luaRecord{Type: "A", Records: []string{"192.0.2.1", "192.0.2.2"}, Routing: routing{Policy: policyFailover, CheckPort: 80}},
			`A "ifportup(80, {'192.0.2.1', '192.0.2.2'}, {selector='all', backupSelector='all'})"`},
		{"failover url", luaRecord{Type: "AAAA", Records: []string{"2001:db8::1"}, Routing: routing{Policy: policyFailover, CheckURL: "http://x.test/h"}},
			`AAAA "ifurlup('http://x.test/h', {{'2001:db8::1'}}, {selector='all', backupSelector='all'})"`},
		{"failover url secondary", luaRecord{Type: "A", Records: []string{"192.0.2.1"}, Routing: routing{Policy: policyFailover, CheckURL: "https://x.test:8443/h?x=1", Secondary: []string{"192.0.2.2"}}},
			`A "ifurlup('https://x.test:8443/h?x=1', {{'192.0.2.1'}, {'192.0.2.2'}}, {selector='all', backupSelector='all'})"`},
		{"weighted", luaRecord{Type: "A", Records: []string{"192.0.2.1", "192.0.2.2"}, Routing: routing{Policy: policyWeighted, Weights: []int64{3, 1}}},
			`A "pickwrandom({{3, '192.0.2.1'}, {1, '192.0.2.2'}})"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := luaContent(tc.rec)
			if got != tc.want {
				t.Fatalf("luaContent = %s\nwant        %s", got, tc.want)
			}
			back, err := parseLUA(got)
			if err != nil {
				t.Fatalf("parseLUA: %v", err)
			}
			if !reflect.DeepEqual(back, tc.rec) {
				t.Errorf("parseLUA = %+v, want %+v", back, tc.rec)
			}
			if !sameRouting(back, tc.rec) {
				t.Errorf("sameRouting of a round trip is false")
			}
		})
	}
}

func TestParseLUARejects(t *testing.T) {
	for _, tc := range []struct{ name, content, wantErr string }{
		{"other type", `TXT "ifportup(80, {'a'}, {selector='all', backupSelector='all'})"`, "does not answer for A or AAAA"},
		{"unquoted", `A ifportup(80, {'192.0.2.1'})`, "not a quoted expression"},
		{"other function", `A "pickrandom({'192.0.2.1'})"`, "calls pickrandom"},
		{"other options", `A "ifportup(80, {'192.0.2.1'}, {selector='random'})"`, "not in the form"},
		{"no options", `A "ifportup(80, {'192.0.2.1'})"`, "takes a port"},
		{"script", `A ";return '192.0.2.1'"`, "expected a function name"},
		{"trailing", `A "ifportup(80, {'192.0.2.1'}, {selector='all', backupSelector='all'}) .. 'x'"`, "unexpected text"},
		{"three sets", `A "ifurlup('http://x', {{'192.0.2.1'}, {'192.0.2.2'}, {'192.0.2.3'}}, {selector='all', backupSelector='all'})"`, "3 address sets"},
		{"deep", `A "ifportup(80, ` + strings.Repeat("{", 50) + `"`, "nested too deeply"},
		{"bad weight pair", `A "pickwrandom({{'192.0.2.1', 3}})"`, "pairs"},
		{"huge number", `A "ifportup(99999999999999999999, {'192.0.2.1'}, {})"`, "out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseLUA(tc.content)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parseLUA(%s) error = %v, want one containing %q", tc.content, err, tc.wantErr)
			}
		})
	}
}

func TestSameRouting(t *testing.T) {
	a := luaRecord{Type: "A", Records: []string{"192.0.2.1", "192.0.2.2"}, Routing: routing{Policy: policyWeighted}}
	b := luaRecord{Type: "A", Records: []string{"192.0.2.2", "192.0.2.1"}, Routing: routing{Policy: policyWeighted, Weights: []int64{1, 1}}}
	c := luaRecord{Type: "A", Records: []string{"192.0.2.2", "192.0.2.1"}, Routing: routing{Policy: policyWeighted, Weights: []int64{2, 1}}}
	d := luaRecord{Type: "A", Records: []string{"192.0.2.1", "192.0.2.2"}, Routing: routing{Policy: policyFailover, CheckPort: 80}}
	for _, tc := range []struct {
		name string
		x, y luaRecord
		want bool
	}{
		{"default weights equal explicit ones, in any order", a, b, true},
		{"a weight differs", a, c, false},
		{"policy differs", a, d, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := sameRouting(tc.x, tc.y); got != tc.want {
				t.Errorf("sameRouting = %v, want %v", got, tc.want)
			}
		})
	}
}

// FuzzParseLUA checks that reading LUA records from the API never panics
// and that whatever it accepts is written back unchanged.
func FuzzParseLUA(f *testing.F) {
	f.Add(`A "ifportup(80, {'192.0.2.1', '192.0.2.2'}, {selector='all', backupSelector='all'})"`)
	f.Add(`AAAA "ifurlup('http://x.test/h', {{'2001:db8::1'}, {'2001:db8::2'}}, {selector='all', backupSelector='all'})"`)
	f.Add(`A "pickwrandom({{3, '192.0.2.1'}, {1, '192.0.2.2'}})"`)
	f.Add(`A "ifportup(80, {{{{{{{{{{{{`)
	f.Add(`A "f(x=1, {a={b={}}})"`)
	f.Fuzz(func(t *testing.T, content string) {
		rec, err := parseLUA(content)
		if err != nil {
			return
		}
		if got := luaContent(rec); got != strings.TrimSpace(content) {
			t.Fatalf("accepted %q but writes it back as %q", content, got)
		}
	})
}
