// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"math/rand/v2"
	"testing"
	"time"
)

// busyEval spends a random time per call (mostly below the pool's spinning
// time, one call in eight up to four times longer), counts its calls and
// records the rows it was given.
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
		grad[r%len(grad)] += 1
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

// TestPoolHandOff runs many short jobs of random length on 2 and 3
// workers, with pauses longer than the spinning so that workers and the
// caller also block and are woken, and checks that every worker ran every
// job exactly once and that each job ended before the next started.
func TestPoolHandOff(t *testing.T) {
	for _, nw := range []int{2, 3} {
		p := newPool(&busyObjective{p: make([]float64, 8)}, nw, 1)
		rnd := rand.New(rand.NewPCG(9, 9))
		rows := make([]int, 64)
		for i := range rows {
			rows[i] = i
		}
		sum := make([]float64, 1)
		const jobs = 3000
		for j := 0; j < jobs; j++ {
			p.gradient(rows, sum)
			if sum[0] != float64(nw) {
				t.Fatalf("%d workers, job %d: %g evaluations, want %d", nw, j, sum[0], nw)
			}
			total := 0.0
			for _, g := range p.grads {
				for _, v := range g {
					total += v
				}
			}
			if total != float64(len(rows)) {
				t.Fatalf("%d workers, job %d: %g rows evaluated, want %d", nw, j, total, len(rows))
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
