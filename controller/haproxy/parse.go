package haproxy

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Entity types of the CSV's type column.
const (
	typeFrontend = "0"
	typeBackend  = "1"
	typeServer   = "2"
	typeListener = "3"
)

// ParseCSV reads HAProxy's statistics CSV: a header line "# pxname,svname,…"
// then one line per frontend, backend, server and listener. Columns are
// found by name, so the figures of any HAProxy version that has them are
// read; absent or empty columns read as zero. Listener lines are skipped.
// The returned Stats has a zero At.
func ParseCSV(r io.Reader) (*Stats, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("HAProxy stats CSV is empty; expected a header line starting with \"# pxname,svname\"")
	}
	if err != nil {
		return nil, fmt.Errorf("HAProxy stats CSV header: %w", err)
	}
	cols, err := columnsOf(header)
	if err != nil {
		return nil, err
	}
	st := &Stats{}
	backendAt := map[string]int{}
	backend := func(name string) *Backend {
		i, ok := backendAt[name]
		if !ok {
			i = len(st.Backends)
			backendAt[name] = i
			st.Backends = append(st.Backends, Backend{Name: name})
		}
		return &st.Backends[i]
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return st, nil
		}
		if err != nil {
			return nil, fmt.Errorf("HAProxy stats CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		row := row{cols: cols, rec: rec, line: line}
		px, sv := row.str("pxname"), row.str("svname")
		switch row.kind() {
		case typeFrontend:
			f := Frontend{Name: px, Status: row.str("status")}
			f.Sessions = row.int("scur")
			f.SessionRate = row.float("rate")
			f.RequestRate = row.float("req_rate")
			f.RequestsTotal = row.int("req_tot")
			st.Frontends = append(st.Frontends, f)
		case typeBackend:
			b := backend(px)
			b.Status = row.str("status")
			b.Sessions = row.int("scur")
			b.SessionRate = row.float("rate")
			b.RequestsTotal = row.requests()
			b.ResponseTime = row.millis("rtime")
		case typeServer:
			s := Server{Name: sv, RawStatus: row.str("status"), Address: row.str("addr")}
			s.Status = parseStatus(s.RawStatus)
			s.Weight = row.int("weight")
			s.Sessions = row.int("scur")
			s.SessionRate = row.float("rate")
			s.RequestsTotal = row.requests()
			s.ResponseTime = row.millis("rtime")
			s.CheckStatus = row.str("check_status")
			b := backend(px)
			b.Servers = append(b.Servers, s)
		}
		if row.err != nil {
			return nil, row.err
		}
	}
}

// columnsOf maps column names to positions.
func columnsOf(header []string) (map[string]int, error) {
	if len(header) < 2 || !strings.HasPrefix(header[0], "#") {
		return nil, errors.New("not HAProxy stats CSV: the first line must be the header \"# pxname,svname,…\"; check that the URL ends in \";csv\"")
	}
	cols := make(map[string]int, len(header))
	for i, name := range header {
		if i == 0 {
			name = strings.TrimSpace(strings.TrimPrefix(name, "#"))
		}
		if _, dup := cols[name]; name != "" && !dup {
			cols[name] = i
		}
	}
	if _, ok := cols["pxname"]; !ok {
		return nil, errors.New("not HAProxy stats CSV: the header has no pxname column")
	}
	if _, ok := cols["svname"]; !ok {
		return nil, errors.New("not HAProxy stats CSV: the header has no svname column")
	}
	return cols, nil
}

// row reads named fields of one record, keeping the first error.
type row struct {
	cols map[string]int
	rec  []string
	line int
	err  error
}

func (r *row) str(col string) string {
	i, ok := r.cols[col]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return r.rec[i]
}

// kind is the entity type, from the type column or, on versions without
// it, from svname.
func (r *row) kind() string {
	if t := r.str("type"); t != "" {
		return t
	}
	switch r.str("svname") {
	case "FRONTEND":
		return typeFrontend
	case "BACKEND":
		return typeBackend
	default:
		return typeServer
	}
}

func (r *row) int(col string) int64 {
	s := r.str(col)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		r.fail(col, s)
	}
	return n
}

func (r *row) float(col string) float64 {
	s := r.str(col)
	if s == "" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f >= 0) || math.IsInf(f, 0) {
		r.fail(col, s)
		return 0
	}
	return f
}

func (r *row) millis(col string) time.Duration {
	n := r.int(col)
	if n < 0 || n > int64(time.Duration(1<<62)/time.Millisecond) {
		r.fail(col, r.str(col))
		return 0
	}
	return time.Duration(n) * time.Millisecond
}

// requests is req_tot where HAProxy counts HTTP requests, stot (sessions)
// where it does not (TCP mode).
func (r *row) requests() int64 {
	if r.str("req_tot") != "" {
		return r.int("req_tot")
	}
	return r.int("stot")
}

func (r *row) fail(col, value string) {
	if r.err == nil {
		r.err = fmt.Errorf("HAProxy stats CSV line %d (%s/%s): column %s is %q, not a count; is this output of a supported HAProxy version?",
			r.line, r.str("pxname"), r.str("svname"), col, value)
	}
}
