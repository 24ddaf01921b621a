package state

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"
)

func TestLocalReadMissing(t *testing.T) {
	for _, content := range []*string{nil, ptr(""), ptr("  \n")} {
		path := filepath.Join(t.TempDir(), "bp.state")
		if content != nil {
			if err := os.WriteFile(path, []byte(*content), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		s, err := NewLocal(path).Read(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !s.Empty() || s.Lineage == "" || s.Serial != 0 || s.Version != FormatVersion {
			t.Errorf("Read of missing/empty state = %+v, want New()", s)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestLocalWriteRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bp.state")
	b := NewLocal(path)
	s := richState(t)
	if err := b.Write(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if s.Serial != 42 {
		t.Errorf("Write did not increment the serial: %d", s.Serial)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600: states hold secrets", fi.Mode().Perm())
	}
	got, err := NewLocal(path).Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	assertStatesEqual(t, got, s)
}

// TestLocalCreatesDirectory uses a state file whose directory does not
// exist yet: the first lock or write creates it, private to its owner.
func TestLocalCreatesDirectory(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		op   func(b *Local) error
	}{
		{name: "lock", op: func(b *Local) error {
			id, err := b.Lock(ctx, LockInfo{Operation: "test"})
			if err != nil {
				return err
			}
			if err := b.Write(ctx, New()); err != nil {
				return err
			}
			return b.Unlock(id)
		}},
		{name: "write", op: func(b *Local) error { return b.Write(ctx, New()) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "state", "prod")
			path := filepath.Join(dir, "bp.state")
			if err := tc.op(NewLocal(path)); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(dir)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o700 {
				t.Errorf("state directory mode %v, want 0700", fi.Mode().Perm())
			}
			if _, err := NewLocal(path).Read(ctx); err != nil {
				t.Errorf("the state does not read back: %v", err)
			}
		})
	}
}

func TestLocalWriteSetsLineage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bp.state")
	s := &State{}
	if err := NewLocal(path).Write(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if s.Lineage == "" || s.Serial != 1 || s.Version != FormatVersion {
		t.Errorf("after Write: %+v", s)
	}
}

func TestLocalBackupAndAtomicity(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bp.state")
	ctx := context.Background()

	// A previous command left serial 1.
	first := New()
	first.SetInstance(mustAddr(t, "t.a"), "p", obj("before"))
	if err := NewLocal(path).Write(ctx, first); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	// This command writes twice; the backup keeps the state from before it.
	b := NewLocal(path)
	s, err := b.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"during", "after"} {
		s.SetInstance(mustAddr(t, "t.a"), "p", obj(id))
		if err := b.Write(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	backup, err := os.ReadFile(path + ".backup")
	if err != nil {
		t.Fatal(err)
	}
	if string(backup) != string(before) {
		t.Errorf("backup holds\n%s\nwant the state from before the command\n%s", backup, before)
	}
	got, err := NewLocal(path).Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if idOf(got.Object(mustAddr(t, "t.a"))) != "after" || got.Serial != 3 {
		t.Errorf("state holds %s at serial %d", idOf(got.Object(mustAddr(t, "t.a"))), got.Serial)
	}

	// A failed write leaves the file and the serial alone.
	s.SetInstance(mustAddr(t, "t.b"), "p", &Object{Value: cty.UnknownVal(cty.String)})
	if err := b.Write(ctx, s); err == nil {
		t.Fatal("writing an unknown value succeeded")
	}
	if s.Serial != 3 {
		t.Errorf("failed write changed the serial to %d", s.Serial)
	}
	if got, err := NewLocal(path).Read(ctx); err != nil || got.Serial != 3 || got.Instance(mustAddr(t, "t.b")) != nil {
		t.Errorf("failed write changed the stored state: %v", err)
	}
	if err := b.Compact(); err != nil {
		t.Fatal(err)
	}
	if now, _ := os.ReadFile(path); !strings.Contains(string(now), `"after"`) || !strings.Contains(string(now), `"serial": 3,`) {
		t.Errorf("after Compact the state file holds\n%s", now)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"bp.state", "bp.state.backup"}; !slices.Equal(names, want) {
		t.Errorf("directory holds %v, want %v (temporary files left behind?)", names, want)
	}
}

func TestLocalWriteRefusesOtherStates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bp.state")
	ctx := context.Background()
	s := New()
	if err := NewLocal(path).Write(ctx, s); err != nil {
		t.Fatal(err)
	}
	b := NewLocal(path)
	if _, err := b.Read(ctx); err != nil {
		t.Fatal(err)
	}
	checkErr(t, b.Write(ctx, New()), "refusing to write state of lineage")
	stale := s.DeepCopy()
	stale.Serial = 0
	checkErr(t, b.Write(ctx, stale), "refusing to write state serial 0")
}

func TestLocalReadCorrupt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bp.state")
	if err := os.WriteFile(path, []byte(`{"version": 9}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := NewLocal(path).Read(context.Background())
	checkErr(t, err, "cannot read the state file "+path+": state file format version 9 is newer")
}

func TestLockConflict(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bp.state")
	ctx := context.Background()
	a, b := NewLocal(path), NewLocal(path)
	id, err := a.Lock(ctx, LockInfo{Operation: "apply"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Lock(ctx, NewLockInfo("plan"))
	var locked *LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("second Lock: %v, want *LockedError", err)
	}
	info := locked.Info
	host, _ := os.Hostname()
	if info.ID != id || info.Operation != "apply" || info.PID != os.Getpid() || info.Host != host ||
		!strings.HasSuffix(info.Who, "@"+host) || time.Since(info.Created) > time.Minute || info.Path != path+".lock" {
		t.Errorf("holder info %+v", info)
	}
	for _, want := range []string{info.Who, `"apply"`, "since", "bp force-unlock " + id, "pid"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	// The same backend cannot lock twice either.
	if _, err := a.Lock(ctx, NewLockInfo("apply")); !errors.As(err, &locked) {
		t.Errorf("relocking: %v", err)
	}
	checkErr(t, b.Unlock(id), "this process does not hold the lock")
	checkErr(t, a.Unlock("other"), "holds it with ID "+id)
	if err := a.Unlock(id); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".lock"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file left after Unlock: %v", err)
	}
	id2, err := b.Lock(ctx, NewLockInfo("plan"))
	if err != nil {
		t.Fatalf("Lock after Unlock: %v", err)
	}
	if err := b.Unlock(id2); err != nil {
		t.Fatal(err)
	}
}

func TestLockTimeout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bp.state")
	ctx := context.Background()
	holder := NewLocal(path)
	id, err := holder.Lock(ctx, NewLockInfo("apply"))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("expires", func(t *testing.T) {
		b := NewLocal(path)
		b.LockTimeout = 100 * time.Millisecond
		_, err := b.Lock(ctx, NewLockInfo("plan"))
		var locked *LockedError
		if !errors.As(err, &locked) || locked.Waited < 100*time.Millisecond {
			t.Fatalf("got %v, want LockedError after waiting 100ms", err)
		}
		checkErr(t, err, "gave up after waiting")
	})
	t.Run("context ends", func(t *testing.T) {
		b := NewLocal(path)
		b.LockTimeout = time.Hour
		cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		_, err := b.Lock(cctx, NewLockInfo("plan"))
		var locked *LockedError
		if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &locked) {
			t.Fatalf("got %v, want a LockedError and the context's error", err)
		}
	})
	t.Run("succeeds after unlock", func(t *testing.T) {
		b := NewLocal(path)
		b.LockTimeout = 10 * time.Second
		go func() {
			time.Sleep(200 * time.Millisecond)
			if err := holder.Unlock(id); err != nil {
				t.Error(err)
			}
		}()
		start := time.Now()
		id2, err := b.Lock(ctx, NewLockInfo("plan"))
		if err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < 150*time.Millisecond {
			t.Errorf("Lock returned after %s, before the holder unlocked", waited)
		}
		if err := b.Unlock(id2); err != nil {
			t.Fatal(err)
		}
	})
}

func TestForceUnlock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bp.state")
	ctx := context.Background()
	holder, other := NewLocal(path), NewLocal(path)
	checkErr(t, other.ForceUnlock("x"), "the state is not locked")
	id, err := holder.Lock(ctx, NewLockInfo("apply"))
	if err != nil {
		t.Fatal(err)
	}
	checkErr(t, other.ForceUnlock("wrong"), "the state is locked with ID "+id)
	if _, err := other.Lock(ctx, NewLockInfo("plan")); err == nil {
		t.Fatal("a refused force-unlock broke the lock")
	}
	if err := other.ForceUnlock(id); err != nil {
		t.Fatal(err)
	}
	id2, err := other.Lock(ctx, NewLockInfo("plan"))
	if err != nil {
		t.Fatalf("Lock after ForceUnlock: %v", err)
	}
	// The broken holder learns about it, and does not remove the new lock.
	checkErr(t, holder.Unlock(id), "was broken")
	if _, err := NewLocal(path).Lock(ctx, NewLockInfo("x")); err == nil {
		t.Fatal("the old holder's Unlock released the new lock")
	}
	// Force-unlocking one's own lock releases it.
	if err := other.ForceUnlock(id2); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".lock"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file left: %v", err)
	}
}

const holdLockEnv = "BP_STATE_TEST_HOLD_LOCK"

const crashUpdates = 30

// TestLockReleasedWhenHolderDies runs a copy of the test binary that takes
// the lock, records crashUpdates changes through Sync and then is killed
// with SIGKILL: the lock must die with it, and every change it recorded
// must be in the state.
func TestLockReleasedWhenHolderDies(t *testing.T) {
	if path := os.Getenv(holdLockEnv); path != "" {
		fail := func(err error) {
			os.Stdout.WriteString("error: " + err.Error() + "\n")
			os.Exit(1)
		}
		ctx := context.Background()
		b := NewLocal(path)
		if _, err := b.Lock(ctx, NewLockInfo("apply")); err != nil {
			fail(err)
		}
		s, err := b.Read(ctx)
		if err != nil {
			fail(err)
		}
		sy := NewSync(s, b)
		for i := range crashUpdates {
			addr := InstanceAddr{Resource: ResourceAddr{Type: "t", Name: "a"}, Key: IntKey(i)}
			if err := sy.Update(func(s *State) { s.SetInstance(addr, "p", obj(fmt.Sprint(i))) }); err != nil {
				fail(err)
			}
		}
		os.Stdout.WriteString("locked\n")
		time.Sleep(time.Minute)
		os.Exit(1)
	}

	path := filepath.Join(t.TempDir(), "bp.state")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockReleasedWhenHolderDies$")
	cmd.Env = append(os.Environ(), holdLockEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "locked\n" {
		t.Fatalf("child: %q, %v", line, err)
	}

	ctx := context.Background()
	_, err = NewLocal(path).Lock(ctx, NewLockInfo("plan"))
	var locked *LockedError
	if !errors.As(err, &locked) || locked.Info.PID != cmd.Process.Pid {
		t.Fatalf("while the child holds the lock: %v, want LockedError naming pid %d", err, cmd.Process.Pid)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	if _, err := os.Stat(path + ".journal"); err != nil {
		t.Errorf("the killed process left no journal (%v): the test no longer covers replay after a crash", err)
	}
	got, err := NewLocal(path).Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := got.InstanceCount(); n != crashUpdates {
		t.Errorf("after the crash the state holds %d instances, want all %d acknowledged", n, crashUpdates)
	}

	b := NewLocal(path)
	id, err := b.Lock(ctx, NewLockInfo("plan"))
	if err != nil {
		t.Fatalf("Lock after the holder died: %v", err)
	}
	// The stale record was replaced by ours.
	_, err = NewLocal(path).Lock(ctx, NewLockInfo("x"))
	if !errors.As(err, &locked) || locked.Info.ID != id || locked.Info.PID != os.Getpid() {
		t.Errorf("lock record after takeover: %v", err)
	}
	if err := b.Unlock(id); err != nil {
		t.Fatal(err)
	}
}
