// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"fmt"
	"sync/atomic"
)

// Batch is a run of consecutive events handed out by a Source.
// Its slices are owned by the Source and valid only during the callback.
type Batch struct {
	Start int       // index of the first event in the file
	Len   int       // number of events
	X     []float64 // observables, Len×NumObservables, row-major
	W     []float64 // benchmark weights, Len×NumWeights, row-major, in pb per event

	// SamplingIDs holds, per event, the index of the benchmark the event was
	// generated at (−1 for background events), as MadMiner's
	// samples/sampling_benchmarks. It may be nil when the Source has a single
	// sample.
	SamplingIDs []int
}

// Source streams weighted events. store's event files implement it through
// a thin adapter; MemSource holds events in memory.
type Source interface {
	NumEvents() int
	NumObservables() int
	NumWeights() int

	// Read calls fn for consecutive batches of at most batch events covering
	// the events [start, end) in file order, and stops at the first error.
	Read(start, end, batch int, fn func(*Batch) error) error
}

// MemSource is a Source over events held in memory.
type MemSource struct {
	X           [][]float64
	W           [][]float64
	SamplingIDs []int // may be nil
}

// NumEvents returns the number of events.
func (m *MemSource) NumEvents() int { return len(m.W) }

// NumObservables returns the number of observables.
func (m *MemSource) NumObservables() int {
	if len(m.X) == 0 {
		return 0
	}
	return len(m.X[0])
}

// NumWeights returns the number of weights per event.
func (m *MemSource) NumWeights() int {
	if len(m.W) == 0 {
		return 0
	}
	return len(m.W[0])
}

// Read implements Source.
func (m *MemSource) Read(start, end, batch int, fn func(*Batch) error) error {
	if start < 0 || end > len(m.W) || start > end {
		return fmt.Errorf("sampling: event range [%d, %d) outside [0, %d)", start, end, len(m.W))
	}
	if len(m.X) != len(m.W) {
		return fmt.Errorf("sampling: %d observation rows but %d weight rows", len(m.X), len(m.W))
	}
	if batch <= 0 {
		batch = 4096
	}
	no, nw := m.NumObservables(), m.NumWeights()
	var b Batch
	for s := start; s < end; s += batch {
		e := min(s+batch, end)
		b.Start, b.Len = s, e-s
		b.X, b.W = b.X[:0], b.W[:0]
		for i := s; i < e; i++ {
			if len(m.X[i]) != no || len(m.W[i]) != nw {
				return fmt.Errorf("sampling: event %d has %d observables and %d weights, want %d and %d", i, len(m.X[i]), len(m.W[i]), no, nw)
			}
			b.X = append(b.X, m.X[i]...)
			b.W = append(b.W, m.W[i]...)
		}
		b.SamplingIDs = nil
		if m.SamplingIDs != nil {
			b.SamplingIDs = m.SamplingIDs[s:e]
		}
		if err := fn(&b); err != nil {
			return err
		}
	}
	return nil
}

// CountingSource wraps a Source and counts the events it reads, so that
// callers (and tests) can check how often a file was traversed.
type CountingSource struct {
	Source
	events atomic.Int64
	reads  atomic.Int64
}

// Read implements Source and counts the events delivered.
func (c *CountingSource) Read(start, end, batch int, fn func(*Batch) error) error {
	c.reads.Add(1)
	return c.Source.Read(start, end, batch, func(b *Batch) error {
		c.events.Add(int64(b.Len))
		return fn(b)
	})
}

// EventsRead returns the number of events delivered so far.
func (c *CountingSource) EventsRead() int64 { return c.events.Load() }

// Reads returns the number of calls to Read so far.
func (c *CountingSource) Reads() int64 { return c.reads.Load() }
