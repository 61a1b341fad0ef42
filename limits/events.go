// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"fmt"
	"math"

	"github.com/goldmine-hep/goldmine/limits/fisher"
)

// EventReader reads the rows of a weighted event file in batches
// (fisher.EventReader). It is implemented by *store.EventFile.
type EventReader = fisher.EventReader

// SampleSpec selects what LoadSample reads.
type SampleSpec struct {
	// Start and End bound the rows [Start, End); End < 0 means all.
	Start, End int
	// Columns lists the observables kept (indices into the file's).
	Columns []int
	// Statistic, if not nil, replaces the observables of each batch of n
	// events (all observables, row-major) with a summary statistic such as
	// an estimated score, n rows of the same width; Columns is then
	// ignored.
	Statistic func(x []float64, n int) ([]float64, error)
	// NBasis is the number of basis benchmark weights kept (the first of
	// the file's).
	NBasis int
	// Factor multiplies the weights (a partition's correction); 0 means 1.
	Factor float64
}

// LoadSample reads events of r in batches into a Sample holding the
// selected observables (or statistic) and the first NBasis weights times
// Factor. Memory is (columns + NBasis) floats per event.
func LoadSample(r EventReader, spec SampleSpec) (*Sample, error) {
	_, nObs, nW := r.Shape()
	if spec.Statistic == nil {
		for _, c := range spec.Columns {
			if c < 0 || c >= nObs {
				return nil, fmt.Errorf("limits: observable index %d out of range (file has %d)", c, nObs)
			}
		}
	}
	if spec.NBasis > nW {
		return nil, fmt.Errorf("limits: %d basis benchmarks requested, file has %d", spec.NBasis, nW)
	}
	factor := spec.Factor
	if factor == 0 {
		factor = 1
	}
	s := &Sample{Dim: len(spec.Columns), NBasis: spec.NBasis}
	err := r.ReadRows(spec.Start, spec.End, func(first, n int, x, w []float64) error {
		if spec.Statistic != nil {
			t, err := spec.Statistic(x, n)
			if err != nil {
				return fmt.Errorf("events %d–%d: %w", first, first+n, err)
			}
			if n > 0 {
				s.Dim = len(t) / n
			}
			s.X = append(s.X, t...)
		} else {
			for i := 0; i < n; i++ {
				for _, c := range spec.Columns {
					s.X = append(s.X, x[i*nObs+c])
				}
			}
		}
		for i := 0; i < n; i++ {
			for k := 0; k < spec.NBasis; k++ {
				s.W = append(s.W, w[i*nW+k]*factor)
			}
		}
		s.N += n
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s.N == 0 {
		return nil, fmt.Errorf("limits: no events in rows [%d, %d)", spec.Start, spec.End)
	}
	return s, nil
}

// NuisanceBenchmarks locates, among the weights of an event file, the
// reference weight and the +1σ and −1σ weights of each nuisance
// parameter (Down[k] is −1 for a one-sided variation).
type NuisanceBenchmarks struct {
	Ref      int
	Up, Down []int
}

// RateEffects returns the effect of each nuisance parameter on the total
// rate of the rows [start, end) of r: MadMiner's nuisance morphing
// coefficients (fisher.NuisanceCoefficients) of the summed reference,
// +1σ and −1σ weights.
func RateEffects(r EventReader, start, end int, nb NuisanceBenchmarks) ([]Effect, error) {
	if len(nb.Up) == 0 {
		return nil, nil
	}
	_, _, nW := r.Shape()
	sums := make([]float64, nW)
	err := r.ReadRows(start, end, func(_, n int, _, w []float64) error {
		for i := 0; i < n; i++ {
			for k, v := range w[i*nW : (i+1)*nW] {
				sums[k] += v
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]Effect, len(nb.Up))
	for k := range nb.Up {
		wDown := math.NaN()
		if nb.Down[k] >= 0 {
			wDown = sums[nb.Down[k]]
		}
		a, b := fisher.NuisanceCoefficients(sums[nb.Ref], sums[nb.Up[k]], wDown)
		out[k] = Effect{A: a, B: b}
	}
	return out, nil
}

// ShapeEffects returns, for every nuisance parameter, its effect on each
// bin of h: the nuisance morphing coefficients of the bin's summed
// reference, +1σ and −1σ weights over the rows [start, end) of r, whose
// summary statistics are train.X (in row order, as LoadSample reads
// them). A bin empty at the reference or at +1σ has no effect.
func ShapeEffects(r EventReader, h *Histo, train *Sample, start, end int, nb NuisanceBenchmarks) ([][]Effect, error) {
	_, _, nW := r.Shape()
	nBins := h.NumBins()
	sums := make([]float64, nBins*nW)
	err := r.ReadRows(start, end, func(first, n int, _, w []float64) error {
		for i := 0; i < n; i++ {
			row := first + i - start
			k := h.Bin(train.X[row*train.Dim : (row+1)*train.Dim])
			if k < 0 {
				continue
			}
			for c, v := range w[i*nW : (i+1)*nW] {
				sums[k*nW+c] += v
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([][]Effect, len(nb.Up))
	for p := range nb.Up {
		up, down := nb.Up[p], nb.Down[p]
		out[p] = make([]Effect, nBins)
		for k := 0; k < nBins; k++ {
			ref := sums[k*nW+nb.Ref]
			if !(ref > 0) || !(sums[k*nW+up] > 0) {
				continue
			}
			wDown := math.NaN()
			if down >= 0 && sums[k*nW+down] > 0 {
				wDown = sums[k*nW+down]
			}
			a, b := fisher.NuisanceCoefficients(ref, sums[k*nW+up], wDown)
			out[p][k] = Effect{A: a, B: b}
		}
	}
	return out, nil
}
