// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"math/rand/v2"
	"os"
	"slices"
	"testing"
)

func TestSpillShuffled(t *testing.T) {
	dir := t.TempDir()
	const n, width = 1000, 3
	s, err := NewSpill(dir, width)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		// The extra value beyond the width must not be stored.
		if err := s.Write([]float64{float64(i), -float64(i), 0.5 * float64(i), 99}); err != nil {
			t.Fatal(err)
		}
	}
	if s.Len() != n {
		t.Fatalf("Len = %d, want %d", s.Len(), n)
	}
	for _, tc := range []struct {
		name string
		rnd  func() *rand.Rand
	}{
		{"file order", func() *rand.Rand { return nil }},
		{"shuffled", func() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The order must be rnd.Shuffle of 0…n−1, exactly.
			want := make([]int, n)
			for i := range want {
				want[i] = i
			}
			if r := tc.rnd(); r != nil {
				r.Shuffle(n, func(i, j int) { want[i], want[j] = want[j], want[i] })
			}
			var got []int
			err := s.Shuffled(tc.rnd(), func(row []float64) error {
				if len(row) != width {
					t.Fatalf("row of %d values, want %d", len(row), width)
				}
				i := int(row[0])
				if row[1] != -float64(i) || row[2] != 0.5*float64(i) {
					t.Fatalf("row %d read back as %v", i, row)
				}
				got = append(got, i)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("order %v…, want %v…", got[:5], want[:5])
			}
		})
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("spill file left behind: %v", ents)
	}
}

func TestSpillWidth(t *testing.T) {
	if _, err := NewSpill(t.TempDir(), 0); err == nil {
		t.Error("width 0 accepted")
	}
}
