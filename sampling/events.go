// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"errors"
	"fmt"

	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/store"
)

// eventFile adapts a store.EventFile to Source.
type eventFile struct {
	ef       *store.EventFile
	nObs, nW int
	b        Batch
}

// FromEventFile returns a Source reading the events of a MadMiner events
// file opened with store.OpenEvents. The caller keeps ownership of ef.
func FromEventFile(ef *store.EventFile) Source {
	h := ef.Header()
	return &eventFile{ef: ef, nObs: len(h.ObservableNames), nW: len(h.Benchmarks)}
}

func (e *eventFile) NumEvents() int      { return e.ef.N() }
func (e *eventFile) NumObservables() int { return e.nObs }
func (e *eventFile) NumWeights() int     { return e.nW }

func (e *eventFile) Read(start, end, batch int, fn func(*Batch) error) error {
	if batch <= 0 {
		batch = 65536
	}
	has := e.ef.HasSamplingBenchmarks()
	return e.ef.Read(start, end, batch, func(sb *store.Batch) error {
		e.b = Batch{Start: sb.Start, Len: sb.N, X: sb.X, W: sb.Weights}
		if has {
			e.b.SamplingIDs = sb.SamplingBenchmarks
		}
		if len(e.b.X) != e.b.Len*e.nObs || len(e.b.W) != e.b.Len*e.nW {
			return fmt.Errorf("sampling: malformed batch at event %d", sb.Start)
		}
		return fn(&e.b)
	})
}

// ConfigFromHeader returns a Config with the morpher and benchmark values of
// an events file header. The other fields keep their zero values.
func ConfigFromHeader(h *store.EventsHeader) (*Config, error) {
	if len(h.Benchmarks) == 0 {
		return nil, errors.New("sampling: events file has no benchmarks")
	}
	cfg := &Config{}
	for _, b := range h.Benchmarks {
		cfg.Benchmarks = append(cfg.Benchmarks, append([]float64(nil), b.Values...))
	}
	if h.Components != nil && h.MorphingMatrix != nil {
		m, err := morphing.NewFromMatrix(h.Components, h.MorphingMatrix)
		if err != nil {
			return nil, fmt.Errorf("sampling: events file morphing: %w", err)
		}
		cfg.Morpher = m
	}
	return cfg, nil
}

// CheckPointsFromHeader returns the benchmarks of an events file outside
// its morphing basis (the columns after the first m.NumBasis(), except
// nuisance benchmarks) as check points for CheckMorphing: their weight
// columns hold the weights the generator computed at those points.
func CheckPointsFromHeader(h *store.EventsHeader, m *morphing.Morpher) []CheckPoint {
	if m == nil {
		return nil
	}
	var out []CheckPoint
	for j := m.NumBasis(); j < len(h.Benchmarks); j++ {
		b := h.Benchmarks[j]
		if b.IsNuisance || len(b.Values) != m.NumParams() {
			continue
		}
		out = append(out, CheckPoint{Name: b.Name, Theta: append([]float64(nil), b.Values...), Column: j})
	}
	return out
}
