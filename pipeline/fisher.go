// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"slices"

	"github.com/goldmine-hep/goldmine/limits/fisher"
	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/store"
)

// FisherPoint is the Fisher information at one θ of fisher.theta.
type FisherPoint struct {
	Theta []float64 `json:"theta"`
	// Xsec is σ(θ), its uncertainties and gradient from all events
	// (event-file campaigns), as goldmine xsec gives them.
	Xsec    *sampling.Xsec  `json:"xsec,omitempty"`
	Results []fisher.Result `json:"results"`
	// InfoHistograms holds the histograms of information.
	InfoHistograms []fisher.InfoHistogramResult `json:"info_histograms,omitempty"`
}

// eventsMorpher opens the events file and its morpher.
func eventsMorpher(e *Env) (*store.EventFile, *morphing.Morpher, error) {
	f, err := store.OpenEvents(e.Path("events.h5"))
	if err != nil {
		return nil, nil, inputErr(err, "this stage needs the events file", "analyse")
	}
	h := f.Header()
	if h.MorphingMatrix == nil {
		f.Close()
		return nil, nil, fmt.Errorf("pipeline: %s has no morphing setup", e.Path("events.h5"))
	}
	m, err := morphing.NewFromMatrix(h.Components, h.MorphingMatrix)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("pipeline: %s: %w", e.Path("events.h5"), err)
	}
	return f, m, nil
}

// fisherAt computes the Fisher information items of the card from the
// events file (fisher.FromEvents) at fisher.theta[0].
func fisherAt(e *Env) (*FisherPoint, error) {
	c := e.Card
	if c.Fisher == nil {
		return nil, fmt.Errorf("pipeline: %s: no fisher section", c.Path)
	}
	if c.IsSimulator() {
		return fisherSimulator(e)
	}
	f, m, err := eventsMorpher(e)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := f.Header()
	fc := c.Fisher
	set := fisher.Settings{Theta: fc.Theta[0], Luminosity: fc.Luminosity, Parameters: c.ParameterNames()}
	if set.TestStart, set.TestEnd, err = e.testPartition(f.N()); err != nil {
		return nil, err
	}
	var items []fisher.Item
	for _, it := range fc.Items {
		fi := fisher.Item{Name: it.Name, Kind: fisher.Kind(it.Kind), Observables: it.Observables, Bins: it.Bins, Edges: it.Edges}
		for _, name := range it.Observables {
			k := slices.Index(h.ObservableNames, name)
			if k < 0 {
				return nil, fmt.Errorf("pipeline: observable %q is not in %s (has %v)", name, e.Path("events.h5"), h.ObservableNames)
			}
			fi.Columns = append(fi.Columns, k)
		}
		if it.IncludeRate != nil {
			fi.IncludeRate = *it.IncludeRate
		}
		switch fi.Kind {
		case fisher.KindSally:
			_, members, err := scorers(e, it.Model)
			if err != nil {
				return nil, err
			}
			for _, s := range members {
				fi.Scorers = append(fi.Scorers, s)
			}
		case fisher.KindRatio:
			rs, err := ratioModels(e, it.Model)
			if err != nil {
				return nil, err
			}
			fi.Ratios = rs
		}
		items = append(items, fi)
	}
	res, err := fisher.FromEvents(f, m, items, set)
	if err != nil {
		return nil, fmt.Errorf("pipeline: fisher: %w", err)
	}
	return &FisherPoint{Theta: fc.Theta[0], Results: res.Results, InfoHistograms: res.InfoHistograms}, nil
}

// testPartition returns the event range of the sampling split's test
// partition (events no model was trained on). With sampling.compat
// madminer it is MadMiner's, which starts one event later, as its
// FisherInformation's does (partition.MadMinerBounds).
func (e *Env) testPartition(n int) (start, end int, err error) {
	split := partition.Default()
	sc := e.Card.Sampling
	if sc != nil {
		split = partition.Split{Validation: sc.ValidationSplit, Test: sc.TestSplit}
	}
	if start, end, err = partition.Bounds(n, partition.Test, split); err != nil || sc == nil || !sc.Compat.MadMiner() {
		return start, end, err
	}
	if start, end, _ = partition.MadMinerBounds(n, partition.Test, split); end <= start {
		return 0, 0, fmt.Errorf("pipeline: MadMiner's test partition of %d events with test_split %g is empty", n, split.Test)
	}
	return start, end, nil
}
