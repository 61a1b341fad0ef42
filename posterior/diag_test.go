// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// ar1 returns m stationary AR(1) chains x_t = φ x_{t−1} + √(1−φ²) ε_t of
// length n with unit variance, whose integrated autocorrelation time is
// τ = (1 + φ)/(1 − φ).
func ar1(m, n int, phi float64, seed uint64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([][]float64, m)
	for c := range out {
		x := rng.NormFloat64()
		out[c] = make([]float64, n)
		for i := range out[c] {
			x = phi*x + math.Sqrt(1-phi*phi)*rng.NormFloat64()
			out[c][i] = x
		}
	}
	return out
}

func TestESSAR1(t *testing.T) {
	const m, n = 4, 50000
	for _, phi := range []float64{0, 0.5, 0.9, -0.3} {
		ch := ar1(m, n, phi, uint64(100*phi+1000))
		want := m * n * (1 - phi) / (1 + phi)
		// The relative error of τ̂ with a window of W lags is about
		// √(2(2W+1)/S) (Sokal 1997): about 2% here with W ≈ 5τ.
		// A negative φ has τ < 1; Geyer's sequence sees it, to the cap
		// 1/log10 S.
		tol := 0.07
		if phi < 0 {
			want = math.Min(want, m*n*math.Log10(m*n))
		}
		if e := ESS(ch); !near(e, want, tol*want) {
			t.Errorf("φ = %v: ESS %v, want %v", phi, e, want)
		}
		// Rank normalisation leaves Gaussian draws nearly unchanged.
		if e := BulkESS(ch); !near(e, want, tol*want) {
			t.Errorf("φ = %v: bulk ESS %v, want %v", phi, e, want)
		}
		// The indicator I(x ≤ q) of an AR(1) Gaussian chain has a shorter
		// autocorrelation than x; its ESS lies between ESS(x) and S.
		if e := TailESS(ch); phi > 0 && (e < 0.9*want || e > m*n) {
			t.Errorf("φ = %v: tail ESS %v, want in [%v, %v]", phi, e, want, m*n)
		}
		if r := RHat(ch); !(r < 1.005) {
			t.Errorf("φ = %v: R̂ of stationary chains = %v", phi, r)
		}
	}
}

func TestRHat(t *testing.T) {
	// Hand calculation of Gelman et al. (BDA3 eq. 11.3–11.4) for two
	// chains of 4: means 2.5 and 3.5, variances 5/3, W = 5/3, B/N = 1/2,
	// var⁺ = (3/4)(5/3) + 1/2 = 7/4, R̂ = √(7/4 · 3/5) = √1.05.
	if r := rhat([][]float64{{1, 2, 3, 4}, {2, 3, 4, 5}}); !near(r, math.Sqrt(1.05), 1e-14) {
		t.Errorf("R̂ = %v, want √1.05", r)
	}
	const n = 2000
	shifted := ar1(4, n, 0.3, 11)
	for i := range shifted[0] {
		shifted[0][i] += 0.5
	}
	// Chains with equal means but one four times as wide: the bulk R̂
	// misses it, the folded one (the tails) does not.
	wide := ar1(4, n, 0.3, 12)
	for i := range wide[0] {
		wide[0][i] *= 2
	}
	// One chain drifting: the split halves disagree.
	drift := ar1(1, n, 0.3, 13)
	for i := range drift[0] {
		drift[0][i] += 2 * float64(i) / n
	}
	for _, c := range []struct {
		name string
		ch   [][]float64
	}{{"shifted", shifted}, {"wide", wide}, {"drift", drift}} {
		if r := RHat(c.ch); !(r > 1.01) {
			t.Errorf("%s chain: R̂ = %v, want > 1.01", c.name, r)
		}
	}
	if r := rhat(rankNormal(split(wide))); r > 1.01 {
		t.Errorf("bulk R̂ of the wide chain = %v, expected ≈ 1 (the test premise)", r)
	}
	// Constant chains have no defined R̂ or ESS.
	flat := [][]float64{{1, 1, 1, 1}, {1, 1, 1, 1}}
	if r, e := RHat(flat), ESS(flat); !math.IsNaN(r) || !math.IsNaN(e) {
		t.Errorf("constant chains: R̂ %v, ESS %v, want NaN", r, e)
	}
}

func TestRankNormal(t *testing.T) {
	// Ranks of {3, 1, 3, 2} are 4, 1, 2.5 (tied 2 and 3)... in order:
	// 1 → 1, 2 → 2, 3 and 3 → 3.5 each.
	z := rankNormal([][]float64{{3, 1}, {3, 2}})
	q := func(r float64) float64 { return distuv.UnitNormal.Quantile((r - 0.375) / 4.25) }
	want := [][]float64{{q(3.5), q(1)}, {q(3.5), q(2)}}
	for c := range want {
		for i := range want[c] {
			if !near(z[c][i], want[c][i], 1e-14) {
				t.Errorf("z[%d][%d] = %v, want %v", c, i, z[c][i], want[c][i])
			}
		}
	}
}

func TestDiagPanics(t *testing.T) {
	for _, ch := range [][][]float64{nil, {{1, 2, 3}}, {{1, 2, 3, 4}, {1, 2, 3, 4, 5}}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("chains %v: no panic", ch)
				}
			}()
			ESS(ch)
		}()
	}
}
