package state

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/google/uuid"
)

// DefaultPath is the state file used when a blueprint's backend block does
// not name one.
const DefaultPath = "bp.state"

// Local is the Backend that keeps the state in a file.
//
// Next to the state file live `<path>.lock`, which exists while a command
// holds the lock and records the holder as JSON; `<path>.backup`, the state
// as it was before this Local first wrote it (so after a whole `bp apply`,
// the backup is the state from before the apply, not from before its last
// resource); and while a command runs, `<path>.journal`, which records
// small changes durably without rewriting the whole file (see journal.go).
// Unlock folds the journal into the state file, so between commands the
// state file alone is the state. A missing directory of the state file is
// created, private to its owner, by the first Lock or Write.
//
// The lock is an advisory OS file lock (flock) on the lock file, held from
// Lock to Unlock. The kernel drops it when the holding process dies, so a
// crash never leaves the state locked; the stale record left behind is
// overwritten by the next holder.
type Local struct {
	// Path is the state file.
	Path string
	// LockTimeout is how long Lock keeps retrying while another process
	// holds the lock. Zero fails at once.
	LockTimeout time.Duration

	mu       sync.Mutex
	held     *os.File // the lock file while this Local holds the lock
	heldInfo LockInfo
	enc      encoder
	backedUp bool
	// lineage and serial of the state last read or written, to refuse
	// overwriting another lineage or a newer state.
	lineage string
	serial  uint64

	// What the state file and journal hold: last is a snapshot of the last
	// state written, and writtenOutputs its encoded outputs. journaling is
	// false until this Local has written the whole state (it only appends
	// to a journal it started itself) and after a failed append.
	last           *State
	writtenOutputs []byte
	journaling     bool
	baseSize       int
	journal        *os.File
	journalSize    int
}

// NewLocal returns a Local backend for the state file at path (DefaultPath
// when empty).
func NewLocal(path string) *Local {
	if path == "" {
		path = DefaultPath
	}
	return &Local{Path: path}
}

func (l *Local) lockPath() string    { return l.Path + ".lock" }
func (l *Local) backupPath() string  { return l.Path + ".backup" }
func (l *Local) journalPath() string { return l.Path + ".journal" }

// Read returns the state in the file with its journal applied, or New()
// when the file does not exist or is empty.
func (l *Local) Read(ctx context.Context) (*State, error) {
	data, err := os.ReadFile(l.Path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(bytes.TrimSpace(data)) == 0) {
		return New(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the state: %w", err)
	}
	s, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("cannot read the state file %s: %w", l.Path, err)
	}
	journal, err := os.ReadFile(l.journalPath())
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("cannot read the state journal: %w", err)
	}
	if err := replayJournal(s, journal, l.journalPath()); err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.lineage, l.serial = s.Lineage, s.Serial
	l.mu.Unlock()
	return s, nil
}

// Write stores s atomically and durably. A whole write writes a temporary
// file in the same directory, syncs it, renames it over the state file and
// syncs the directory; before its first whole write, a Local keeps the
// existing file as `<path>.backup`. Later writes append the resources that
// changed to the journal instead, until the journal outgrows the state file.
func (l *Local) Write(ctx context.Context, s *State) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s.Lineage == "" {
		s.Lineage = uuid.NewString()
	}
	if l.lineage != "" && s.Lineage != l.lineage {
		return fmt.Errorf("refusing to write state of lineage %s over %s, which holds lineage %s: they are different states (was the state file replaced?)", s.Lineage, l.Path, l.lineage)
	}
	if s.Serial < l.serial {
		return fmt.Errorf("refusing to write state serial %d over %s, which holds the newer serial %d: another command changed the state; read it again", s.Serial, l.Path, l.serial)
	}
	oldSerial, oldVersion := s.Serial, s.Version
	s.Serial++
	s.Version = FormatVersion
	err := l.write(s)
	if err != nil {
		s.Serial, s.Version = oldSerial, oldVersion
		return err
	}
	l.lineage, l.serial = s.Lineage, s.Serial
	return nil
}

func (l *Local) write(s *State) error {
	outputs, err := encodeOutputs(s.Outputs)
	if err != nil {
		return fmt.Errorf("cannot write the state: %w", err)
	}
	// The journal records resources and outputs; a new host key (rare: a
	// host's first contact) rewrites the file.
	if l.journaling && sameHostKeys(s, l.last) {
		record, err := l.enc.journalRecordBytes(s, l.last, outputs, l.writtenOutputs)
		if err != nil {
			return fmt.Errorf("cannot write the state: %w", err)
		}
		if l.journalSize+len(record) <= l.baseSize {
			l.journal, err = appendJournal(l.journal, l.journalPath(), record)
			if err != nil {
				// The journal may end in a partial record now: the next
				// write replaces the state file and the journal.
				l.journaling = false
				return fmt.Errorf("cannot write the state journal: %w", err)
			}
			l.journalSize += len(record)
			l.writtenOutputs = outputs
			l.last = s.snapshot()
			return nil
		}
	}
	return l.rewrite(s, outputs)
}

// rewrite writes the whole state file and drops the journal.
func (l *Local) rewrite(s *State, outputs []byte) error {
	data, err := l.enc.encode(s)
	if err != nil {
		return fmt.Errorf("cannot write the state: %w", err)
	}
	if !l.backedUp {
		if err := l.backup(); err != nil {
			return err
		}
		l.backedUp = true
	}
	if err := ensureDir(l.Path); err != nil {
		return err
	}
	if err := writeFileAtomic(l.Path, data); err != nil {
		return err
	}
	// The new state file holds everything; a journal left behind (even by
	// a crash before this remove) only holds older serials.
	if l.journal != nil {
		l.journal.Close()
		l.journal = nil
	}
	if err := os.Remove(l.journalPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("cannot remove the folded state journal: %w", err)
	}
	l.baseSize, l.journalSize = len(data), 0
	l.journaling = true
	l.writtenOutputs = outputs
	l.last = s.snapshot()
	return nil
}

// Compact folds the journal, if any, into the state file. Unlock does it;
// call it directly when writing without the lock.
func (l *Local) Compact() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.compact()
}

func (l *Local) compact() error {
	if l.journalSize == 0 && l.journal == nil {
		return nil
	}
	return l.rewrite(l.last, l.writtenOutputs)
}

// backup copies the current state file, if any, to the backup path.
func (l *Local) backup() error {
	data, err := os.ReadFile(l.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot back up the state: %w", err)
	}
	if err := writeFileAtomic(l.backupPath(), data); err != nil {
		return fmt.Errorf("cannot back up the state: %w", err)
	}
	return nil
}

// writeFileAtomic replaces path with data so that path holds either the old
// or the new content after a crash, and the new content once it returns.
// The file is private to its owner: states hold secrets.
func writeFileAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err = syncDir(dir); err != nil {
		return fmt.Errorf("cannot write %s: syncing its directory: %w", path, err)
	}
	return nil
}

// ensureDir creates the directory path is in, and its missing parents,
// private to the owner (states hold secrets), and makes their creation
// durable. An existing directory is left as it is.
func ensureDir(path string) error {
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		return nil // there, or a problem the write itself reports better
	}
	top := dir // the topmost directory to create
	for {
		parent := filepath.Dir(top)
		if _, err := os.Stat(parent); parent == top || err == nil {
			break
		}
		top = parent
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create the state directory: %w", err)
	}
	if err := syncDir(filepath.Dir(top)); err != nil {
		return fmt.Errorf("cannot create the state directory %s: syncing its parent: %w", dir, err)
	}
	return nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	// Some file systems cannot sync directories; they have nothing to sync.
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}

// Lock takes the state lock for info.Operation, filling in the fields of
// info that describe this process and generating an ID if it has none.
// While another process (or another Local on the same path) holds the lock,
// it retries until LockTimeout expires or ctx ends, then returns a
// *LockedError.
func (l *Local) Lock(ctx context.Context, info LockInfo) (string, error) {
	l.mu.Lock()
	if l.held != nil {
		held := l.heldInfo
		l.mu.Unlock()
		return "", &LockedError{Info: held}
	}
	l.mu.Unlock()

	info.fill()
	info.Path = l.lockPath()
	if err := ensureDir(info.Path); err != nil {
		return "", err
	}
	record, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return "", err
	}
	start := time.Now()
	delay := 10 * time.Millisecond
	for {
		f, err := tryLockFile(info.Path, record)
		if err == nil {
			l.mu.Lock()
			l.held, l.heldInfo = f, info
			l.mu.Unlock()
			return info.ID, nil
		}
		var locked *LockedError
		if !errors.As(err, &locked) || l.LockTimeout <= 0 {
			return "", err
		}
		waited := time.Since(start)
		if waited >= l.LockTimeout {
			locked.Waited = waited
			return "", locked
		}
		t := time.NewTimer(min(delay, l.LockTimeout-waited))
		select {
		case <-ctx.Done():
			t.Stop()
			locked.Waited = time.Since(start)
			return "", fmt.Errorf("%w (stopped waiting: %w)", locked, ctx.Err())
		case <-t.C:
		}
		delay = min(2*delay, 500*time.Millisecond)
	}
}

// tryLockFile opens and locks the lock file at path without waiting and
// records the holder in it.
func tryLockFile(path string, record []byte) (*os.File, error) {
	for attempt := 0; ; attempt++ {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("cannot lock the state: %w", err)
		}
		err = tryFlock(f)
		if err == errLockBusy {
			holder, rerr := readHolder(f)
			f.Close()
			holder.Path = path
			return nil, &LockedError{Info: holder, Err: rerr}
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", path, err)
		}
		// Between our open and flock, the holder may have unlocked and
		// removed the file: we then locked a file nobody else will open.
		if !isCurrentFile(f, path) {
			f.Close()
			if attempt < 100 {
				continue
			}
			return nil, fmt.Errorf("cannot lock %s: the lock file keeps being replaced", path)
		}
		if err := f.Truncate(0); err == nil {
			_, err = f.WriteAt(record, 0)
			if err == nil {
				err = f.Sync()
			}
		}
		if err != nil {
			removeIfCurrent(f, path)
			f.Close()
			return nil, fmt.Errorf("cannot record the lock holder in %s: %w", path, err)
		}
		return f, nil
	}
}

var errLockBusy = errors.New("lock busy")

// readHolder reads the holder record from a lock file. The holder writes it
// just after taking the lock, so an empty or partial record is retried
// briefly.
func readHolder(f *os.File) (LockInfo, error) {
	var info LockInfo
	var err error
	for range 5 {
		var data []byte
		data, err = io.ReadAll(io.NewSectionReader(f, 0, 1<<20))
		if err == nil {
			if err = json.Unmarshal(data, &info); err == nil {
				return info, nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return LockInfo{}, fmt.Errorf("unreadable lock record: %w", err)
}

// isCurrentFile reports whether f is still the file at path.
func isCurrentFile(f *os.File, path string) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	pi, err := os.Stat(path)
	return err == nil && os.SameFile(fi, pi)
}

// removeIfCurrent removes path if it still is f, so that a lock file made
// by a newer holder is never removed.
func removeIfCurrent(f *os.File, path string) bool {
	if !isCurrentFile(f, path) {
		return false
	}
	return os.Remove(path) == nil
}

// Unlock folds the journal into the state file, then releases the lock
// this Local took with ID id and removes the lock file. The lock is released
// even when folding fails; the journal then stays, and Read still applies
// it.
func (l *Local) Unlock(id string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held == nil {
		return fmt.Errorf("cannot unlock the state with ID %s: this process does not hold the lock", id)
	}
	if id != l.heldInfo.ID {
		return fmt.Errorf("cannot unlock the state with ID %s: this process holds it with ID %s", id, l.heldInfo.ID)
	}
	return l.compactAndRelease()
}

func (l *Local) compactAndRelease() error {
	err := l.compact()
	if err != nil {
		err = fmt.Errorf("the state is safe in %s and %s, but folding them failed: %w", l.Path, l.journalPath(), err)
	}
	return errors.Join(err, l.release())
}

// release removes the lock file and closes it, which drops the flock. The
// lock file is removed while still locked so that nobody can lock the old
// file after we let go of it.
func (l *Local) release() error {
	var err error
	if !removeIfCurrent(l.held, l.lockPath()) {
		err = fmt.Errorf("the state lock %s was broken (bp force-unlock) while this process held it: another command may have changed the state since", l.heldInfo.ID)
	}
	l.held.Close()
	l.held = nil
	l.heldInfo = LockInfo{}
	return err
}

// ForceUnlock removes the lock recorded with ID id, whoever holds it. It
// refuses when id is not the recorded holder's ID. A process that still
// holds the broken lock keeps running, unaware: use this only when the
// holder is gone.
func (l *Local) ForceUnlock(id string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held != nil && l.heldInfo.ID == id {
		return l.compactAndRelease()
	}
	path := l.lockPath()
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("cannot force-unlock %s: the state is not locked (there is no %s)", id, path)
	}
	if err != nil {
		return fmt.Errorf("cannot force-unlock %s: %w", id, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	var holder LockInfo
	if err == nil {
		err = json.Unmarshal(data, &holder)
	}
	if err != nil {
		return fmt.Errorf("cannot force-unlock %s: the lock file %s is unreadable (%v); if no bp process is running, delete it", id, path, err)
	}
	if holder.ID != id {
		return fmt.Errorf("cannot force-unlock %s: the state is locked with ID %s by %s (pid %d) since %s; pass that ID if you are sure that process is gone",
			id, holder.ID, holder.Who, holder.PID, holder.Created.Local().Format(time.RFC3339))
	}
	if !removeIfCurrent(f, path) {
		return fmt.Errorf("cannot force-unlock %s: the lock changed hands while unlocking; look again", id)
	}
	return nil
}

var _ Backend = (*Local)(nil)
