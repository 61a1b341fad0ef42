// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Xsec is the cross section at one parameter point.
type Xsec struct {
	Theta []float64
	// Sigma is σ(θ) = Σ_i dσ_i(θ) in pb, corrected for the partition.
	Sigma float64
	// Unc is the statistical uncertainty sqrt(Σ_i dσ_i(θ)²), corrected for
	// the partition. (MadMiner uses sqrt(Σ_i Σ_b w_b(θ) W_ib²), which
	// agrees at the benchmarks but not elsewhere and can be negative.)
	Unc float64
	// Grad is ∇σ(θ), nil without a morpher.
	Grad []float64
	// NEff is the effective number of events (Σ_i dσ_i)²/Σ_i dσ_i².
	NEff float64
}

// CrossSections returns σ(θ), its uncertainty and gradient for every point
// of spec over the events of partition p, using all events (as MadMiner's
// DataAnalyzer.xsecs, whatever cfg.AllBenchmarks says). It reads the source
// once, whatever the number of points.
func CrossSections(src Source, cfg *Config, p Partition, spec ThetaSpec) ([]Xsec, error) {
	r, err := newRunner(src, cfg)
	if err != nil {
		return nil, err
	}
	pts, err := spec.resolve(cfg.Benchmarks, r.nP, rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15)))
	if err != nil {
		return nil, err
	}
	for _, pt := range pts {
		if pt.Benchmark < 0 && cfg.Morpher == nil {
			return nil, fmt.Errorf("sampling: morphing point %v needs a morphing setup", pt.Theta)
		}
	}
	start, end, err := Bounds(src.NumEvents(), p, r.split)
	if err != nil {
		return nil, err
	}
	ps := newPartStats(start, end, r.nW, cfg.Nuisance)
	if err := collect(src, []*partStats{ps}, r.batch, r.workers); err != nil {
		return nil, err
	}
	f := ps.factors(-2)
	out := make([]Xsec, len(pts))
	for i, pt := range pts {
		w, g := r.weights(pt)
		sigma, grad, _, sq := r.xsec(ps, f, w, g)
		out[i] = Xsec{Theta: pt.Theta, Sigma: sigma, Unc: math.Sqrt(math.Max(sq, 0)), Grad: grad, NEff: sigma * sigma / sq}
	}
	return out, nil
}
