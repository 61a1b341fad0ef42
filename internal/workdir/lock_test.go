// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workdir

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/lockfile"
)

// TestLock: a second writer of the folder, or of one sub-folder, is
// refused naming the holder, and takes the lock once it is released; the
// lock files are where LockFile and SubLockDir say.
func TestLock(t *testing.T) {
	noFlock(t)
	work := t.TempDir()
	a, b := open(t, work), open(t, work)
	for _, tc := range []struct {
		name string
		lock func(d *Dir, command string) (func() error, error)
		file string
	}{
		{"folder", func(d *Dir, cmd string) (func() error, error) { return d.Lock(cmd, false, nil) }, LockFile},
		{"sub-folder", func(d *Dir, cmd string) (func() error, error) { return d.LockSub("shards/x", cmd, false, nil) }, SubLockDir + "/shards/x.lock"},
	} {
		release, err := tc.lock(a, "the first writer")
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var held *lockfile.HeldError
		if _, err := tc.lock(b, "the second"); !errors.As(err, &held) || !strings.Contains(err.Error(), "the first writer") {
			t.Errorf("%s: a second writer: %v", tc.name, err)
		}
		if _, err := os.Stat(filepath.Join(work, filepath.FromSlash(tc.file))); err != nil {
			t.Errorf("%s: no lock file %s: %v", tc.name, tc.file, err)
		}
		if err := release(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if r, err := tc.lock(b, "the second"); err != nil {
			t.Errorf("%s: the lock after release: %v", tc.name, err)
		} else {
			r()
		}
	}
}

// TestLockSub: the locks of sub-folders (shards) are independent of each
// other and of the working directory's lock; a second writer of one
// sub-folder is refused naming the sub-folder and the holder; SubBusy
// sees a held lock and a free one; a sub-folder that leaves the working
// directory is refused.
func TestLockSub(t *testing.T) {
	noFlock(t)
	work := t.TempDir()
	a, b := open(t, work), open(t, work)

	whole, err := a.Lock("goldmine merge", false, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer whole()
	const s0, s1 = "shards/analyse/zh/0", "shards/analyse/zh/1"
	r0, err := a.LockSub(s0, "goldmine analyse --sample zh --file 0", false, nil)
	if err != nil {
		t.Fatalf("a shard's lock while the workdir's is held: %v", err)
	}
	r1, err := b.LockSub(s1, "shard 1", false, nil)
	if err != nil {
		t.Fatalf("two shards at once: %v", err)
	}
	_, err = b.LockSub(s0, "shard 0 again", false, nil)
	var held *lockfile.HeldError
	if !errors.As(err, &held) || !strings.Contains(err.Error(), filepath.Join(work, "shards", "analyse", "zh", "0")+" is in use by pid ") ||
		!strings.Contains(err.Error(), "goldmine analyse --sample zh --file 0") {
		t.Errorf("a second writer of one shard: %v", err)
	}
	if err := b.SubBusy(s0); !errors.As(err, &held) || !strings.Contains(err.Error(), "goldmine analyse --sample zh --file 0") {
		t.Errorf("SubBusy of a held shard: %v", err)
	}
	if err := r0(); err != nil {
		t.Fatal(err)
	}
	if err := b.SubBusy(s0); err != nil {
		t.Errorf("SubBusy of a released shard: %v", err)
	}
	if err := b.SubBusy("shards/never/run"); err != nil {
		t.Errorf("SubBusy of a shard that never ran: %v", err)
	}
	r0, err = b.LockSub(s0, "shard 0 again", false, nil)
	if err != nil {
		t.Fatalf("a released shard's lock: %v", err)
	}
	r0()
	r1()
	if _, err := os.Stat(filepath.Join(work, ".goldmine", "locks", "shards", "analyse", "zh", "0.lock")); err != nil {
		t.Errorf("lock file not where SubLockDir says: %v", err)
	}
	for _, bad := range []string{"", "../x", "shards/../../x", "/abs", "shards//x", "shards/.hidden", "a b"} {
		if _, err := a.LockSub(bad, "x", false, nil); err == nil {
			t.Errorf("LockSub(%q) accepted", bad)
		}
		if err := a.SubBusy(bad); err == nil {
			t.Errorf("SubBusy(%q) accepted", bad)
		}
	}
}

// TestWaitSub: WaitSub waits while another writer holds the sub-folder,
// says so once, and takes the lock when it is released; it gives up when
// the context ends.
func TestWaitSub(t *testing.T) {
	noFlock(t)
	work := t.TempDir()
	a, b := open(t, work), open(t, work)
	release, err := a.LockSub("madgraph", "first", false, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := b.WaitSub(ctx, "madgraph", "second", nil, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitSub until the context ends: %v", err)
	}
	waited := 0
	go func() {
		time.Sleep(200 * time.Millisecond)
		release()
	}()
	r, err := b.WaitSub(context.Background(), "madgraph", "second", nil, func(err error) {
		var held *lockfile.HeldError
		if !errors.As(err, &held) || !strings.Contains(err.Error(), "first") {
			t.Errorf("waiting with %v, want the holder's error", err)
		}
		waited++
	})
	if err != nil {
		t.Fatal(err)
	}
	if waited != 1 {
		t.Errorf("waiting called %d times, want 1", waited)
	}
	if err := a.SubBusy("madgraph"); err == nil {
		t.Error("SubBusy: the waiter's lock is not held")
	}
	if err := r(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "../x", "/abs"} {
		if _, err := a.WaitSub(context.Background(), bad, "x", nil, nil); err == nil {
			t.Errorf("WaitSub(%q) accepted", bad)
		}
	}
}
