// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
)

// Method is an MCMC sampler.
type Method int

const (
	// Stretch is the affine-invariant ensemble sampler of Goodman and Weare
	// with the stretch move, updating the two halves of the ensemble in
	// turn (Foreman-Mackey et al. 2013).
	Stretch Method = iota
	// Slice is univariate slice sampling with stepping out and shrinkage
	// (Neal 2003), one coordinate after the other.
	Slice
)

// String returns "stretch" or "slice".
func (m Method) String() string {
	switch m {
	case Stretch:
		return "stretch"
	case Slice:
		return "slice"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// Settings configures Sample. A nil *Settings means all defaults.
type Settings struct {
	// Method is the sampler; the zero value is Stretch.
	Method Method
	// Chains is the number of independent chains (for Stretch: of
	// independent ensembles); 0 means 4.
	Chains int
	// Walkers is the number of walkers of each Stretch ensemble, even and
	// at least 2·dim+2; 0 means max(4·dim, 8) rounded up to even.
	Walkers int
	// Steps is the number of steps kept per chain after warm-up and
	// thinning; 0 means 1000.
	Steps int
	// Burn is the number of warm-up steps discarded per chain; 0 means
	// Steps/2, negative means none.
	Burn int
	// Thin keeps every Thin-th step after warm-up; 0 means 1.
	Thin int
	// Scale is the stretch parameter a > 1 of Stretch; 0 means 2.
	Scale float64
	// Width is the slice width per parameter for Slice. nil means the
	// standard deviation of 64 draws from the prior (or from Init) at the
	// start, adapted at the end of warm-up to the posterior's spread.
	Width []float64
	// Seed seeds the chains: chain c draws from PCG(Seed, c), so the same
	// seed gives the same chains whatever Workers is.
	Seed uint64
	// Workers is the number of chains run at once; more than one requires
	// a LogLikelihood safe for concurrent use. 0 means 1.
	Workers int
	// Init, if not nil, writes a starting point into dst with draws from
	// src (for example near the best fit); nil draws from the prior.
	// Starting points where the posterior vanishes are drawn again. The
	// walkers of Stretch move along their differences, so their starting
	// points must be spread out, not all alike.
	Init func(dst []float64, src rand.Source)
	// Progress, if not nil, is told the number of steps done over all
	// chains (warm-up included) and their total, every few steps of each
	// chain; calls are serialised. Library code does not print: a
	// command line shows this on stderr.
	Progress func(done, total int)
}

// progress counts steps for a Progress callback.
type progress struct {
	mu          sync.Mutex
	done, total int
	f           func(done, total int)
}

// add counts n more steps and reports them.
func (p *progress) add(n int) {
	if p.f == nil || n == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	p.f(p.done, p.total)
}

// every is the number of steps between progress reports of one chain.
const every = 20

func (s *Settings) get() Settings {
	var c Settings
	if s != nil {
		c = *s
	}
	if c.Chains == 0 {
		c.Chains = 4
	}
	if c.Steps == 0 {
		c.Steps = 1000
	}
	if c.Burn == 0 {
		c.Burn = c.Steps / 2
	}
	c.Burn = max(c.Burn, 0)
	if c.Thin == 0 {
		c.Thin = 1
	}
	if c.Scale == 0 {
		c.Scale = 2
	}
	return c
}

// Chains holds the draws of an MCMC run. For Stretch every walker of every
// ensemble is one chain: ensemble e's walkers are chains
// e·Walkers … (e+1)·Walkers−1.
type Chains struct {
	// Method names the sampler ("stretch", "slice", or "mixture" for
	// Mix).
	Method string
	// Names labels the parameters.
	Names []string
	// Dim is the number of parameters, POI the number of parameters of
	// interest among them (the first POI).
	Dim, POI int
	// Walkers is the number of walkers per ensemble (1 for slice
	// sampling): consecutive groups of Walkers chains belong together.
	Walkers int
	// Samples[c] holds chain c's kept steps, row-major (Steps × Dim), and
	// LogPost[c] the unnormalised log posterior at each of them.
	Samples [][]float64
	LogPost [][]float64
	// Acceptance is the fraction of accepted stretch moves after warm-up
	// (1 for slice sampling, which always moves).
	Acceptance float64
	// Evaluations is the number of posterior evaluations, warm-up
	// included.
	Evaluations int
}

// Steps returns the number of kept steps per chain.
func (ch *Chains) Steps() int {
	if len(ch.Samples) == 0 || ch.Dim == 0 {
		return 0
	}
	return len(ch.Samples[0]) / ch.Dim
}

// Trace returns parameter d of every chain: out[c][t].
func (ch *Chains) Trace(d int) [][]float64 {
	out := make([][]float64, len(ch.Samples))
	n := ch.Steps()
	for c, dr := range ch.Samples {
		out[c] = make([]float64, n)
		for t := range n {
			out[c][t] = dr[t*ch.Dim+d]
		}
	}
	return out
}

// Flat returns all draws of the first k parameters, chain after chain, as
// a row-major (draws × k) array with its shape, ready for store.WriteNPY
// (k = ch.POI writes the parameters of interest, k = ch.Dim all).
func (ch *Chains) Flat(k int) (shape []int, data []float64) {
	if k < 1 || k > ch.Dim {
		panic("posterior: bad number of parameters to flatten")
	}
	n := ch.Steps()
	data = make([]float64, 0, len(ch.Samples)*n*k)
	for _, dr := range ch.Samples {
		for t := range n {
			data = append(data, dr[t*ch.Dim:t*ch.Dim+k]...)
		}
	}
	return []int{len(ch.Samples) * n, k}, data
}

// Sample runs MCMC on the model's posterior.
func Sample(m *Model, s *Settings) (*Chains, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	c := s.get()
	dim := m.Dim()
	switch {
	case c.Chains < 0 || c.Steps < 0 || c.Thin < 0:
		return nil, fmt.Errorf("posterior: negative chains (%d), steps (%d) or thinning (%d)", c.Chains, c.Steps, c.Thin)
	case c.Steps < 4:
		return nil, fmt.Errorf("posterior: %d steps per chain, want at least 4", c.Steps)
	case c.Width != nil && len(c.Width) != dim:
		return nil, fmt.Errorf("posterior: %d slice widths for %d parameters", len(c.Width), dim)
	}
	out := &Chains{Method: c.Method.String(), Names: m.names(dim), Dim: dim, POI: m.NumPOI(), Walkers: 1}
	pr := &progress{f: c.Progress, total: c.Chains * (c.Burn + c.Steps*c.Thin)}
	var run func(chain int, src rand.Source) (*chainRun, error)
	switch c.Method {
	case Stretch:
		if c.Walkers == 0 {
			c.Walkers = max(4*dim, 8)
			c.Walkers += c.Walkers % 2
		}
		if c.Walkers%2 != 0 || c.Walkers < 2*dim+2 {
			return nil, fmt.Errorf("posterior: %d walkers for %d parameters, want an even number ≥ %d", c.Walkers, dim, 2*dim+2)
		}
		if !(c.Scale > 1) {
			return nil, fmt.Errorf("posterior: stretch scale %v, want > 1", c.Scale)
		}
		out.Walkers = c.Walkers
		run = func(_ int, src rand.Source) (*chainRun, error) { return stretch(m, &c, src, pr) }
	case Slice:
		for d, w := range c.Width {
			if !(w > 0) || math.IsInf(w, 0) {
				return nil, fmt.Errorf("posterior: slice width %v of parameter %d", w, d)
			}
		}
		run = func(_ int, src rand.Source) (*chainRun, error) { return slice(m, &c, src, pr) }
	default:
		return nil, fmt.Errorf("posterior: unknown sampler %v", c.Method)
	}
	runs := make([]*chainRun, c.Chains)
	errs := make([]error, c.Chains)
	workers := max(1, min(c.Workers, c.Chains))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < c.Chains; i += workers {
				runs[i], errs[i] = run(i, rand.NewPCG(c.Seed, uint64(i)))
				if errs[i] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	var acc, tries float64
	for i, r := range runs {
		if errs[i] != nil {
			return nil, fmt.Errorf("posterior: chain %d: %w", i, errs[i])
		}
		out.Samples = append(out.Samples, r.draws...)
		out.LogPost = append(out.LogPost, r.logp...)
		out.Evaluations += r.evals
		acc += r.accepted
		tries += r.tries
	}
	out.Acceptance = acc / tries
	return out, nil
}

// chainRun is what one chain (or one ensemble) returns.
type chainRun struct {
	draws, logp     [][]float64
	evals           int
	accepted, tries float64
}

// start draws a starting point with a finite posterior.
func start(m *Model, c *Settings, src rand.Source, dst []float64) (float64, error) {
	const tries = 1000
	for range tries {
		if c.Init != nil {
			c.Init(dst, src)
		} else {
			m.Priors.RandTo(dst, src)
		}
		lp, err := m.LogPosterior(dst)
		if err != nil {
			return 0, err
		}
		if !math.IsInf(lp, -1) {
			return lp, nil
		}
	}
	return 0, fmt.Errorf("posterior: no starting point with a non-zero posterior in %d draws", tries)
}

// stretch runs one ensemble of the affine-invariant sampler (Goodman and
// Weare 2010, §3): walker X_k moves to Y = X_j + z (X_k − X_j) with X_j a
// walker of the other half and z drawn from g(z) ∝ 1/√z on [1/a, a], and
// is accepted with probability min(1, z^(d−1) p(Y)/p(X_k)).
func stretch(m *Model, c *Settings, src rand.Source, pr *progress) (*chainRun, error) {
	rng := rand.New(src)
	dim, nw := m.Dim(), c.Walkers
	x := make([][]float64, nw)
	lp := make([]float64, nw)
	r := &chainRun{draws: make([][]float64, nw), logp: make([][]float64, nw)}
	for k := range x {
		x[k] = make([]float64, dim)
		var err error
		if lp[k], err = start(m, c, src, x[k]); err != nil {
			return nil, err
		}
		r.evals++
		r.draws[k] = make([]float64, 0, c.Steps*dim)
		r.logp[k] = make([]float64, 0, c.Steps)
	}
	y := make([]float64, dim)
	half := nw / 2
	total := c.Burn + c.Steps*c.Thin
	for step := range total {
		keep := step >= c.Burn
		for h := range 2 {
			other := (1 - h) * half
			for k := h * half; k < (h+1)*half; k++ {
				j := other + rng.IntN(half)
				z := (c.Scale - 1) * rng.Float64()
				z = (z + 1) * (z + 1) / c.Scale
				for d := range y {
					y[d] = x[j][d] + z*(x[k][d]-x[j][d])
				}
				ly, err := m.LogPosterior(y)
				if err != nil {
					return nil, err
				}
				r.evals++
				logAcc := float64(dim-1)*math.Log(z) + ly - lp[k]
				if keep {
					r.tries++
				}
				if math.Log(rng.Float64()) < logAcc {
					copy(x[k], y)
					lp[k] = ly
					if keep {
						r.accepted++
					}
				}
			}
		}
		if (step+1)%every == 0 || step == total-1 {
			pr.add((step % every) + 1)
		}
		if keep && (step-c.Burn+1)%c.Thin == 0 {
			for k := range x {
				r.draws[k] = append(r.draws[k], x[k]...)
				r.logp[k] = append(r.logp[k], lp[k])
			}
		}
	}
	return r, nil
}

// slice runs one chain of coordinate-wise slice sampling (Neal 2003,
// "Slice sampling", Ann. Statist. 31, 705: stepping out, Fig. 3, and
// shrinkage, Fig. 5, without a limit on the number of steps out). At the
// end of warm-up each width becomes 2.5 times the standard deviation of
// the second half of the warm-up draws (2.5σ is the mean width of a
// Gaussian's slice).
func slice(m *Model, c *Settings, src rand.Source, pr *progress) (*chainRun, error) {
	rng := rand.New(src)
	dim := m.Dim()
	x := make([]float64, dim)
	w := make([]float64, dim)
	if c.Width != nil {
		copy(w, c.Width)
	} else {
		// Prior (or Init) spread.
		const n = 64
		pts := make([][]float64, n)
		for i := range pts {
			pts[i] = make([]float64, dim)
			if c.Init != nil {
				c.Init(pts[i], src)
			} else {
				m.Priors.RandTo(pts[i], src)
			}
		}
		for d := range w {
			col := make([]float64, n)
			for i := range pts {
				col[i] = pts[i][d]
			}
			_, v := meanVar(col)
			w[d] = math.Sqrt(v)
			if !(w[d] > 0) || math.IsInf(w[d], 0) {
				w[d] = 1
			}
		}
	}
	lp, err := start(m, c, src, x)
	if err != nil {
		return nil, err
	}
	r := &chainRun{draws: [][]float64{make([]float64, 0, c.Steps*dim)}, logp: [][]float64{make([]float64, 0, c.Steps)}, evals: 1}
	f := func(d int, v float64) (float64, error) {
		old := x[d]
		x[d] = v
		l, err := m.LogPosterior(x)
		x[d] = old
		r.evals++
		return l, err
	}
	var warm [][]float64
	total := c.Burn + c.Steps*c.Thin
	for step := range total {
		for d := range dim {
			y := lp - rng.ExpFloat64() // log of the slice level
			lo := x[d] - w[d]*rng.Float64()
			hi := lo + w[d]
			for {
				l, err := f(d, lo)
				if err != nil {
					return nil, err
				}
				if !(l > y) {
					break
				}
				lo -= w[d]
			}
			for {
				l, err := f(d, hi)
				if err != nil {
					return nil, err
				}
				if !(l > y) {
					break
				}
				hi += w[d]
			}
			for {
				v := lo + (hi-lo)*rng.Float64()
				l, err := f(d, v)
				if err != nil {
					return nil, err
				}
				if l > y {
					x[d], lp = v, l
					break
				}
				if v < x[d] {
					lo = v
				} else {
					hi = v
				}
				if !(hi-lo > 0) {
					return nil, fmt.Errorf("posterior: slice sampler shrank to a point at %v", x)
				}
			}
		}
		if step < c.Burn && step >= c.Burn/2 {
			warm = append(warm, append([]float64(nil), x...))
		}
		if step == c.Burn-1 && len(warm) >= 10 && c.Width == nil {
			for d := range w {
				col := make([]float64, len(warm))
				for i, p := range warm {
					col[i] = p[d]
				}
				if _, v := meanVar(col); v > 0 && !math.IsInf(v, 0) {
					w[d] = 2.5 * math.Sqrt(v)
				}
			}
		}
		if (step+1)%every == 0 || step == total-1 {
			pr.add((step % every) + 1)
		}
		if step >= c.Burn && (step-c.Burn+1)%c.Thin == 0 {
			r.draws[0] = append(r.draws[0], x...)
			r.logp[0] = append(r.logp[0], lp)
		}
	}
	r.accepted, r.tries = 1, 1
	return r, nil
}
