// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lockfile

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// twoWriters returns two roots on one temporary folder, the folder of
// two writers; it skips the test where nothing is locked.
func twoWriters(t *testing.T) (r, r2 *os.Root, dir string) {
	t.Helper()
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no flock")
	}
	r, dir = openRoot(t)
	r2, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r2.Close() })
	return r, r2, dir
}

// TestAcquireSub: the locks of sub-folders (shards) are independent of
// each other and of the folder's own lock; a second writer of one
// sub-folder is refused naming the sub-folder and the holder; SubBusy
// sees a held lock and a free one; a sub-folder that leaves the folder is
// refused.
func TestAcquireSub(t *testing.T) {
	r, r2, dir := twoWriters(t)
	whole, err := Acquire(r, name, &Options{Command: "goldmine merge"})
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Release()
	const s0, s1 = "shards/analyse/zh/0", "shards/analyse/zh/1"
	l0, err := AcquireSub(r, s0, &Options{Command: "goldmine analyse --sample zh --file 0", What: "ignored"})
	if err != nil {
		t.Fatalf("a shard's lock while the folder's is held: %v", err)
	}
	l1, err := AcquireSub(r2, s1, &Options{Command: "shard 1"})
	if err != nil {
		t.Fatalf("two shards at once: %v", err)
	}
	_, err = AcquireSub(r2, s0, &Options{Command: "shard 0 again"})
	var held *HeldError
	if !errors.As(err, &held) || !strings.Contains(err.Error(), filepath.Join(dir, "shards", "analyse", "zh", "0")+" is in use by pid ") ||
		!strings.Contains(err.Error(), "goldmine analyse --sample zh --file 0") {
		t.Errorf("a second writer of one shard: %v", err)
	}
	err = SubBusy(r2, s0)
	if !errors.As(err, &held) || !strings.Contains(err.Error(), "goldmine analyse --sample zh --file 0") ||
		held.Path != filepath.Join(dir, ".goldmine", "locks", "shards", "analyse", "zh", "0.lock") {
		t.Errorf("SubBusy of a held shard: %v", err)
	}
	if err := l0.Release(); err != nil {
		t.Fatal(err)
	}
	if err := SubBusy(r2, s0); err != nil {
		t.Errorf("SubBusy of a released shard: %v", err)
	}
	if err := SubBusy(r2, "shards/never/run"); err != nil {
		t.Errorf("SubBusy of a shard that never ran: %v", err)
	}
	l0, err = AcquireSub(r2, s0, &Options{Command: "shard 0 again"})
	if err != nil {
		t.Fatalf("a released shard's lock: %v", err)
	}
	l0.Release()
	l1.Release()
	if _, err := os.Stat(filepath.Join(dir, ".goldmine", "locks", "shards", "analyse", "zh", "0.lock")); err != nil {
		t.Errorf("lock file not where SubDir says: %v", err)
	}
	for _, bad := range []string{"", "../x", "shards/../../x", "/abs", "shards//x", "shards/.hidden", "a b", "x/"} {
		if _, err := AcquireSub(r, bad, nil); err == nil {
			t.Errorf("AcquireSub(%q) accepted", bad)
		}
		if err := SubBusy(r, bad); err == nil {
			t.Errorf("SubBusy(%q) accepted", bad)
		}
	}
}

// TestWait: Wait tries again while the lock is held, says so once, and
// returns the lock once it is free; it stops with the context, and at
// once on an error other than a held lock.
func TestWait(t *testing.T) {
	r, r2, _ := twoWriters(t)
	holder, err := AcquireSub(r, "madgraph", &Options{Command: "first"})
	if err != nil {
		t.Fatal(err)
	}
	acquire := func() (*Lock, error) { return AcquireSub(r2, "madgraph", &Options{Command: "second"}) }
	var said []string
	tries := 0
	got, err := Wait(context.Background(), time.Millisecond, func() (*Lock, error) {
		tries++
		if tries == 3 {
			holder.Release()
		}
		return acquire()
	}, func(err error) { said = append(said, err.Error()) })
	if err != nil {
		t.Fatal(err)
	}
	got.Release()
	if tries != 3 || len(said) != 1 || !strings.Contains(said[0], "first") {
		t.Errorf("%d tries, told %q; want 3 tries, told once of the holder", tries, said)
	}

	holder, err = AcquireSub(r, "madgraph", &Options{Command: "first"})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Release()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := Wait(ctx, time.Millisecond, acquire, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting past the deadline: %v", err)
	}
	boom := errors.New("boom")
	tries = 0
	if _, err := Wait(context.Background(), time.Millisecond, func() (*Lock, error) { tries++; return nil, boom }, nil); !errors.Is(err, boom) || tries != 1 {
		t.Errorf("another error after %d tries: %v, want boom after 1", tries, err)
	}
}
