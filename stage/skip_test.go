// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package stage

import (
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"testing"
)

// Partial skips the parts that fail for want of an input (fs.ErrNotExist)
// and returns any other error of a part: a damaged input is an error, not
// a skip.
func TestPartialSkipsOnlyMissingInputs(t *testing.T) {
	missing := fmt.Errorf("model b (run goldmine train first): %w", fs.ErrNotExist)
	damaged := errors.New("model c, which cannot be used: bad tensor")
	for _, tc := range []struct {
		name    string
		fail    map[int]error
		skipped []string
		err     error
	}{
		{"all computed", nil, nil, nil},
		{"one missing", map[int]error{1: missing}, []string{"b"}, nil},
		{"one damaged", map[int]error{2: damaged}, nil, damaged},
		{"missing and damaged", map[int]error{1: missing, 2: damaged}, nil, damaged},
		{"every part missing alike", map[int]error{0: missing, 1: missing, 2: missing}, nil, missing},
	} {
		skipped, err := Partial([]string{"a", "b", "c"}, func(keep []int) error {
			for _, k := range keep {
				if e := tc.fail[k]; e != nil {
					return e
				}
			}
			return nil
		})
		var names []string
		for _, s := range skipped {
			names = append(names, s.Name)
		}
		if !errors.Is(err, tc.err) || !reflect.DeepEqual(names, tc.skipped) {
			t.Errorf("%s: skipped %v, error %v; want %v, %v", tc.name, names, err, tc.skipped, tc.err)
		}
	}
}

// Collapse merges a part skipped for one reason at every point into one
// skip without a point, and keeps skips at some points only, or for
// different reasons, as they are.
func TestCollapse(t *testing.T) {
	a0 := SkippedAt([]float64{0}, []Skipped{{Name: "a", Reason: "r"}, {Name: "b", Reason: "r"}})
	a1 := SkippedAt([]float64{1}, []Skipped{{Name: "a", Reason: "r"}, {Name: "b", Reason: "other"}})
	got := Collapse(append(a0, a1...), 2)
	want := []Skipped{
		{Name: "a", Reason: "r"},
		{Name: "b", Theta: []float64{0}, Reason: "r"},
		{Name: "b", Theta: []float64{1}, Reason: "other"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Collapse: %+v, want %+v", got, want)
	}
	one := Collapse(SkippedAt([]float64{3}, []Skipped{{Name: "a", Reason: "r"}}), 1)
	if !reflect.DeepEqual(one, []Skipped{{Name: "a", Reason: "r"}}) {
		t.Errorf("Collapse at one point: %+v", one)
	}
}

// TestSortParts: results of the runs of Partial come back in the order
// of the parts' names, those of one part in their order.
func TestSortParts(t *testing.T) {
	type result struct{ name, value string }
	names := []string{"a", "b", "c"}
	// A run of a and c, then one of b alone, as after a skip.
	xs := []result{{"a", "1"}, {"c", "1"}, {"c", "2"}, {"b", "1"}, {"a", "2"}}
	SortParts(xs, names, func(r result) string { return r.name })
	want := []result{{"a", "1"}, {"a", "2"}, {"b", "1"}, {"c", "1"}, {"c", "2"}}
	if !slices.Equal(xs, want) {
		t.Errorf("SortParts = %v, want %v", xs, want)
	}
}
