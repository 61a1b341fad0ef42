// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// TestBasketSizeClaims patches the key of the first Jet.PT basket to
// claim 2 GB of uncompressed payload: the claim is refused from the key
// header, before decompression would allocate it.
func TestBasketSizeClaims(t *testing.T) {
	path := repotest.Shared(t, cmsFile)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := OpenTree(path, "Delphes")
	if err != nil {
		t.Fatal(err)
	}
	seek := tr.meta.find("Jet").find("Jet.PT").BasketSeek[0]
	tr.Close()
	for _, objlen := range []uint32{0x7fffffff, 0x80000000, 200 << 20} {
		bad := slices.Clone(orig)
		// TKey: Nbytes int32, Version int16, ObjLen int32, ...
		binary.BigEndian.PutUint32(bad[seek+6:], objlen)
		p := filepath.Join(t.TempDir(), "objlen.root")
		if err := os.WriteFile(p, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r, err := Open(p, Options{})
		if err == nil {
			for r.Next() {
			}
			err = r.Err()
			r.Close()
		}
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), `"Jet.PT"`) || !strings.Contains(err.Error(), "bytes of payload stored in") {
			t.Fatalf("objlen %d: error %v", objlen, err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 100<<20 {
			t.Errorf("objlen %d: %d MB allocated", objlen, alloc>>20)
		}
		t.Logf("objlen %#x: %v", objlen, err)
	}
}
