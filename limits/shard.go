// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	iseed "github.com/goldmine-hep/goldmine/internal/seed"

	"gonum.org/v1/gonum/stat/distuv"
)

// ExactFloats is a []float64 whose JSON form keeps every value exactly:
// finite values as shortest round-trip numbers, and "Infinity",
// "-Infinity" and "NaN" as strings (a vanishing likelihood has
// −log L = +Inf), so that a chunk read back merges as the chunk computed.
type ExactFloats []float64

// MarshalJSON implements json.Marshaler.
func (f ExactFloats) MarshalJSON() ([]byte, error) {
	return marshalFloats(f, func(b []byte, v float64) []byte {
		switch {
		case math.IsNaN(v):
			return append(b, `"NaN"`...)
		case v > 0:
			return append(b, `"Infinity"`...)
		}
		return append(b, `"-Infinity"`...)
	}), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *ExactFloats) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if raw == nil {
		*f = nil
		return nil
	}
	out := make(ExactFloats, len(raw))
	for i, r := range raw {
		switch string(r) {
		case `"NaN"`:
			out[i] = math.NaN()
		case `"Infinity"`:
			out[i] = math.Inf(1)
		case `"-Infinity"`:
			out[i] = math.Inf(-1)
		default:
			if err := json.Unmarshal(r, &out[i]); err != nil {
				return fmt.Errorf("limits: value %d: %w", i, err)
			}
		}
	}
	*f = out
	return nil
}

// ScanChunk is a scan evaluated on some of the points of a grid (one shard
// of a grid scan): the profiled likelihood at each.
type ScanChunk struct {
	// Indices are the indices of the chunk's points in the whole grid.
	Indices []int `json:"indices"`
	// NLL is −log L(θ, ν̂) + ½|ν̂|² at each point (+Inf where the
	// likelihood vanishes); Kin and Rate are the two parts of log L.
	NLL  ExactFloats `json:"nll"`
	Kin  ExactFloats `json:"log_likelihood_kin"`
	Rate ExactFloats `json:"log_likelihood_rate"`
	// Nuisance holds ν̂ at each point; nil without nuisance parameters.
	Nuisance []ExactFloats `json:"nuisance_profiled,omitempty"`
}

// ChunkIndices returns the indices of chunk k of n points cut into chunks
// of at most size points: [k·size, min((k+1)·size, n)). It returns nil
// for a chunk past the end.
func ChunkIndices(n, size, k int) []int {
	if size <= 0 || k < 0 || k*size >= n {
		return nil
	}
	idx := make([]int, 0, size)
	for i := k * size; i < min((k+1)*size, n); i++ {
		idx = append(idx, i)
	}
	return idx
}

// ScanPoints profiles the likelihood at the points of the grid whose
// indices are given (nil means all), as Scan does for each point: one shard
// of a grid scan. Each point's profile starts from ν = 0, so a point's
// values do not depend on the chunk it is in.
func ScanPoints(model Model, data *Data, points [][]float64, indices []int, s *Settings) (*ScanChunk, error) {
	s = s.orDefault()
	mine := points
	if indices != nil {
		mine = make([][]float64, 0, len(indices))
		for _, i := range indices {
			if i >= 0 && i < len(points) {
				mine = append(mine, points[i])
			}
		}
	}
	ll, err := bind(model, data, mine)
	if err != nil {
		return nil, err
	}
	o := &objective{ll: ll, np: model.NumParams()}
	return o.points(model, points, indices, s)
}

// MergeScan assembles the scan of the grid points from chunks that cover
// every point exactly once, in any order: the grid best fit over all
// chunks, the continuous best fit started from it (as Scan, for smooth
// models without Settings.GridOnly; this binds the model to data), and q
// and the p-values recomputed from the merged log-likelihood grid. The
// result is Scan's over the whole grid.
func MergeScan(model Model, data *Data, points [][]float64, chunks []*ScanChunk, s *Settings) (*Result, error) {
	s = s.orDefault()
	var o *objective
	if !s.GridOnly && model.Smooth() {
		ll, err := model.Bind(data)
		if err != nil {
			return nil, err
		}
		o = &objective{ll: ll, np: model.NumParams()}
	}
	return o.finish(model, points, chunks, s)
}

// ToyBatchSizes cuts n toys into batches of sizes that differ by at most
// one, the larger first; fewer batches when there are fewer toys.
func ToyBatchSizes(n, batches int) []int {
	batches = max(min(batches, n), 1)
	sizes := make([]int, batches)
	for b := range sizes {
		sizes[b] = n / batches
		if b < n%batches {
			sizes[b]++
		}
	}
	return sizes
}

// ToyBatchRand returns the generator of toy batch b of a calibration with
// the given seed: for b = 0 that of Calibrate, so that one batch is
// Calibrate; for b > 0 one of its own, from (seed, "limits/toys", b)
// (package internal/seed).
func ToyBatchRand(seed uint64, b int) *rand.Rand {
	if b == 0 {
		return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	}
	return iseed.ShardIndex(seed, "limits/toys", b)
}

// ToyBatch holds q(θ) of a batch of toys of a calibration (one shard of a
// toy calibration).
type ToyBatch struct {
	// Batch is the batch's index; the batches of a calibration are
	// numbered from 0.
	Batch int         `json:"batch"`
	Theta []float64   `json:"theta"`
	Q     ExactFloats `json:"q_toys"`
}

// CalibrateBatch draws toys.N pseudo-experiments with toys.Generate and
// rnd (generated at toys.Theta) and computes q(toys.Theta) for each, as
// Calibrate does; toys.Seed and toys.QObserved are not used (the merge
// takes q of the data). batch numbers the batch within its calibration. A
// sharded calibration gives each batch the generator of (seed, stage,
// batch) (package internal/seed), so that its toys depend on nothing else.
func CalibrateBatch(model Model, points [][]float64, toys Toys, batch int, rnd *rand.Rand, s *Settings) (*ToyBatch, error) {
	gen, theta, n := toys.Generate, toys.Theta, toys.N
	if gen == nil || n < 1 {
		return nil, fmt.Errorf("limits: toy batch %d needs a generator and at least one toy (got %d)", batch, n)
	}
	s = s.orDefault()
	b := &ToyBatch{Batch: batch, Theta: append([]float64(nil), theta...), Q: make(ExactFloats, 0, n)}
	pts := append([][]float64{theta}, points...)
	for t := 0; t < n; t++ {
		d, err := gen(rnd)
		if err != nil {
			return nil, fmt.Errorf("limits: batch %d, toy %d: %w", batch, t, err)
		}
		r, err := Scan(model, d, pts, s)
		if err != nil {
			return nil, fmt.Errorf("limits: batch %d, toy %d: %w", batch, t, err)
		}
		b.Q = append(b.Q, r.Q[0])
		if s.Progress != nil && (t+1)%100 == 0 {
			fmt.Fprintf(s.Progress, "limits: %d/%d toys\n", t+1, n)
		}
	}
	return b, nil
}

// MergeCalibration calibrates qObs with the union of toy batches 0…K−1
// (given in any order, each once, all at the same θ): the toy p-value,
// its error and the coverages, with Wilks' χ² of dof degrees of freedom
// for the asymptotic p-value and thresholds. The toys are taken in batch
// order, so the result does not depend on the order the batches ran in.
func MergeCalibration(batches []*ToyBatch, qObs float64, dof int) (*Calibration, error) {
	if len(batches) == 0 {
		return nil, errors.New("limits: no toy batches")
	}
	if dof <= 0 {
		return nil, fmt.Errorf("limits: %d degrees of freedom", dof)
	}
	sorted := append([]*ToyBatch(nil), batches...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Batch < sorted[j].Batch })
	for k, b := range sorted {
		if b.Batch != k {
			if k > 0 && b.Batch == sorted[k-1].Batch {
				return nil, fmt.Errorf("limits: toy batch %d is given twice", b.Batch)
			}
			return nil, fmt.Errorf("limits: toy batch %d is missing (batches are numbered from 0)", k)
		}
		if len(b.Theta) != len(sorted[0].Theta) {
			return nil, fmt.Errorf("limits: toy batches %d and %d are at θ of %d and %d parameters", sorted[0].Batch, b.Batch, len(sorted[0].Theta), len(b.Theta))
		}
		for p := range b.Theta {
			if b.Theta[p] != sorted[0].Theta[p] {
				return nil, fmt.Errorf("limits: toy batches %d and %d are at different θ (%v, %v)", sorted[0].Batch, b.Batch, sorted[0].Theta, b.Theta)
			}
		}
	}
	chi := distuv.ChiSquared{K: float64(dof)}
	c := &Calibration{Theta: append([]float64(nil), sorted[0].Theta...), QObserved: qObs, PAsymptotic: chi.Survival(qObs)}
	t68, t95 := chi.Quantile(0.68), chi.Quantile(0.95)
	for _, b := range sorted {
		for _, q := range b.Q {
			c.Q = append(c.Q, q)
			if q >= qObs {
				c.PToys++
			}
			if q < t68 {
				c.Coverage68++
			}
			if q < t95 {
				c.Coverage95++
			}
		}
	}
	c.NToys = len(c.Q)
	n := float64(c.NToys)
	c.PToys /= n
	c.Coverage68 /= n
	c.Coverage95 /= n
	c.PToysError = math.Sqrt(c.PToys * (1 - c.PToys) / n)
	return c, nil
}
