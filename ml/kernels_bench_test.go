// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkGemmKernels times every kernel set's product on the shapes of
// one SALLY (50, 50) batch of 128 rows with 7 inputs in float32 (widths
// padded to 56): the hidden product and the gradients of the weights
// (transposed A) and of the layer input, and the hidden product of half
// the batch (one of two workers). It reports GFLOP/s.
func BenchmarkGemmKernels(b *testing.B) {
	shapes := []struct {
		name    string
		m, n, k int
		trans   bool
	}{
		{"forward/128x56x50", 128, 56, 50, false},
		{"forward/64x56x50", 64, 56, 50, false}, // a worker's half of the batch
		{"forward/128x56x7", 128, 56, 7, false},
		{"weights/50x56x128", 50, 56, 128, true},
		{"weights/7x56x128", 7, 56, 128, true},
		{"input/128x56x2", 128, 56, 2, false},
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, ks := range kernelSets() {
		for _, s := range shapes {
			b.Run(fmt.Sprintf("%s/%s", ks.name, s.name), func(b *testing.B) {
				sa, sp := s.k, 1
				if s.trans {
					sa, sp = 1, s.m
				}
				a := make([]float32, s.m*s.k)
				bb := make([]float32, s.k*s.n)
				c := make([]float32, s.m*s.n)
				for i := range a {
					a[i] = float32(rnd.NormFloat64())
				}
				for i := range bb {
					bb[i] = float32(rnd.NormFloat64())
				}
				for b.Loop() {
					ks.gemm32(s.m, s.n, s.k, a, sa, sp, bb, s.n, c, s.n, false)
				}
				b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkDotKernels times the forward product of a narrow output layer
// (128 rows, 50 inputs padded to 56, 2 outputs) in float32.
func BenchmarkDotKernels(b *testing.B) {
	const rows, nin, lda, nout = 128, 50, 56, 2
	rnd := rand.New(rand.NewPCG(1, 2))
	a := make([]float32, rows*lda)
	w := make([]float32, nout*lda)
	for i := range a {
		a[i] = float32(rnd.NormFloat64())
	}
	for i := range w {
		w[i] = float32(rnd.NormFloat64())
	}
	z := make([]float32, rows*nout)
	for _, ks := range kernelSets() {
		if !ks.narrow {
			continue // pads narrow layers: no dot kernel
		}
		b.Run(ks.name, func(b *testing.B) {
			for b.Loop() {
				ks.dot32(z, a, lda, w, lda, nin, nout)
			}
			b.ReportMetric(2*float64(rows*nin*nout)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
