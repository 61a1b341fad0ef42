// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package stage

import (
	"errors"
	"io/fs"
	"slices"
)

// Skipped is a part of a stage's result (a Fisher-information item, a
// limit scan) that was not computed.
type Skipped struct {
	Name string `json:"name"`
	// Theta is the point at which it was skipped; nil when it was skipped
	// at every point.
	Theta  []float64 `json:"theta,omitempty"`
	Reason string    `json:"reason"`
}

// Partial calls run with all parts (indices into names); if that fails,
// with each part alone, and the parts that fail alone for want of an input
// (an error wrapping fs.ErrNotExist) are skipped with their error as the
// reason. Any other error of a part alone is returned. When every part
// fails for the same reason, or there is only one part, the error of the
// first call is returned instead: what failed is then not one part (a
// missing events file, ...).
func Partial(names []string, run func(keep []int) error) ([]Skipped, error) {
	all := make([]int, len(names))
	for i := range all {
		all[i] = i
	}
	err := run(all)
	if err == nil || len(names) < 2 {
		return nil, err
	}
	var skipped []Skipped
	for i, name := range names {
		err1 := run([]int{i})
		switch {
		case err1 == nil:
		case errors.Is(err1, fs.ErrNotExist):
			skipped = append(skipped, Skipped{Name: name, Reason: err1.Error()})
		default:
			return nil, err1
		}
	}
	if len(skipped) == len(names) && sameReasons(skipped) {
		return nil, err
	}
	return skipped, nil
}

// SortParts sorts xs, the results of the parts run by Partial, which come
// in runs of the parts' order, into the order of their names in names
// (name gives a result's). Results of one part keep their order; a result
// whose name is not in names comes first.
func SortParts[T any](xs []T, names []string, name func(T) string) {
	slices.SortStableFunc(xs, func(a, b T) int {
		return slices.Index(names, name(a)) - slices.Index(names, name(b))
	})
}

// sameReasons reports whether all the skips have one reason.
func sameReasons(s []Skipped) bool {
	for _, x := range s[1:] {
		if x.Reason != s[0].Reason {
			return false
		}
	}
	return true
}

// SkippedAt sets the point of the skipped parts s and returns s.
func SkippedAt(theta []float64, s []Skipped) []Skipped {
	for i := range s {
		s[i].Theta = theta
	}
	return s
}

// Collapse merges the skips of one part with the same reason at each of
// the n points into one skip without a point; with fewer than two points
// every skip loses its point.
func Collapse(s []Skipped, n int) []Skipped {
	if n < 2 {
		for i := range s {
			s[i].Theta = nil
		}
		return s
	}
	var out []Skipped
	for i, x := range s {
		count := 0
		first := -1
		for j, y := range s {
			if y.Name == x.Name && y.Reason == x.Reason {
				count++
				if first < 0 {
					first = j
				}
			}
		}
		switch {
		case count < n:
			out = append(out, x)
		case first == i:
			out = append(out, Skipped{Name: x.Name, Reason: x.Reason})
		}
	}
	return out
}
