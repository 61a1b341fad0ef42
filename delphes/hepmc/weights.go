// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package hepmc

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// A WeightMap picks, from every event of one file, one weight per
// benchmark of an events file.
type WeightMap struct {
	Names []string
	// Index holds, per benchmark, the position in Event.Weights.
	Index []int
}

// MapBenchmarks maps the benchmarks names to the named weights
// weightNames (Reader.WeightNames) of a sample generated at the benchmark
// sampledFrom: a benchmark takes the weight of its own name, or with
// Pythia 8's "AUX_" prefix; the sampling benchmark may also take the
// first, nominal weight. Every benchmark of a background sample takes the
// nominal weight. A benchmark without a weight is an error naming it and
// the file's weight names.
func MapBenchmarks(weightNames, names []string, sampledFrom string, background bool) (*WeightMap, error) {
	m := &WeightMap{Names: slices.Clone(names), Index: make([]int, len(names))}
	for b, name := range names {
		if background {
			continue
		}
		k := slices.Index(weightNames, name)
		if k < 0 {
			k = slices.Index(weightNames, "AUX_"+name)
		}
		if k < 0 && name == sampledFrom {
			k = 0
		}
		if k < 0 {
			return nil, fmt.Errorf("hepmc: benchmark %q has no named weight (names: %s)", name, strings.Join(weightNames, ", "))
		}
		m.Index[b] = k
	}
	return m, nil
}

// Fill writes the mapped weights of ev, each times eff, into dst and
// reports whether one of them is negative. A missing or non-finite weight
// is an error naming its benchmark.
func (m *WeightMap) Fill(dst []float64, ev *Event, eff float64) (negative bool, err error) {
	for b, k := range m.Index {
		if k >= len(ev.Weights) {
			return false, fmt.Errorf("hepmc: %d weights, benchmark %q needs weight %d", len(ev.Weights), m.Names[b], k)
		}
		raw := ev.Weights[k]
		if math.IsNaN(raw) || math.IsInf(raw, 0) {
			return false, fmt.Errorf("hepmc: weight of benchmark %q is %v", m.Names[b], raw)
		}
		dst[b] = raw * eff
		negative = negative || dst[b] < 0
	}
	return negative, nil
}

// CrossSection returns the cross section and its error of the event's
// HepMC3 GenCrossSection attribute ("σ err ..." in pb), or zeros.
func (ev *Event) CrossSection() (xsec, xerr float64) {
	v, ok := ev.Attributes["GenCrossSection"]
	if !ok {
		return 0, 0
	}
	f := strings.Fields(v)
	if len(f) == 0 {
		return 0, 0
	}
	if _, err := fmt.Sscan(f[0], &xsec); err != nil {
		return 0, 0
	}
	if len(f) > 1 {
		if _, err := fmt.Sscan(f[1], &xerr); err != nil {
			xerr = 0
		}
	}
	return xsec, xerr
}
