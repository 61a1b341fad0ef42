// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package simulators

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// Sample is a batch of simulated events with their mined gold, in the
// layout of goldmine's augmented samples (sampling.Result, MadMiner's
// x, theta0, theta1, y, r_xz, t_xz0, t_xz1). Arrays are row-major with N
// rows.
type Sample struct {
	N       int
	NObs    int
	NParams int

	X      []float64 // N×NObs
	Theta0 []float64 // N×NParams: θ (θ0 for a ratio sample)
	Theta1 []float64 // N×NParams, ratio samples only
	Y      []float64 // N, ratio samples only: 0 if drawn at θ0, 1 if at θ1
	RXZ    []float64 // N, ratio samples only: r(x,z|θ0,θ1)
	TXZ0   []float64 // N×NParams: t(x,z|θ) (θ0 for a ratio sample)
	TXZ1   []float64 // N×NParams, ratio samples only: t(x,z|θ1)
}

// Config configures the batch samplers. A nil *Config means all defaults.
type Config struct {
	// Seed seeds the draws: event i draws from PCG(Seed, i), so the same
	// seed gives the same sample whatever the number of workers.
	Seed uint64
	// Workers is the number of goroutines; 0 means GOMAXPROCS.
	Workers int
}

func (c *Config) workers(n int) int {
	w := 0
	if c != nil {
		w = c.Workers
	}
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	return max(1, min(w, n))
}

func (c *Config) seed() uint64 {
	if c == nil {
		return 0
	}
	return c.Seed
}

func checkThetas(name string, th [][]float64, k int) (int, error) {
	if len(th) == 0 {
		return 0, fmt.Errorf("simulators: no %s points", name)
	}
	if k < 0 {
		k = len(th[0])
	}
	for i, t := range th {
		if len(t) != k || k == 0 {
			return 0, fmt.Errorf("simulators: %s point %d has %d parameters, want %d", name, i, len(t), k)
		}
		for j, v := range t {
			if !finite(v) {
				return 0, fmt.Errorf("simulators: %s point %d parameter %d is %g", name, i, j, v)
			}
		}
	}
	return k, nil
}

// parallel runs fn(i) for i in [0, n) on w goroutines and returns the
// first error by event index.
func parallel(n, w int, fn func(i int) error) error {
	errs := make([]error, w)
	var wg sync.WaitGroup
	for g := 0; g < w; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < n; i += w {
				if err := fn(i); err != nil {
					errs[g] = err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// setObs records the number of observables of the first event (under mu)
// and checks the others.
type obsCheck struct {
	mu   sync.Mutex
	nObs int
}

func (o *obsCheck) check(i int, x []float64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.nObs < 0 {
		o.nObs = len(x)
	}
	if len(x) != o.nObs {
		return fmt.Errorf("simulators: event %d has %d observables, earlier events %d", i, len(x), o.nObs)
	}
	return nil
}

// SampleScore simulates n events, event i at θ = thetas[i mod len(thetas)],
// and returns x, θ (Theta0) and the joint score t(x,z|θ) (TXZ0): the
// layout of MadMiner's sample_train_plain, sample_train_local (one θ) and
// sample_train_density (θ from a prior, one point per event).
func SampleScore(sim Simulator, thetas [][]float64, n int, cfg *Config) (*Sample, error) {
	k, err := checkThetas("theta", thetas, -1)
	if err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, fmt.Errorf("simulators: %d events requested", n)
	}
	s := &Sample{N: n, NParams: k, Theta0: make([]float64, n*k), TXZ0: make([]float64, n*k)}
	seed := cfg.seed()
	err = s.simulate(cfg, func(i int, obs func([]float64) error) error {
		th := thetas[i%len(thetas)]
		r, err := Simulate(sim, th, rand.NewPCG(seed, uint64(i)))
		if err != nil {
			return fmt.Errorf("simulators: event %d: %w", i, err)
		}
		if err := obs(r.X); err != nil {
			return err
		}
		copy(s.Theta0[i*k:], th)
		copy(s.TXZ0[i*k:], r.Score)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// simulate runs event for the s.N events in parallel. Each passes its
// observables to obs, which checks that all events have as many and keeps
// them; simulate then sets s.NObs and s.X.
func (s *Sample) simulate(cfg *Config, event func(i int, obs func(x []float64) error) error) error {
	n := s.N
	xs := make([][]float64, n)
	oc := &obsCheck{nObs: -1}
	err := parallel(n, cfg.workers(n), func(i int) error {
		return event(i, func(x []float64) error {
			if err := oc.check(i, x); err != nil {
				return err
			}
			xs[i] = x
			return nil
		})
	})
	if err != nil {
		return err
	}
	s.NObs = oc.nObs
	s.X = flatten(xs, s.NObs)
	return nil
}

func flatten(xs [][]float64, c int) []float64 {
	out := make([]float64, 0, len(xs)*c)
	for _, x := range xs {
		out = append(out, x...)
	}
	return out
}

// SampleRatio simulates n events for ratio estimators, as MadMiner's
// sample_train_ratio: event i has θ0 = theta0[i mod len(theta0)] and
// θ1 = theta1[i mod len(theta1)] (one θ1 point for the singly
// parameterised estimators; as many as θ0 for the doubly parameterised
// one); events with even i are drawn at θ0 (y = 0), odd ones at θ1
// (y = 1). Every event carries r(x,z|θ0,θ1) = p(z|θ0)/p(z|θ1) and the
// joint scores t(x,z|θ0), t(x,z|θ1), obtained by replaying its trace.
//
// A joint ratio that overflows float64 is an error naming the event (the
// ml losses need r itself).
func SampleRatio(sim Simulator, theta0, theta1 [][]float64, n int, cfg *Config) (*Sample, error) {
	k, err := checkThetas("theta0", theta0, -1)
	if err != nil {
		return nil, err
	}
	if _, err := checkThetas("theta1", theta1, k); err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, fmt.Errorf("simulators: %d events requested", n)
	}
	s := &Sample{N: n, NParams: k,
		Theta0: make([]float64, n*k), Theta1: make([]float64, n*k),
		Y: make([]float64, n), RXZ: make([]float64, n),
		TXZ0: make([]float64, n*k), TXZ1: make([]float64, n*k)}
	seed := cfg.seed()
	err = s.simulate(cfg, func(i int, obs func([]float64) error) error {
		th0, th1 := theta0[i%len(theta0)], theta1[i%len(theta1)]
		gen, other := th0, th1
		if i%2 == 1 {
			gen, other = th1, th0
		}
		r, err := Simulate(sim, gen, rand.NewPCG(seed, uint64(i)))
		if err != nil {
			return fmt.Errorf("simulators: event %d: %w", i, err)
		}
		o, err := Rescore(sim, r.Trace, other)
		if err != nil {
			return fmt.Errorf("simulators: event %d: %w", i, err)
		}
		if err := obs(r.X); err != nil {
			return err
		}
		r0, r1 := r, o
		if i%2 == 1 {
			r0, r1 = o, r
			s.Y[i] = 1
		}
		rxz := math.Exp(r0.LogProb - r1.LogProb)
		if !finite(rxz) {
			return fmt.Errorf("simulators: event %d: joint ratio log r = %g is out of range", i, r0.LogProb-r1.LogProb)
		}
		s.RXZ[i] = rxz
		copy(s.Theta0[i*k:], th0)
		copy(s.Theta1[i*k:], th1)
		copy(s.TXZ0[i*k:], r0.Score)
		copy(s.TXZ1[i*k:], r1.Score)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}
