// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/posterior"
	"github.com/goldmine-hep/goldmine/report"
)

// PlotsResult lists the figures written.
type PlotsResult = report.Output

// plots draws the campaign's figures from the files of the working
// directory (events.h5, fisher.json, limits.json, whichever the card
// makes) into WORKDIR/plots and writes WORKDIR/report.md (package
// report).
func plots(e *Env) (*PlotsResult, error) {
	c := e.Card
	rc := &report.Campaign{Title: filepath.Base(c.Path), Seed: e.Seed, Formats: c.Plots.Formats}
	for _, p := range c.Parameters {
		rc.Parameters = append(rc.Parameters, report.Parameter{Name: p.Name, Block: p.LHABlock, ID: p.LHAID, Range: p.Range})
	}
	if c.IsSimulator() {
		rc.Simulator = c.Samples[0].Simulator.Name
	} else {
		f, m, err := eventsMorpher(e)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		h := f.Header()
		rc.Events = &report.Events{Reader: f, ObservableNames: h.ObservableNames, Morpher: m}
		for _, b := range h.Benchmarks[:m.NumBasis()] {
			rc.Events.Basis = append(rc.Events.Basis, b.Values)
		}
	}
	if fc := c.Fisher; fc != nil {
		var fr FisherResult
		if err := readJSON(e.Path("fisher.json"), &fr); err != nil {
			return nil, err
		}
		rc.Fisher = &report.FisherResults{Luminosity: fc.Luminosity}
		for _, pt := range fr.Points {
			rp := report.FisherPoint{Theta: pt.Theta, Results: pt.Results, InfoHistograms: pt.InfoHistograms}
			if pt.Xsec != nil {
				rp.Xsec, rp.XsecUnc = pt.Xsec.Sigma, pt.Xsec.Unc
			}
			rc.Fisher.Points = append(rc.Fisher.Points, rp)
		}
	}
	if lc := c.Limits; lc != nil {
		var lr LimitsResult
		if err := readJSON(e.Path("limits.json"), &lr); err != nil {
			return nil, err
		}
		rc.Limits = &report.LimitsResults{Observed: lc.Observed, Grid: limitsGrid(&lc.Grid)}
		for _, pt := range lr.Points {
			rc.Limits.Points = append(rc.Limits.Points, report.LimitsPoint{ThetaTrue: pt.ThetaTrue, Results: pt.Results})
		}
		bands, err := readBands(e)
		if err != nil {
			return nil, err
		}
		if bands != nil {
			rc.Limits.Bands = bands.Bands
		}
	}
	if c.Posterior != nil {
		ps, err := readPosteriors(e)
		if err != nil {
			return nil, err
		}
		rc.Posteriors = ps
	}
	root, err := e.Root()
	if err != nil {
		return nil, err
	}
	return report.WriteIn(root, "plots", "report.md", rc)
}

// readPosteriors reads posterior.json with the grids and draws it names
// (report.ReadPosteriorFiles), nil if the posterior stage has not run.
func readPosteriors(e *Env) (*report.Posteriors, error) {
	var pr PosteriorResult
	if err := readJSON(filepath.Join(e.posteriorDir(), "posterior.json"), &pr); err != nil {
		return nil, err
	}
	if pr.Scans == nil {
		return nil, nil
	}
	axes, err := pr.Grid.Axes()
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", pr.File, err)
	}
	dir := e.posteriorDir()
	out := &report.Posteriors{ThetaTrue: pr.ThetaTrue, Axes: axes, Levels: pr.Levels}
	for _, sp := range pr.Scans {
		rs := report.PosteriorScan{Name: sp.Name, Mode: sp.Mode, Members: sp.Members, Nuisance: sp.Nuisance, Grid: sp.Grid, MCMC: sp.MCMC}
		files := report.PosteriorFiles{Grid: sp.GridFile, MemberGrids: sp.MemberGridFiles, Samples: sp.SamplesFile}
		if err := report.ReadPosteriorFiles(dir, files, axes, &rs); err != nil {
			return nil, err
		}
		out.Scans = append(out.Scans, rs)
	}
	if ref := pr.Reference; ref != nil {
		d, err := report.ReadDensity(dir, ref.GridFile, posterior.NumPoints(axes))
		if err != nil {
			return nil, err
		}
		out.Reference = &report.PosteriorReference{Std: ref.Std, Areas: ref.Areas, Grid: ref.Grid, Density: d}
	}
	return out, nil
}

// readJSON reads a result file of an earlier stage; a missing one (the
// stage has not run yet) reads as empty.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		return fmt.Errorf("pipeline: %s: %w", path, err)
	}
	return nil
}
