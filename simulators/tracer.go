// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package simulators

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Simulator is a stochastic simulator written in Go. It computes the
// parameters of every random step from theta with Dual arithmetic, makes
// every random draw through t, and returns the observables x. Apart from
// the draws it must be deterministic: the same θ and the same draws give
// the same control flow and the same x. Given the same draws at another θ,
// it must make the same sequence of draws (kind and order), as a simulator
// whose control flow depends only on the drawn values does.
type Simulator func(theta []Dual, t *Tracer) []float64

// Dist names the distribution of a draw.
type Dist uint8

// Distributions a Tracer can draw from.
const (
	NormalDist Dist = iota + 1
	BernoulliDist
	PoissonDist
	ExponentialDist
	CategoricalDist
	UniformDist
)

func (d Dist) String() string {
	switch d {
	case NormalDist:
		return "Normal"
	case BernoulliDist:
		return "Bernoulli"
	case PoissonDist:
		return "Poisson"
	case ExponentialDist:
		return "Exponential"
	case CategoricalDist:
		return "Categorical"
	case UniformDist:
		return "Uniform"
	}
	return fmt.Sprintf("Dist(%d)", int(d))
}

// Draw is one recorded random draw: its distribution and value (Bernoulli
// true is 1, Poisson counts and Categorical indices are stored exactly).
type Draw struct {
	Dist  Dist
	Value float64
}

// Trace is the latent history z of one simulation: the values of all its
// random draws, in order. Replaying a trace at another θ re-runs the
// simulator with these values instead of new draws and evaluates
// log p(z|θ) there.
type Trace struct {
	Draws []Draw
}

// Tracer is handed to a Simulator; every random draw goes through it. In
// a recording run it draws from a seeded source and records the value; in
// a replay it returns the recorded values in order without drawing. In
// both cases it adds log p(value|parameters) and its θ-gradient to the
// running log p(z|θ) and joint score.
//
// Invalid distribution parameters (a non-positive standard deviation or
// rate, a probability outside [0, 1], ...), a replay that does not match
// the trace, or a call of Fail abort the simulation; Simulate and Rescore
// return the error. Tracers are made by Simulate and Rescore; the zero
// Tracer is not usable.
type Tracer struct {
	k      int
	rnd    *rand.Rand
	src    rand.Source
	replay []Draw
	pos    int
	rec    []Draw
	logp   float64
	score  []float64
}

// abort carries an error out of a Simulator through a panic, recovered by
// run.
type abort struct{ err error }

func (t *Tracer) fail(format string, args ...any) {
	panic(abort{fmt.Errorf("simulators: draw %d: "+format, append([]any{t.pos}, args...)...)})
}

// Fail aborts the simulation: Simulate or Rescore returns err (wrapped,
// with the number of draws made so far). Simulators use it for invalid
// configurations or states.
func (t *Tracer) Fail(err error) { t.fail("%w", err) }

// NumParams returns the number of parameters k (the gradient length).
func (t *Tracer) NumParams() int { return t.k }

// NumDraws returns the number of draws made so far.
func (t *Tracer) NumDraws() int { return t.pos }

// LogProb returns log p(z|θ) of the draws made so far.
func (t *Tracer) LogProb() float64 { return t.logp }

// add accumulates a log-density term.
func (t *Tracer) add(lp Dual) {
	t.logp += lp.V
	if lp.D != nil {
		if len(lp.D) != t.k {
			t.fail("gradient has %d components, want %d", len(lp.D), t.k)
		}
		for i, v := range lp.D {
			t.score[i] += v
		}
	}
}

// value returns the recorded value in a replay (checking the distribution)
// or draws one with draw and records it.
func (t *Tracer) value(d Dist, draw func() float64) float64 {
	var v float64
	if t.replay != nil {
		if t.pos >= len(t.replay) {
			t.fail("replay: the simulator asks for a %v draw but the trace has only %d draws", d, len(t.replay))
		}
		r := t.replay[t.pos]
		if r.Dist != d {
			t.fail("replay: the simulator asks for a %v draw, the trace has %v", d, r.Dist)
		}
		v = r.Value
	} else {
		v = draw()
		t.rec = append(t.rec, Draw{Dist: d, Value: v})
	}
	t.pos++
	return v
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Normal draws from the normal distribution N(mean, sd²).
func (t *Tracer) Normal(mean, sd Dual) float64 {
	if !finite(mean.V) || !(sd.V > 0) || math.IsInf(sd.V, 1) {
		t.fail("Normal(%g, %g): need a finite mean and a positive standard deviation", mean.V, sd.V)
	}
	x := t.value(NormalDist, func() float64 { return mean.V + sd.V*t.rnd.NormFloat64() })
	// log p = −u²/2 − log sd − log √(2π), u = (x − mean)/sd.
	u := Const(x).Sub(mean).Div(sd)
	t.add(Square(u).MulScalar(-0.5).Sub(Log(sd)).AddScalar(-0.5 * math.Log(2*math.Pi)))
	return x
}

// Bernoulli returns true with probability p.
func (t *Tracer) Bernoulli(p Dual) bool {
	if !(p.V >= 0 && p.V <= 1) {
		t.fail("Bernoulli(%g): probability outside [0, 1]", p.V)
	}
	v := t.value(BernoulliDist, func() float64 {
		if t.rnd.Float64() < p.V {
			return 1
		}
		return 0
	})
	if v != 0 && v != 1 {
		t.fail("replay: Bernoulli value %g is neither 0 nor 1", v)
	}
	if v == 1 {
		t.add(Log(p))
		return true
	}
	t.add(Log(Const(1).Sub(p)))
	return false
}

// Poisson draws a count from the Poisson distribution with mean rate.
func (t *Tracer) Poisson(rate Dual) int {
	if !(rate.V >= 0) || math.IsInf(rate.V, 1) {
		t.fail("Poisson(%g): need a finite non-negative rate", rate.V)
	}
	v := t.value(PoissonDist, func() float64 {
		if rate.V == 0 {
			return 0
		}
		return distuv.Poisson{Lambda: rate.V, Src: t.src}.Rand()
	})
	if !(v >= 0) || v != math.Trunc(v) || math.IsInf(v, 1) {
		t.fail("replay: Poisson value %g is not a count", v)
	}
	// log p = k log λ − λ − log k!.
	lg, _ := math.Lgamma(v + 1)
	lp := rate.Neg().AddScalar(-lg)
	if v > 0 {
		lp = lp.Add(Log(rate).MulScalar(v))
	}
	t.add(lp)
	return int(v)
}

// Exponential draws a waiting time from the exponential distribution with
// the given rate (mean 1/rate).
func (t *Tracer) Exponential(rate Dual) float64 {
	if !(rate.V > 0) || math.IsInf(rate.V, 1) {
		t.fail("Exponential(%g): need a finite positive rate", rate.V)
	}
	x := t.value(ExponentialDist, func() float64 { return t.rnd.ExpFloat64() / rate.V })
	// log p = log λ − λx.
	t.add(Log(rate).Sub(rate.MulScalar(x)))
	return x
}

// Categorical draws an index i with probability ws[i]/Σ_j ws[j]: the
// weights need not be normalised.
func (t *Tracer) Categorical(ws []Dual) int {
	sum := Sum(ws...)
	for i, w := range ws {
		if !(w.V >= 0) || math.IsInf(w.V, 1) {
			t.fail("Categorical: weight %d is %g", i, w.V)
		}
	}
	if !(sum.V > 0) {
		t.fail("Categorical: the weights sum to %g", sum.V)
	}
	v := t.value(CategoricalDist, func() float64 {
		u := t.rnd.Float64() * sum.V
		last := 0
		for i, w := range ws {
			if w.V > 0 {
				last = i
				if u < w.V {
					return float64(i)
				}
				u -= w.V
			}
		}
		return float64(last) // rounding at the upper end
	})
	i := int(v)
	if i < 0 || i >= len(ws) || float64(i) != v {
		t.fail("replay: categorical value %g outside [0, %d)", v, len(ws))
	}
	t.add(Log(ws[i]).Sub(Log(sum)))
	return i
}

// Uniform draws from the uniform distribution on [lo, hi). In a replay, a
// recorded value outside the new [lo, hi) gives log p(z|θ) = −∞.
//
// With θ-dependent bounds the support moves with θ: the joint score is
// still ∇θ log p(z|θ), but E[t(x,z|θ)] = 0 no longer holds (the moving
// boundary contributes), and E_θ1[r(x,z|θ0,θ1)] = 1 only if the support at
// θ0 lies inside the one at θ1. Prefer θ-independent bounds (transform a
// U(0,1) draw) when the score is to be used for training.
func (t *Tracer) Uniform(lo, hi Dual) float64 {
	if !finite(lo.V) || !finite(hi.V) || !(hi.V > lo.V) {
		t.fail("Uniform(%g, %g): need finite lo < hi", lo.V, hi.V)
	}
	x := t.value(UniformDist, func() float64 { return lo.V + (hi.V-lo.V)*t.rnd.Float64() })
	if x < lo.V || x >= hi.V {
		t.logp = math.Inf(-1)
		return x
	}
	t.add(Log(hi.Sub(lo)).Neg())
	return x
}

// Run is the result of one simulation (or replay) at θ.
type Run struct {
	X       []float64 // observables
	LogProb float64   // log p(z|θ) of the draws
	Score   []float64 // joint score t(x,z|θ) = ∇θ log p(z|θ)
	Trace   *Trace    // the draws z
}

// Simulate runs sim once at theta, drawing from src, and returns x, the
// trace z, log p(z|θ) and the joint score t(x,z|θ) = ∇θ log p(z|θ).
func Simulate(sim Simulator, theta []float64, src rand.Source) (*Run, error) {
	if src == nil {
		return nil, errors.New("simulators: nil random source")
	}
	t := &Tracer{src: src, rnd: rand.New(src)}
	return t.run(sim, theta)
}

// Rescore replays the trace tr at theta: it re-runs sim with the recorded
// values instead of new draws and returns log p(z|θ) and ∇θ log p(z|θ) at
// the new θ (and the x the replay produced; Run.Trace is tr).
func Rescore(sim Simulator, tr *Trace, theta []float64) (*Run, error) {
	if tr == nil {
		return nil, errors.New("simulators: nil trace")
	}
	t := &Tracer{replay: tr.Draws}
	if t.replay == nil {
		t.replay = []Draw{}
	}
	r, err := t.run(sim, theta)
	if err != nil {
		return nil, err
	}
	if t.pos != len(tr.Draws) {
		return nil, fmt.Errorf("simulators: replay: the simulator made %d draws, the trace has %d", t.pos, len(tr.Draws))
	}
	r.Trace = tr
	return r, nil
}

// JointRatio replays tr at theta0 and theta1 and returns the log of the
// joint likelihood ratio log r(x,z|θ0,θ1) = log p(z|θ0) − log p(z|θ1) and
// the joint scores t(x,z|θ0) and t(x,z|θ1).
func JointRatio(sim Simulator, tr *Trace, theta0, theta1 []float64) (logR float64, t0, t1 []float64, err error) {
	r0, err := Rescore(sim, tr, theta0)
	if err != nil {
		return 0, nil, nil, err
	}
	r1, err := Rescore(sim, tr, theta1)
	if err != nil {
		return 0, nil, nil, err
	}
	return r0.LogProb - r1.LogProb, r0.Score, r1.Score, nil
}

func (t *Tracer) run(sim Simulator, theta []float64) (r *Run, err error) {
	if len(theta) == 0 {
		return nil, errors.New("simulators: no parameters")
	}
	for i, v := range theta {
		if !finite(v) {
			return nil, fmt.Errorf("simulators: parameter %d is %g", i, v)
		}
	}
	t.k = len(theta)
	t.score = make([]float64, t.k)
	defer func() {
		if e := recover(); e != nil {
			a, ok := e.(abort)
			if !ok {
				panic(e)
			}
			r, err = nil, a.err
		}
	}()
	x := sim(Params(theta), t)
	for i, v := range x {
		if math.IsNaN(v) {
			return nil, fmt.Errorf("simulators: observable %d is NaN", i)
		}
	}
	return &Run{X: x, LogProb: t.logp, Score: t.score, Trace: &Trace{Draws: t.rec}}, nil
}
