// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import "math"

// pool runs the trainer's work on Workers persistent goroutines (the
// caller's goroutine is worker 0), each with its own evaluator and
// buffers, so that a batch costs two hand-offs and no goroutine start.
// Every split is fixed by the worker count and every reduction runs in
// worker order, which makes training bit-reproducible.
type pool struct {
	nw    int
	evs   []evaluator
	grads [][]float64 // partial gradients, one per worker
	terms [][]float64 // partial loss terms, one per worker
	norms []float64   // partial squared gradient norms, one per worker
	grad  []float64   // the batch gradient
	start []chan struct{}
	done  chan struct{}
	job   func(w int)

	// arguments of the current job
	rows     []int
	opt      *optimizer
	params   []float64
	scale    float64
	fused    bool // reduce and update in one job
	val      []int
	bs       int
	valTerms []float64

	gradJob, reduceJob, updateJob, valJob func(w int)
}

func newPool(obj objective, nw, nt int) *pool {
	np := len(obj.params())
	p := &pool{nw: nw, evs: make([]evaluator, nw), grads: make([][]float64, nw), terms: make([][]float64, nw),
		norms: make([]float64, nw), grad: make([]float64, np), done: make(chan struct{}, nw)}
	for w := range p.evs {
		p.evs[w] = obj.newEvaluator()
		p.grads[w] = make([]float64, np)
		p.terms[w] = make([]float64, nt)
	}
	p.gradJob, p.reduceJob, p.updateJob, p.valJob = p.gradWork, p.reduceWork, p.updateWork, p.valWork
	for w := 1; w < nw; w++ {
		c := make(chan struct{}, 1)
		p.start = append(p.start, c)
		go func() {
			for range c {
				p.job(w)
				p.done <- struct{}{}
			}
		}()
	}
	return p
}

// close ends the worker goroutines.
func (p *pool) close() {
	for _, c := range p.start {
		close(c)
	}
}

// run calls job(w) for every worker concurrently and waits for all.
func (p *pool) run(job func(w int)) {
	p.job = job
	for _, c := range p.start {
		c <- struct{}{}
	}
	job(0)
	for range p.start {
		<-p.done
	}
}

func (p *pool) span(w, n int) (lo, hi int) { return w * n / p.nw, (w + 1) * n / p.nw }

// gradient evaluates the loss terms of the batch rows (into sum) and the
// partial gradients of the workers' slices of it.
func (p *pool) gradient(rows []int, sum []float64) {
	p.rows = rows
	p.run(p.gradJob)
	clear(sum)
	for w := range p.terms {
		for j, v := range p.terms[w] {
			sum[j] += v
		}
	}
}

func (p *pool) gradWork(w int) {
	lo, hi := p.span(w, len(p.rows))
	clear(p.terms[w])
	clear(p.grads[w])
	p.evs[w].eval(p.rows[lo:hi], len(p.rows), p.terms[w], p.grads[w])
}

// step sums the partial gradients of the last gradient call, clips the
// sum to the norm clip if clip > 0, and applies the optimizer step
// (begun by the caller) to params. It returns the gradient norm and
// whether it is finite; with a non-finite gradient params are not
// updated, except, without clipping, in the ranges of workers whose part
// of the gradient was finite.
func (p *pool) step(opt *optimizer, params []float64, clip float64) (float64, bool) {
	p.opt, p.params, p.scale, p.fused = opt, params, 1, clip == 0
	p.run(p.reduceJob)
	gn := 0.0
	for _, v := range p.norms {
		gn += v
	}
	gn = math.Sqrt(gn)
	if math.IsNaN(gn) || math.IsInf(gn, 0) {
		return gn, false
	}
	if !p.fused {
		if gn > clip {
			p.scale = clip / (gn + 1e-6)
		}
		p.run(p.updateJob)
	}
	return gn, true
}

func (p *pool) reduceWork(w int) {
	lo, hi := p.span(w, len(p.grad))
	g := p.grad[lo:hi]
	copy(g, p.grads[0][lo:hi])
	for _, pg := range p.grads[1:] {
		for i, v := range pg[lo:hi] {
			g[i] += v
		}
	}
	n2 := 0.0
	for _, v := range g {
		n2 += v * v
	}
	p.norms[w] = n2
	if p.fused && !math.IsNaN(n2) && !math.IsInf(n2, 0) {
		p.opt.update(p.params, p.grad, 1, lo, hi)
	}
}

func (p *pool) updateWork(w int) {
	lo, hi := p.span(w, len(p.grad))
	p.opt.update(p.params, p.grad, p.scale, lo, hi)
}

// validate evaluates the loss terms of the rows val in batches of bs
// (whole batches, each by one worker) and adds the batch means of the
// terms to sum in batch order, so that the result does not depend on the
// number of workers. It returns the number of batches.
func (p *pool) validate(val []int, bs int, sum []float64) int {
	nt := len(sum)
	nb := (len(val) + bs - 1) / bs
	p.val, p.bs = val, bs
	p.valTerms = grow(p.valTerms, nb*nt)
	clear(p.valTerms)
	p.run(p.valJob)
	for b := 0; b < nb; b++ {
		for j, v := range p.valTerms[b*nt : (b+1)*nt] {
			sum[j] += v
		}
	}
	return nb
}

func (p *pool) valWork(w int) {
	nt := len(p.terms[0])
	for b := w; b*p.bs < len(p.val); b += p.nw {
		rows := p.val[b*p.bs : min((b+1)*p.bs, len(p.val))]
		p.evs[w].eval(rows, len(rows), p.valTerms[b*nt:(b+1)*nt], nil)
	}
}
