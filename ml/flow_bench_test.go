// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"testing"
)

// BenchmarkFlowEpoch times one training epoch (one op) of the
// LikelihoodEstimator at MadMiner's defaults (5 MADEs, hidden (100,),
// tanh, batch 128, AMSGrad) on 20k samples of 7 observables and 2
// parameters, with and without batch normalisation.
func BenchmarkFlowEpoch(b *testing.B) {
	d := benchData(20000)
	for _, m := range []Method{NDE, SCANDAL} {
		for _, bn := range []bool{false, true} {
			for _, workers := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/batchnorm=%v/workers=%d", m, bn, workers), func(b *testing.B) {
					s := (&Settings{Seed: 1, Workers: workers}).WithDefaults()
					e := &LikelihoodEstimator{BatchNorm: bn}
					o, err := e.newObjective(m, d, s)
					if err != nil {
						b.Fatal(err)
					}
					s.Epochs = 1
					b.ReportAllocs()
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						if benchHistory, err = train(o, s); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
