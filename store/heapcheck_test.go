// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestLocalHeapClaim is the regression test of the input FuzzHDF5 found:
// an events file (and a setup file) one of whose local heaps claims
// 8589938688 bytes (one bit flipped in its 4096) made the HDF5 library
// allocate 8 GB in Open. It is now a one-line error naming the file, the
// heap and both numbers, at once and with a small allocation.
func TestLocalHeapClaim(t *testing.T) {
	dir := t.TempDir()
	events := filepath.Join(dir, "events.h5")
	writeTestEvents(t, events, 20)
	setup := filepath.Join(dir, "setup.h5")
	if err := WriteSetup(setup, &testHeader().Setup); err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{events, setup} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		p := bytes.LastIndex(b, []byte("HEAP\x00\x00\x00\x00"))
		if p < 0 {
			t.Fatalf("%s has no local heap", src)
		}
		binary.LittleEndian.PutUint64(b[p+8:], 8589938688)
		bad := filepath.Join(dir, "bad-"+filepath.Base(src))
		if err := os.WriteFile(bad, b, 0o644); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("store: %s: local heap at byte %d claims 8589938688 bytes of data at byte", bad, p)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, err1 := ReadSetup(bad)
		_, err2 := OpenEvents(bad)
		took := time.Since(start)
		runtime.ReadMemStats(&after)
		for _, err := range []error{err1, err2} {
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), fmt.Sprintf("the file's %d bytes", len(b))) {
				t.Errorf("%v, want %q", err, want)
			}
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; took > time.Second || alloc > 10<<20 {
			t.Errorf("%v and %d MB to refuse", took, alloc>>20)
		}
	}
}

// TestCheckLocalHeapsBlocks puts a local heap header at offsets around the
// scan's block boundary (64 kB) and at the end of the file: a claim beyond
// the file is found wherever the header lies, one within it passes.
func TestCheckLocalHeapsBlocks(t *testing.T) {
	const size = 3<<16 + 100
	head := 8 + 2*8 + 8
	for _, at := range []int{100, 1<<16 - head, 1<<16 - head + 1, 1<<16 - 5, 1<<16 - 4, 1 << 16, 2<<16 - 7, size - head} {
		for _, seg := range []uint64{4096, size} {
			b := make([]byte, size)
			copy(b, "\x89HDF\r\n\x1a\n")
			b[8], b[13], b[14] = 0, 8, 8
			copy(b[at:], "HEAP\x00\x00\x00\x00")
			binary.LittleEndian.PutUint64(b[at+8:], seg)
			binary.LittleEndian.PutUint64(b[at+24:], 80)
			path := filepath.Join(t.TempDir(), "f.h5")
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			err := checkLocalHeaps(path, size)
			if bad := seg == size; bad != (err != nil) || (bad && !strings.Contains(err.Error(), fmt.Sprintf("local heap at byte %d claims %d bytes", at, seg))) {
				t.Errorf("header at %d claiming %d: %v", at, seg, err)
			}
		}
	}
}
