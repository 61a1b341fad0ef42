// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"fmt"

	"github.com/goldmine-hep/goldmine/store"
)

// LoadSample reads rows [start, end) of an events file in batches into a
// Sample holding only the observables listed in columns (indices into the
// file's observables) and the first nBasis benchmark weights, multiplied by
// factor. Memory is (len(columns)+nBasis) floats per event.
func LoadSample(ef *store.EventFile, start, end int, columns []int, nBasis int, factor float64) (*Sample, error) {
	h := ef.Header()
	nObs, nW := len(h.ObservableNames), len(h.Benchmarks)
	for _, c := range columns {
		if c < 0 || c >= nObs {
			return nil, fmt.Errorf("limits: observable index %d out of range (file has %d)", c, nObs)
		}
	}
	if nBasis > nW {
		return nil, fmt.Errorf("limits: %d basis benchmarks requested, file has %d", nBasis, nW)
	}
	if end < 0 {
		end = ef.N()
	}
	s := &Sample{Dim: len(columns), NBasis: nBasis}
	err := ef.Read(start, end, 8192, func(b *store.Batch) error {
		for i := 0; i < b.N; i++ {
			for _, c := range columns {
				s.X = append(s.X, b.X[i*nObs+c])
			}
			for k := 0; k < nBasis; k++ {
				s.W = append(s.W, b.Weights[i*nW+k]*factor)
			}
		}
		s.N += b.N
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}
