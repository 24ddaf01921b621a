package state

// The local backend's journal.
//
// Rewriting a large state file after every change would make an apply of
// thousands of resources spend its time writing megabytes. So after its
// first whole write, Local records the resources that changed since the
// previous write as one line appended to `<path>.journal` and synced; the
// journal is folded into the state file (a whole write, after which the
// journal is removed) when it outgrows the state file and when the lock is
// released. Read applies the journal to the state file, so what Read
// returns is always the last state written.
//
// Each line is a JSON object:
//
//	{"lineage": "…", "serial": 8,
//	 "set": [<resource, as in the state file's "resources", with only the
//	          instances that changed>, …],
//	 "removed": ["machine.old[2]", …],          // instance addresses
//	 "outputs": {<as in the state file>}}       // present when they changed
//
// Lines whose serial is not above the state file's were folded into it
// already and are skipped. A last line without its newline was being written
// when the process died; its Write never returned, so it is ignored.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

type journalRecord struct {
	Lineage string                 `json:"lineage"`
	Serial  uint64                 `json:"serial"`
	Set     []resourceJSON         `json:"set,omitempty"`
	Removed []string               `json:"removed,omitempty"`
	Outputs map[string]*outputJSON `json:"outputs,omitempty"`
}

// journalRecordBytes returns the journal line that turns written, the
// state the files hold, with the encoded outputs writtenOutputs, into s.
// It costs what changed between them when s shares its maps with written
// (as a Sync's successive snapshots do), whatever the size of the state.
func (e *encoder) journalRecordBytes(s, written *State, outputs, writtenOutputs []byte) ([]byte, error) {
	type setPart struct {
		addr ResourceAddr
		json []byte
	}
	var set []setPart
	var removed []string
	var err error
	pmapDiff(&written.resources, &s.resources, func(addr ResourceAddr, w *Resource, inWritten bool, r *Resource, inS bool) {
		if err != nil {
			return
		}
		if !inS {
			for k := range w.instances.Keys() {
				removed = append(removed, addr.Instance(k).String())
			}
			return
		}
		if inWritten && w.gen == r.gen {
			return
		}
		var keys []InstanceKey
		if inWritten {
			pmapDiff(&w.instances, &r.instances, func(k InstanceKey, wi *Instance, inW bool, ri *Instance, inR bool) {
				switch {
				case !inR:
					removed = append(removed, addr.Instance(k).String())
				case !inW || wi.gen != ri.gen:
					keys = append(keys, k)
				}
			})
		} else {
			keys = slices.Collect(r.instances.Keys())
		}
		if len(keys) == 0 && inWritten && w.Provider == r.Provider {
			return
		}
		slices.SortFunc(keys, CompareKeys)
		var indented, compact bytes.Buffer
		if err = e.writeResource(&indented, r, keys); err != nil {
			return
		}
		if err = json.Compact(&compact, indented.Bytes()); err != nil {
			return
		}
		set = append(set, setPart{addr, compact.Bytes()})
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(set, func(a, b setPart) int { return CompareResourceAddrs(a.addr, b.addr) })
	slices.Sort(removed)

	var b bytes.Buffer
	fmt.Fprintf(&b, `{"lineage":%s,"serial":%d`, jsonString(s.Lineage), s.Serial)
	if len(set) > 0 {
		b.WriteString(`,"set":[`)
		for i, part := range set {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(part.json)
		}
		b.WriteString(`]`)
	}
	if len(removed) > 0 {
		r, _ := json.Marshal(removed) // strings always marshal
		b.WriteString(`,"removed":`)
		b.Write(r)
	}
	if !bytes.Equal(outputs, writtenOutputs) {
		b.WriteString(`,"outputs":`)
		if err := json.Compact(&b, outputs); err != nil {
			return nil, err
		}
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// appendJournal appends one record to the journal at path and syncs it.
// f is the journal this process opened before, or nil.
func appendJournal(f *os.File, path string, record []byte) (*os.File, error) {
	if f == nil {
		var err error
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_APPEND, 0o600)
		if err != nil {
			return nil, err
		}
		if err := syncDir(filepath.Dir(path)); err != nil {
			f.Close()
			return nil, err
		}
	}
	if _, err := f.Write(record); err != nil {
		return f, err
	}
	return f, f.Sync()
}

// replayJournal applies the journal data to s, which was read from the
// state file next to it.
func replayJournal(s *State, data []byte, path string) error {
	lines := bytes.Split(data, []byte("\n"))
	// The last element is empty when the journal ends with a newline, and
	// otherwise a record cut short by a crash.
	for i, line := range lines[:len(lines)-1] {
		if err := s.applyJournalLine(line); err != nil {
			return fmt.Errorf("the state journal %s is damaged at line %d: %w; if the state file alone is right, delete the journal", path, i+1, err)
		}
	}
	return nil
}

func (s *State) applyJournalLine(line []byte) error {
	var rec journalRecord
	if err := json.Unmarshal(line, &rec); err != nil {
		return err
	}
	if rec.Lineage != s.Lineage {
		return fmt.Errorf("it belongs to state lineage %s, but the state file is lineage %s", rec.Lineage, s.Lineage)
	}
	if rec.Serial <= s.Serial {
		return nil
	}
	for i := range rec.Set {
		if err := s.decodeResource(&rec.Set[i], true); err != nil {
			return fmt.Errorf("set[%d]: %w", i, err)
		}
	}
	for _, a := range rec.Removed {
		addr, err := ParseInstanceAddr(a)
		if err != nil {
			return err
		}
		s.RemoveInstance(addr)
	}
	if rec.Outputs != nil {
		s.Outputs = make(map[string]*Output, len(rec.Outputs))
		for name, o := range rec.Outputs {
			out, err := decodeOutput(o)
			if err != nil {
				return fmt.Errorf("output %q: %w", name, err)
			}
			s.Outputs[name] = out
		}
	}
	s.Serial = rec.Serial
	return nil
}
