// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// busyEval spends a random time per call (mostly below the pool's spinning
// time, one call in eight up to four times longer), counts its calls and
// adds the call number for each row it was given to the gradient, so that
// every batch's gradient differs from the last.
type busyEval struct {
	rnd   *rand.Rand
	calls int
}

func (e *busyEval) eval(rows []int, n int, terms, grad []float64) {
	d := time.Duration(e.rnd.IntN(40)) * time.Microsecond
	if e.rnd.IntN(8) == 0 {
		d = time.Duration(e.rnd.IntN(200)) * time.Microsecond
	}
	end := time.Now().Add(d)
	for time.Now().Before(end) {
	}
	e.calls++
	terms[0]++
	for _, r := range rows {
		grad[r%len(grad)] += float64(e.calls)
	}
}

type busyObjective struct {
	p    []float64
	seed uint64
}

func (o *busyObjective) params() []float64  { return o.p }
func (o *busyObjective) labels() []string   { return []string{"calls"} }
func (o *busyObjective) weights() []float64 { return []float64{1} }
func (o *busyObjective) nRows() int         { return 128 }
func (o *busyObjective) newEvaluator() evaluator {
	o.seed++
	return &busyEval{rnd: rand.New(rand.NewPCG(o.seed, 3))}
}

// TestPoolHandOff runs many short batches of random length on 2 and 3
// workers, with pauses longer than the spinning so that workers and the
// caller also block and are woken, every third batch clipped (a second
// barrier within the job), and checks that every worker ran every batch
// exactly once, that each batch ended before the next started and that
// every step saw the whole batch gradient.
func TestPoolHandOff(t *testing.T) {
	for _, nw := range []int{2, 3} {
		params := make([]float64, 8)
		p := newPool(&busyObjective{p: params}, nw)
		opt := newOptimizer(Settings{Optimizer: SGD}, len(params))
		rnd := rand.New(rand.NewPCG(9, 9))
		rows := make([]int, 64)
		for i := range rows {
			rows[i] = i
		}
		sum := make([]float64, 1)
		const jobs = 3000
		for j := 0; j < jobs; j++ {
			before := append([]float64(nil), params...)
			clip := 0.0
			if j%3 == 0 {
				clip = 1
			}
			opt.begin(1)
			gn, ok := p.batch(rows, opt, params, clip, sum)
			if !ok {
				t.Fatalf("%d workers, job %d: not finite (norm %g)", nw, j, gn)
			}
			if sum[0] != float64(nw) {
				t.Fatalf("%d workers, job %d: %g evaluations, want %d", nw, j, sum[0], nw)
			}
			// the rows 0…63 over 8 parameters, each row adding the call
			// number j+1: 8(j+1) per parameter
			g := 8 * float64(j+1)
			total := 0.0
			for _, pg := range p.grads {
				for _, v := range pg {
					total += v
				}
			}
			if total != g*float64(len(params)) {
				t.Fatalf("%d workers, job %d: gradient sum %g, want %g", nw, j, total, g*float64(len(params)))
			}
			if want := math.Sqrt(g * g * float64(len(params))); gn != want {
				t.Fatalf("%d workers, job %d: gradient norm %g, want %g", nw, j, gn, want)
			}
			scale := 1.0
			if clip > 0 {
				scale = clip / (gn + 1e-6)
			}
			for i, v := range params {
				if want := before[i] - scale*g; v != want {
					t.Fatalf("%d workers, job %d: parameter %d is %g after the step, want %g", nw, j, i, v, want)
				}
			}
			if j%50 == 0 {
				time.Sleep(time.Duration(rnd.IntN(300)) * time.Microsecond)
			}
		}
		p.close()
		for w, ev := range p.evs {
			if c := ev.(*busyEval).calls; c != jobs {
				t.Errorf("%d workers: worker %d ran %d jobs, want %d", nw, w, c, jobs)
			}
		}
	}
}
