// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// gauss1 is log N(x; mu, sd²) up to a constant.
func gauss1(x, mu, sd float64) float64 { z := (x - mu) / sd; return -0.5 * z * z }

// z68 and z95 are the half-widths of the central 68% and 95% intervals of
// a unit normal: Φ⁻¹(0.84) and Φ⁻¹(0.975).
var (
	z68 = distuv.UnitNormal.Quantile(0.84)
	z95 = distuv.UnitNormal.Quantile(0.975)
)

func TestGrid1DGaussian(t *testing.T) {
	const mu, sd = 0.3, 0.2
	ax := Linspace(-1, 1.6, 651) // Δ = 0.004 = σ/50
	g, err := gaussGrid(ax, mu, sd)
	if err != nil {
		t.Fatal(err)
	}
	// The trapezoidal rule on a smooth density: errors O(Δ²) ≪ 1e-5.
	if m, s := g.Mean()[0], g.Std()[0]; !near(m, mu, 1e-6) || !near(s, sd, 1e-5) {
		t.Errorf("mean, std = %v, %v, want %v, %v", m, s, mu, sd)
	}
	// Interval ends: linear interpolation of the density, error ≲ Δ²/σ.
	for _, c := range []struct{ cl, z float64 }{{0.68, z68}, {0.95, z95}} {
		iv := g.Intervals(c.cl)
		if len(iv) != 1 || !near(iv[0][0], mu-c.z*sd, 2e-4) || !near(iv[0][1], mu+c.z*sd, 2e-4) {
			t.Errorf("HPD %v = %v, want [%.5f, %.5f]", c.cl, iv, mu-c.z*sd, mu+c.z*sd)
		}
		if v := g.Volume(c.cl); !near(v, 2*c.z*sd, 2e-4) {
			t.Errorf("HPD %v length = %v, want %v", c.cl, v, 2*c.z*sd)
		}
		// Level = density at the interval end.
		want := math.Exp(-c.z*c.z/2) / (sd * math.Sqrt(2*math.Pi))
		if l := g.Level(c.cl); !near(l, want, 1e-3*want) {
			t.Errorf("level %v = %v, want %v", c.cl, l, want)
		}
	}
	// Credibility of μ + kσ is 2Φ(k) − 1.
	for _, k := range []float64{0.3, 1, 2} {
		c, _ := g.Credibility([]float64{mu + k*sd})
		if want := 2*distuv.UnitNormal.CDF(k) - 1; !near(c, want, 2e-3) {
			t.Errorf("credibility at μ+%vσ = %v, want %v", k, c, want)
		}
	}
	if c, _ := g.Credibility([]float64{5}); c != 1 {
		t.Errorf("credibility outside the grid = %v, want 1", c)
	}
	// Draws: mean and std within 4 MC standard errors.
	const n = 20000
	d, _ := g.Draws(n, rand.NewPCG(1, 2))
	var s1, s2 float64
	for _, v := range d {
		if v[0] < ax[0] || v[0] > ax[len(ax)-1] {
			t.Fatalf("draw %v outside the grid", v)
		}
		s1 += v[0]
		s2 += v[0] * v[0]
	}
	m := s1 / n
	s := math.Sqrt(s2/n - m*m)
	if !near(m, mu, 4*sd/math.Sqrt(n)) || !near(s, sd, 4*sd/math.Sqrt(2*n)) {
		t.Errorf("draws: mean, std = %v, %v, want %v, %v", m, s, mu, sd)
	}
}

func TestGridDraws(t *testing.T) {
	// A 1-D grid of two points is the linear density f(x) = 2x on [0, 1]
	// (and 2 − 2x reversed); its CDF is x² (2x − x²).
	for _, c := range []struct {
		name string
		lp   []float64
		cdf  func(float64) float64
	}{
		{"rising", []float64{math.Inf(-1), 0}, func(x float64) float64 { return x * x }},
		{"falling", []float64{0, math.Inf(-1)}, func(x float64) float64 { return 2*x - x*x }},
		{"trapezoid", []float64{0, math.Log(3)}, func(x float64) float64 { return (x + x*x) / 2 }},
	} {
		g, err := NewGrid(nil, [][]float64{{0, 1}}, c.lp)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := g.Draws(20000, rand.NewPCG(3, 4))
		u := make([]float64, len(d))
		for i, v := range d {
			u[i] = c.cdf(v[0])
		}
		if ks, p := KSUniform(u); p < 0.01 {
			t.Errorf("%s: KS distance %v of the draws from the linear density, p = %v", c.name, ks, p)
		}
	}
	// 2-D cells: uniform within the chosen cell, so a 2×2 grid of equal
	// densities is uniform on the square and the cell of the corner (0, 0)
	// is [0, 0.5]².
	g, _ := NewGrid(nil, [][]float64{{0, 1}, {0, 1}}, []float64{0, 0, 0, 0})
	d, _ := g.Draws(40000, rand.NewPCG(5, 6))
	var s [2]float64
	for _, v := range d {
		s[0] += v[0]
		s[1] += v[1] * v[1]
	}
	if m, m2 := s[0]/40000, s[1]/40000; !near(m, 0.5, 0.006) || !near(m2, 1.0/3, 0.006) {
		t.Errorf("uniform 2-D draws: E[x] = %v, E[y²] = %v, want 1/2, 1/3", m, m2)
	}
}

func TestGridBimodalIntervals(t *testing.T) {
	const sd = 0.3
	ax := Linspace(-4, 4, 1601)
	lp := make([]float64, len(ax))
	for i, x := range ax {
		lp[i] = math.Log(math.Exp(gauss1(x, -2, sd)) + math.Exp(gauss1(x, 2, sd)))
	}
	g, err := NewGrid(nil, [][]float64{ax}, lp)
	if err != nil {
		t.Fatal(err)
	}
	// Each mode holds half of the mass: the 68% region is the central 68%
	// interval of each component.
	iv := g.Intervals(0.68)
	if len(iv) != 2 {
		t.Fatalf("HPD 68%% = %v, want two intervals", iv)
	}
	for i, c := range []float64{-2, 2} {
		if !near(iv[i][0], c-z68*sd, 1e-3) || !near(iv[i][1], c+z68*sd, 1e-3) {
			t.Errorf("interval %d = %v, want [%.4f, %.4f]", i, iv[i], c-z68*sd, c+z68*sd)
		}
	}
	// Mixture variance: σ² + 2² (equal weights, means ±2).
	if s := g.Std()[0]; !near(s, math.Sqrt(sd*sd+4), 1e-4) {
		t.Errorf("std = %v, want %v", s, math.Sqrt(sd*sd+4))
	}
}

// corrGauss returns a 2-D grid of the Gaussian with standard deviations
// s0, s1 and correlation rho, over ±6σ.
func corrGauss(t *testing.T, mu [2]float64, s0, s1, rho float64, n int) *Grid {
	t.Helper()
	axes := [][]float64{Linspace(mu[0]-6*s0, mu[0]+6*s0, n), Linspace(mu[1]-6*s1, mu[1]+6*s1, n)}
	lp := make([]float64, n*n)
	for i, x := range axes[0] {
		for j, y := range axes[1] {
			a, b := (x-mu[0])/s0, (y-mu[1])/s1
			lp[i*n+j] = -0.5 * (a*a - 2*rho*a*b + b*b) / (1 - rho*rho)
		}
	}
	g, err := NewGrid([]string{"a", "b"}, axes, lp)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestGrid2DAreas(t *testing.T) {
	const s0, s1, rho = 0.2, 0.3, 0.6
	g := corrGauss(t, [2]float64{1, -1}, s0, s1, rho, 241)
	det := s0 * s0 * s1 * s1 * (1 - rho*rho)
	for _, cl := range []float64{0.68, 0.95} {
		// The HPD region of a 2-D Gaussian is the ellipse χ² ≤ −2 log(1−cl),
		// of area π(−2 log(1−cl))√det Σ.
		want := math.Pi * -2 * math.Log(1-cl) * math.Sqrt(det)
		if a := g.Volume(cl); !near(a, want, 2e-3*want) {
			t.Errorf("area %v = %v, want %v", cl, a, want)
		}
		// Credibility on the ellipse's boundary is cl.
		c := -2 * math.Log(1-cl)
		p := []float64{1 + s0*math.Sqrt(c), -1 + rho*s1*math.Sqrt(c)} // on the boundary: a = √c, b = ρ√c
		if got, _ := g.Credibility(p); !near(got, cl, 2e-3) {
			t.Errorf("credibility at the %v boundary = %v", cl, got)
		}
	}
	cov := g.Cov()
	if !near(cov.At(0, 1), rho*s0*s1, 1e-6) || !near(math.Sqrt(cov.At(1, 1)), s1, 1e-6) {
		t.Errorf("covariance %v, want ρσ0σ1 = %v, σ1 = %v", cov, rho*s0*s1, s1)
	}
	m := g.Marginal(1)
	if m.Dim() != 1 || m.Names[0] != "b" || !near(m.Mean()[0], -1, 1e-9) || !near(m.Std()[0], s1, 1e-6) {
		t.Errorf("marginal of b: %v mean %v std %v", m.Names, m.Mean(), m.Std())
	}
	iv := m.Intervals(0.95)
	if len(iv) != 1 || !near(iv[0][1]-iv[0][0], 2*z95*s1, 2e-3) {
		t.Errorf("marginal 95%% interval %v, want width %v", iv, 2*z95*s1)
	}
	// The marginal in the other order transposes the grid.
	tr := g.Marginal(1, 0)
	if c := tr.Cov(); !near(c.At(0, 0), s1*s1, 1e-7) || !near(tr.Volume(0.68), g.Volume(0.68), 1e-12) {
		t.Errorf("transposed marginal: cov %v, area %v vs %v", c, tr.Volume(0.68), g.Volume(0.68))
	}
}

func TestMixGrids(t *testing.T) {
	ax := Linspace(-3, 3, 1201)
	mk := func(mu, sd float64) *Grid {
		g, err := gaussGrid(ax, mu, sd)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	a, b := mk(-0.2, 0.3), mk(0.4, 0.2)
	mix, err := MixGrids(a, b)
	if err != nil {
		t.Fatal(err)
	}
	// Equal-weight mixture: mean of the means; variance = mean of the
	// variances + variance of the means.
	wantMu := 0.1
	wantVar := (0.09+0.04)/2 + 0.09
	if !near(mix.Mean()[0], wantMu, 1e-6) || !near(mix.Cov().At(0, 0), wantVar, 1e-6) {
		t.Errorf("mixture mean, var = %v, %v, want %v, %v", mix.Mean()[0], mix.Cov().At(0, 0), wantMu, wantVar)
	}
	other, _ := NewGrid(nil, [][]float64{Linspace(-3, 3, 11)}, make([]float64, 11))
	if _, err := MixGrids(a, other); err == nil {
		t.Error("mixture of different grids: no error")
	}
}

func TestGridNuisanceMarginal(t *testing.T) {
	m, wantMu, wantSd := nuisanceModel()
	axes := [][]float64{Linspace(-1.5, 3, 301), Linspace(-6, 6, 241)}
	g, err := EvalGrid(m, axes, nil)
	if err != nil {
		t.Fatal(err)
	}
	g2, err := EvalGrid(m, axes, &GridSettings{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	for k := range g.Len() {
		if g.Density(k) != g2.Density(k) {
			t.Fatalf("point %d: density %v with 1 worker, %v with 3", k, g.Density(k), g2.Density(k))
		}
	}
	sum, err := g.Summary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Params) != 1 || sum.Params[0].Name != "theta" || len(sum.Regions) != 0 {
		t.Fatalf("summary reports %+v, want θ only", sum.Params)
	}
	p := sum.Params[0]
	if !near(p.Mean, wantMu, 1e-4) || !near(p.Std, wantSd, 1e-4) {
		t.Errorf("θ: mean %v std %v, want %v %v", p.Mean, p.Std, wantMu, wantSd)
	}
	if iv := p.HPD[0].Intervals; len(iv) != 1 || !near(iv[0][0], wantMu-z68*wantSd, 1e-3) {
		t.Errorf("θ 68%% HPD %v, want lower end %v", iv, wantMu-z68*wantSd)
	}
}

func TestGridErrors(t *testing.T) {
	ax := [][]float64{{0, 1, 2}}
	for _, c := range []struct {
		name string
		axes [][]float64
		lp   []float64
		want string
	}{
		{"nan", ax, []float64{0, math.NaN(), 0}, "grid point 1"},
		{"inf", ax, []float64{0, math.Inf(1), 0}, "is +Inf"},
		{"vanishes", ax, []float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}, "vanishes"},
		{"length", ax, []float64{0, 0}, "2 log-posterior values"},
		{"order", [][]float64{{0, 2, 1}}, []float64{0, 0, 0}, "not strictly increasing"},
		{"empty", [][]float64{{}}, nil, "axis 0 is empty"},
		{"none", nil, nil, "without axes"},
	} {
		_, err := NewGrid(nil, c.axes, c.lp)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	m := &Model{Priors: Priors{Uniform{0, 1}}, LogLikelihood: func(p []float64) (float64, error) { return math.NaN(), nil }}
	if _, err := EvalGrid(m, [][]float64{{0.5}}, nil); err == nil || !strings.Contains(err.Error(), "[0.5] is NaN") {
		t.Errorf("NaN likelihood: error %v", err)
	}
	if _, err := EvalGrid(m, [][]float64{{0.5}, {1}}, nil); err == nil || !strings.Contains(err.Error(), "2 grid axes for 1 parameters") {
		t.Errorf("too many axes: error %v", err)
	}
}
