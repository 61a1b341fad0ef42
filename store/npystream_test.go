// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

func TestNPYWriterAndFile(t *testing.T) {
	dir := t.TempDir()
	py := pythonH5py()
	type check struct {
		path  string
		dtype string
		shape []int
		sum   float64
	}
	var checks []check
	for _, tc := range []struct {
		name     string
		rowShape []int
		rows     int
		f32      bool
	}{
		{"scalars", nil, 1000, false},
		{"rows", []int{3}, 777, false},
		{"rows32", []int{3}, 777, true},
		{"blocks", []int{2, 5}, 41, false},
		{"none", []int{4}, 0, false},
	} {
		path := filepath.Join(dir, tc.name+".npy")
		w, err := CreateNPY(path, tc.rowShape, tc.f32)
		if err != nil {
			t.Fatal(err)
		}
		rowLen := 1
		for _, d := range tc.rowShape {
			rowLen *= d
		}
		var want []float64
		for i := 0; i < tc.rows; i++ {
			row := make([]float64, rowLen)
			for j := range row {
				row[j] = float64(i)*0.5 - float64(j)/3
				if tc.f32 {
					row[j] = float64(float32(row[j]))
				}
			}
			want = append(want, row...)
			if err := w.Write(row...); err != nil {
				t.Fatal(err)
			}
		}
		if w.Rows() != tc.rows {
			t.Errorf("%s: Rows() = %d, want %d", tc.name, w.Rows(), tc.rows)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		wantShape := append([]int{tc.rows}, tc.rowShape...)
		shape, data, err := ReadNPY(path)
		if err != nil {
			t.Fatal(err)
		}
		if !sameShape(shape, wantShape...) || !equalFloats(data, want) {
			t.Errorf("%s: ReadNPY gives shape %v and %d values, want %v and %d", tc.name, shape, len(data), wantShape, len(want))
		}
		nf, err := OpenNPY(path)
		if err != nil {
			t.Fatal(err)
		}
		if nf.Rows() != tc.rows || nf.RowLen() != rowLen || !sameShape(nf.Shape(), wantShape...) {
			t.Errorf("%s: OpenNPY rows %d, row length %d, shape %v", tc.name, nf.Rows(), nf.RowLen(), nf.Shape())
		}
		var buf []float64
		for start := 0; start < tc.rows; start += 100 {
			n := min(100, tc.rows-start)
			if buf, err = nf.ReadRows(buf, start, n); err != nil {
				t.Fatal(err)
			}
			if !equalFloats(buf, want[start*rowLen:(start+n)*rowLen]) {
				t.Errorf("%s: rows [%d, %d) differ", tc.name, start, start+n)
			}
		}
		if _, err := nf.ReadRows(buf, tc.rows, 1); err == nil {
			t.Errorf("%s: reading past the end succeeded", tc.name)
		}
		nf.Close()
		var sum float64
		for _, v := range want {
			sum += v
		}
		checks = append(checks, check{path, map[bool]string{false: "<f8", true: "<f4"}[tc.f32], wantShape, sum})
	}
	if py != "" {
		var paths []string
		for _, c := range checks {
			paths = append(paths, c.path)
		}
		for i, got := range numpyLoad(t, py, paths) {
			c := checks[i]
			if got.Dtype != c.dtype || !sameShape(got.Shape, c.shape...) || math.Abs(got.Sum-c.sum) > 1e-9*(1+math.Abs(c.sum)) {
				t.Errorf("%s: numpy sees %s %v sum %v, want %s %v sum %v", c.path, got.Dtype, got.Shape, got.Sum, c.dtype, c.shape, c.sum)
			}
		}
	}

	// Incomplete rows and Abort leave nothing behind.
	w, err := CreateNPY(filepath.Join(dir, "partial.npy"), []int{3}, false)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(1, 2, 3, 4)
	if err := w.Close(); err == nil || !strings.Contains(err.Error(), "whole number of rows") {
		t.Errorf("Close with a partial row: %v", err)
	}
	w, err = CreateNPY(filepath.Join(dir, "aborted.npy"), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(1, 2, 3)
	w.Abort()
	for _, e := range repotest.DirNames(t, dir) {
		if strings.Contains(e, "partial") || strings.Contains(e, "aborted") {
			t.Errorf("%s left behind", e)
		}
	}
}
