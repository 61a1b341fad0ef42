// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/limits/fisher"
	"github.com/goldmine-hep/goldmine/stage"
)

// The fisher and limits stages at every θ of fisher.theta and
// limits.theta_true, with partial results: an item or scan that cannot be
// computed yet, because an input an earlier stage writes does not exist
// (its model is not trained yet, ...), is skipped with the reason, and the
// others are computed. An input that exists but cannot be used (a damaged
// model, ...) is an error, as everywhere. The stage fails when nothing could be
// computed, or when Env.Strict is set and something was skipped; the
// result file is written in both of the latter cases, with the skipped
// parts named in it.

// Skipped is a Fisher-information item or a limit scan that was not
// computed (stage.Skipped).
type Skipped = stage.Skipped

// FisherResult is the content of fisher.json: the Fisher information at
// every θ of fisher.theta, in that order, and the items skipped.
type FisherResult struct {
	File   string `json:"file"`
	Events int    `json:"events"`
	// Luminosity is fisher.luminosity (pb⁻¹).
	Luminosity float64       `json:"luminosity_pb"`
	Points     []FisherPoint `json:"points"`
	Skipped    []Skipped     `json:"skipped,omitempty"`
}

// LimitsPoint holds the limit scans with Asimov data at one θ_true of
// limits.theta_true (or, with observed data, the scans on them).
type LimitsPoint struct {
	ThetaTrue []float64        `json:"theta_true"`
	Results   []*limits.Result `json:"results"`
}

// LimitsResult is the content of limits.json: the scans at every θ_true
// of limits.theta_true, in that order, and the scans skipped.
type LimitsResult struct {
	File string `json:"file"`
	// Observed is true when the scans use observed events instead of
	// Asimov data.
	Observed   bool          `json:"observed"`
	Luminosity float64       `json:"luminosity_pb"`
	Points     []LimitsPoint `json:"points"`
	Skipped    []Skipped     `json:"skipped,omitempty"`
}

// fisherStage computes the card's Fisher information at every θ of
// fisher.theta (fisherAt), with σ(θ) and ∇σ(θ) for event files, and
// writes WORKDIR/fisher.json.
func fisherStage(e *Env) (*FisherResult, error) {
	fc := e.Card.Fisher
	if fc == nil {
		return nil, fmt.Errorf("pipeline: %s: no fisher section", e.Card.Path)
	}
	out := &FisherResult{File: e.Path("fisher.json"), Luminosity: fc.Luminosity, Events: mcEvents}
	var names []string
	for _, it := range fc.Items {
		names = append(names, it.Name)
	}
	for _, theta := range fc.Theta {
		var pt *FisherPoint
		skipped, err := stage.Partial(names, func(keep []int) error {
			c := *e.Card
			f := *fc
			f.Theta, f.Items = cards.Points{theta}, nil
			for _, k := range keep {
				f.Items = append(f.Items, fc.Items[k])
			}
			c.Fisher = &f
			sub := *e
			sub.Card = &c
			p, err := fisherAt(&sub)
			if err != nil {
				return err
			}
			if pt == nil {
				pt = p
				return nil
			}
			pt.Results = append(pt.Results, p.Results...)
			pt.InfoHistograms = append(pt.InfoHistograms, p.InfoHistograms...)
			return nil
		})
		if err != nil {
			return nil, err
		}
		if pt == nil {
			pt = &FisherPoint{Theta: theta}
		}
		// The partial runs return the items in runs of the card's order.
		stage.SortParts(pt.Results, names, func(r fisher.Result) string { return r.Name })
		out.Points = append(out.Points, *pt)
		out.Skipped = append(out.Skipped, stage.SkippedAt(theta, skipped)...)
	}
	if !e.Card.IsSimulator() {
		xs, n, err := crossSections(e, fc.Theta)
		if err != nil {
			return nil, err
		}
		out.Events = n
		for k := range out.Points {
			out.Points[k].Xsec = &xs[k]
		}
	}
	out.Skipped = stage.Collapse(out.Skipped, len(fc.Theta))
	computed := 0
	for _, p := range out.Points {
		computed += len(p.Results) + len(p.InfoHistograms)
	}
	return out, e.finish("fisher", "item", out.File, out, computed, out.Skipped)
}

// limitsStage computes the card's limit scans at every θ_true of
// limits.theta_true (limitsAt) and writes WORKDIR/limits.json, and the
// members' bands of the ensemble scans at the first θ_true to
// WORKDIR/limits_members.json.
func limitsStage(e *Env) (*LimitsResult, error) {
	lc := e.Card.Limits
	if lc == nil {
		return nil, fmt.Errorf("pipeline: %s: no limits section", e.Card.Path)
	}
	out := &LimitsResult{File: e.Path("limits.json"), Observed: lc.Observed != "", Luminosity: lc.Luminosity}
	var names []string
	for _, sc := range lc.Scans {
		names = append(names, sc.Name)
	}
	var bands []*limits.Band
	for k, theta := range lc.ThetaTrue {
		pt := LimitsPoint{ThetaTrue: theta}
		skipped, err := stage.Partial(names, func(keep []int) error {
			var scans []cards.LimitScan
			for _, i := range keep {
				scans = append(scans, lc.Scans[i])
			}
			// The members' bands of the ensemble scans are computed at
			// the first point only.
			res, b, err := limitsAt(e.withLimits(theta, k, scans), k == 0)
			if err != nil {
				return err
			}
			pt.Results = append(pt.Results, res.Results...)
			bands = append(bands, b...)
			return nil
		})
		if err != nil {
			return nil, err
		}
		stage.SortParts(pt.Results, names, func(r *limits.Result) string { return r.Name })
		out.Points = append(out.Points, pt)
		out.Skipped = append(out.Skipped, stage.SkippedAt(theta, skipped)...)
	}
	out.Skipped = stage.Collapse(out.Skipped, len(lc.ThetaTrue))
	computed := 0
	for _, p := range out.Points {
		computed += len(p.Results)
	}
	stage.SortParts(bands, names, func(b *limits.Band) string { return b.Name })
	if err := writeBands(e, bands); err != nil {
		return nil, err
	}
	return out, e.finish("limits", "scan", out.File, out, computed, out.Skipped)
}

// finish writes the result v of a stage with skipped parts (what: item or
// scan) to path, warns of each skip, and fails when nothing was computed
// or, with Env.Strict, when something was skipped.
func (e *Env) finish(stage, what, path string, v any, computed int, skipped []Skipped) error {
	for _, s := range skipped {
		at := ""
		if s.Theta != nil {
			at = fmt.Sprintf(" at θ = %v", s.Theta)
		}
		e.logf("warning: %s: %s %s skipped%s: %s\n", stage, what, s.Name, at, s.Reason)
	}
	if computed == 0 && len(skipped) > 0 {
		return fmt.Errorf("pipeline: %s: no %s could be computed; %s %s: %s", stage, what, what, skipped[0].Name, skipped[0].Reason)
	}
	// path is WORKDIR/NAME: written through the working directory's root.
	if err := e.WriteJSON(filepath.Base(path), v); err != nil {
		return err
	}
	if e.Strict && len(skipped) > 0 {
		return fmt.Errorf("pipeline: %s: %d %s(s) skipped (--strict; %s written); %s %s: %s", stage, len(skipped), what, path, what, skipped[0].Name, skipped[0].Reason)
	}
	return nil
}
