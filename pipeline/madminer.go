// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"errors"
	"fmt"

	"github.com/goldmine-hep/goldmine/analysis"
	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/seed"
	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/store"
)

// Samples of kind madminer (samples[].madminer): events files written by
// MadMiner or goldmine, analysed already. The setup is the first file's:
// the sections the card leaves out are read from it at card load
// (madMinerSetup, cards.Card.Imported), and those the card gives are
// checked against it (store.CompareSetup). analyse combines the files into
// events.h5 as MadMiner's combine_and_shuffle does without k-factors
// (store.MergeEvents), shuffled with the seed of goldmine's own analysis,
// so that an events file and the LHE file it was made from give the same
// events.h5.

// madMinerSetup reads the setup of a madminer sample's events file for
// the card loader.
func madMinerSetup(path string) (*cards.FileSetup, error) {
	h, err := store.ReadEventsHeader(path)
	if err != nil {
		return nil, err
	}
	fs := &cards.FileSetup{Morphing: h.MorphingMatrix != nil}
	for _, p := range h.Parameters {
		fs.Parameters = append(fs.Parameters, cards.Parameter{Name: p.Name, LHABlock: p.LHABlock, LHAID: p.LHAID,
			MorphingMaxPower: p.MaxPower, Range: p.Range, ParamCardTransform: p.Transform})
	}
	for _, b := range h.Benchmarks {
		if b.IsNuisance {
			continue
		}
		v := make(map[string]float64, len(h.Parameters))
		for i, p := range h.Parameters {
			v[p.Name] = b.Values[i]
		}
		fs.Benchmarks = append(fs.Benchmarks, cards.Benchmark{Name: b.Name, Values: v})
	}
	for i, name := range h.ObservableNames {
		fs.Observables = append(fs.Observables, cards.Observable{Name: name, Expr: h.ObservableDefinitions[i]})
	}
	return fs, nil
}

// madMinerFiles returns the events files of the card's madminer samples.
func madMinerFiles(c *cards.Card) []string {
	var files []string
	for _, s := range c.Samples {
		if s.MadMiner != "" {
			files = append(files, c.ResolvePath(s.MadMiner))
		}
	}
	return files
}

// fileSetup returns the setup of the card's madminer samples, that of the
// first file, after checking the other files and what the card gives
// (parameters, benchmarks, morphing) against it.
func fileSetup(e *Env, files []string) (*store.Setup, *SetupResult, error) {
	c := e.Card
	h, err := store.ReadEventsHeader(files[0])
	if err != nil {
		return nil, nil, fmt.Errorf("pipeline: %s: madminer sample: %w", c.Path, err)
	}
	for _, f := range files[1:] {
		o, err := store.ReadEventsHeader(f)
		if err != nil {
			return nil, nil, fmt.Errorf("pipeline: %s: madminer sample: %w", c.Path, err)
		}
		if err := store.CompareSetup(&o.Setup, f, &h.Setup, files[0]); err != nil {
			return nil, nil, fmt.Errorf("pipeline: %w", err)
		}
	}
	given := &store.Setup{}
	if c.Imported["parameters"] == "" {
		given.Parameters = storeParameters(c)
	}
	if c.Imported["morphing"] == "" {
		// The card's morphing, of the card's or the file's benchmarks.
		s, _, err := BuildSetup(e)
		if err != nil {
			return nil, nil, err
		}
		given.Components, given.MorphingMatrix, given.Benchmarks = s.Components, s.MorphingMatrix, s.Benchmarks
	}
	if c.Imported["benchmarks"] == "" && given.Benchmarks == nil {
		bms, err := resolveBenchmarks(c)
		if err != nil {
			return nil, nil, err
		}
		for _, b := range bms {
			given.Benchmarks = append(given.Benchmarks, store.Benchmark{Name: b.Name, Values: b.Values})
		}
	}
	if err := store.CompareSetup(given, c.Path, &h.Setup, files[0]); err != nil {
		return nil, nil, fmt.Errorf("pipeline: %w", err)
	}
	s := &h.Setup
	if s.MorphingMatrix == nil {
		return nil, nil, fmt.Errorf("pipeline: %s has no morphing setup; goldmine needs one", files[0])
	}
	m, err := morphing.NewFromMatrix(s.Components, s.MorphingMatrix)
	if err != nil {
		return nil, nil, fmt.Errorf("pipeline: %s: %w", files[0], err)
	}
	return s, newSetupResult(e, s, m), nil
}

// storeParameters returns the card's parameters as the store writes them.
func storeParameters(c *cards.Card) []store.Parameter {
	var out []store.Parameter
	for _, p := range c.Parameters {
		out = append(out, store.Parameter{Name: p.Name, LHABlock: p.LHABlock, LHAID: p.LHAID, MaxPower: p.MorphingMaxPower,
			Range: p.Range, Transform: p.ParamCardTransform})
	}
	return out
}

// analyseFiles writes events.h5 from the card's madminer samples
// (analysis.CombineIn): their events, combined (shuffled unless shuffle
// is false), after checking that each file has the setup of setup.h5.
func analyseFiles(e *Env, files []string) (*AnalyseResult, error) {
	c := e.Card
	setup, err := store.ReadSetup(e.Path("setup.h5"))
	if err != nil {
		return nil, inputErr(err, "analyse needs the setup", "setup")
	}
	var samples []analysis.FileSample
	for _, s := range c.Samples {
		if s.MadMiner != "" {
			samples = append(samples, analysis.FileSample{Name: s.Name, File: files[len(samples)]})
		}
	}
	set := &analysis.CombineSettings{Setup: setup, SetupName: e.Path("setup.h5"), Progress: e.Log}
	if *c.Shuffle {
		set.Shuffle = seed.Rand(e.Seed, "analyse/shuffle")
	}
	root, err := e.Root()
	if err != nil {
		return nil, err
	}
	res, err := analysis.CombineIn(root, "events.h5", samples, set)
	var mm *store.MismatchError
	if errors.As(err, &mm) {
		return nil, fmt.Errorf("pipeline: %w (run goldmine setup again)", err)
	}
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", c.Path, err)
	}
	return res, nil
}
