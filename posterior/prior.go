// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Prior is the prior density of one parameter.
type Prior interface {
	// LogProb returns the normalised log density at x, −Inf outside the
	// support.
	LogProb(x float64) float64
	// Rand returns a draw from the prior made with src.
	Rand(src rand.Source) float64
	// Bounds returns the support [lo, hi] (possibly infinite).
	Bounds() (lo, hi float64)
}

var (
	_ Prior = Uniform{}
	_ Prior = Gaussian{}
	_ Prior = LogUniform{}
)

// validator is implemented by the priors of this package.
type validator interface{ validate() error }

// Uniform is the uniform prior on [Min, Max], the default prior of a
// parameter on its range.
type Uniform struct{ Min, Max float64 }

func (u Uniform) validate() error {
	if !(u.Min < u.Max) || math.IsInf(u.Min, 0) || math.IsInf(u.Max, 0) {
		return fmt.Errorf("uniform prior on [%g, %g]: want finite Min < Max", u.Min, u.Max)
	}
	return nil
}

// LogProb returns −log(Max − Min) on [Min, Max] and −Inf elsewhere.
func (u Uniform) LogProb(x float64) float64 {
	if x < u.Min || x > u.Max || math.IsNaN(x) {
		return math.Inf(-1)
	}
	return -math.Log(u.Max - u.Min)
}

// Rand returns Min + (Max − Min)·U with U uniform in [0, 1).
func (u Uniform) Rand(src rand.Source) float64 {
	return u.Min + (u.Max-u.Min)*rand.New(src).Float64()
}

// Bounds returns Min and Max.
func (u Uniform) Bounds() (lo, hi float64) { return u.Min, u.Max }

// LogUniform is the prior p(x) = 1/(x log(Max/Min)) on [Min, Max] with
// 0 < Min < Max: uniform in log x.
type LogUniform struct{ Min, Max float64 }

func (l LogUniform) validate() error {
	if !(0 < l.Min && l.Min < l.Max) || math.IsInf(l.Max, 0) {
		return fmt.Errorf("log-uniform prior on [%g, %g]: want 0 < Min < Max < ∞", l.Min, l.Max)
	}
	return nil
}

// LogProb returns −log x − log log(Max/Min) on [Min, Max] and −Inf elsewhere.
func (l LogUniform) LogProb(x float64) float64 {
	if x < l.Min || x > l.Max || math.IsNaN(x) {
		return math.Inf(-1)
	}
	return -math.Log(x) - math.Log(math.Log(l.Max/l.Min))
}

// Rand returns Min·(Max/Min)^U with U uniform in [0, 1).
func (l LogUniform) Rand(src rand.Source) float64 {
	return l.Min * math.Exp(rand.New(src).Float64()*math.Log(l.Max/l.Min))
}

// Bounds returns Min and Max.
func (l LogUniform) Bounds() (lo, hi float64) { return l.Min, l.Max }

// Gaussian is the normal prior N(Mu, Sigma²), truncated to [Min, Max] if
// Min < Max. Min == Max (as in the zero value) means no truncation. The
// Gaussian constraint of a nuisance parameter in units of its uncertainty
// is Gaussian{Mu: 0, Sigma: 1}.
type Gaussian struct {
	Mu, Sigma float64
	Min, Max  float64
}

func (g Gaussian) truncated() bool { return g.Min < g.Max }

// standardised bounds a = (Min − Mu)/Sigma and b = (Max − Mu)/Sigma.
func (g Gaussian) ab() (a, b float64) {
	if !g.truncated() {
		return math.Inf(-1), math.Inf(1)
	}
	return (g.Min - g.Mu) / g.Sigma, (g.Max - g.Mu) / g.Sigma
}

// logMass returns log(Φ(b) − Φ(a)), computed in the tail where it is
// accurate.
func logMass(a, b float64) float64 {
	if a > 0 { // both in the upper tail: use the lower tail of −x
		a, b = -b, -a
	}
	// Φ(z) = erfc(−z/√2)/2 is accurate for z ≤ 0; here a ≤ 0.
	pa := 0.5 * math.Erfc(-a/math.Sqrt2)
	var pb float64
	if b <= 0 {
		pb = 0.5 * math.Erfc(-b/math.Sqrt2)
		return math.Log(pb - pa)
	}
	// b > 0 ≥ a: Φ(b) − Φ(a) = 1 − Φ(−b) − Φ(a).
	return math.Log1p(-(0.5*math.Erfc(b/math.Sqrt2) + pa))
}

func (g Gaussian) validate() error {
	if !(g.Sigma > 0) || math.IsInf(g.Sigma, 0) || math.IsNaN(g.Mu) || math.IsInf(g.Mu, 0) {
		return fmt.Errorf("Gaussian prior N(%g, %g²): want finite Mu and Sigma > 0", g.Mu, g.Sigma)
	}
	if g.Min > g.Max || math.IsNaN(g.Min) || math.IsNaN(g.Max) {
		return fmt.Errorf("Gaussian prior truncated to [%g, %g]: want Min < Max", g.Min, g.Max)
	}
	if z := logMass(g.ab()); math.IsInf(z, 0) || math.IsNaN(z) || z < -700 {
		return fmt.Errorf("Gaussian prior N(%g, %g²) has no mass on [%g, %g]", g.Mu, g.Sigma, g.Min, g.Max)
	}
	return nil
}

// LogProb returns the log density of the (truncated) normal distribution.
func (g Gaussian) LogProb(x float64) float64 {
	if math.IsNaN(x) || g.truncated() && (x < g.Min || x > g.Max) {
		return math.Inf(-1)
	}
	z := (x - g.Mu) / g.Sigma
	lp := -0.5*z*z - math.Log(g.Sigma) - 0.5*math.Log(2*math.Pi)
	if g.truncated() {
		lp -= logMass(g.ab())
	}
	return lp
}

// Rand returns a draw by inversion of the (truncated) normal CDF, in the
// tail where the CDF is accurate.
func (g Gaussian) Rand(src rand.Source) float64 {
	u := rand.New(src).Float64()
	a, b := g.ab()
	sign := 1.0
	if a > 0 {
		a, b, sign = -b, -a, -1
	}
	pa := 0.5 * math.Erfc(-a/math.Sqrt2)
	pb := 0.5 * math.Erfc(-b/math.Sqrt2)
	p := pa + u*(pb-pa)
	if p <= 0 { // u = 0 with an infinite lower bound, or underflow
		p = math.SmallestNonzeroFloat64
	}
	if p >= 1 {
		p = math.Nextafter(1, 0)
	}
	z := distuv.UnitNormal.Quantile(p)
	z = math.Max(a, math.Min(b, z))
	return g.Mu + sign*g.Sigma*z
}

// Bounds returns [Min, Max] if truncated, else (−Inf, +Inf).
func (g Gaussian) Bounds() (lo, hi float64) {
	if g.truncated() {
		return g.Min, g.Max
	}
	return math.Inf(-1), math.Inf(1)
}

// Priors is the joint prior of independent parameters, one Prior each.
type Priors []Prior

// Validate returns an error naming the first prior whose parameters are
// invalid.
func (ps Priors) Validate() error {
	if len(ps) == 0 {
		return fmt.Errorf("posterior: no priors")
	}
	for i, p := range ps {
		if p == nil {
			return fmt.Errorf("posterior: parameter %d has no prior", i)
		}
		if v, ok := p.(validator); ok {
			if err := v.validate(); err != nil {
				return fmt.Errorf("posterior: parameter %d: %w", i, err)
			}
		}
	}
	return nil
}

// LogProb returns Σ_i log π_i(θ_i). It panics if theta and ps have
// different lengths.
func (ps Priors) LogProb(theta []float64) float64 {
	if len(theta) != len(ps) {
		panic("posterior: theta and priors have different lengths")
	}
	lp := 0.0
	for i, p := range ps {
		lp += p.LogProb(theta[i])
	}
	return lp
}

// RandTo writes one draw from each prior, made with src, into dst
// (allocated if nil) and returns it. It panics if dst has the wrong
// length.
func (ps Priors) RandTo(dst []float64, src rand.Source) []float64 {
	if dst == nil {
		dst = make([]float64, len(ps))
	}
	if len(dst) != len(ps) {
		panic("posterior: dst and priors have different lengths")
	}
	for i, p := range ps {
		dst[i] = p.Rand(src)
	}
	return dst
}
