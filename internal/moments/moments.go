// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package moments

import "math"

// MeanStd returns the mean of x and its sample standard deviation,
// sqrt(Σ(x−mean)²/(n−1)), computed in two passes. The standard deviation
// is 0 for fewer than two values; the mean of no values is NaN.
//
// gonum's stat.MeanStdDev computes the same quantities but sums with
// floats.Sum and a compensation term, so its last digits can differ, and
// its standard deviation of one value is NaN.
func MeanStd(x []float64) (mean, std float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if len(x) < 2 {
		return mean, 0
	}
	for _, v := range x {
		std += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / float64(len(x)-1))
}
