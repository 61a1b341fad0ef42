// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"math"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/limits/internal/mmdata"
)

type zhSallyRef struct {
	Runs []struct {
		Seed   int `json:"seed"`
		Limits struct {
			P     []float64   `json:"p_values"`
			MLE   int         `json:"mle_index"`
			Kin   []float64   `json:"log_likelihood_ratio_kin"`
			Edges [][]float64 `json:"histogram_edges"`
		} `json:"limits_sally"`
	} `json:"runs"`
	Spread struct {
		Min []float64 `json:"limits_sally_p_value_min"`
		Max []float64 `json:"limits_sally_p_value_max"`
	} `json:"seed_spread_summary"`
}

// TestZHSallyLimits runs mode sally (8×8 adaptive bins of the two estimated
// score components, fixed over the grid) with MadMiner's seed-1 SALLY
// network evaluated in float64, and compares with MadMiner's p-values for
// that network and with the spread over its three seeds.
func TestZHSallyLimits(t *testing.T) {
	ev, ref := loadZH(t)
	netPath := repotest.Shared(t, "reference/zh/sally_seed1_weights_and_first20.json")
	refPath := repotest.Shared(t, mmdata.ZHReference)
	net, err := mmdata.LoadSally(netPath)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Sally zhSallyRef `json:"sally"`
	}
	if err := mmdata.ReadJSON(refPath, &r); err != nil {
		t.Fatal(err)
	}
	sref := r.Sally
	all := &Sample{N: ev.N, Dim: 2, NBasis: ev.NBench, W: ev.W}
	buf := make([]float64, 2)
	for i := 0; i < ev.N; i++ {
		buf = net.Score(buf, ev.X[i*ev.NObs:(i+1)*ev.NObs])
		all.X = append(all.X, buf...)
	}
	m := ev.Morpher()
	split := Split{Test: 0.2, MadMiner: true}
	s0, e0, f0, _ := split.TrainRange(ev.N)
	s1, e1, f1, _ := split.TestRange(ev.N)
	train, test := all.Slice(s0, e0, f0), all.Slice(s1, e1, f1)
	asimov, err := Asimov(m, test, ref.ThetaTrue, ref.Luminosity)
	if err != nil {
		t.Fatal(err)
	}
	rate := &RateTerm{Morpher: m, Luminosity: ref.Luminosity, Sigma: test.SumWeights(), RoundObserved: true}
	points, _ := Grid{Ranges: ref.Ranges, Resolutions: ref.Res}.Points()
	h, err := NewHisto(m, train, HistoConfig{BinningThetas: points, Rate: rate})
	if err != nil {
		t.Fatal(err)
	}
	run := sref.Runs[0]
	for a, e := range h.Edges() {
		if len(e) != len(run.Limits.Edges[a]) {
			t.Fatalf("axis %d: %d edges, MadMiner %d", a, len(e), len(run.Limits.Edges[a]))
		}
		for i := range e {
			if math.Abs(e[i]-run.Limits.Edges[a][i]) > 1e-5*math.Max(1, math.Abs(e[i])) {
				t.Errorf("axis %d edge %d = %.8g, MadMiner %.8g", a, i, e[i], run.Limits.Edges[a][i])
			}
		}
	}
	res, err := Scan(h, asimov, points, &Settings{GridOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.GridBest != run.Limits.MLE {
		t.Errorf("best grid point %d, MadMiner %d", res.GridBest, run.Limits.MLE)
	}
	maxDq, outside := 0.0, 0
	for i := range points {
		// float32 (torch) vs float64 scores could move an event across a
		// bin edge; none does, and the scans agree to round-off.
		dq := math.Abs(-2*(res.LogLikelihoodKin[i]-res.LogLikelihoodKin[res.GridBest]) - -2*(run.Limits.Kin[i]-run.Limits.Kin[run.Limits.MLE]))
		maxDq = math.Max(maxDq, dq)
		if !relClose(res.PValues[i], run.Limits.P[i], 1e-6) {
			t.Errorf("p[%d] = %.10g, MadMiner seed 1 %.10g", i, res.PValues[i], run.Limits.P[i])
		}
		if p := res.PValues[i]; p < sref.Spread.Min[i]*(1-1e-3) || p > sref.Spread.Max[i]*(1+1e-3) {
			outside++
		}
	}
	t.Logf("sally: max |Δq| vs MadMiner seed 1: %.3g; %d of %d p-values outside the 3-seed spread", maxDq, outside, len(points))
	if maxDq > 1e-6 {
		t.Errorf("q differs from MadMiner's seed-1 scan by up to %v", maxDq)
	}
	if outside > 0 {
		t.Errorf("%d p-values outside MadMiner's seed spread", outside)
	}
}
