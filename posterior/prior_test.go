// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// near reports whether |got − want| ≤ tol.
func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

func TestPriors(t *testing.T) {
	phi := distuv.UnitNormal.CDF
	for _, c := range []struct {
		name string
		p    Prior
		// cdf is the prior's CDF, written independently of the code.
		cdf func(x float64) float64
		// lo, hi bound the quadrature of the density.
		lo, hi float64
	}{
		{"uniform", Uniform{-1, 3}, func(x float64) float64 { return (x + 1) / 4 }, -1, 3},
		{"log-uniform", LogUniform{0.1, 100}, func(x float64) float64 { return math.Log(x/0.1) / math.Log(1000) }, 0.1, 100},
		{"gaussian", Gaussian{Mu: 1, Sigma: 2}, func(x float64) float64 { return phi((x - 1) / 2) }, -30, 30},
		{"truncated", Gaussian{Mu: 0, Sigma: 1, Min: -0.5, Max: 2},
			func(x float64) float64 { return (phi(x) - phi(-0.5)) / (phi(2) - phi(-0.5)) }, -0.5, 2},
		// Far in the upper tail, where Φ(a) and Φ(b) both round to 1.
		{"upper tail", Gaussian{Mu: 0, Sigma: 1, Min: 9, Max: 10},
			func(x float64) float64 {
				q := func(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }
				return (q(9) - q(x)) / (q(9) - q(10))
			}, 9, 10},
		{"lower tail", Gaussian{Mu: 0, Sigma: 1, Min: -10, Max: -9},
			func(x float64) float64 { return (phi(x) - phi(-10)) / (phi(-9) - phi(-10)) }, -10, -9},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := (Priors{c.p}).Validate(); err != nil {
				t.Fatal(err)
			}
			// The density integrates to one.
			z := quad.Fixed(func(x float64) float64 { return math.Exp(c.p.LogProb(x)) }, c.lo, c.hi, 2000, nil, 0)
			if !near(z, 1, 1e-6) {
				t.Errorf("∫ p = %v", z)
			}
			// Density = derivative of the CDF.
			for _, f := range []float64{0.2, 0.5, 0.9} {
				x := c.lo + f*(c.hi-c.lo)
				h := 1e-5 * (c.hi - c.lo)
				fd := (c.cdf(x+h) - c.cdf(x-h)) / (2 * h)
				if p := math.Exp(c.p.LogProb(x)); !near(p, fd, 1e-5*math.Max(1, fd)) {
					t.Errorf("p(%v) = %v, dF/dx = %v", x, p, fd)
				}
			}
			lo, hi := c.p.Bounds()
			if !math.IsInf(c.p.LogProb(lo-1), -1) && !math.IsInf(lo, -1) {
				t.Errorf("log p below the support = %v", c.p.LogProb(lo-1))
			}
			if !math.IsInf(c.p.LogProb(math.NaN()), -1) {
				t.Error("log p(NaN) is not −Inf")
			}
			// Draws follow the CDF (KS test) and stay in the support.
			src := rand.NewPCG(7, 8)
			u := make([]float64, 5000)
			for i := range u {
				x := c.p.Rand(src)
				if x < lo || x > hi || math.IsNaN(x) {
					t.Fatalf("draw %v outside [%v, %v]", x, lo, hi)
				}
				u[i] = c.cdf(x)
			}
			if d, p := KSUniform(u); p < 0.01 {
				t.Errorf("draws: KS distance %v from the CDF, p = %v", d, p)
			}
		})
	}
}

func TestPriorsJoint(t *testing.T) {
	ps := Priors{Uniform{0, 2}, Gaussian{Sigma: 1}}
	want := -math.Log(2) - 0.5*math.Log(2*math.Pi) - 0.5*0.25
	if lp := ps.LogProb([]float64{1, 0.5}); !near(lp, want, 1e-14) {
		t.Errorf("joint log prior %v, want %v", lp, want)
	}
	a := ps.RandTo(nil, rand.NewPCG(1, 1))
	b := ps.RandTo(make([]float64, 2), rand.NewPCG(1, 1))
	if a[0] != b[0] || a[1] != b[1] {
		t.Errorf("same seed, different draws %v %v", a, b)
	}
	for _, c := range []struct {
		ps   Priors
		want string
	}{
		{nil, "no priors"},
		{Priors{Uniform{1, 1}}, "parameter 0: uniform prior on [1, 1]"},
		{Priors{Uniform{0, 1}, nil}, "parameter 1 has no prior"},
		{Priors{LogUniform{0, 1}}, "log-uniform"},
		{Priors{Gaussian{Sigma: 0}}, "Sigma > 0"},
		{Priors{Gaussian{Sigma: 1, Min: 2, Max: 1}}, "truncated to [2, 1]"},
		{Priors{Gaussian{Sigma: 1, Min: 50, Max: 60}}, "no mass"},
	} {
		err := c.ps.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.ps, err, c.want)
		}
	}
}

func TestKolmogorov(t *testing.T) {
	// Quantiles of the Kolmogorov distribution as tabulated to four digits
	// in statistics texts: P(K > 1.2238) = 0.10, P(K > 1.3581) = 0.05,
	// P(K > 1.6276) = 0.01 and the median 0.8276; both series agree where
	// they meet.
	for _, c := range []struct{ lambda, p float64 }{{1.3581, 0.05}, {1.6276, 0.01}, {1.2238, 0.10}, {0.8276, 0.50}} {
		if q := KolmogorovQ(c.lambda); !near(q, c.p, 2e-4) {
			t.Errorf("Q_KS(%v) = %v, want %v", c.lambda, q, c.p)
		}
	}
	if d := KolmogorovQ(1.18-1e-12) - KolmogorovQ(1.18); math.Abs(d) > 1e-12 {
		t.Errorf("series disagree at λ = 1.18 by %v", d)
	}
	// Size of the test: under H0 about 5% of samples have p < 0.05.
	rng := rand.New(rand.NewPCG(9, 9))
	rej := 0
	const trials = 2000
	for range trials {
		u := make([]float64, 100)
		for i := range u {
			u[i] = rng.Float64()
		}
		if _, p := KSUniform(u); p < 0.05 {
			rej++
		}
	}
	// Binomial(2000, 0.05): 100 ± 9.7.
	if rej < 70 || rej > 130 {
		t.Errorf("%d of %d uniform samples rejected at 5%%, want about 100", rej, trials)
	}
}
