// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"errors"
	"fmt"

	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/store"
)

// PointXsec is the cross section at one point of FileCrossSections, with
// the name of the benchmark when the point is one.
type PointXsec struct {
	Benchmark string `json:"benchmark,omitempty"`
	Xsec
}

// FileCrossSections returns σ(θ), its uncertainties and ∇σ(θ) from all
// events of the events file f (CrossSections over partition.All): at
// every physics (not nuisance) benchmark of the file if benchmarks is
// set, in the file's order, then at the points thetas, which need the
// file's morphing setup.
func FileCrossSections(f *store.EventFile, thetas [][]float64, benchmarks bool) ([]PointXsec, error) {
	h := f.Header()
	cfg, err := ConfigFromHeader(h)
	if err != nil {
		return nil, err
	}
	if cfg.Morpher == nil {
		return nil, errors.New("sampling: the events file has no morphing setup: σ(θ) needs one")
	}
	var out []PointXsec
	if benchmarks {
		var idx []int
		for b, bm := range h.Benchmarks {
			if !bm.IsNuisance {
				idx = append(idx, b)
			}
		}
		xs, err := CrossSections(FromEventFile(f), cfg, partition.All, Benchmarks(idx...))
		if err != nil {
			return nil, fmt.Errorf("sampling: cross sections: %w", err)
		}
		for k, x := range xs {
			out = append(out, PointXsec{Benchmark: h.Benchmarks[idx[k]].Name, Xsec: x})
		}
	}
	if len(thetas) > 0 {
		xs, err := CrossSections(FromEventFile(f), cfg, partition.All, MorphingPoints(thetas))
		if err != nil {
			return nil, fmt.Errorf("sampling: cross sections: %w", err)
		}
		for _, x := range xs {
			out = append(out, PointXsec{Xsec: x})
		}
	}
	return out, nil
}
