// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Normal is the asymptotic posterior N(θ̂, I⁻¹) of a Fisher information I
// at θ̂ with a flat prior: the reference that a learnt posterior of Asimov
// data at θ̂ approaches when the likelihood is Gaussian.
type Normal struct {
	// Mean is θ̂.
	Mean []float64
	// Information is I, Cov its inverse.
	Information, Cov *mat.SymDense
}

// NewNormal returns the Normal posterior of the information info at
// theta. It fails unless info is positive definite.
func NewNormal(theta []float64, info mat.Symmetric) (*Normal, error) {
	n := info.SymmetricDim()
	if len(theta) != n {
		return nil, fmt.Errorf("posterior: %d parameters, information of %d", len(theta), n)
	}
	var ch mat.Cholesky
	if !ch.Factorize(info) {
		return nil, fmt.Errorf("posterior: the information %v is not positive definite", mat.Formatted(info))
	}
	cov := mat.NewSymDense(n, nil)
	if err := ch.InverseTo(cov); err != nil {
		return nil, fmt.Errorf("posterior: %w", err)
	}
	in := mat.NewSymDense(n, nil)
	in.CopySym(info)
	return &Normal{Mean: slices.Clone(theta), Information: in, Cov: cov}, nil
}

// Std returns the posterior standard deviation of each parameter.
func (g *Normal) Std() []float64 {
	out := make([]float64, len(g.Mean))
	for i := range out {
		out[i] = math.Sqrt(g.Cov.At(i, i))
	}
	return out
}

// Intervals returns the central (highest-density) interval of each
// parameter's marginal at credibility cl.
func (g *Normal) Intervals(cl float64) []Interval {
	z := distuv.UnitNormal.Quantile((1 + cl) / 2)
	out := make([]Interval, len(g.Mean))
	for i, s := range g.Std() {
		out[i] = Interval{g.Mean[i] - z*s, g.Mean[i] + z*s}
	}
	return out
}

// Area returns the area of the highest-density region at credibility cl
// of the marginal of parameters i and j: the ellipse
// (θ − θ̂)ᵀ Σ⁻¹ (θ − θ̂) ≤ χ²₂(cl) = −2 log(1 − cl), of area
// π χ²₂(cl) √det Σ.
func (g *Normal) Area(i, j int, cl float64) float64 {
	det := g.Cov.At(i, i)*g.Cov.At(j, j) - g.Cov.At(i, j)*g.Cov.At(j, i)
	return math.Pi * -2 * math.Log(1-cl) * math.Sqrt(det)
}

// LogLikelihood returns the unnormalised log density
// −½ (θ − θ̂)ᵀ I (θ − θ̂), to evaluate the Normal on a grid with a prior
// (EvalGrid). It is not safe for concurrent use.
func (g *Normal) LogLikelihood() LogLikelihood {
	n := len(g.Mean)
	d := mat.NewVecDense(n, nil)
	return func(p []float64) (float64, error) {
		for i := range n {
			d.SetVec(i, p[i]-g.Mean[i])
		}
		return -0.5 * mat.Inner(d, g.Information, d), nil
	}
}
