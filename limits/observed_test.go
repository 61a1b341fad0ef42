// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestObservedColumns(t *testing.T) {
	// Three events of the observables (a, b, c).
	rows := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}
	d, err := ObservedColumns(rows, 3, []int{2, 0}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &Data{Dim: 2, X: []float64{3, 1, 6, 4, 9, 7}, Weight: []float64{1, 1, 1}, N: 3}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("columns (c, a): %+v, want %+v", d, want)
	}
	// A statistic of two values per event: its data, not the columns.
	stat := func(x []float64, n int) ([]float64, error) {
		out := make([]float64, 0, 2*n)
		for i := range n {
			out = append(out, x[3*i]+x[3*i+1], -x[3*i+2])
		}
		return out, nil
	}
	d, err = ObservedColumns(rows, 3, []int{0}, stat)
	if err != nil {
		t.Fatal(err)
	}
	want = &Data{Dim: 2, X: []float64{3, -3, 9, -6, 15, -9}, Weight: []float64{1, 1, 1}, N: 3}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("statistic: %+v, want %+v", d, want)
	}
	if rows[0] != 1 || rows[8] != 9 {
		t.Error("ObservedColumns modified the rows")
	}
	for _, n := range []int{0, 2} {
		if _, err := ObservedColumns(rows, n, []int{0}, nil); err == nil {
			t.Errorf("%d values for %d events accepted", len(rows), n)
		}
	}
}

func TestCheckObserved(t *testing.T) {
	names := []string{"a", "b"}
	if err := CheckObserved([]int{2, 2}, []float64{1, 2, 3, 4}, names); err != nil {
		t.Errorf("good events: %v", err)
	}
	for _, tc := range []struct {
		shape []int
		data  []float64
		want  string
	}{
		{[]int{2, 3}, make([]float64, 6), "shape (2, 3), want (n, 2)"},
		{[]int{4}, make([]float64, 4), "shape (4,)"},
		{[]int{0, 2}, nil, "with n > 0"},
		{[]int{2, 2}, []float64{1, 2, math.NaN(), 4}, "event 1: a is NaN"},
		{[]int{2, 2}, []float64{1, math.Inf(-1), 3, 4}, "event 0: b is -Inf"},
	} {
		err := CheckObserved(tc.shape, tc.data, names)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("shape %v: %v, want an error with %q", tc.shape, err, tc.want)
		}
	}
}
