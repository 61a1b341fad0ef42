// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"

	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/store"
)

// XsecPoint is σ(θ) at one point (goldmine xsec), named when it is a
// benchmark of the events file.
type XsecPoint = sampling.PointXsec

// XsecResult is what goldmine xsec gives: σ(θ) in pb, its statistical
// uncertainty sqrt(Σ_i dσ_i(θ)²) and MadMiner's (DataAnalyzer.xsecs), and
// ∇σ(θ) (DataAnalyzer.xsec_gradients), from all events of the events file.
type XsecResult struct {
	File       string      `json:"file"`
	Events     int         `json:"events"`
	Parameters []string    `json:"parameters"`
	Points     []XsecPoint `json:"points"`
}

// XsecSpec selects the points of CrossSections.
type XsecSpec struct {
	// Thetas are parameter points.
	Thetas [][]float64
	// Benchmarks adds every physics benchmark of the events file.
	Benchmarks bool
	// Grid adds the points of the card's limits grid (limits.grid), in
	// its order (θ_0 outermost).
	Grid bool
}

// CrossSections returns σ(θ), its uncertainties and ∇σ(θ) at the points
// of spec from WORKDIR/events.h5 (sampling.FileCrossSections): the
// benchmarks first, then the points, then the grid. It writes nothing.
func CrossSections(e *Env, spec XsecSpec) (*XsecResult, error) {
	thetas := spec.Thetas
	if spec.Grid {
		lc := e.Card.Limits
		if lc == nil {
			return nil, fmt.Errorf("pipeline: %s: the grid of xsec is limits.grid, and the card has no limits section", e.Card.Path)
		}
		pts, err := limitsGrid(&lc.Grid).Points()
		if err != nil {
			return nil, fmt.Errorf("pipeline: %s: limits.grid: %w", e.Card.Path, err)
		}
		thetas = append(thetas[:len(thetas):len(thetas)], pts...)
	}
	np := len(e.Card.Parameters)
	for i, th := range thetas {
		if len(th) != np {
			return nil, fmt.Errorf("pipeline: point %d %v has %d values, the card has %d parameters", i, th, len(th), np)
		}
	}
	if len(thetas) == 0 && !spec.Benchmarks {
		return nil, fmt.Errorf("pipeline: no points: give θ, the benchmarks or the grid")
	}
	if e.Card.IsSimulator() {
		return nil, fmt.Errorf("pipeline: %s: a simulator campaign has no events file to take cross sections from", e.Card.Path)
	}
	f, err := store.OpenEvents(e.Path("events.h5"))
	if err != nil {
		return nil, inputErr(err, "cross sections need the events file", "analyse")
	}
	defer f.Close()
	pts, err := sampling.FileCrossSections(f, thetas, spec.Benchmarks)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", e.Path("events.h5"), err)
	}
	return &XsecResult{File: e.Path("events.h5"), Events: f.N(), Parameters: e.Card.ParameterNames(), Points: pts}, nil
}

// crossSections returns σ(θ) at the points thetas from all events of
// WORKDIR/events.h5, and the number of events.
func crossSections(e *Env, thetas [][]float64) ([]sampling.Xsec, int, error) {
	r, err := CrossSections(e, XsecSpec{Thetas: thetas})
	if err != nil {
		return nil, 0, err
	}
	xs := make([]sampling.Xsec, len(r.Points))
	for i, p := range r.Points {
		xs[i] = p.Xsec
	}
	return xs, r.Events, nil
}
