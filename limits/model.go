// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/goldmine-hep/goldmine/limits/fisher"
	"gonum.org/v1/gonum/stat/distuv"
)

// Morpher gives the morphing weights w_b(θ) and their gradients
// (fisher.Morpher). It is implemented by *morphing.Morpher.
type Morpher = fisher.Morpher

// Sample is a set of weighted Monte-Carlo events held in memory: Dim
// observables (or summary statistics such as estimated scores) and the
// benchmark weights (pb) of each event.
type Sample struct {
	N, Dim, NBasis int
	X              []float64 // N×Dim
	W              []float64 // N×NBasis
}

// Slice returns the events [start, end) with their weights multiplied by
// factor, sharing no memory with s.
func (s *Sample) Slice(start, end int, factor float64) *Sample {
	out := &Sample{N: end - start, Dim: s.Dim, NBasis: s.NBasis}
	out.X = append([]float64(nil), s.X[start*s.Dim:end*s.Dim]...)
	out.W = make([]float64, out.N*s.NBasis)
	for i, v := range s.W[start*s.NBasis : end*s.NBasis] {
		out.W[i] = v * factor
	}
	return out
}

// WeightsAt writes the event weights at θ into dst.
func (s *Sample) WeightsAt(dst []float64, m Morpher, theta []float64) []float64 {
	if dst == nil {
		dst = make([]float64, s.N)
	}
	wb := m.WeightsTo(nil, theta)
	for i := 0; i < s.N; i++ {
		v := 0.0
		row := s.W[i*s.NBasis : (i+1)*s.NBasis]
		for b, w := range wb {
			v += w * row[b]
		}
		dst[i] = v
	}
	return dst
}

// SumWeights returns the per-benchmark sums of the weights (the benchmark
// cross sections of the sample).
func (s *Sample) SumWeights() []float64 {
	out := make([]float64, s.NBasis)
	for i := 0; i < s.N; i++ {
		for b := range out {
			out[b] += s.W[i*s.NBasis+b]
		}
	}
	return out
}

// Data is an observed (or expected) data set: events with multiplicities
// and the observed number of events.
type Data struct {
	Dim    int
	X      []float64 // events, len(Weight)×Dim
	Weight []float64 // multiplicity of each event (n ŵ_i for Asimov data)
	N      float64   // observed number of events
}

// Expected returns Asimov data for events expected events from a sample
// x of n simulated events: every event has the multiplicity events/n.
func Expected(x []float64, dim int, events float64) *Data {
	n := len(x) / dim
	w := make([]float64, n)
	for i := range w {
		w[i] = events / float64(n)
	}
	return &Data{Dim: dim, X: x, Weight: w, N: events}
}

// Merged returns d with identical events (equal in every observable, bit
// for bit) combined into one whose multiplicity is their sum: the log
// likelihood Σ_i w_i log p(x_i) is unchanged, and evaluating it costs one
// evaluation per distinct event (a simulator with a discrete observable,
// such as the Galton board, has few). The events keep the order of their
// first occurrence.
func (d *Data) Merged() *Data {
	out := &Data{Dim: d.Dim, N: d.N}
	index := make(map[string]int)
	key := make([]byte, 0, 8*d.Dim)
	for i, w := range d.Weight {
		row := d.X[i*d.Dim : (i+1)*d.Dim]
		key = key[:0]
		for _, v := range row {
			key = binary.LittleEndian.AppendUint64(key, math.Float64bits(v))
		}
		k, ok := index[string(key)]
		if !ok {
			k = len(out.Weight)
			index[string(key)] = k
			out.X = append(out.X, row...)
			out.Weight = append(out.Weight, 0)
		}
		out.Weight[k] += w
	}
	return out
}

// Observed returns a data set of n observed events with unit multiplicity.
func Observed(x []float64, dim int) *Data {
	n := len(x) / dim
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	return &Data{Dim: dim, X: append([]float64(nil), x...), Weight: w, N: float64(n)}
}

// Asimov returns the expected data at θ: the events of test, each with
// multiplicity L σ(θ) ŵ_i(θ), where ŵ are the weights at θ normalised to
// one and σ(θ) is the cross section of test.
func Asimov(m Morpher, test *Sample, theta []float64, lumi float64) (*Data, error) {
	w := test.WeightsAt(nil, m, theta)
	sum := 0.0
	for _, v := range w {
		sum += v
	}
	if !(sum > 0) {
		return nil, fmt.Errorf("limits: Asimov data: cross section %v at θ = %v", sum, theta)
	}
	n := lumi * sum
	for i := range w {
		w[i] = n * (w[i] / sum)
	}
	return &Data{Dim: test.Dim, X: append([]float64(nil), test.X...), Weight: w, N: n}, nil
}

// PseudoData draws Poisson-fluctuated data at θ: the number of events from
// a Poisson distribution of mean L σ(θ), the events from test with
// probabilities proportional to their weights at θ (with replacement).
// Negative weights at θ are an error.
func PseudoData(m Morpher, test *Sample, theta []float64, lumi float64, rnd *rand.Rand) (*Data, error) {
	w := test.WeightsAt(nil, m, theta)
	cdf := make([]float64, len(w))
	c := 0.0
	for i, v := range w {
		if v < 0 {
			return nil, fmt.Errorf("limits: pseudo-data: event %d has negative weight %v at θ = %v", i, v, theta)
		}
		c += v
		cdf[i] = c
	}
	if !(c > 0) {
		return nil, errors.New("limits: pseudo-data: no cross section")
	}
	n := int(distuv.Poisson{Lambda: lumi * c, Src: rnd}.Rand())
	d := &Data{Dim: test.Dim, N: float64(n)}
	mult := make(map[int]float64)
	var order []int
	for k := 0; k < n; k++ {
		u := rnd.Float64() * c
		// The first event whose cumulative weight exceeds u (the last if
		// rounding leaves u at the total).
		i := sort.Search(len(cdf)-1, func(j int) bool { return cdf[j] > u })
		if mult[i] == 0 {
			order = append(order, i)
		}
		mult[i]++
	}
	for _, i := range order {
		d.X = append(d.X, test.X[i*test.Dim:(i+1)*test.Dim]...)
		d.Weight = append(d.Weight, mult[i])
	}
	return d, nil
}

// Effect is the effect of one nuisance parameter on a rate:
// σ → σ·exp(A ν + B ν²). With the weights at ν = ±1 relative to the
// nominal, r₊ and r₋, A = ½ log(r₊/r₋) and B = ½ log(r₊ r₋), or A = log r₊
// and B = 0 for a one-sided variation (fisher.NuisanceCoefficients).
type Effect struct {
	A, B float64
}

func factor(eff []Effect, nu []float64) float64 {
	s := 0.0
	for k, e := range eff {
		if k >= len(nu) {
			break
		}
		s += e.A*nu[k] + e.B*nu[k]*nu[k]
	}
	return math.Exp(s)
}

// RateTerm is the Poisson likelihood of the total number of events,
// n ~ Pois(L σ(θ) exp(Σ A_k ν_k + B_k ν_k²)), with σ(θ) = Σ_b w_b(θ) Σ_b
// from per-benchmark cross sections.
type RateTerm struct {
	Morpher    Morpher
	Luminosity float64   // pb⁻¹
	Sigma      []float64 // per-benchmark cross sections (pb)
	Nuisance   []Effect  // one per nuisance parameter (may be shorter: no effect)
	// RoundObserved rounds the observed number of events to an integer
	// (half to even) as MadMiner does with Asimov data.
	RoundObserved bool
}

// Mu returns the expected number of events.
func (r *RateTerm) Mu(theta, nu []float64) float64 {
	wb := r.Morpher.WeightsTo(nil, theta)
	s := 0.0
	for b, w := range wb {
		s += w * r.Sigma[b]
	}
	return r.Luminosity * s * factor(r.Nuisance, nu)
}

// LogPoisson returns log Pois(n|mu) = n log mu − mu − log Γ(n+1), with the
// convention 0·log 0 = 0 and −Inf for mu ≤ 0 < n.
func LogPoisson(n, mu float64) float64 {
	lg, _ := math.Lgamma(n + 1)
	if n == 0 {
		return -mu - lg
	}
	if mu <= 0 {
		return math.Inf(-1)
	}
	return n*math.Log(mu) - mu - lg
}

// parts returns the parts of log L a model's Bind gives: the kinematic
// part kin (−∞ for NaN) and the rate part of r (0 for a nil r).
func (r *RateTerm) parts(kin, n float64, theta, nu []float64) (float64, float64, error) {
	if math.IsNaN(kin) {
		kin = math.Inf(-1)
	}
	if r == nil {
		return kin, 0, nil
	}
	return kin, r.logL(n, theta, nu), nil
}

func (r *RateTerm) logL(n float64, theta, nu []float64) float64 {
	if r.RoundObserved {
		n = math.RoundToEven(n)
	}
	return LogPoisson(n, r.Mu(theta, nu))
}

// Model is a likelihood model. Bind returns, for a data set, a function
// giving the kinematic and rate parts of log L at params = (θ, ν); the
// Gaussian constraints of the nuisance parameters are added by Scan.
type Model interface {
	NumParams() int
	NumNuisance() int
	// Smooth reports whether log L is a smooth function of θ, so that a
	// continuous best fit makes sense (false for binnings that change
	// with θ).
	Smooth() bool
	Bind(d *Data) (LogLikelihood, error)
}

// LogLikelihood returns the kinematic and the rate log-likelihood at
// params = (θ, ν).
type LogLikelihood func(params []float64) (kin, rate float64, err error)
