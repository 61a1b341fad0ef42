// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/goldmine-hep/goldmine/simulators"
)

// The Gaussian toy of package simulators: per parameter, x ~ N(θ, σ²) with
// σ² = σ_z² + σ_x² = 1.25 (the defaults σ_z = 1, σ_x = 0.5). A data set is
// n events. With the prior N(μ0, τ²) the posterior is Gaussian with
//
//	1/s² = 1/τ² + n/σ²,   m = s² (μ0/τ² + Σ_i x_i/σ²).
var toy = simulators.Gaussian{}

const toySigma2 = 1.25

// toySim returns a simulator of n toy events per data set (rows of x).
func toySim(n int) func([]float64, rand.Source) ([][]float64, error) {
	return func(theta []float64, src rand.Source) ([][]float64, error) {
		x := make([][]float64, n)
		for i := range x {
			run, err := simulators.Simulate(toy.Simulate, theta, src)
			if err != nil {
				return nil, err
			}
			x[i] = run.X
		}
		return x, nil
	}
}

// toyLL is the exact log-likelihood of the toy events, from
// simulators.Gaussian.LogLikelihood.
func toyLL(x [][]float64) LogLikelihood {
	return func(p []float64) (float64, error) {
		s := 0.0
		for _, xi := range x {
			l, _ := toy.LogLikelihood(nil, xi, p)
			s += l
		}
		return s, nil
	}
}

// toyExact returns the closed-form posterior mean and standard deviation
// of every parameter for the Gaussian prior pr.
func toyExact(pr Gaussian, x [][]float64) (mu, sd []float64) {
	k := len(x[0])
	n := float64(len(x))
	for p := range k {
		sum := 0.0
		for _, xi := range x {
			sum += xi[p]
		}
		prec := 1/(pr.Sigma*pr.Sigma) + n/toySigma2
		s2 := 1 / prec
		mu = append(mu, s2*(pr.Mu/(pr.Sigma*pr.Sigma)+sum/toySigma2))
		sd = append(sd, math.Sqrt(s2))
	}
	return mu, sd
}

// gaussFit is an exact independent Gaussian posterior.
type gaussFit struct{ mu, sd []float64 }

func (g gaussFit) Draws(n int, src rand.Source) ([][]float64, error) {
	rng := rand.New(src)
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, len(g.mu))
		for p := range g.mu {
			out[i][p] = g.mu[p] + g.sd[p]*rng.NormFloat64()
		}
	}
	return out, nil
}

// Credibility is P(χ²_k ≤ Σ z²), the mass inside the ellipsoid through θ.
func (g gaussFit) Credibility(theta []float64) (float64, error) {
	q := 0.0
	for p := range g.mu {
		z := (theta[p] - g.mu[p]) / g.sd[p]
		q += z * z
	}
	return distuv.ChiSquared{K: float64(len(g.mu))}.CDF(q), nil
}

// The Galton board of package simulators (20 rows, θ in [−0.5, 0.5] as in
// the study); a data set is the slot counts of n balls.
var board = simulators.Galton{}

func galtonSim(n int) func([]float64, rand.Source) ([]int, error) {
	return func(theta []float64, src rand.Source) ([]int, error) {
		counts := make([]int, 21)
		for range n {
			run, err := simulators.Simulate(board.Simulate, theta, src)
			if err != nil {
				return nil, err
			}
			counts[int(run.X[0])]++
		}
		return counts, nil
	}
}

// galtonLL is the exact log-likelihood Σ_k n_k log p(k|θ) from
// simulators.Galton.Probs.
func galtonLL(counts []int) LogLikelihood {
	return func(p []float64) (float64, error) {
		ps, err := board.Probs(p)
		if err != nil {
			return 0, err
		}
		s := 0.0
		for k, n := range counts {
			if n > 0 {
				s += float64(n) * math.Log(ps[k].V)
			}
		}
		return s, nil
	}
}

// galtonTable holds log p(k|θ_j) on a grid, computed once with
// Galton.Probs so that grid posteriors of many data sets are cheap.
type galtonTable struct {
	axis []float64
	logp [][]float64 // [j][k]
}

func newGaltonTable(axis []float64) (*galtonTable, error) {
	t := &galtonTable{axis: axis}
	for _, th := range axis {
		ps, err := board.Probs([]float64{th})
		if err != nil {
			return nil, err
		}
		row := make([]float64, len(ps))
		for k, p := range ps {
			row[k] = math.Log(p.V)
		}
		t.logp = append(t.logp, row)
	}
	return t, nil
}

// grid returns the grid posterior of the counts for the prior pr, with an
// extra log-likelihood term extra(θ) (nil: none).
func (t *galtonTable) grid(counts []int, pr Prior, extra func(float64) float64) (*Grid, error) {
	lp := make([]float64, len(t.axis))
	for j, th := range t.axis {
		lp[j] = pr.LogProb(th)
		for k, n := range counts {
			if n > 0 {
				lp[j] += float64(n) * t.logp[j][k]
			}
		}
		if extra != nil {
			lp[j] += extra(th)
		}
	}
	return NewGrid([]string{"theta"}, [][]float64{t.axis}, lp)
}

// nuisanceModel is x̄ ~ N(θ + sν, v) for one measurement x̄ = 0.7 with
// v = 0.04, s = 0.3, θ ~ N(0, 1) and ν ~ N(0, 1). Integrating ν out, x̄ ~
// N(θ, v + s²), so the θ marginal is Gaussian with the returned mean and
// standard deviation.
func nuisanceModel() (m *Model, mu, sd float64) {
	const xbar, v, s = 0.7, 0.04, 0.3
	m = &Model{
		Names:  []string{"theta", "nu"},
		Priors: Priors{Gaussian{Sigma: 1}, Gaussian{Sigma: 1}},
		POI:    1,
		LogLikelihood: func(p []float64) (float64, error) {
			d := xbar - p[0] - s*p[1]
			return -0.5 * d * d / v, nil
		},
	}
	ve := v + s*s
	prec := 1 + 1/ve
	return m, xbar / ve / prec, math.Sqrt(1 / prec)
}

// gaussGrid returns the 1-D grid posterior N(mu, sd²) on the axis.
func gaussGrid(ax []float64, mu, sd float64) (*Grid, error) {
	lp := make([]float64, len(ax))
	for i, x := range ax {
		z := (x - mu) / sd
		lp[i] = -0.5 * z * z
	}
	return NewGrid(nil, [][]float64{ax}, lp)
}
