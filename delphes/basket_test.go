// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"encoding/binary"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"go-hep.org/x/hep/groot/riofs"
	"go-hep.org/x/hep/groot/rmeta"
	"go-hep.org/x/hep/groot/rtree"
)

// TestManyBaskets exercises the basket machinery (basket lookup, loading,
// entry offset arrays, fixed-size entries, compression) on a tree written
// by groot with tiny baskets: the shared Delphes files hold one basket
// per branch. The tree's metadata is decoded by readTreeMeta, which thus
// also meets groot's way of writing TTree objects.
func TestManyBaskets(t *testing.T) {
	const nevts = 3000
	path := filepath.Join(t.TempDir(), "baskets.root")
	rnd := rand.New(rand.NewPCG(7, 11))
	type data struct {
		N   int32
		Sli []float32
		X   float64
	}
	want := make([]data, nevts)
	for i := range want {
		n := rnd.IntN(6)
		want[i].N = int32(n)
		want[i].X = rnd.NormFloat64()
		for range n {
			want[i].Sli = append(want[i].Sli, float32(rnd.NormFloat64()*100))
		}
	}
	for _, opt := range []rtree.WriteOption{rtree.WithZlib(1), rtree.WithoutCompression()} {
		func() {
			f, err := riofs.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var ev data
			w, err := rtree.NewWriter(f, "t", []rtree.WriteVar{
				{Name: "N", Value: &ev.N},
				{Name: "Sli", Value: &ev.Sli, Count: "N"},
				{Name: "X", Value: &ev.X},
			}, rtree.WithBasketSize(512), opt)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range want {
				ev = d
				if _, err := w.Write(); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
		}()

		tr, err := OpenTree(path, "t")
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		if tr.Entries() != nevts {
			t.Fatalf("%d entries, want %d", tr.Entries(), nevts)
		}
		col := func(name string, kind rmeta.Enum) *column {
			b := tr.meta.find(name)
			if b == nil {
				t.Fatalf("no branch %s", name)
			}
			if b.WriteBasket < 5 {
				t.Fatalf("branch %s has %d baskets: the test needs many", name, b.WriteBasket)
			}
			c, err := tr.newColumn(b, kind)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		nc, sc, xc := col("N", rmeta.Int), col("Sli", rmeta.Float), col("X", rmeta.Double)
		check := func(i int64) {
			raw, err := nc.entry(i, 1, nil)
			if err != nil {
				t.Fatal(err)
			}
			n := int(int32(binary.BigEndian.Uint32(raw)))
			if n != int(want[i].N) {
				t.Fatalf("entry %d: N=%d, want %d", i, n, want[i].N)
			}
			if _, err := sc.entry(i, n, nc); err != nil {
				t.Fatal(err)
			}
			for j := range n {
				if got := sc.float64(j); got != float64(want[i].Sli[j]) {
					t.Fatalf("entry %d: Sli[%d]=%v, want %v", i, j, got, want[i].Sli[j])
				}
			}
			if _, err := xc.entry(i, 1, nil); err != nil {
				t.Fatal(err)
			}
			if got := xc.float64(0); got != want[i].X {
				t.Fatalf("entry %d: X=%v, want %v", i, got, want[i].X)
			}
		}
		for i := range int64(nevts) {
			check(i)
		}
		// groot writes entry offsets for the variable-length branch only.
		if sc.offs == nil || nc.offs != nil || xc.offs != nil {
			t.Errorf("entry offset arrays: Sli %v, N %v, X %v; want only Sli's", sc.offs != nil, nc.offs != nil, xc.offs != nil)
		}
		for range 500 {
			check(rnd.Int64N(nevts))
		}
		// Without offset arrays, entries are located with the counts.
		sc = col("Sli", rmeta.Float)
		sc.noOffsets = true
		for i := range int64(nevts) {
			check(i)
		}
		for range 200 {
			check(rnd.Int64N(nevts))
		}
		if _, err := nc.entry(nevts, 1, nil); err == nil {
			t.Error("entry past the end: no error")
		}
		tr.Close()
	}
}
