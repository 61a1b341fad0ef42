// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package simulators

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/stat/combin"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestGaltonProbsSumToOne: p(x|θ) sums to one and its gradient to zero;
// at θ = 0 the board is fair and p is binomial(n, 1/2).
func TestGaltonProbsSumToOne(t *testing.T) {
	for _, rows := range []int{1, 2, 7, 20, 31} {
		g := Galton{Rows: rows}
		for _, th := range []float64{-1, -0.3, 0, 0.4, 1.5} {
			ps, err := g.Probs([]float64{th})
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != rows+1 {
				t.Fatalf("%d rows: %d slots", rows, len(ps))
			}
			s, ds := 0.0, 0.0
			for k, p := range ps {
				if !(p.V >= 0) {
					t.Errorf("p(%d) = %v", k, p.V)
				}
				s += p.V
				ds += p.D[0]
				if th == 0 {
					want := float64(combin.Binomial(rows, k)) * math.Pow(0.5, float64(rows))
					if !scalar.EqualWithinAbsOrRel(p.V, want, 1e-15, 1e-12) {
						t.Errorf("θ=0, %d rows: p(%d) = %v, binomial %v", rows, k, p.V, want)
					}
				}
			}
			if math.Abs(s-1) > 1e-12 || math.Abs(ds) > 1e-12 {
				t.Errorf("%d rows, θ=%v: Σp = %v, Σ∂p = %v", rows, th, s, ds)
			}
		}
	}
}

// TestGaltonProbsEnumeration compares the dynamic programme with the sum
// over all 2^n paths of the product of the left/right probabilities, for a
// board with a two-parameter nail response.
func TestGaltonProbsEnumeration(t *testing.T) {
	const rows = 9
	pl := func(th []Dual, r, k, n int) Dual {
		return Sigmoid(th[0].MulScalar(float64(k) - float64(r)/2).Add(th[1].MulScalar(float64(r) / float64(n))))
	}
	plf := func(th []float64, r, k, n int) float64 {
		return 1 / (1 + math.Exp(-(th[0]*(float64(k)-float64(r)/2) + th[1]*float64(r)/float64(n))))
	}
	g := Galton{Rows: rows, PLeft: pl}
	theta := []float64{0.35, -0.8}
	ps, err := g.Probs(theta)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float64, rows+1)
	for path := 0; path < 1<<rows; path++ {
		k, p := 0, 1.0
		for r := 0; r < rows; r++ {
			left := plf(theta, r, k, rows)
			if path>>r&1 == 0 {
				p *= left
			} else {
				p *= 1 - left
				k++
			}
		}
		want[k] += p
	}
	for k := range want {
		if !scalar.EqualWithinAbsOrRel(ps[k].V, want[k], 1e-15, 1e-12) {
			t.Errorf("p(%d) = %v, enumeration %v", k, ps[k].V, want[k])
		}
	}
}

// TestGaltonExactScoreFD: the exact score (gradient carried through the
// dynamic programme) equals finite differences of the exact log p(x|θ).
func TestGaltonExactScoreFD(t *testing.T) {
	g := Galton{}
	for _, th := range []float64{-0.7, 0.1, 0.9} {
		for x := 0; x <= 20; x++ {
			lp, score, err := g.LogLikelihood([]float64{float64(x)}, []float64{th})
			if err != nil {
				t.Fatal(err)
			}
			f := func(v []float64) float64 {
				l, _, err := g.LogLikelihood([]float64{float64(x)}, v)
				if err != nil {
					t.Fatal(err)
				}
				return l
			}
			want := fd.Gradient(nil, f, []float64{th}, &fd.Settings{Formula: fd.Central, Step: 1e-5})
			if !scalar.EqualWithinAbsOrRel(score[0], want[0], 1e-6*(1+math.Abs(lp)), 1e-6) {
				t.Errorf("θ=%v x=%d: score %v, finite differences %v", th, x, score[0], want[0])
			}
		}
	}
	for _, bad := range [][]float64{{-1}, {21}, {2.5}, {1, 2}, {}} {
		if _, _, err := g.LogLikelihood(bad, []float64{0}); err == nil {
			t.Errorf("x = %v accepted", bad)
		}
	}
	bad := Galton{Rows: 3, PLeft: func([]Dual, int, int, int) Dual { return Const(1.2) }}
	if _, err := bad.Probs([]float64{0}); err == nil {
		t.Error("p_left = 1.2 accepted")
	}
}

// galtonChi2 returns the χ² statistic and its number of degrees of freedom
// of the histogram counts against n·p (slots with expectation below 5
// merged into their neighbours).
func galtonChi2(counts []int, p []Dual) (chi2 float64, dof int) {
	n := 0
	for _, c := range counts {
		n += c
	}
	var obs, exp float64
	bins := 0
	for k := range counts {
		obs += float64(counts[k])
		exp += float64(n) * p[k].V
		if exp >= 5 || k == len(counts)-1 {
			chi2 += (obs - exp) * (obs - exp) / exp
			obs, exp = 0, 0
			bins++
		}
	}
	return chi2, bins - 1
}

// TestGaltonHistogramChi2: the histogram of simulated slots agrees with
// the exact p(x|θ) (χ² p-value above 0.001 with a fixed seed), while the
// same histogram against p(x|θ+0.05) is rejected (the test has power).
func TestGaltonHistogramChi2(t *testing.T) {
	g := Galton{}
	const n = 50000
	for _, th := range []float64{-0.5, 0.3} {
		s, err := SampleScore(g.Simulate, [][]float64{{th}}, n, &Config{Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		counts := make([]int, 21)
		for _, x := range s.X {
			counts[int(x)]++
		}
		ps, _ := g.Probs([]float64{th})
		chi2, dof := galtonChi2(counts, ps)
		pv := distuv.ChiSquared{K: float64(dof)}.Survival(chi2)
		t.Logf("θ=%v: χ² = %.1f for %d dof, p = %.3f", th, chi2, dof, pv)
		if pv < 1e-3 {
			t.Errorf("θ=%v: χ² = %.1f for %d dof, p = %.2g", th, chi2, dof, pv)
		}
		wrong, _ := g.Probs([]float64{th + 0.05})
		chi2, dof = galtonChi2(counts, wrong)
		if pv := (distuv.ChiSquared{K: float64(dof)}.Survival(chi2)); pv > 1e-3 {
			t.Errorf("θ=%v: the histogram is compatible with θ+0.05 (p = %.2g): no power", th, pv)
		}
	}
}

func TestGaussianExact(t *testing.T) {
	g := Gaussian{SigmaZ: 0.8, SigmaX: 0.6}
	x, th := []float64{0.3, -1.1}, []float64{0.1, 0.4}
	lp, score := g.LogLikelihood(nil, x, th)
	want := 0.0
	for i := range x {
		want += distuv.Normal{Mu: th[i], Sigma: 1}.LogProb(x[i])
	}
	if !scalar.EqualWithinAbsOrRel(lp, want, 1e-14, 1e-14) {
		t.Errorf("log p = %v, want %v", lp, want)
	}
	f := func(v []float64) float64 { l, _ := g.LogLikelihood(nil, x, v); return l }
	fdScore := fd.Gradient(nil, f, th, nil)
	for i := range th {
		if !scalar.EqualWithinAbsOrRel(score[i], fdScore[i], 1e-6, 1e-6) {
			t.Errorf("score %v, finite differences %v", score, fdScore)
		}
	}
	// Simulated x have mean θ and variance σz² + σx² = 1.
	s, err := SampleScore(g.Simulate, [][]float64{th}, 20000, &Config{Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	for i := range th {
		col := make([]float64, s.N)
		sq := make([]float64, s.N)
		for j := range col {
			col[j] = s.X[j*2+i]
			sq[j] = (col[j] - th[i]) * (col[j] - th[i])
		}
		if z := zStat(col, th[i]); z > 4 {
			t.Errorf("mean of x_%d off by %.1f standard errors", i, z)
		}
		if z := zStat(sq, 1); z > 4 {
			t.Errorf("variance of x_%d off by %.1f standard errors", i, z)
		}
	}
}

func TestLotkaVolterraStats(t *testing.T) {
	xs := []float64{1, 3, 2, 5}
	ys := []float64{4, 4, 0, 2}
	got := LotkaVolterraStats(nil, xs, ys)
	// mean x 2.75, var x (3.0625+0.0625+0.5625+5.0625)/4 = 2.1875;
	// mean y 2.5, var y (2.25+2.25+6.25+0.25)/4 = 2.75.
	dx := []float64{-1.75, 0.25, -0.75, 2.25}
	dy := []float64{1.5, 1.5, -2.5, -0.5}
	ac := func(d []float64, v float64, lag int) float64 {
		s := 0.0
		for i := 0; i+lag < len(d); i++ {
			s += d[i] * d[i+lag]
		}
		return s / (4 * v)
	}
	cross := 0.0
	for i := range dx {
		cross += dx[i] * dy[i]
	}
	want := []float64{math.Log(3.75), math.Log(3.5), math.Log(3.1875), math.Log(3.75),
		ac(dx, 2.1875, 1), ac(dx, 2.1875, 2), ac(dy, 2.75, 1), ac(dy, 2.75, 2),
		cross / (4 * math.Sqrt(2.1875*2.75))}
	for i := range want {
		if !scalar.EqualWithinAbsOrRel(got[i], want[i], 1e-14, 1e-13) {
			t.Errorf("statistic %d = %v, want %v", i, got[i], want[i])
		}
	}
	c := LotkaVolterraStats(nil, []float64{0, 0, 0}, []float64{1, 2, 3})
	if c[0] != 0 || c[2] != 0 || c[4] != 0 || c[8] != 0 {
		t.Errorf("extinct predators: %v", c)
	}
}

// TestLotkaVolterraSeries checks the jump process against its known
// behaviour: the recorded series start at (X0, Y0) and never jump by more
// than the number of reactions; over a short time (0.02, where the
// populations barely move) the number of reactions is Poisson with mean
// a0·T = 225·0.02 and the reactions occur in the proportions of the
// rates 50 : 25 : 100 : 50.
func TestLotkaVolterraSeries(t *testing.T) {
	lv := LotkaVolterra{T: 0.02, Dt: 0.001}
	var xs, ys []float64
	var events int
	sim := func(th []Dual, tr *Tracer) []float64 {
		xs, ys, events = lv.Series(th, tr)
		return nil
	}
	const runs = 500
	total := 0
	counts := make([]float64, 4)
	for seed := uint64(0); seed < runs; seed++ {
		r, err := Simulate(sim, LotkaVolterraTheta, rand.NewPCG(seed, 2))
		if err != nil {
			t.Fatal(err)
		}
		if len(xs) != 21 || xs[0] != 50 || ys[0] != 100 {
			t.Fatalf("series of length %d starting at (%v, %v)", len(xs), xs[0], ys[0])
		}
		for i := 1; i < len(xs); i++ {
			if math.Abs(xs[i]-xs[0])+math.Abs(ys[i]-ys[0]) > float64(events) {
				t.Fatalf("populations moved further than the number of events")
			}
		}
		for _, d := range r.Trace.Draws {
			if d.Dist == CategoricalDist {
				counts[int(d.Value)]++
			}
		}
		total += events
	}
	mean := 225 * 0.02 * runs
	if z := math.Abs(float64(total)-mean) / math.Sqrt(mean); z > 4 {
		t.Errorf("%d reactions in %d runs, want %v (%.1f σ)", total, runs, mean, z)
	}
	probs := []float64{50.0 / 225, 25.0 / 225, 100.0 / 225, 50.0 / 225}
	chi2 := 0.0
	for j, p := range probs {
		e := p * float64(total)
		chi2 += (counts[j] - e) * (counts[j] - e) / e
	}
	if pv := (distuv.ChiSquared{K: 3}.Survival(chi2)); pv < 1e-3 {
		t.Errorf("reaction counts %v, proportions %v: χ² = %.1f, p = %.2g", counts, probs, chi2, pv)
	}
	if _, err := Simulate(LotkaVolterra{X0: -1}.Simulate, LotkaVolterraTheta, rand.NewPCG(1, 1)); err == nil {
		t.Error("negative initial population accepted")
	}
}
