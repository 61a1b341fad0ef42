// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/goldmine-hep/goldmine/limits/internal/mmdata"
)

// quadMorpher returns the quadratic 2-parameter morphing for the basis.
func quadMorpher(t testing.TB, basis [][]float64) *mmdata.Morpher {
	m, err := mmdata.Quadratic2(basis)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var toyBasis = [][]float64{{0, 0}, {1, 0}, {0, 1}, {-1, 0.5}, {0.7, -0.8}, {-0.4, -1}}

// gaussSigma is the total cross section of the Gaussian toy (pb).
func gaussSigma(th []float64) float64 {
	return 0.1 * (1 + 0.5*th[0]*th[0] + 0.3*th[1]*th[1] + 0.2*th[0])
}

// gaussToy is x ~ N(θ, 1) in two dimensions with the exact log-ratio
// log p(x|θ) − log p(x|0) = θ·x − |θ|²/2, and a quadratic rate.
func gaussToy(t testing.TB, lumi float64) *ML {
	m := quadMorpher(t, toyBasis)
	sig := make([]float64, len(toyBasis))
	for b, th := range toyBasis {
		sig[b] = gaussSigma(th)
	}
	return &ML{
		Params: 2,
		LogRatio: func(dst, x, p []float64) error {
			for i := range dst {
				x0, x1 := x[2*i], x[2*i+1]
				dst[i] = p[0]*x0 + p[1]*x1 - 0.5*(p[0]*p[0]+p[1]*p[1])
			}
			return nil
		},
		Rate: &RateTerm{Morpher: m, Luminosity: lumi, Sigma: sig},
	}
}

// gaussAsimov returns Asimov data at θ by Gauss–Hermite quadrature, for
// which the mean of any polynomial of degree < 16 in x is exact.
func gaussAsimov(theta []float64, n float64) *Data {
	const k = 8
	z, w := make([]float64, k), make([]float64, k)
	quad.Hermite{}.FixedLocations(z, w, math.Inf(-1), math.Inf(1))
	d := &Data{Dim: 2, N: n}
	for i := range z {
		for j := range z {
			d.X = append(d.X, theta[0]+math.Sqrt2*z[i], theta[1]+math.Sqrt2*z[j])
			d.Weight = append(d.Weight, n*w[i]*w[j]/math.Pi)
		}
	}
	return d
}

// TestMLGaussianAnalytic: with the exact ratio the ml-mode p-values are the
// analytic likelihood-ratio ones, q(θ) = n|θ−θ₀|² + 2[μ(θ) − n − n log(μ(θ)/n)],
// and the continuous best fit finds θ₀ between grid points.
func TestMLGaussianAnalytic(t *testing.T) {
	const lumi = 3000.0
	model := gaussToy(t, lumi)
	theta0 := []float64{0.13, -0.07}
	n := lumi * gaussSigma(theta0)
	if mu := model.Rate.Mu(theta0, nil); !relClose(mu, n, 1e-12) {
		t.Fatalf("morphed rate %v, want %v", mu, n)
	}
	data := gaussAsimov(theta0, n)
	points, err := Grid{Ranges: [][2]float64{{-0.4, 0.6}, {-0.5, 0.3}}, Resolutions: []int{9}}.Points()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Scan(model, data, points, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Continuous || math.Hypot(res.BestFit[0]-theta0[0], res.BestFit[1]-theta0[1]) > 1e-5 {
		t.Errorf("best fit %v, want %v (continuous %v)", res.BestFit, theta0, res.Continuous)
	}
	chi := distuv.ChiSquared{K: 2}
	for i, th := range points {
		mu := lumi * gaussSigma(th)
		dx, dy := th[0]-theta0[0], th[1]-theta0[1]
		q := n*(dx*dx+dy*dy) + 2*(mu-n-n*math.Log(mu/n))
		if math.Abs(res.Q[i]-q) > 1e-6*math.Max(q, 1) {
			t.Errorf("point %v: q = %.10g, analytic %.10g", th, res.Q[i], q)
		}
		if p := chi.Survival(q); !relClose(res.PValues[i], p, 1e-5) && math.Abs(res.PValues[i]-p) > 1e-12 {
			t.Errorf("point %v: p = %.10g, analytic %.10g", th, res.PValues[i], p)
		}
	}
	// The grid-only best fit is never better than the continuous one.
	g, _ := Scan(model, data, points, &Settings{GridOnly: true})
	if g.BestLogLikelihood > res.BestLogLikelihood {
		t.Error("grid best fit beats the continuous one")
	}
	if _, err := json.Marshal(res); err != nil {
		t.Errorf("result does not marshal: %v", err)
	}
}

// gaussToyGenerator draws pseudo-data of gaussToy at theta0: a Poisson
// number of events of mean mu0, each x ~ N(theta0, 1).
func gaussToyGenerator(theta0 []float64, mu0 float64) Generator {
	return func(rnd *rand.Rand) (*Data, error) {
		n := int(distuv.Poisson{Lambda: mu0, Src: rnd}.Rand())
		d := &Data{Dim: 2, N: float64(n)}
		for i := 0; i < n; i++ {
			d.X = append(d.X, theta0[0]+rnd.NormFloat64(), theta0[1]+rnd.NormFloat64())
			d.Weight = append(d.Weight, 1)
		}
		return d, nil
	}
}

// TestToyCoverage: Poisson-fluctuated pseudo-data at θ₀ give q(θ₀) below
// Wilks' 68% and 95% thresholds in 68% and 95% of the toys, within three
// binomial standard errors.
func TestToyCoverage(t *testing.T) {
	nToys := 1000
	if testing.Short() {
		nToys = 300
	}
	const lumi = 2000.0
	model := gaussToy(t, lumi)
	theta0 := []float64{0.1, -0.2}
	gen := gaussToyGenerator(theta0, lumi*gaussSigma(theta0))
	points, _ := Grid{Ranges: [][2]float64{{-0.2, 0.4}, {-0.5, 0.1}}, Resolutions: []int{3}}.Points()
	c, err := Calibrate(model, points, Toys{Generate: gen, Theta: theta0, QObserved: 2.0, N: nToys, Seed: 42}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, cv := range []struct {
		got, want float64
	}{{c.Coverage68, 0.68}, {c.Coverage95, 0.95}} {
		se := math.Sqrt(cv.want * (1 - cv.want) / float64(nToys))
		if math.Abs(cv.got-cv.want) > 3*se {
			t.Errorf("coverage %v, want %v ± %v", cv.got, cv.want, se)
		}
	}
	// For q = 2 the χ²₂ p-value is e^{-1}.
	if math.Abs(c.PAsymptotic-math.Exp(-1)) > 1e-12 || math.Abs(c.PToys-c.PAsymptotic) > 3*c.PToysError+0.01 {
		t.Errorf("p(q=2): toys %v ± %v, asymptotic %v", c.PToys, c.PToysError, c.PAsymptotic)
	}
	// Same seed, same numbers.
	c2, _ := Calibrate(model, points, Toys{Generate: gen, Theta: theta0, QObserved: 2.0, N: 20, Seed: 42}, nil)
	c3, _ := Calibrate(model, points, Toys{Generate: gen, Theta: theta0, QObserved: 2.0, N: 20, Seed: 42}, nil)
	for i := range c2.Q {
		if c2.Q[i] != c3.Q[i] {
			t.Fatal("calibration not reproducible with the same seed")
		}
	}
	t.Logf("coverage 68%%: %.3f, 95%%: %.3f over %d toys; p(q=2) toys %.3f asymptotic %.3f", c.Coverage68, c.Coverage95, nToys, c.PToys, c.PAsymptotic)
}

// interval returns the range of θ with p ≥ pmin along a 1D scan.
func interval(r *Result, pmin float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for i, p := range r.PValues {
		if p >= pmin {
			lo = math.Min(lo, r.Points[i][0])
			hi = math.Max(hi, r.Points[i][0])
		}
	}
	return lo, hi
}

// TestNuisanceWidensAndConverges: a normalisation uncertainty profiled with
// its Gaussian constraint widens the rate-only interval to the expected
// √((1/N + σ²)/δ²), and with σ → 0 the scan converges to the one with the
// nuisance parameter fixed.
func TestNuisanceWidensAndConverges(t *testing.T) {
	// One parameter, σ(θ) = σ₀(1 + δθ): linear morphing over θ = 0, 1.
	m := &mmdata.Morpher{Components: [][]int{{0}, {1}}, Matrix: [][]float64{{1, 0}, {-1, 1}}}
	const lumi, n0, delta = 1e5, 1e4, 0.05
	sig := []float64{n0 / lumi, n0 / lumi * (1 + delta)}
	points, _ := Grid{Ranges: [][2]float64{{-2, 2}}, Resolutions: []int{401}}.Points()
	scan := func(sys float64, fix bool) *Result {
		term := &RateTerm{Morpher: m, Luminosity: lumi, Sigma: sig, Nuisance: []Effect{{A: sys}}}
		r, err := Scan(&Rate{Term: term, Nuisance: 1}, &Data{N: n0}, points, &Settings{FixNuisance: fix})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	fixed := scan(0.02, true)
	lo0, hi0 := interval(fixed, 0.3173)
	prev := math.Inf(1)
	for _, sys := range []float64{0.05, 0.02, 0.01} {
		r := scan(sys, false)
		lo, hi := interval(r, 0.3173)
		if !(lo < lo0 && hi > hi0) {
			t.Errorf("σ_sys=%v: interval [%v, %v] not wider than fixed [%v, %v]", sys, lo, hi, lo0, hi0)
		}
		// 1σ half-width from the profiled q(θ) = 1 crossing vs closed form.
		want := math.Sqrt((1/n0 + sys*sys) / (delta * delta))
		half := (hi - lo) / 2
		if math.Abs(half-want) > 0.02*want+0.01 {
			t.Errorf("σ_sys=%v: half-width %v, closed form %v", sys, half, want)
		}
		t.Logf("σ_sys=%v: 68%% interval [%.3f, %.3f] (fixed [%.3f, %.3f]), half-width %.4f, closed form %.4f", sys, lo, hi, lo0, hi0, half, want)
		if half > prev {
			t.Errorf("σ_sys=%v: interval does not shrink with σ_sys", sys)
		}
		prev = half
	}
	tiny := scan(1e-7, false)
	for i := range points {
		if math.Abs(tiny.Q[i]-fixed.Q[i]) > 1e-6*math.Max(1, fixed.Q[i]) {
			t.Errorf("θ=%v: q(σ_sys→0) = %v, fixed %v", points[i], tiny.Q[i], fixed.Q[i])
		}
	}
	if fixed.Nuisance[10][0] != 0 {
		t.Error("fixed nuisance parameter moved")
	}
}

func TestGridAndSplit(t *testing.T) {
	pts, err := Grid{Ranges: [][2]float64{{0, 1}, {-1, 1}, {2, 2}}, Resolutions: []int{3}}.Points()
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 27 || pts[1][2] != 2 || pts[1][1] != -1 || pts[3][1] != 0 || pts[9][0] != 0.5 {
		t.Errorf("integer resolution grid wrong: %v", pts[:10])
	}
	if _, err := (Grid{Ranges: [][2]float64{{0, 1}}, Resolutions: []int{1, 2}}).Points(); err == nil {
		t.Error("mismatched resolutions accepted")
	}
	s0, e0, f0, _ := Split{Test: 0.2}.TrainRange(30000)
	s1, e1, f1, _ := Split{Test: 0.2}.TestRange(30000)
	if s0 != 0 || e0 != 24000 || s1 != 24000 || e1 != 30000 || f0 != 1.25 || f1 != 5 {
		t.Errorf("split 0.2: [%d,%d)×%v [%d,%d)×%v", s0, e0, f0, s1, e1, f1)
	}
	// No silent default: a test fraction of 0 is an error.
	if _, _, _, err := (Split{}).TestRange(30000); err == nil {
		t.Error("test fraction 0 accepted")
	}
	s1, _, f1, _ = Split{Test: 0.2, MadMiner: true}.TestRange(30000)
	if s1 != 24001 || f1 != 5 {
		t.Errorf("MadMiner split: test starts at %d ×%v, MadMiner 24001 ×5", s1, f1)
	}
	if _, _, _, err := (Split{Test: 1.5}).TestRange(10); err == nil {
		t.Error("bad split accepted")
	}
}
