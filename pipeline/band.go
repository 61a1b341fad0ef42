// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/ml"
)

// The network uncertainty of a limit scan: a scan whose model is an
// ensemble (training[].ensemble > 1, modes ml and sally) is also run with
// every member alone on the same grid and data, and the members' p-values
// give the band of limits.Band, written to WORKDIR/limits_members.json.
// With several limits.theta_true points, the bands are those at the first.

// BandsResult is the content of limits_members.json.
type BandsResult struct {
	File string `json:"file"`
	// ThetaTrue is the point of the Asimov data: limits.theta_true[0]
	// when the card gives several (the bands are computed at the first).
	ThetaTrue []float64      `json:"theta_true"`
	Bands     []*limits.Band `json:"bands"`
}

// bandScans returns the limits scans that get a members' band: scans of
// modes ml and sally (and its adaptive forms) with members: true whose
// model is trained as an ensemble of more than one member.
func bandScans(c *cards.Card) []cards.LimitScan {
	if c.Limits == nil {
		return nil
	}
	var out []cards.LimitScan
	for _, sc := range c.Limits.Scans {
		if sc.Mode == cards.ScanRate || sc.Mode == cards.ScanHisto || sc.Mode == cards.ScanExact || (sc.Members != nil && !*sc.Members) {
			continue
		}
		if ensembleSize(c, sc.Model) > 1 {
			out = append(out, sc)
		}
	}
	return out
}

// ensembleSize is the number of members of the trained model name (1 if
// the card does not train it).
func ensembleSize(c *cards.Card, name string) int {
	i := slices.IndexFunc(c.Training, func(t cards.Training) bool { return t.Name == name })
	if i < 0 {
		return 1
	}
	return max(1, c.Training[i].Ensemble)
}

// bandsPath is WORKDIR/limits_members.json.
func (e *Env) bandsPath() string { return e.Path("limits_members.json") }

// memberModels returns every member of en as an ensemble of one.
func memberModels(en *ml.Ensemble) []*ml.Ensemble {
	out := make([]*ml.Ensemble, len(en.Members))
	for k, m := range en.Members {
		out[k] = &ml.Ensemble{Members: []ml.Estimator{m}}
	}
	return out
}

// memberSpecs returns the scans of the members of scan i's model: the
// scan with the member's log-ratio (ml) or estimated score (sally modes),
// named NAME/member_K, with the score models for observed data.
func (p *limitsPlan) memberSpecs(i int) (specs []limits.ScanSpec, scores []*ml.Ensemble, err error) {
	sc := p.scans[i]
	for k, one := range memberModels(p.models[i]) {
		s := sc
		s.Name = fmt.Sprintf("%s/member_%d", sc.Name, k)
		var sm *ml.Ensemble
		if sc.Mode == limits.ModeML {
			if s.LogRatio, _, _, err = ensembleLogRatio(one, p.cards[i].Model); err != nil {
				return nil, nil, err
			}
			// The member's own many-point evaluation, not the ensemble's.
			s.LogRatioGrid = nil
			if sc.LogRatioGrid != nil {
				s.LogRatioGrid = one.Members[0].(*ml.ParameterizedRatioEstimator).LogRatioGridRows
			}
		} else {
			sm, s.Statistic = one, scoreStatistic(one)
		}
		specs, scores = append(specs, s), append(scores, sm)
	}
	return specs, scores, nil
}

// memberBands scans every member of the ensemble scans of the plan (see
// bandScans) on the events of r and returns their bands around the scans
// of res (limits.EventBand).
func memberBands(e *Env, r limits.EventReader, m limits.Morpher, p *limitsPlan, res *limits.Output) ([]*limits.Band, error) {
	want := bandScans(e.Card)
	if len(want) == 0 {
		return nil, nil
	}
	var out []*limits.Band
	for i, sc := range p.cards {
		if !slices.ContainsFunc(want, func(w cards.LimitScan) bool { return w.Name == sc.Name }) {
			continue
		}
		specs, scores, err := p.memberSpecs(i)
		if err != nil {
			return nil, err
		}
		q := *p
		q.observe(scores)
		e.logf("limits: scan %s: %d members\n", sc.Name, len(specs))
		b, err := limits.EventBand(r, m, sc.Name, res.Results[i], specs, q.set)
		if err != nil {
			return nil, fmt.Errorf("pipeline: %w", err)
		}
		out = append(out, b)
	}
	return out, nil
}

// simulatorBands is memberBands for a simulator campaign: the members of
// its ml scans, on the expected data of limitsSimulator (limits.ModelBand).
func simulatorBands(e *Env, data *limits.Data, points [][]float64, set *limits.Settings, res *limits.Output) ([]*limits.Band, error) {
	want := bandScans(e.Card)
	if len(want) == 0 {
		return nil, nil
	}
	lc := e.Card.Limits
	axes, err := limitsGrid(&lc.Grid).Axes()
	if err != nil {
		return nil, err
	}
	np := len(e.Card.Parameters)
	var out []*limits.Band
	for i, sc := range lc.Scans {
		if !slices.ContainsFunc(want, func(w cards.LimitScan) bool { return w.Name == sc.Name }) {
			continue
		}
		en, err := loadModel(e, sc.Model)
		if err != nil {
			return nil, err
		}
		var members []limits.Model
		for _, one := range memberModels(en) {
			fn, _, _, err := ensembleLogRatio(one, sc.Model)
			if err != nil {
				return nil, err
			}
			members = append(members, &limits.ML{LogRatio: fn, Params: np})
		}
		b, err := limits.ModelBand(sc.Name, axes, res.Results[i], members, data, points, set)
		if err != nil {
			return nil, fmt.Errorf("pipeline: %w", err)
		}
		out = append(out, b)
	}
	return out, nil
}

// writeBands writes the members' bands of the ensemble scans at
// limits.theta_true[0] to limits_members.json through the working
// directory's root; without such scans it removes a stale file.
func writeBands(e *Env, bands []*limits.Band) error {
	if len(bandScans(e.Card)) == 0 {
		return e.Remove(filepath.Base(e.bandsPath()))
	}
	out := &BandsResult{File: e.bandsPath(), ThetaTrue: e.Card.Limits.ThetaTrue[0], Bands: bands}
	return e.WriteJSON(filepath.Base(out.File), out)
}

// readBands reads limits_members.json, nil when the card makes none.
func readBands(e *Env) (*BandsResult, error) {
	if len(bandScans(e.Card)) == 0 {
		return nil, nil
	}
	var b BandsResult
	if err := readJSON(e.bandsPath(), &b); err != nil {
		return nil, err
	}
	return &b, nil
}
