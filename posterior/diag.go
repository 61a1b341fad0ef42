// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// The convergence diagnostics follow Vehtari, Gelman, Simpson, Carpenter
// and Bürkner, "Rank-normalization, folding, and localization: an improved
// R̂ for assessing convergence of MCMC", Bayesian Analysis 16 (2021) 667
// (arXiv:1903.08008). Every function takes M ≥ 1 chains of one scalar
// quantity, all of the same length N ≥ 4, and splits each chain into two
// halves first.

func checkChains(chains [][]float64) {
	if len(chains) == 0 {
		panic("posterior: no chains")
	}
	n := len(chains[0])
	if n < 4 {
		panic("posterior: chains shorter than 4 draws")
	}
	for _, c := range chains {
		if len(c) != n {
			panic("posterior: chains of different lengths")
		}
	}
}

// split returns the first and second halves of every chain (dropping the
// middle draw of an odd chain).
func split(chains [][]float64) [][]float64 {
	out := make([][]float64, 0, 2*len(chains))
	for _, c := range chains {
		h := len(c) / 2
		out = append(out, c[:h], c[len(c)-h:])
	}
	return out
}

// rankNormal replaces every draw by Φ⁻¹((r − 3/8)/(S + 1/4)), with r its
// rank among all S draws (ties get their average rank), as in Vehtari et
// al. (2021) eq. 14.
func rankNormal(chains [][]float64) [][]float64 {
	type item struct {
		v    float64
		c, i int
	}
	var all []item
	for c, ch := range chains {
		for i, v := range ch {
			all = append(all, item{v, c, i})
		}
	}
	sort.Slice(all, func(a, b int) bool { return all[a].v < all[b].v })
	out := make([][]float64, len(chains))
	for c, ch := range chains {
		out[c] = make([]float64, len(ch))
	}
	s := float64(len(all))
	for lo := 0; lo < len(all); {
		hi := lo + 1
		for hi < len(all) && all[hi].v == all[lo].v {
			hi++
		}
		r := float64(lo+1+hi) / 2 // average of the 1-based ranks lo+1 … hi
		z := distuv.UnitNormal.Quantile((r - 0.375) / (s + 0.25))
		for _, it := range all[lo:hi] {
			out[it.c][it.i] = z
		}
		lo = hi
	}
	return out
}

// rhat returns √(var⁺/W) of the chains as they are (no splitting), with W
// the mean within-chain variance and var⁺ = (N−1)/N·W + B/N, B/N the
// variance of the chain means (Gelman et al., Bayesian Data Analysis, 3rd
// ed., eq. 11.3–11.4).
func rhat(chains [][]float64) float64 {
	n := float64(len(chains[0]))
	means := make([]float64, len(chains))
	w := 0.0
	for c, ch := range chains {
		mu, v := meanVar(ch)
		means[c] = mu
		w += v
	}
	w /= float64(len(chains))
	_, b := meanVar(means)
	if len(chains) == 1 {
		b = 0
	}
	vplus := (n-1)/n*w + b
	return math.Sqrt(vplus / w)
}

// meanVar returns the mean and the unbiased variance of x (gonum's
// stat.MeanVariance), the variance 0 for fewer than two values.
func meanVar(x []float64) (mu, v float64) {
	if len(x) < 2 {
		return stat.Mean(x, nil), 0
	}
	return stat.MeanVariance(x, nil)
}

// RHat returns the rank-normalised split-R̂ of Vehtari et al. (2021): the
// larger of the split-R̂ of the rank-normalised draws (bulk) and of the
// rank-normalised folded draws |θ − median θ| (tails). Values above 1.01
// indicate chains that have not mixed. It panics if the chains are
// shorter than 4 draws or differ in length.
func RHat(chains [][]float64) float64 {
	checkChains(chains)
	sp := split(chains)
	bulk := rhat(rankNormal(sp))
	med := median(slices.Concat(chains...))
	folded := make([][]float64, len(sp))
	for c, ch := range sp {
		folded[c] = make([]float64, len(ch))
		for i, v := range ch {
			folded[c][i] = math.Abs(v - med)
		}
	}
	tail := rhat(rankNormal(folded))
	if math.IsNaN(bulk) || math.IsNaN(tail) {
		return math.NaN()
	}
	return math.Max(bulk, tail)
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// quantile returns the type-7 quantile (linear interpolation) of sorted s.
func quantile(s []float64, p float64) float64 {
	h := p * float64(len(s)-1)
	i := int(math.Floor(h))
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[i] + (h-float64(i))*(s[i+1]-s[i])
}

// autocov returns the autocovariances γ_t = (1/N) Σ_i (x_i − x̄)(x_{i+t} − x̄)
// for t = 0 … N−1, computed by FFT on the series zero-padded to a power of
// two ≥ 2N.
func autocov(x []float64) []float64 {
	n := len(x)
	mu, _ := meanVar(x)
	l := 1
	for l < 2*n {
		l <<= 1
	}
	seq := make([]float64, l)
	for i, v := range x {
		seq[i] = v - mu
	}
	fft := fourier.NewFFT(l)
	c := fft.Coefficients(nil, seq)
	for i, v := range c {
		c[i] = complex(real(v)*real(v)+imag(v)*imag(v), 0)
	}
	raw := fft.Sequence(nil, c)
	out := make([]float64, n)
	for t := range out {
		out[t] = raw[t] / float64(l) / float64(n)
	}
	return out
}

// essChains returns the effective sample size of the mean of the chains
// as they are (no splitting): S/τ with S = M·N and the integrated
// autocorrelation time
//
//	τ = −1 + 2 Σ_{k=0}^{K} P_k,   P_k = ρ_{2k} + ρ_{2k+1},
//
// where ρ_t = 1 − (W − mean_m γ_{t,m})/var⁺ combines the chains
// (Vehtari et al. 2021 eq. 10), the sum stops before the first
// non-positive P_k (Geyer's initial positive sequence) and the P_k are
// made non-increasing (Geyer's initial monotone sequence; Geyer,
// "Practical Markov chain Monte Carlo", Statist. Sci. 7 (1992) 473). τ is
// bounded below by 1/log10 S, as in Stan. It returns NaN for constant
// draws.
func essChains(chains [][]float64) float64 {
	m, n := len(chains), len(chains[0])
	acov := make([][]float64, m)
	means := make([]float64, m)
	w := 0.0
	for c, ch := range chains {
		acov[c] = autocov(ch)
		means[c], _ = meanVar(ch)
		w += acov[c][0] * float64(n) / float64(n-1)
	}
	w /= float64(m)
	vplus := w * float64(n-1) / float64(n)
	if m > 1 {
		_, b := meanVar(means)
		vplus += b
	}
	if !(vplus > 0) {
		return math.NaN()
	}
	rho := func(t int) float64 {
		g := 0.0
		for c := range acov {
			g += acov[c][t]
		}
		return 1 - (w-g/float64(m))/vplus
	}
	tau := -1.0
	prev := math.Inf(1)
	for k := 0; 2*k+1 < n; k++ {
		p := rho(2*k) + rho(2*k+1)
		if k == 0 {
			p = 1 + rho(1)
		}
		if !(p > 0) {
			break
		}
		p = math.Min(p, prev)
		prev = p
		tau += 2 * p
	}
	s := float64(m * n)
	tau = math.Max(tau, 1/math.Log10(s))
	return s / tau
}

// ESS returns the effective sample size of the mean of the split chains
// (Vehtari et al. 2021, "basic" ESS): the number of independent draws
// that would estimate E[θ] as precisely. For an AR(1) chain with
// coefficient φ it tends to S(1 − φ)/(1 + φ). It panics if the chains are
// shorter than 4 draws or differ in length.
func ESS(chains [][]float64) float64 {
	checkChains(chains)
	return essChains(split(chains))
}

// BulkESS returns the ESS of the rank-normalised split chains (Vehtari et
// al. 2021 §4.3), which stays meaningful for heavy tails.
func BulkESS(chains [][]float64) float64 {
	checkChains(chains)
	return essChains(rankNormal(split(chains)))
}

// TailESS returns the smaller ESS of the indicators I(θ ≤ q) at the 5% and
// 95% quantiles q of the pooled draws (Vehtari et al. 2021 §4.3): how
// well the chains determine the 90% central interval.
func TailESS(chains [][]float64) float64 {
	checkChains(chains)
	sp := split(chains)
	all := slices.Concat(chains...)
	slices.Sort(all)
	out := math.Inf(1)
	for _, p := range []float64{0.05, 0.95} {
		q := quantile(all, p)
		ind := make([][]float64, len(sp))
		for c, ch := range sp {
			ind[c] = make([]float64, len(ch))
			for i, v := range ch {
				if v <= q {
					ind[c][i] = 1
				}
			}
		}
		out = math.Min(out, essChains(ind))
	}
	return out
}
