// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"errors"
	"fmt"
	"math"

	"github.com/goldmine-hep/goldmine/morphing"
)

// CheckPoint is a parameter point outside the morphing basis at which the
// generator computed every event's weight directly (MG5's reweighting to an
// extra benchmark), stored in weight column Column.
type CheckPoint struct {
	Name   string    `json:"name"`
	Theta  []float64 `json:"theta"`
	Column int       `json:"column"`
}

// MorphingCheck is the result of CheckMorphing at one CheckPoint.
type MorphingCheck struct {
	CheckPoint
	Events int `json:"events"`

	// MaxRel is the largest relative deviation |morphed − stored|/|stored|
	// over the events, at event MaxRelEvent (index in the source), whose
	// stored weight is MaxRelWeight times the mean stored weight of the
	// point: small values say the deviation sits on a tiny weight.
	// MaxRelCancellation is Σ_b |w_b(θ) W_b| / |stored| at that event: the
	// factor by which the morphing amplifies the rounding of the basis
	// weights there.
	MaxRel             float64 `json:"max_rel"`
	MaxRelEvent        int     `json:"max_rel_event"`
	MaxRelWeight       float64 `json:"max_rel_weight_over_mean"`
	MaxRelCancellation float64 `json:"max_rel_cancellation"`
	// MeanRel is the mean relative deviation.
	MeanRel float64 `json:"mean_rel"`
	// MaxExcess is the largest deviation in units of what the rounding of
	// the written weights can explain (morphing.Deviation.Excess), at event
	// MaxExcessEvent; Exceeding counts the events with an excess above 1.
	// A correct morphing of correctly computed weights has Exceeding = 0.
	MaxExcess      float64 `json:"max_excess"`
	MaxExcessEvent int     `json:"max_excess_event"`
	Exceeding      int     `json:"exceeding"`
	// RelDecades counts the events by relative deviation: RelDecades[0]
	// those below 1e-10 (and the exact ones), RelDecades[k] those in
	// [1e-(11-k), 1e-(10-k)) for k = 1…6, RelDecades[7] those of 1e-4 or
	// more.
	RelDecades [8]int `json:"rel_decades"`
}

// Passed reports whether every event's stored weight agrees with the
// morphing within the rounding of the written weights and within the
// relative tolerance tol.
func (c *MorphingCheck) Passed(tol float64) bool {
	return c.Events > 0 && c.Exceeding == 0 && c.MaxRel <= tol
}

// String summarises the check in one line.
func (c *MorphingCheck) String() string {
	return fmt.Sprintf("%s θ=%v: %d events, max relative deviation %.3g (event %d, weight %.3g × mean, morphing cancellation %.3g), mean %.3g, %d events at 1e-6 or more; max %.3g × the rounding bound (event %d), %d events beyond it",
		c.Name, c.Theta, c.Events, c.MaxRel, c.MaxRelEvent, c.MaxRelWeight, c.MaxRelCancellation, c.MeanRel, c.RelDecades[5]+c.RelDecades[6]+c.RelDecades[7], c.MaxExcess, c.MaxExcessEvent, c.Exceeding)
}

// CheckMorphing compares, for every event of src and every check point,
// the weight stored in the point's column with the morphing prediction
// Σ_b w_b(θ) W_b from the event's basis weights (the first
// m.NumBasis() columns, as in Config.Morpher), and reports the deviations.
// eps is the relative precision of the written weights
// (morphing.WrittenPrecision(8) for MG5's LHE files); batch is the number
// of events read at a time (0: 65536).
//
// This is the independent check of the "truth" of a parton-level study:
// the check points' weights come from the generator's own matrix elements,
// not from the morphing, so an error in the morphing matrix, the basis
// values or the weight columns shows as deviations far beyond the rounding
// bound. It reads the events once; memory does not grow with their number.
func CheckMorphing(src Source, m *morphing.Morpher, eps float64, points []CheckPoint, batch int) ([]MorphingCheck, error) {
	if m == nil {
		return nil, errors.New("sampling: CheckMorphing needs a morpher")
	}
	if len(points) == 0 {
		return nil, errors.New("sampling: CheckMorphing needs at least one check point")
	}
	if !(eps >= 0) {
		return nil, fmt.Errorf("sampling: CheckMorphing: precision %v", eps)
	}
	nb, nw := m.NumBasis(), src.NumWeights()
	if nb > nw {
		return nil, fmt.Errorf("sampling: CheckMorphing: %d basis points but %d weight columns", nb, nw)
	}
	ws := make([][]float64, len(points))
	res := make([]MorphingCheck, len(points))
	sum := make([]float64, len(points))
	for k, p := range points {
		if p.Column < nb || p.Column >= nw {
			return nil, fmt.Errorf("sampling: check point %s: column %d is not a weight column after the %d basis columns (of %d)", p.Name, p.Column, nb, nw)
		}
		if len(p.Theta) != m.NumParams() {
			return nil, fmt.Errorf("sampling: check point %s: %d parameters, want %d", p.Name, len(p.Theta), m.NumParams())
		}
		ws[k] = m.WeightsTo(nil, p.Theta)
		res[k] = MorphingCheck{CheckPoint: p, MaxRelEvent: -1, MaxExcessEvent: -1}
	}
	relSum := make([]float64, len(points))
	maxRelStored := make([]float64, len(points))
	if batch <= 0 {
		batch = 65536
	}
	err := src.Read(0, src.NumEvents(), batch, func(b *Batch) error {
		for i := 0; i < b.Len; i++ {
			we := b.W[i*nw : (i+1)*nw]
			for k := range points {
				c := &res[k]
				stored := we[c.Column]
				if math.IsNaN(stored) || math.IsInf(stored, 0) {
					return fmt.Errorf("sampling: event %d: weight of check point %s is %v", b.Start+i, c.Name, stored)
				}
				d := morphing.CompareWeight(ws[k], we[:nb], stored, eps)
				rel, ex := d.Rel(), d.Excess()
				c.Events++
				sum[k] += stored
				relSum[k] += rel
				if rel > c.MaxRel || c.MaxRelEvent < 0 {
					c.MaxRel, c.MaxRelEvent, maxRelStored[k] = rel, b.Start+i, stored
					c.MaxRelCancellation = math.Inf(1)
					if stored != 0 {
						c.MaxRelCancellation = d.AbsSum / math.Abs(stored)
					}
				}
				if ex > c.MaxExcess || c.MaxExcessEvent < 0 {
					c.MaxExcess, c.MaxExcessEvent = ex, b.Start+i
				}
				if ex > 1 {
					c.Exceeding++
				}
				c.RelDecades[relDecade(rel)]++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for k := range res {
		c := &res[k]
		if c.Events > 0 {
			c.MeanRel = relSum[k] / float64(c.Events)
			if mean := sum[k] / float64(c.Events); mean != 0 {
				c.MaxRelWeight = maxRelStored[k] / mean
			}
		}
	}
	return res, nil
}

// relDecade returns the RelDecades bin of a relative deviation.
func relDecade(rel float64) int {
	if !(rel >= 1e-10) {
		return 0
	}
	k := int(math.Floor(math.Log10(rel))) + 11
	return min(max(k, 1), 7)
}
