// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/goldmine-hep/goldmine/partition"
)

// Xsec is the cross section at one parameter point. The JSON names are
// those of goldmine's result files.
type Xsec struct {
	Theta []float64 `json:"theta"`
	// Sigma is σ(θ) = Σ_i dσ_i(θ) in pb, corrected for the partition.
	Sigma float64 `json:"xsec_pb"`
	// Unc is the statistical uncertainty sqrt(Σ_i dσ_i(θ)²), corrected for
	// the partition.
	Unc float64 `json:"xsec_unc_pb"`
	// UncMadMiner is the uncertainty as MadMiner's DataAnalyzer.xsecs
	// defines it, sqrt(max(Σ_b w_b(θ) Σ_i W_ib², 0)) with the same
	// corrections: it morphs the squared weights instead of squaring the
	// morphed ones. It equals Unc at the benchmarks; elsewhere it is not
	// the uncertainty of σ(θ), and where the morphing weights make the
	// sum negative it is 0.
	UncMadMiner float64 `json:"xsec_unc_madminer_pb"`
	// Grad is ∇σ(θ), nil without a morpher.
	Grad []float64 `json:"xsec_gradient_pb,omitempty"`
	// NEff is the effective number of events (Σ_i dσ_i)²/Σ_i dσ_i².
	NEff float64 `json:"n_eff"`
}

// CrossSections returns σ(θ), its uncertainty and gradient for every point
// of spec over the events of partition p, using all events (as MadMiner's
// DataAnalyzer.xsecs, whatever cfg.AllBenchmarks says). It reads the source
// once, whatever the number of points. With cfg.Compat.Partitions the
// partitions and their corrections are MadMiner's.
func CrossSections(src Source, cfg *Config, p partition.Partition, spec ThetaSpec) ([]Xsec, error) {
	r, err := newRunner(src, cfg)
	if err != nil {
		return nil, err
	}
	pts, err := spec.Resolve(cfg.Benchmarks, r.nP, rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15)))
	if err != nil {
		return nil, err
	}
	for _, pt := range pts {
		if pt.Benchmark < 0 && cfg.Morpher == nil {
			return nil, fmt.Errorf("sampling: morphing point %v needs a morphing setup", pt.Theta)
		}
	}
	start, end, factor, err := cfg.Compat.bounds(src.NumEvents(), p, r.split)
	if err != nil {
		return nil, err
	}
	ps := newPartStats(start, end, r.nW, cfg.Nuisance)
	ps.fixed = factor
	if err := collect(src, []*partStats{ps}, r.batch, r.workers); err != nil {
		return nil, err
	}
	f := ps.factors(-2)
	out := make([]Xsec, len(pts))
	for i, pt := range pts {
		w, g := r.weights(pt)
		sigma, grad, _, sq := r.xsec(ps, f, w, g)
		out[i] = Xsec{Theta: pt.Theta, Sigma: sigma, Unc: math.Sqrt(math.Max(sq, 0)), Grad: grad, NEff: sigma * sigma / sq,
			UncMadMiner: math.Sqrt(math.Max(r.madMinerSq(ps, f, w), 0))}
	}
	return out, nil
}

// madMinerSq returns MadMiner's squared uncertainty Σ_b w_b Σ_i W_ib² over
// the ids with factors f (squared, as MadMiner multiplies the weights by
// them before squaring).
func (r *runner) madMinerSq(ps *partStats, f, w []float64) float64 {
	var sq float64
	for k, s := range ps.idList {
		if f[k] == 0 {
			continue
		}
		st := ps.ids[s]
		var q float64
		for b, v := range w {
			q += v * st.sq[b*r.nW+b]
		}
		sq += f[k] * f[k] * q
	}
	return sq
}
