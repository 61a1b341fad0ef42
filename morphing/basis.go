// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package morphing

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/optimize"
)

// BasisSettings configures OptimizeBasis. The zero value of every field except
// Ranges selects the documented default.
type BasisSettings struct {
	// Ranges holds the [min, max] range of every parameter. Test points are
	// drawn uniformly in these ranges and basis points are kept inside them.
	Ranges [][2]float64

	// Fixed holds basis points the user fixed; they come first in the
	// returned basis, in order, and are never moved.
	Fixed [][]float64

	// NumBasis is the number of basis points. 0 means one per component.
	NumBasis int

	// TestPoints is the number of θ drawn uniformly in Ranges on which the
	// objective is averaged. All candidate bases are evaluated on the same
	// test points. 0 means 1000.
	TestPoints int

	// RandomBases is the number of random bases drawn first (MadMiner's
	// n_trials). 0 means 100.
	RandomBases int

	// Starts is the number of best random bases refined locally. 0 means 5.
	Starts int

	// MaxEvaluations bounds the objective evaluations of each local
	// refinement. 0 means 300 per free coordinate.
	MaxEvaluations int

	// XsecComponents, if not nil, selects the cross-section-aware objective.
	// It holds the cross section's expansion in the components,
	// σ(θ) = Σ_c XsecComponents[c] c(θ), for instance Σ_b M[c,b] σ_b from an
	// earlier morphing (see Morpher.XsecComponentsTo). See Objective.
	XsecComponents []float64
}

// BasisResult is the outcome of OptimizeBasis.
type BasisResult struct {
	Basis   [][]float64 // optimised basis, fixed points first
	Morpher *Morpher    // morpher of Basis

	// Objective is the optimised objective on the test points.
	Objective float64

	// RandomObjective is the objective of the best random basis on the same
	// test points: what MadMiner's search (best of RandomBases random draws)
	// achieves with the same random numbers.
	RandomObjective float64

	// RandomBasis is the best random basis.
	RandomBasis [][]float64

	// Evaluations counts objective evaluations.
	Evaluations int
}

// Objective returns the basis-optimisation objective of m over the given
// parameter points.
//
// With xsecComponents nil it is MadMiner's objective, the mean of
// Σ_b w_b(θ)² (MeanSquaredWeights).
//
// Otherwise it is the cross-section-aware objective asked for in MadMiner
// issue #120,
//
//	mean over θ of  Σ_b w_b(θ)² σ(θ_b)² / σ(θ)²,
//
// where σ(θ) = Σ_c xsecComponents[c] c(θ). It is the relative variance of the
// morphed cross section Σ_b w_b(θ) σ̂_b when every basis point is simulated with
// the same number N of events (Var σ̂_b = σ_b²/N), times N. When the cross
// section does not depend on θ it reduces to MadMiner's objective; it
// penalises bases whose points sit where σ is large while σ(θ) is small.
// basis must be the basis points of m. An error is returned if σ(θ) ≤ 0 at a
// test point.
func Objective(m *Morpher, basis [][]float64, thetas [][]float64, xsecComponents []float64) (float64, error) {
	if xsecComponents == nil {
		return m.MeanSquaredWeights(thetas), nil
	}
	if len(xsecComponents) != m.nComp {
		return 0, fmt.Errorf("morphing: %d cross-section components, want %d", len(xsecComponents), m.nComp)
	}
	if len(basis) != m.nBasis {
		return 0, fmt.Errorf("morphing: %d basis points, morpher has %d", len(basis), m.nBasis)
	}
	sb := make([]float64, m.nBasis)
	for b, th := range basis {
		sb[b] = m.xsecAt(xsecComponents, th)
	}
	w := make([]float64, m.nBasis)
	var sum float64
	for i, th := range thetas {
		s := m.xsecAt(xsecComponents, th)
		if !(s > 0) {
			return 0, fmt.Errorf("morphing: cross section %v ≤ 0 at test point %d %v", s, i, th)
		}
		m.WeightsTo(w, th)
		var t float64
		for b, v := range w {
			t += v * v * sb[b] * sb[b]
		}
		sum += t / (s * s)
	}
	return sum / float64(len(thetas)), nil
}

func (m *Morpher) xsecAt(sc, theta []float64) float64 {
	var s float64
	for c, v := range sc {
		s += v * m.component(c, theta)
	}
	return s
}

// XsecComponentsTo writes the expansion of the cross section in the
// components, s_c = Σ_b M[c,b] σ_b, into dst, given the cross sections σ_b at
// the basis points, so that σ(θ) = Σ_c s_c c(θ).
func (m *Morpher) XsecComponentsTo(dst, xsecs []float64) []float64 {
	if len(xsecs) != m.nBasis {
		panic("morphing: wrong number of basis cross sections")
	}
	dst = resize(dst, m.nComp)
	for c := range dst {
		var s float64
		for b, v := range m.m[c*m.nBasis : (c+1)*m.nBasis] {
			s += v * xsecs[b]
		}
		dst[c] = s
	}
	return dst
}

// UniformThetas draws n points uniformly in the given ranges.
func UniformThetas(n int, ranges [][2]float64, rnd *rand.Rand) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		th := make([]float64, len(ranges))
		for p, r := range ranges {
			th[p] = r[0] + rnd.Float64()*(r[1]-r[0])
		}
		out[i] = th
	}
	return out
}

// OptimizeBasis searches a morphing basis for the given components that
// minimises Objective over test points drawn uniformly in s.Ranges. It draws
// s.RandomBases random bases (the fixed points plus uniform points, as
// MadMiner does), keeps the s.Starts best, refines each with a Nelder–Mead
// search over the free coordinates (kept inside the ranges by the map
// θ = lo + (hi−lo)(1+sin u)/2), and returns the best basis found. Every random
// number comes from src, so the result is reproducible.
func OptimizeBasis(components [][]int, s *BasisSettings, src rand.Source) (*BasisResult, error) {
	if s == nil {
		return nil, errors.New("morphing: basis settings with parameter ranges are required")
	}
	if src == nil {
		return nil, errors.New("morphing: a random source is required")
	}
	shape, err := newShape(components)
	if err != nil {
		return nil, err
	}
	np := shape.nParams
	if len(s.Ranges) != np {
		return nil, fmt.Errorf("morphing: %d parameter ranges for %d parameters", len(s.Ranges), np)
	}
	for p, r := range s.Ranges {
		if !(r[0] < r[1]) || math.IsInf(r[0], 0) || math.IsInf(r[1], 0) {
			return nil, fmt.Errorf("morphing: parameter %d has invalid range [%v, %v]", p, r[0], r[1])
		}
	}
	nb := s.NumBasis
	if nb == 0 {
		nb = shape.nComp
	}
	if nb < shape.nComp {
		return nil, fmt.Errorf("morphing: %d basis points for %d components", nb, shape.nComp)
	}
	if len(s.Fixed) > nb {
		return nil, fmt.Errorf("morphing: %d fixed basis points but only %d basis points", len(s.Fixed), nb)
	}
	for i, f := range s.Fixed {
		if len(f) != np {
			return nil, fmt.Errorf("morphing: fixed basis point %d has %d parameters, want %d", i, len(f), np)
		}
	}
	if s.XsecComponents != nil && len(s.XsecComponents) != shape.nComp {
		return nil, fmt.Errorf("morphing: %d cross-section components, want %d", len(s.XsecComponents), shape.nComp)
	}
	nTest := orDefault(s.TestPoints, 1000)
	nRand := orDefault(s.RandomBases, 100)
	nStarts := orDefault(s.Starts, 5)
	nFree := nb - len(s.Fixed)
	maxEval := orDefault(s.MaxEvaluations, 300*nFree*np)

	rnd := rand.New(src)
	thetas := UniformThetas(nTest, s.Ranges, rnd)

	res := &BasisResult{}
	eval := func(basis [][]float64) float64 {
		res.Evaluations++
		m, err := New(components, basis)
		if err != nil {
			return math.Inf(1)
		}
		v, err := Objective(m, basis, thetas, s.XsecComponents)
		if err != nil || math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
	assemble := func(free [][]float64) [][]float64 {
		basis := make([][]float64, 0, nb)
		for _, f := range s.Fixed {
			basis = append(basis, append([]float64(nil), f...))
		}
		return append(basis, free...)
	}

	type cand struct {
		basis [][]float64
		obj   float64
	}
	cands := make([]cand, nRand)
	for i := range cands {
		b := assemble(UniformThetas(nFree, s.Ranges, rnd))
		cands[i] = cand{b, eval(b)}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].obj < cands[j].obj })
	res.RandomBasis, res.RandomObjective = cands[0].basis, cands[0].obj
	best := cands[0]

	if nFree > 0 {
		toU := func(free [][]float64) []float64 {
			u := make([]float64, 0, nFree*np)
			for _, th := range free {
				for p, v := range th {
					r := s.Ranges[p]
					x := 2*(v-r[0])/(r[1]-r[0]) - 1
					u = append(u, math.Asin(math.Max(-1, math.Min(1, x))))
				}
			}
			return u
		}
		fromU := func(u []float64) [][]float64 {
			free := make([][]float64, nFree)
			for i := range free {
				th := make([]float64, np)
				for p := range th {
					r := s.Ranges[p]
					th[p] = r[0] + (r[1]-r[0])*(1+math.Sin(u[i*np+p]))/2
				}
				free[i] = th
			}
			return free
		}
		for k := 0; k < nStarts && k < len(cands); k++ {
			if math.IsInf(cands[k].obj, 1) {
				break
			}
			prob := optimize.Problem{Func: func(u []float64) float64 {
				v := eval(assemble(fromU(u)))
				if math.IsInf(v, 1) {
					return math.MaxFloat64
				}
				return v
			}}
			x0 := toU(cands[k].basis[len(s.Fixed):])
			r, err := optimize.Minimize(prob, x0, &optimize.Settings{FuncEvaluations: maxEval},
				&optimize.NelderMead{SimplexSize: 0.3})
			if r == nil || (err != nil && r.F == 0) {
				continue
			}
			if r.F < best.obj {
				best = cand{assemble(fromU(r.X)), r.F}
			}
		}
	}
	if math.IsInf(best.obj, 1) {
		return nil, errors.New("morphing: no non-singular basis found")
	}
	m, err := New(components, best.basis)
	if err != nil {
		return nil, fmt.Errorf("morphing: optimised basis: %w", err)
	}
	res.Basis, res.Morpher, res.Objective = best.basis, m, best.obj
	return res, nil
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}
