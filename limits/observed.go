// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"fmt"
	"math"

	"github.com/goldmine-hep/goldmine/internal/npy"
)

// CheckObserved checks observed events read from an array of the given
// shape: n > 0 events (rows) of the observables names, in that order,
// every value finite.
func CheckObserved(shape []int, data []float64, names []string) error {
	if len(shape) != 2 || shape[1] != len(names) || shape[0] == 0 {
		return fmt.Errorf("limits: observed events of shape %s, want (n, %d) with n > 0, the observables in the order %v", npy.ShapeString(shape), len(names), names)
	}
	for i, v := range data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("limits: observed event %d: %s is %v", i/shape[1], names[i%shape[1]], v)
		}
	}
	return nil
}

// ObservedColumns returns the data set of the n observed events rows
// (row-major, every observable of an event in a row) that a scan uses,
// each of unit multiplicity (Observed): the columns cols of each row, in
// that order, or, when stat is not nil, the summary statistic
// stat(rows, n) of the events (ScanSpec.Statistic, such as the estimated
// score of a score-based scan), whose dimension is its length over n.
func ObservedColumns(rows []float64, n int, cols []int, stat func(x []float64, n int) ([]float64, error)) (*Data, error) {
	if n <= 0 || len(rows)%n != 0 {
		return nil, fmt.Errorf("limits: %d observed values for %d events", len(rows), n)
	}
	if stat != nil {
		t, err := stat(rows, n)
		if err != nil {
			return nil, err
		}
		return Observed(t, len(t)/n), nil
	}
	nObs := len(rows) / n
	x := make([]float64, 0, n*len(cols))
	for i := 0; i < n; i++ {
		for _, k := range cols {
			x = append(x, rows[i*nObs+k])
		}
	}
	return Observed(x, len(cols)), nil
}
