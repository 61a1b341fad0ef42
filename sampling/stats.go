// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/goldmine-hep/goldmine/morphing"
)

// blockSize is the number of consecutive events of a partition whose weight
// sums are kept per block. Sampling first picks blocks by their mass and then
// scans only the picked blocks, so a sample costs O(blockSize) however many
// parameter points are requested.
const blockSize = 64

// partStats holds what one streamed pass learns about the events of one
// partition: per sampling id, the per-benchmark weight sums of every block and
// the second moments of the weights.
type partStats struct {
	start, end int
	// fixed, if not 0, is the partition's weight correction (MadMiner's
	// 1/fraction, Compat.Partitions); 0 corrects by event counts.
	fixed   float64
	nW      int
	nBlocks int

	ids    map[int]*idStats
	idList []int // sorted
	hasIDs bool  // the source reported sampling ids

	nu  *morphing.NuisanceMorpher // nil without nuisance parameters
	nNu int

	// nuPts are the points with non-nominal ν. Their cross sections do not
	// follow from per-benchmark sums, so the first pass accumulates them,
	// and their block masses, event by event.
	nuPts []*nuPoint
	nP    int
}

// nuPoint accumulates σ(θ,ν) and friends for one point with non-nominal ν.
type nuPoint struct {
	w, g []float64 // weight vector (nW) and its θ gradient (nP×nW)
	nu   []float64
	ids  map[int]*nuID
}

// nuID holds the sums of one sampling id: acc = [σ, ∇_θσ (nP), ∇_νσ (nNu),
// Σ_i dσ_i²] and the block masses.
type nuID struct {
	acc   []float64
	bmass []float64
}

// factor returns exp(Σ_k a_k ν_k + b_k ν_k²).
func nuFactor(a, b, nu []float64) float64 {
	var e float64
	for k, v := range nu {
		e += a[k]*v + b[k]*v*v
	}
	return math.Exp(e)
}

type idStats struct {
	total  int       // events with this id in the whole file
	inPart int       // events with this id in the partition
	bsum   []float64 // nBlocks×nW block sums of the weights
	sq     []float64 // nW×nW Σ_i W_ib W_ib'
	sum    []float64 // nW sums over the partition, set after the pass
	na     []float64 // nW×nNu Σ_i W_ib a_ik (nuisance coefficients a)
}

func newPartStats(start, end, nW int, nu *morphing.NuisanceMorpher) *partStats {
	ps := &partStats{start: start, end: end, nW: nW, nBlocks: (end - start + blockSize - 1) / blockSize, ids: map[int]*idStats{}, nu: nu}
	if nu != nil {
		ps.nNu = nu.NumNuisance()
	}
	return ps
}

func (ps *partStats) id(s int) *idStats {
	st, ok := ps.ids[s]
	if !ok {
		st = &idStats{bsum: make([]float64, ps.nBlocks*ps.nW), sq: make([]float64, ps.nW*ps.nW), na: make([]float64, ps.nW*ps.nNu)}
		ps.ids[s] = st
		for _, q := range ps.nuPts {
			q.ids[s] = &nuID{acc: make([]float64, ps.accLen()), bmass: make([]float64, ps.nBlocks)}
		}
	}
	return st
}

func (ps *partStats) accLen() int { return 2 + ps.nP + ps.nNu }

// addNuPoint registers a point with non-nominal ν before the pass and
// returns its index.
func (ps *partStats) addNuPoint(w, g, nu []float64, nP int) int {
	ps.nP = nP
	ps.nuPts = append(ps.nuPts, &nuPoint{w: w, g: g, nu: nu, ids: map[int]*nuID{}})
	return len(ps.nuPts) - 1
}

// sums returns the per-benchmark weight sums of id s over the partition,
// adding the blocks in order.
func (st *idStats) sums(nW int) []float64 {
	out := make([]float64, nW)
	for j := 0; j < len(st.bsum)/nW; j++ {
		for b, v := range st.bsum[j*nW : (j+1)*nW] {
			out[b] += v
		}
	}
	return out
}

// collect streams all events of src once and fills one partStats per
// requested range. Work inside a batch is split into block-aligned chunks
// processed in parallel; partial second moments are added in chunk order, so
// the result does not depend on the number of workers.
func collect(src Source, parts []*partStats, batch, workers int) error {
	n := src.NumEvents()
	nW := src.NumWeights()
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	eventIndex := 0
	err := src.Read(0, n, batch, func(b *Batch) error {
		if b.Start != eventIndex {
			return fmt.Errorf("sampling: source delivered event %d, want %d", b.Start, eventIndex)
		}
		if len(b.W) != b.Len*nW || (b.SamplingIDs != nil && len(b.SamplingIDs) != b.Len) {
			return fmt.Errorf("sampling: malformed batch at event %d", b.Start)
		}
		eventIndex += b.Len
		for i := 0; i < b.Len; i++ {
			for _, v := range b.W[i*nW : (i+1)*nW] {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("sampling: event %d has weight %v", b.Start+i, v)
				}
			}
		}
		for _, ps := range parts {
			if err := ps.add(b, workers); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if eventIndex != n {
		return fmt.Errorf("sampling: source delivered %d events, want %d", eventIndex, n)
	}
	for _, ps := range parts {
		for s := range ps.ids {
			ps.idList = append(ps.idList, s)
		}
		sort.Ints(ps.idList)
		for _, st := range ps.ids {
			st.sum = st.sums(ps.nW)
		}
	}
	return nil
}

func (ps *partStats) add(b *Batch, workers int) error {
	nW := ps.nW
	idOf := func(i int) int {
		if b.SamplingIDs == nil {
			return 0
		}
		return b.SamplingIDs[i]
	}
	if b.SamplingIDs != nil {
		ps.hasIDs = true
	}
	// Totals over the whole file, and registration of new ids.
	for i := 0; i < b.Len; i++ {
		ps.id(idOf(i)).total++
	}
	lo, hi := max(b.Start, ps.start), min(b.Start+b.Len, ps.end)
	if lo >= hi {
		return nil
	}
	// Block-aligned chunks of the partition events in this batch.
	const chunkBlocks = 16
	type chunk struct {
		lo, hi int
		sq     map[int][]float64
		na     map[int][]float64
		nacc   map[[2]int][]float64 // (ν point, id) partial sums
		cnt    map[int]int
		err    error
	}
	var chunks []*chunk
	for c := lo; c < hi; {
		next := ps.start + ((c-ps.start)/(blockSize*chunkBlocks)+1)*blockSize*chunkBlocks
		e := min(next, hi)
		chunks = append(chunks, &chunk{lo: c, hi: e})
		c = e
	}
	work := func(ch *chunk) {
		ch.sq = map[int][]float64{}
		ch.na = map[int][]float64{}
		ch.nacc = map[[2]int][]float64{}
		ch.cnt = map[int]int{}
		var ca, cb []float64
		if ps.nu != nil {
			ca, cb = make([]float64, ps.nNu), make([]float64, ps.nNu)
		}
		for i := ch.lo; i < ch.hi; i++ {
			k := i - b.Start
			s := idOf(k)
			st := ps.ids[s]
			w := b.W[k*nW : (k+1)*nW]
			j := (i - ps.start) / blockSize
			bs := st.bsum[j*nW : (j+1)*nW]
			for x, v := range w {
				bs[x] += v
			}
			sq := ch.sq[s]
			if sq == nil {
				sq = make([]float64, nW*nW)
				ch.sq[s] = sq
			}
			for x, v := range w {
				row := sq[x*nW : (x+1)*nW]
				for y, u := range w {
					row[y] += v * u
				}
			}
			ch.cnt[s]++
			if ps.nu != nil {
				if _, _, err := ps.nu.CoefficientsTo(ca, cb, w); err != nil {
					ch.err = fmt.Errorf("sampling: event %d: %w", i, err)
					return
				}
				na := ch.na[s]
				if na == nil {
					na = make([]float64, nW*ps.nNu)
					ch.na[s] = na
				}
				for x, v := range w {
					for k, a := range ca {
						na[x*ps.nNu+k] += v * a
					}
				}
				for q, pt := range ps.nuPts {
					dth := dot(pt.w, w)
					f := nuFactor(ca, cb, pt.nu)
					d := dth * f
					pt.ids[s].bmass[j] += d
					key := [2]int{q, s}
					acc := ch.nacc[key]
					if acc == nil {
						acc = make([]float64, ps.accLen())
						ch.nacc[key] = acc
					}
					acc[0] += d
					for p := 0; p < ps.nP; p++ {
						acc[1+p] += f * dot(pt.g[p*nW:(p+1)*nW], w)
					}
					for k := range ca {
						acc[1+ps.nP+k] += d * (ca[k] + 2*cb[k]*pt.nu[k])
					}
					acc[len(acc)-1] += d * d
				}
			}
		}
	}
	if workers == 1 || len(chunks) == 1 {
		for _, ch := range chunks {
			work(ch)
		}
	} else {
		var wg sync.WaitGroup
		next := make(chan *chunk)
		for range min(workers, len(chunks)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ch := range next {
					work(ch)
				}
			}()
		}
		for _, ch := range chunks {
			next <- ch
		}
		close(next)
		wg.Wait()
	}
	for _, ch := range chunks {
		if ch.err != nil {
			return ch.err
		}
	}
	for _, ch := range chunks {
		// Deterministic order of ids within a chunk.
		for _, s := range slices.Sorted(maps.Keys(ch.sq)) {
			st := ps.ids[s]
			for x, v := range ch.sq[s] {
				st.sq[x] += v
			}
			for x, v := range ch.na[s] {
				st.na[x] += v
			}
			for q, pt := range ps.nuPts {
				for x, v := range ch.nacc[[2]int{q, s}] {
					pt.ids[s].acc[x] += v
				}
			}
			st.inPart += ch.cnt[s]
		}
	}
	return nil
}

// factors returns, for every id of ps (in idList order), the factor that
// turns the weights of its partition events into an unbiased estimate of the
// full differential cross section, and whether the id takes part.
//
// With restrict < −1 (no restriction) all ids take part: signal samples are
// combined with the fractions n_s/N of the signal events, as MadMiner does,
// background events (id −1) with 1. Otherwise only the id restrict and the
// background take part, each with fraction 1. Each id is then corrected for
// the partition with n_s / n_{s,P}, its events in the file over its events in
// the partition (or with MadMiner's 1/fraction, Compat.Partitions).
func (ps *partStats) factors(restrict int) []float64 {
	f := make([]float64, len(ps.idList))
	var nSignal int
	for _, s := range ps.idList {
		if s >= 0 {
			nSignal += ps.ids[s].total
		}
	}
	for k, s := range ps.idList {
		st := ps.ids[s]
		if st.inPart == 0 {
			continue
		}
		alpha := 1.0
		switch {
		case restrict < -1:
			if s >= 0 {
				alpha = float64(st.total) / float64(nSignal)
			}
		case s != restrict && s != -1:
			continue
		}
		if ps.fixed != 0 {
			f[k] = alpha * ps.fixed
		} else {
			f[k] = alpha * float64(st.total) / float64(st.inPart)
		}
	}
	return f
}
