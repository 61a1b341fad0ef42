// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/lockfile"
)

// TestLockSub: the locks of sub-folders (shards) are independent of each
// other and of the working directory's lock; a second writer of one
// sub-folder is refused naming the sub-folder and the holder; SubBusy
// sees a held lock and a free one; a sub-folder that leaves the working
// directory is refused.
func TestLockSub(t *testing.T) {
	work := t.TempDir()
	open := func() *Env {
		e := NewEnv(loadCard(t, "cards/zh.yaml"), work, nil, nil)
		t.Cleanup(func() { e.Close() })
		return e
	}
	a, b := open(), open()

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
