// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package repotest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func TestRoot(t *testing.T) {
	root := Root(t)
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("Root %s holds no go.mod: %v", root, err)
	}
	// The test runs in internal/repotest, two levels below the root.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Dir(filepath.Dir(wd)); root != want {
		t.Errorf("Root = %s, want %s", root, want)
	}
}

// recordTB records Skipf and Fatalf instead of stopping the test.
type recordTB struct {
	testing.TB
	skipped, failed bool
}

func (r *recordTB) Skipf(string, ...any)  { r.skipped = true }
func (r *recordTB) Fatalf(string, ...any) { r.failed = true }

func TestRequireShared(t *testing.T) {
	for _, tc := range []struct {
		env                string
		wantSkip, wantFail bool
	}{
		{"", true, false},
		{"0", true, false},
		{"1", false, true},
	} {
		t.Setenv(RequireSharedEnv, tc.env)
		r := &recordTB{TB: t}
		Shared(r, "no/such/file.h5")
		if r.skipped != tc.wantSkip || r.failed != tc.wantFail {
			t.Errorf("%s=%q: skipped %v failed %v, want %v %v", RequireSharedEnv, tc.env, r.skipped, r.failed, tc.wantSkip, tc.wantFail)
		}
	}
}

func TestBundledZH(t *testing.T) {
	if _, err := os.Stat(BundledZH(t)); err != nil {
		t.Error(err)
	}
}

func TestSharedMissingSkips(t *testing.T) {
	t.Setenv(RequireSharedEnv, "")
	var skipped bool
	var msg string
	t.Run("missing", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		Shared(t, "no/such/file.h5")
		msg = "not skipped"
	})
	if !skipped || msg != "" {
		t.Errorf("Shared of a missing file: skipped=%v (%s)", skipped, msg)
	}
}

func TestSharedExisting(t *testing.T) {
	want := filepath.Join(Root(t), "..", "shared")
	if _, err := os.Stat(want); err != nil {
		t.Skipf("shared folder %s absent: %v", want, err)
	}
	if got := Shared(t, ""); got != want {
		t.Errorf(`Shared("") = %s, want %s`, got, want)
	}
	// A file that exists in the shared folder, whatever it is.
	ents, err := os.ReadDir(want)
	if err != nil || len(ents) == 0 {
		t.Skipf("shared folder %s empty or unreadable: %v", want, err)
	}
	name := ents[0].Name()
	if got := Shared(t, "./"+name); got != filepath.Join(want, name) {
		t.Errorf("Shared(%q) = %s, want %s", name, got, filepath.Join(want, name))
	}
}

// TestPeakHeap: the peak covers a large allocation that f holds while
// the sampler reads.
func TestPeakHeap(t *testing.T) {
	const size = 32 << 20
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var keep []byte
	peak := PeakHeap(time.Millisecond, func() {
		keep = make([]byte, size)
		for i := range keep {
			keep[i] = 1
		}
		time.Sleep(20 * time.Millisecond)
	})
	if peak < before.HeapInuse+size/2 {
		t.Errorf("peak HeapInuse %d MiB while holding %d MiB (%d MiB before)", peak>>20, size>>20, before.HeapInuse>>20)
	}
	runtime.KeepAlive(keep)
}
