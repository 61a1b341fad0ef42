// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/simulators"
)

// Simulated returns a sample of kind k drawn from a simulator at the
// points thetas as a Result to Write. Every simulated event is
// independent: the effective number of events is the sample size. Plain
// and test samples keep no score.
func Simulated(name string, k Kind, p partition.Partition, s *simulators.Sample, thetas [][]float64) *Result {
	res := &Result{Name: name, Kind: k, Partition: p, N: s.N, NObs: s.NObs, NParams: s.NParams, NTheta: s.NParams, NScore: s.NParams,
		X: s.X, Theta0: s.Theta0, Theta1: s.Theta1, Y: s.Y, RXZ: s.RXZ, TXZ0: s.TXZ0, TXZ1: s.TXZ1}
	if k == Plain || k == TestSample {
		res.TXZ0 = nil
	}
	pt := PointReport{Benchmark: -1, Closest: -1, NEff: float64(s.N), Draws: s.N}
	if len(thetas) == 1 {
		pt.Theta = thetas[0]
	}
	res.Points = []PointReport{pt}
	return res
}
