// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

// rowsBatch is the batch size of ReadRows.
const rowsBatch = 8192

// Shape returns the number of events, observables and weights (benchmarks)
// per event of the file.
func (ef *EventFile) Shape() (events, observables, weights int) {
	return ef.n, len(ef.h.ObservableNames), len(ef.h.Benchmarks)
}

// ReadRows calls fn for consecutive batches of the rows [start, end) of
// the file (end < 0 means N): n rows from row first, their observables x
// (n × observables, row-major) and weights w (n × benchmarks). The slices
// are reused between calls. It is Read with a fixed batch size, in the
// shape the consumers of plain slices (package limits) declare.
func (ef *EventFile) ReadRows(start, end int, fn func(first, n int, x, w []float64) error) error {
	return ef.Read(start, end, rowsBatch, func(b *Batch) error {
		return fn(b.Start, b.N, b.X[:b.N*len(ef.h.ObservableNames)], b.Weights[:b.N*len(ef.h.Benchmarks)])
	})
}
