package powerdns

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Routing policies of a dns_record's routing block.
const (
	policyFailover = "failover"
	policyWeighted = "weighted"
)

// routing is a dns_record's routing block: how PowerDNS chooses among the
// record's addresses at query time. It is realized as a LUA record.
type routing struct {
	// Policy is policyFailover or policyWeighted.
	Policy string
	// CheckPort, when not zero, health-checks failover addresses by opening
	// a TCP connection to this port (ifportup).
	CheckPort int64
	// CheckURL, when not empty, health-checks failover addresses by fetching
	// this URL from each of them (ifurlup).
	CheckURL string
	// Secondary addresses of a failover with CheckURL are answered only when
	// every address of the record is down.
	Secondary []string
	// Weights of a weighted record, one per address; nil means equal weights.
	Weights []int64
}

// luaRecord is one record of a LUA RRset as the provider writes it: the
// type it answers for, the addresses and the routing that picks among them.
type luaRecord struct {
	Type    string
	Records []string
	Routing routing
}

// luaOptions selects every healthy address (not one at random), and every
// address when none is healthy: clients get all live targets, and a total
// outage degrades to plain round robin rather than to no answer.
const luaOptions = "{selector='all', backupSelector='all'}"

// luaContent returns the content of the LUA record realizing r: the type it
// answers for and a Lua expression in double quotes. Addresses and URLs are
// validated before they get here; they contain no quotes or backslashes.
func luaContent(r luaRecord) string {
	var expr string
	switch r.Routing.Policy {
	case policyFailover:
		if r.Routing.CheckURL != "" {
			sets := luaList(r.Records)
			if len(r.Routing.Secondary) > 0 {
				sets += ", " + luaList(r.Routing.Secondary)
			}
			expr = fmt.Sprintf("ifurlup(%s, {%s}, %s)", luaString(r.Routing.CheckURL), sets, luaOptions)
		} else {
			expr = fmt.Sprintf("ifportup(%d, %s, %s)", r.Routing.CheckPort, luaList(r.Records), luaOptions)
		}
	case policyWeighted:
		pairs := make([]string, len(r.Records))
		for i, addr := range r.Records {
			pairs[i] = fmt.Sprintf("{%d, %s}", weightAt(r.Routing.Weights, i), luaString(addr))
		}
		expr = "pickwrandom({" + strings.Join(pairs, ", ") + "})"
	}
	return r.Type + ` "` + expr + `"`
}

// weightAt returns the weight of the i-th address: 1 when no weights are set.
func weightAt(weights []int64, i int) int64 {
	if i < len(weights) {
		return weights[i]
	}
	return 1
}

func luaString(s string) string { return "'" + s + "'" }

func luaList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = luaString(s)
	}
	return "{" + strings.Join(quoted, ", ") + "}"
}

// parseLUA reads back a LUA record written by luaContent. It fails for any
// other content, including a LUA record edited by hand into a form the
// routing block cannot express, so that such a record shows as drift rather
// than being silently misread.
func parseLUA(content string) (luaRecord, error) {
	typ, code, ok := strings.Cut(strings.TrimSpace(content), " ")
	if !ok || typ != "A" && typ != "AAAA" {
		return luaRecord{}, fmt.Errorf("LUA record %q does not answer for A or AAAA", oneLine(content))
	}
	code = strings.TrimSpace(code)
	if len(code) < 2 || code[0] != '"' || code[len(code)-1] != '"' {
		return luaRecord{}, fmt.Errorf("LUA record code is not a quoted expression")
	}
	call, err := parseLuaCall(code[1 : len(code)-1])
	if err != nil {
		return luaRecord{}, err
	}
	rec := luaRecord{Type: typ}
	switch call.name {
	case "ifportup":
		if len(call.args) != 3 || call.args[0].kind != luaKindNumber {
			return luaRecord{}, fmt.Errorf("ifportup takes a port, addresses and options")
		}
		rec.Routing = routing{Policy: policyFailover, CheckPort: call.args[0].num}
		if rec.Records, err = call.args[1].strings(); err != nil {
			return luaRecord{}, err
		}
	case "ifurlup":
		if len(call.args) != 3 || call.args[0].kind != luaKindString || call.args[1].kind != luaKindTable {
			return luaRecord{}, fmt.Errorf("ifurlup takes a URL, address sets and options")
		}
		rec.Routing = routing{Policy: policyFailover, CheckURL: call.args[0].str}
		sets := call.args[1].items
		if len(sets) == 0 || len(sets) > 2 {
			return luaRecord{}, fmt.Errorf("ifurlup has %d address sets; the provider writes one or two", len(sets))
		}
		if rec.Records, err = sets[0].strings(); err != nil {
			return luaRecord{}, err
		}
		if len(sets) == 2 {
			if rec.Routing.Secondary, err = sets[1].strings(); err != nil {
				return luaRecord{}, err
			}
		}
	case "pickwrandom":
		if len(call.args) != 1 || call.args[0].kind != luaKindTable {
			return luaRecord{}, fmt.Errorf("pickwrandom takes one table of {weight, address} pairs")
		}
		rec.Routing = routing{Policy: policyWeighted}
		for _, pair := range call.args[0].items {
			if pair.kind != luaKindTable || len(pair.items) != 2 || pair.items[0].kind != luaKindNumber || pair.items[1].kind != luaKindString {
				return luaRecord{}, fmt.Errorf("pickwrandom entries must be {weight, 'address'} pairs")
			}
			rec.Routing.Weights = append(rec.Routing.Weights, pair.items[0].num)
			rec.Records = append(rec.Records, pair.items[1].str)
		}
	default:
		return luaRecord{}, fmt.Errorf("LUA record calls %s, which the routing block does not write", call.name)
	}
	if got := luaContent(rec); got != strings.TrimSpace(content) {
		return luaRecord{}, fmt.Errorf("LUA record %q is not in the form the routing block writes", oneLine(content))
	}
	return rec, nil
}

// sameRouting reports whether two routed records answer the same way: the
// same policy, check, and addresses with their weights, in any order.
func sameRouting(a, b luaRecord) bool {
	ra, rb := a.Routing, b.Routing
	if a.Type != b.Type || ra.Policy != rb.Policy || ra.CheckPort != rb.CheckPort || ra.CheckURL != rb.CheckURL {
		return false
	}
	if ra.Policy == policyWeighted {
		return slices.Equal(weightedPairs(a), weightedPairs(b))
	}
	return sameContents(a.Type, a.Records, b.Records) && sameContents(a.Type, ra.Secondary, rb.Secondary)
}

// weightedPairs returns "canonical-address weight" strings of r, sorted.
func weightedPairs(r luaRecord) []string {
	out := make([]string, len(r.Records))
	for i, addr := range r.Records {
		out[i] = canonicalContent(r.Type, addr) + " " + strconv.FormatInt(weightAt(r.Routing.Weights, i), 10)
	}
	slices.Sort(out)
	return out
}

// The Lua subset of the expressions luaContent writes: a call whose
// arguments are integers, single-quoted strings and table constructors of
// those (positional items, or name=value fields).

type luaKind int

const (
	luaKindNumber luaKind = iota + 1
	luaKindString
	luaKindTable
)

type luaValue struct {
	kind   luaKind
	num    int64
	str    string
	items  []luaValue
	fields map[string]luaValue
}

// strings returns a table of strings as a Go slice.
func (v luaValue) strings() ([]string, error) {
	if v.kind != luaKindTable || len(v.fields) > 0 {
		return nil, fmt.Errorf("expected a table of addresses")
	}
	out := make([]string, len(v.items))
	for i, it := range v.items {
		if it.kind != luaKindString {
			return nil, fmt.Errorf("expected a table of quoted addresses")
		}
		out[i] = it.str
	}
	return out, nil
}

type luaCall struct {
	name string
	args []luaValue
}

// luaParser reads the Lua subset; pos indexes src.
type luaParser struct {
	src   string
	pos   int
	depth int
}

// maxLuaDepth bounds table nesting so hostile input cannot exhaust the stack.
const maxLuaDepth = 8

func parseLuaCall(src string) (luaCall, error) {
	p := &luaParser{src: src}
	name := p.ident()
	if name == "" {
		return luaCall{}, p.errorf("expected a function name")
	}
	if !p.accept('(') {
		return luaCall{}, p.errorf("expected ( after %s", name)
	}
	call := luaCall{name: name}
	if !p.accept(')') {
		for {
			v, err := p.value()
			if err != nil {
				return luaCall{}, err
			}
			call.args = append(call.args, v)
			if p.accept(')') {
				break
			}
			if !p.accept(',') {
				return luaCall{}, p.errorf("expected , or ) in the arguments of %s", name)
			}
		}
	}
	p.skipSpace()
	if p.pos != len(p.src) {
		return luaCall{}, p.errorf("unexpected text after the call")
	}
	return call, nil
}

func (p *luaParser) errorf(format string, args ...any) error {
	return fmt.Errorf("LUA expression, offset %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *luaParser) skipSpace() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n') {
		p.pos++
	}
}

// accept consumes c, after spaces, if it is next.
func (p *luaParser) accept(c byte) bool {
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

func (p *luaParser) ident() string {
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || p.pos > start && c >= '0' && c <= '9' {
			p.pos++
			continue
		}
		break
	}
	return p.src[start:p.pos]
}

func (p *luaParser) value() (luaValue, error) {
	p.skipSpace()
	if p.pos == len(p.src) {
		return luaValue{}, p.errorf("unexpected end of the expression")
	}
	switch c := p.src[p.pos]; {
	case c == '\'':
		end := strings.IndexByte(p.src[p.pos+1:], '\'')
		if end < 0 {
			return luaValue{}, p.errorf("unterminated string")
		}
		s := p.src[p.pos+1 : p.pos+1+end]
		if strings.ContainsAny(s, `\"`) {
			return luaValue{}, p.errorf("string with escapes or double quotes")
		}
		p.pos += end + 2
		return luaValue{kind: luaKindString, str: s}, nil
	case c >= '0' && c <= '9':
		start := p.pos
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
		}
		n, err := strconv.ParseInt(p.src[start:p.pos], 10, 64)
		if err != nil {
			return luaValue{}, p.errorf("number %s out of range", p.src[start:p.pos])
		}
		return luaValue{kind: luaKindNumber, num: n}, nil
	case c == '{':
		return p.table()
	default:
		return luaValue{}, p.errorf("unexpected %q", c)
	}
}

func (p *luaParser) table() (luaValue, error) {
	if p.depth >= maxLuaDepth {
		return luaValue{}, p.errorf("tables nested too deeply")
	}
	p.depth++
	defer func() { p.depth-- }()
	p.pos++ // the '{'
	t := luaValue{kind: luaKindTable}
	if p.accept('}') {
		return t, nil
	}
	for {
		p.skipSpace()
		save := p.pos
		if name := p.ident(); name != "" && p.accept('=') {
			v, err := p.value()
			if err != nil {
				return luaValue{}, err
			}
			if t.fields == nil {
				t.fields = map[string]luaValue{}
			}
			t.fields[name] = v
		} else {
			p.pos = save
			v, err := p.value()
			if err != nil {
				return luaValue{}, err
			}
			t.items = append(t.items, v)
		}
		if p.accept('}') {
			return t, nil
		}
		if !p.accept(',') {
			return luaValue{}, p.errorf("expected , or } in a table")
		}
	}
}
