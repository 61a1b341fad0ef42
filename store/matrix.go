// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/internal/npy"
)

// ReadMatrix reads an .npy array as a matrix (a vector becomes a column)
// of at least one row and cols columns (cols < 0: any number). The shape is
// checked before the data is used, and an error names the file and the
// shape expected.
func ReadMatrix(path string, cols int) (*mat.Dense, error) {
	want := "(n, k) or (n,)"
	if cols == 1 {
		want = "(n,) or (n, 1)"
	} else if cols > 1 {
		want = fmt.Sprintf("(n, %d)", cols)
	}
	shape, data, err := ReadNPY(path)
	if err != nil {
		return nil, err
	}
	if len(shape) != 1 && len(shape) != 2 {
		return nil, fmt.Errorf("store: %s: array of shape %s, want %s", path, npy.ShapeString(shape), want)
	}
	r, c := shape[0], 1
	if len(shape) == 2 {
		c = shape[1]
	}
	switch {
	case r == 0:
		return nil, fmt.Errorf("store: %s: array of shape %s has no rows, want %s with n > 0", path, npy.ShapeString(shape), want)
	case c == 0 || (cols >= 0 && c != cols) || (cols > 1 && len(shape) == 1):
		return nil, fmt.Errorf("store: %s: array of shape %s, want %s", path, npy.ShapeString(shape), want)
	}
	for i, v := range data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("store: %s: row %d, column %d is %v", path, i/c, i%c, v)
		}
	}
	return mat.NewDense(r, c, data), nil
}
