// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"math"
	"runtime"
	"sync/atomic"
	"time"
)

// pool runs the trainer's work on Workers persistent goroutines (the
// caller's goroutine is worker 0), each with its own evaluator and
// buffers, so that a batch costs no goroutine start. Every split is fixed
// by the worker count and every reduction runs in worker order, which
// makes training bit-reproducible.
//
// A batch is a few tens of microseconds of work, about what it takes the
// operating system to wake a sleeping thread, so hand-offs spin first.
// Job s is started by storing s in each worker's start sequence and is
// over when every worker has stored s in its done sequence; a waiting
// side polls for up to spinFor, then announces that it sleeps (a flag, or
// the sequence it waits for) and blocks on its channel. The other side
// stores its sequence before it reads the announcement, and a waiter
// announces before it reads the sequence again, so one of them always
// sees the other (Go's atomics are sequentially consistent). Wake-ups are
// non-blocking sends into one-element buffers and every wait re-checks
// its sequence, so a stale wake-up costs a check, never a wrong answer.
//
// A training batch is one job: the workers' gradients, then, past a
// barrier among the workers built the same way, the reduction and the
// optimizer step of each worker's range of the parameters. The caller
// takes no part between the two, which saves a hand-off per batch.
type pool struct {
	nw    int
	evs   []evaluator
	grads [][]float64 // partial gradients, one per worker
	terms [][]float64 // partial loss terms, one per worker
	norms []float64   // partial squared gradient norms, one per worker
	grad  []float64   // the batch gradient
	job   func(w int)
	seq   uint64 // the caller's job count

	start, done []atomic.Uint64 // per worker: last job started, last job finished
	sleeping    []atomic.Bool   // worker w blocks on wake[w]
	wake        []chan struct{}
	waitingFor  atomic.Uint64 // the job the caller blocks on (finished); 0: none
	finished    chan struct{}
	closing     atomic.Bool

	// barriers within a job: worker w has passed barrier arrived[w];
	// it blocks on barWake[w] waiting for barrier barWait[w] (0: none)
	arrived []atomic.Uint64
	barWait []atomic.Uint64
	barWake []chan struct{}
	bar     uint64 // the current job's first barrier

	// arguments of the current job
	rows     []int
	opt      *optimizer
	params   []float64
	clip     float64
	val      []int
	bs       int
	valTerms []float64

	lossWeights []float64   // of the loss terms, for the divergence check
	sums        [][]float64 // per worker: the batch's loss terms
	ok          []bool      // per worker: the batch's loss is finite

	stepJob, valJob func(w int)

	// weights: with several workers, the packed weights their tapes share
	// (nil if the objective's evaluators do not expose their tapes);
	// every optimizer step repacks the range it updated.
	weights weightPacker
}

// weightPacker packs Params[lo:hi] of its network (a *packedWeights).
type weightPacker interface{ pack(lo, hi int) }

// mlpObjective is an objective whose parameters are those of one MLP,
// evaluated in precision prec.
type mlpObjective interface {
	mlp() (net *MLP, prec Precision)
}

// tapeEvaluator is an evaluator that runs its objective's MLP on the
// tapes it returns, and on no other.
type tapeEvaluator interface {
	tapes() []*Tape
}

// shareWeights gives the tapes of the workers' evaluators one packed copy
// of the objective's MLP, if the objective and its evaluators allow it.
func (p *pool) shareWeights(obj objective) {
	mo, ok := obj.(mlpObjective)
	if !ok || p.nw < 2 {
		return
	}
	var tapes []*Tape
	for _, ev := range p.evs {
		te, ok := ev.(tapeEvaluator)
		if !ok {
			return
		}
		tapes = append(tapes, te.tapes()...)
	}
	net, prec := mo.mlp()
	var sw weightPacker
	if prec == Float32 {
		sw = newPackedWeights[float32](net, &kern)
	} else {
		sw = newPackedWeights[float64](net, &kern)
	}
	for _, t := range tapes {
		t.share(sw)
	}
	p.weights = sw
}

// shareWeightsInPools lets pools share packed weights (shareWeights); the
// tests switch it off to compare.
var shareWeightsInPools = true

// spinFor bounds the polling of a hand-off before it blocks.
const spinFor = 50 * time.Microsecond

func newPool(obj objective, nw int) *pool {
	np := len(obj.params())
	nt := len(obj.labels())
	p := &pool{nw: nw, evs: make([]evaluator, nw), grads: make([][]float64, nw), terms: make([][]float64, nw),
		norms: make([]float64, nw), grad: make([]float64, np), start: make([]atomic.Uint64, nw),
		done: make([]atomic.Uint64, nw), sleeping: make([]atomic.Bool, nw), wake: make([]chan struct{}, nw),
		finished: make(chan struct{}, 1), arrived: make([]atomic.Uint64, nw), barWait: make([]atomic.Uint64, nw),
		barWake: make([]chan struct{}, nw), lossWeights: obj.weights(), sums: make([][]float64, nw),
		ok: make([]bool, nw)}
	for w := range p.evs {
		p.evs[w] = obj.newEvaluator()
		p.grads[w] = make([]float64, np)
		p.terms[w] = make([]float64, nt)
		p.sums[w] = make([]float64, nt)
		p.wake[w] = make(chan struct{}, 1)
		p.barWake[w] = make(chan struct{}, 1)
	}
	p.stepJob, p.valJob = p.stepWork, p.valWork
	if shareWeightsInPools {
		p.shareWeights(obj)
	}
	for w := 1; w < nw; w++ {
		go p.worker(w)
	}
	return p
}

// spin polls cond for up to spinFor and reports whether it became true.
func spin(cond func() bool) bool {
	var t0 time.Time
	for i := 0; ; i++ {
		if cond() {
			return true
		}
		if i&63 == 63 {
			if t0.IsZero() {
				t0 = time.Now()
			} else if time.Since(t0) > spinFor {
				return false
			}
			runtime.Gosched()
		}
	}
}

// signal wakes a side blocked on c, if it is not awake already.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

func (p *pool) worker(w int) {
	var seen uint64
	started := func() bool { return p.start[w].Load() != seen }
	for {
		if !spin(started) {
			for {
				p.sleeping[w].Store(true)
				if started() {
					break
				}
				<-p.wake[w]
			}
			p.sleeping[w].Store(false)
		}
		seen = p.start[w].Load()
		if p.closing.Load() {
			return
		}
		p.job(w)
		p.done[w].Store(seen)
		if p.waitingFor.Load() == seen {
			signal(p.finished)
		}
	}
}

// publish starts job p.seq on the workers.
func (p *pool) publish() {
	for w := 1; w < p.nw; w++ {
		p.start[w].Store(p.seq)
		if p.sleeping[w].Load() {
			signal(p.wake[w])
		}
	}
}

// close ends the worker goroutines.
func (p *pool) close() {
	p.closing.Store(true)
	p.seq++
	p.publish()
}

// run calls job(w) for every worker concurrently and waits for all.
func (p *pool) run(job func(w int)) {
	p.job = job
	p.seq++
	p.publish()
	job(0)
	s := p.seq
	all := func() bool {
		for w := 1; w < p.nw; w++ {
			if p.done[w].Load() != s {
				return false
			}
		}
		return true
	}
	if spin(all) {
		return
	}
	p.waitingFor.Store(s)
	for !all() {
		<-p.finished
	}
	p.waitingFor.Store(0)
}

func (p *pool) span(w, n int) (lo, hi int) { return w * n / p.nw, (w + 1) * n / p.nw }

// barrier waits in worker w until every worker has reached barrier b
// (barrier numbers increase from job to job).
func (p *pool) barrier(w int, b uint64) {
	p.arrived[w].Store(b)
	for v := range p.nw {
		if v != w && p.barWait[v].Load() == b {
			signal(p.barWake[v])
		}
	}
	all := func() bool {
		for v := range p.nw {
			if p.arrived[v].Load() < b {
				return false
			}
		}
		return true
	}
	if spin(all) {
		return
	}
	for {
		p.barWait[w].Store(b)
		if all() {
			break
		}
		<-p.barWake[w]
	}
	p.barWait[w].Store(0)
}

// batch trains on the batch rows: it evaluates the loss terms (into sum)
// and the gradient, clips the gradient to the norm clip if clip > 0, and
// applies the optimizer step (begun by the caller) to params. It returns
// the gradient norm and whether the loss and the gradient are finite. With
// a non-finite loss params are not updated; with a non-finite gradient
// neither, except, without clipping, in the ranges of workers whose part
// of the gradient was finite.
func (p *pool) batch(rows []int, opt *optimizer, params []float64, clip float64, sum []float64) (float64, bool) {
	p.rows, p.opt, p.params, p.clip = rows, opt, params, clip
	p.bar += 2
	p.run(p.stepJob)
	copy(sum, p.sums[0])
	if !p.ok[0] {
		return math.NaN(), false
	}
	gn := p.norm()
	return gn, !math.IsNaN(gn) && !math.IsInf(gn, 0)
}

func (p *pool) stepWork(w int) {
	lo, hi := p.span(w, len(p.rows))
	clear(p.terms[w])
	clear(p.grads[w])
	p.evs[w].eval(p.rows[lo:hi], len(p.rows), p.terms[w], p.grads[w])
	p.barrier(w, p.bar)

	// Every worker sums the terms in the same order, so all agree on
	// whether the loss is finite.
	sum := p.sums[w]
	clear(sum)
	for v := range p.terms {
		for j, t := range p.terms[v] {
			sum[j] += t
		}
	}
	loss := 0.0
	for j, t := range sum {
		loss += p.lossWeights[j] * t
	}
	if p.ok[w] = !math.IsNaN(loss) && !math.IsInf(loss, 0); !p.ok[w] {
		return
	}

	lo, hi = p.span(w, len(p.grad))
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
	if p.clip == 0 {
		if !math.IsNaN(n2) && !math.IsInf(n2, 0) {
			p.update(lo, hi, 1)
		}
		return
	}
	p.barrier(w, p.bar+1)
	if gn := p.norm(); !math.IsNaN(gn) && !math.IsInf(gn, 0) {
		scale := 1.0
		if gn > p.clip {
			scale = p.clip / (gn + 1e-6)
		}
		p.update(lo, hi, scale)
	}
}

// norm returns the norm of the batch gradient from the workers' parts.
func (p *pool) norm() float64 {
	gn := 0.0
	for _, v := range p.norms {
		gn += v
	}
	return math.Sqrt(gn)
}

// update applies the optimizer step with the gradient scale·grad to the
// parameters lo:hi and repacks them.
func (p *pool) update(lo, hi int, scale float64) {
	p.opt.update(p.params, p.grad, scale, lo, hi)
	p.repack(lo, hi)
}

// repack packs the parameters lo:hi that a step updated into the shared
// weights, if any.
func (p *pool) repack(lo, hi int) {
	if p.weights != nil {
		p.weights.pack(lo, hi)
	}
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
