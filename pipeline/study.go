// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"fmt"

	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/study"
)

// EventStudyResult is what goldmine study writes to WORKDIR/study.json for
// an events card.
type EventStudyResult struct {
	*study.EventResult
	File   string `json:"file"`
	Figure string `json:"figure"`
}

// eventStudyStage maps the study section of an events card onto
// study.RunEvents: the events of WORKDIR/events.h5, whose morphing is the
// exact likelihood ratio when the observables are the whole event record.
func eventStudyStage(ctx context.Context, e *Env) (*EventStudyResult, error) {
	c, st := e.Card, e.Card.Study
	f, scfg, err := openSampling(e, "study needs the events file")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := f.Header()
	if scfg.Morpher == nil {
		return nil, fmt.Errorf("pipeline: %s: the study needs a morphing setup (the exact ratio is the morphing of the event weights)", e.Path("events.h5"))
	}
	if sc := c.Sampling; sc != nil {
		scfg.Split = &partition.Split{Validation: sc.ValidationSplit, Test: sc.TestSplit}
	}
	index := map[string]int{}
	for i, n := range h.ObservableNames {
		index[n] = i
	}
	cols := func(names []string) ([]int, error) {
		var out []int
		for _, n := range names {
			i, ok := index[n]
			if !ok {
				return nil, fmt.Errorf("pipeline: %s: no observable %q", e.Path("events.h5"), n)
			}
			out = append(out, i)
		}
		return out, nil
	}
	cfg := &study.EventConfig{
		Source:       sampling.FromEventFile(f),
		Sampling:     scfg,
		Sizes:        st.Sizes,
		Seeds:        st.Seeds,
		Steps:        st.Steps,
		Hidden:       st.Hidden,
		Theta0:       st.Theta0Ranges,
		Grid:         st.Grid,
		TestEvents:   st.TestEvents,
		FisherEvents: st.FisherEvents,
		SallyBins:    st.SallyBins,
		SallyHidden:  st.SallyHidden,
		SallyScaled:  st.SallyScaledScores,
		Settings:     &ml.Settings{Alpha: st.Alpha},
		Seed:         e.Seed,
		Log:          e.Log,
		Context:      ctx,
	}
	if cfg.Theta0 == nil {
		for _, p := range c.Parameters {
			cfg.Theta0 = append(cfg.Theta0, p.Range)
		}
	}
	if cfg.Features, err = cols(st.Features); err != nil {
		return nil, err
	}
	if cfg.Methods, err = studyMethods(st.Methods); err != nil {
		return nil, err
	}
	for _, hs := range st.Histograms {
		obs, err := cols(hs.Observables)
		if err != nil {
			return nil, err
		}
		cfg.Histograms = append(cfg.Histograms, study.Histogram{Name: hs.Name, Observables: obs, Bins: hs.Bins})
	}
	r, err := study.RunEvents(cfg)
	if err != nil {
		return nil, err
	}
	fig, err := study.EventFigure(r, "")
	if err != nil {
		return nil, err
	}
	out := &EventStudyResult{EventResult: r, File: e.Path("study.json"), Figure: e.Path("plots", "study.png")}
	return out, e.saveStudy(fig, out)
}
