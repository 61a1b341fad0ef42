// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// A WeightMap picks, from every event of one file, the weights an events
// file stores: one per benchmark, then any further ones (systematic
// variations), each a weight of the event times a factor.
type WeightMap struct {
	Names   []string
	Sources []WeightSource
	// nominal is the index into Sources of the sampling benchmark, or -1
	// for a background sample.
	nominal int

	h *Header
	// block is the index in Event.Weights of the weight that repeats the
	// nominal among the variations (Header.NominalWeight; -1: none).
	// Variations read from the file are taken relative to it.
	block   int
	blockID string
	// Events whose block nominal differs from XWGTUP, the first of them,
	// and those whose block nominal is zero.
	off, zero int
	firstOff  struct {
		index       int
		xwgtup, nom float64
	}
}

// WeightSource is one weight of an event times a factor.
type WeightSource struct {
	// Index is the position in Event.Weights (and Header.Weights), or -1
	// for the event weight XWGTUP.
	Index  int
	Factor float64
	// Relative takes the weight relative to the nominal weight of its
	// block: w · w_ref / w_block, with w_ref the sampling benchmark's
	// weight (a variation added with Add).
	Relative bool
}

// MapBenchmarks returns the map of the benchmarks names of a sample
// generated at the benchmark sampledFrom, as MadMiner's LHEReader does: a
// benchmark takes the weight whose id is its name, and the sampling
// benchmark takes the event weight XWGTUP unless it has a weight of its
// own. Every benchmark of a background sample takes XWGTUP. A benchmark
// without a weight, or a sampling benchmark that is not among names, is an
// error naming it (and the file's weight ids).
func MapBenchmarks(h *Header, names []string, sampledFrom string, background bool) (*WeightMap, error) {
	m := &WeightMap{Names: slices.Clone(names), Sources: make([]WeightSource, len(names)), nominal: -1, h: h, block: -1}
	for b, name := range names {
		m.Sources[b] = WeightSource{Index: -1, Factor: 1}
		if background {
			continue
		}
		if name == sampledFrom {
			m.nominal = b
		}
		if k, ok := h.WeightIndex(name); ok {
			m.Sources[b].Index = k
		} else if name != sampledFrom {
			return nil, fmt.Errorf("lhe: benchmark %q has no weight in the file (weight ids: %s)", name, weightIDs(h))
		}
	}
	if !background && m.nominal < 0 {
		return nil, fmt.Errorf("lhe: sampling benchmark %q is not among the benchmarks %v", sampledFrom, names)
	}
	return m, nil
}

// Add appends a variation named name: the event weight at index (an index
// into Event.Weights), or, for index -1, the nominal weight (that of the
// sampling benchmark, XWGTUP for a background), times factor. A weight of
// the file is taken relative to the nominal weight of its block when the
// header has one (Header.NominalWeight): times the sampling benchmark's
// weight over the block's nominal, event by event, so that a block in
// another normalisation than XWGTUP is scaled to it.
func (m *WeightMap) Add(name string, index int, factor float64) {
	src := WeightSource{Index: index, Factor: factor}
	if index < 0 {
		src.Index = -1
		if m.nominal >= 0 {
			src.Index = m.Sources[m.nominal].Index
		}
	} else if m.h != nil {
		if m.block < 0 {
			if k, ok := m.h.NominalWeight(); ok {
				m.block, m.blockID = k, m.h.Weights[k].ID
			}
		}
		src.Relative = m.block >= 0 && index != m.block
	}
	m.Names = append(m.Names, name)
	m.Sources = append(m.Sources, src)
}

// reference is the nominal weight of the sampling benchmark in ev: its own
// weight if the file has one, else XWGTUP.
func (m *WeightMap) reference(ev *Event) float64 {
	if m.nominal >= 0 && m.Sources[m.nominal].Index >= 0 {
		return ev.Weights[m.Sources[m.nominal].Index]
	}
	return ev.Weight
}

// check records whether the block nominal of ev is in XWGTUP's
// normalisation (within the rounding of printed weights).
func (m *WeightMap) check(ev *Event) {
	if m.block < 0 {
		return
	}
	nom := ev.Weights[m.block]
	if nom == 0 {
		if ev.Weight != 0 {
			m.zero++
		}
		return
	}
	if math.Abs(nom-ev.Weight) > 2e-3*math.Max(math.Abs(nom), math.Abs(ev.Weight)) {
		if m.off == 0 {
			m.firstOff.index, m.firstOff.xwgtup, m.firstOff.nom = ev.Index, ev.Weight, nom
		}
		m.off++
	}
}

// Warnings reports, once the events are filled, a variation block whose
// nominal was in another normalisation than XWGTUP, and events whose block
// nominal was zero (their variations are used as they are). path names
// the file.
func (m *WeightMap) Warnings(path string) []string {
	var ws []string
	if m.off > 0 {
		f := m.firstOff
		ws = append(ws, fmt.Sprintf("%s: in %d of the events kept the nominal weight %q of the variation block differs from XWGTUP (event %d: XWGTUP %g, %q %g): the scale and PDF variations are taken relative to %q and scaled to XWGTUP, event by event",
			path, m.off, m.blockID, f.index, f.xwgtup, m.blockID, f.nom, m.blockID))
	}
	if m.zero > 0 {
		ws = append(ws, fmt.Sprintf("%s: %d events have a nominal variation weight of 0: their variations are used as they are", path, m.zero))
	}
	return ws
}

// Fill writes the mapped weights of ev, each times eff, into dst and
// reports whether one of them is negative. A non-finite weight is an
// error naming its benchmark. It panics if dst is shorter than the map.
func (m *WeightMap) Fill(dst []float64, ev *Event, eff float64) (negative bool, err error) {
	m.check(ev)
	for b, s := range m.Sources {
		raw := ev.Weight
		if s.Index >= 0 {
			raw = ev.Weights[s.Index]
		}
		if s.Relative {
			if nom := ev.Weights[m.block]; nom != 0 {
				raw *= m.reference(ev) / nom
			}
		}
		if s.Factor != 1 {
			raw *= s.Factor
		}
		if math.IsNaN(raw) || math.IsInf(raw, 0) {
			return false, fmt.Errorf("lhe: weight of benchmark %q is %v", m.Names[b], raw)
		}
		dst[b] = raw * eff
		negative = negative || dst[b] < 0
	}
	return negative, nil
}

// weightIDs lists the first weight ids of h for error messages.
func weightIDs(h *Header) string {
	if len(h.Weights) == 0 {
		return "none"
	}
	ids := make([]string, 0, min(len(h.Weights), 13))
	for _, w := range h.Weights {
		if len(ids) == 12 {
			ids = append(ids, "...")
			break
		}
		ids = append(ids, w.ID)
	}
	return strings.Join(ids, ", ")
}

// Proportionality detects weights that carry no θ dependence beyond the
// rate: benchmark weights that are, in every event, the same multiple of
// the first benchmark's weight (as when EFT couplings enter only a decay,
// so that reweighting changes the rate and never the shape).
type Proportionality struct {
	ratio []float64 // w_b/w_0 of the first event with w_0 ≠ 0
	prop  []bool
	seen  bool
}

// Add adds the benchmark weights of one event. Events with w[0] = 0 are
// ignored. Every call must pass the same number of weights.
func (p *Proportionality) Add(w []float64) {
	if w[0] == 0 {
		return
	}
	if p.ratio == nil {
		p.ratio = make([]float64, len(w))
		p.prop = make([]bool, len(w))
		for i := range p.prop {
			p.prop[i] = true
		}
	}
	for b := 1; b < len(w); b++ {
		r := w[b] / w[0]
		if !p.seen {
			p.ratio[b] = r
			continue
		}
		if math.Abs(r-p.ratio[b]) > 1e-9*math.Max(1, math.Abs(p.ratio[b])) {
			p.prop[b] = false
		}
	}
	p.seen = true
}

// Proportional reports whether at least two benchmarks were seen and every
// benchmark's weight was the same multiple of the first benchmark's, to
// a relative 1e-9, in every event added.
func (p *Proportionality) Proportional() bool {
	return p.seen && len(p.prop) > 1 && !slices.Contains(p.prop[1:], false)
}

// ParamRef names a parameter of the SLHA param card by block (any case)
// and index.
type ParamRef struct {
	Block string
	ID    int
}

// ParamCardPoint is the param-card point of one reweighting weight.
type ParamCardPoint struct {
	// Weight is the weight's id.
	Weight string
	// Values holds the param-card value of each parameter.
	Values []float64
}

// ParamCardPoints returns the param-card points of the reweighting
// weights of h that set at least one of params with MG5's "set param_card
// BLOCK ID VALUE" lines, in header order: the values the weight sets, and
// for the parameters it leaves alone those of the file's own param card
// (the sampling point). only, if not nil, keeps only those weight ids, and
// one that sets none of params is an error; so is a header whose weights
// set none of them.
func ParamCardPoints(h *Header, params []ParamRef, only []string) ([]ParamCardPoint, error) {
	nominal := make([]float64, len(params))
	for i, p := range params {
		if v, ok := h.ParamBlocks[strings.ToLower(p.Block)][p.ID]; ok {
			nominal[i] = v
		}
	}
	var out []ParamCardPoint
	for _, w := range h.Weights {
		if len(w.ParamSets) == 0 || (only != nil && !slices.Contains(only, w.ID)) {
			continue
		}
		pt := ParamCardPoint{Weight: w.ID, Values: slices.Clone(nominal)}
		matched := false
		for _, ps := range w.ParamSets {
			for i, p := range params {
				if strings.EqualFold(p.Block, ps.Block) && p.ID == ps.ID {
					pt.Values[i] = ps.Value
					matched = true
				}
			}
		}
		if matched {
			out = append(out, pt)
		}
	}
	for _, id := range only {
		if !slices.ContainsFunc(out, func(p ParamCardPoint) bool { return p.Weight == id }) {
			return nil, fmt.Errorf("lhe: no reweighting weight %q setting the parameters", id)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("lhe: no reweighting weight in <initrwgt> sets one of the parameters %v", params)
	}
	return out, nil
}
