// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"math"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/limits/internal/mmdata"
	"github.com/goldmine-hep/goldmine/store"
)

// zhLimits is the "limits" section of ../shared/reference/zh/reference.json:
// MadMiner's AsymptoticLimits.expected_limits in modes histo (pt_h, default
// 25 adaptive bins fixed over the grid) and rate on the 30000-event ZH file.
type zhLimits struct {
	ThetaTrue  []float64    `json:"theta_true"`
	Ranges     [][2]float64 `json:"grid_ranges"`
	Res        []int        `json:"grid_resolutions"`
	Luminosity float64      `json:"luminosity_pb"`
	Histo      struct {
		Grid     [][]float64 `json:"theta_grid"`
		P        []float64   `json:"p_values"`
		MLE      int         `json:"mle_index"`
		Kin      []float64   `json:"log_likelihood_ratio_kin"`
		Rate     []float64   `json:"log_likelihood_rate"`
		Edges    [][]float64 `json:"histogram_edges"`
		Content0 []float64   `json:"histogram_content_at_theta_grid_index_0"`
	} `json:"histo"`
	Rate struct {
		Grid [][]float64 `json:"theta_grid"`
		P    []float64   `json:"p_values"`
		MLE  int         `json:"mle_index"`
		Rate []float64   `json:"log_likelihood_rate"`
	} `json:"rate"`
}

var zh mmdata.ZH[struct {
	Limits zhLimits `json:"limits"`
}]

func loadZH(t testing.TB) (*mmdata.Events, *zhLimits) {
	t.Helper()
	ev, r := zh.Load(t)
	return ev, &r.Limits
}

// zhSample returns the events with the named observables as summary
// statistics.
func zhSample(ev *mmdata.Events, names ...string) *Sample {
	s := &Sample{N: ev.N, Dim: len(names), NBasis: ev.NBench, W: ev.W}
	for i := 0; i < ev.N; i++ {
		for _, n := range names {
			for j, o := range ev.ObsNames {
				if o == n {
					s.X = append(s.X, ev.X[i*ev.NObs+j])
				}
			}
		}
	}
	return s
}

func relClose(got, want, tol float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= tol*math.Abs(want)
}

// checkScan compares the grid scan r of mode with MadMiner's: the best
// grid point best, the log-likelihood part (relative tolerance tol) and
// the p-values p (1e-6).
func checkScan(t *testing.T, mode string, r *Result, best int, part string, got, want []float64, tol float64, p []float64) {
	t.Helper()
	if r.GridBest != best {
		t.Errorf("%s: best grid point %d, MadMiner %d", mode, r.GridBest, best)
	}
	if len(got) != len(want) || len(r.PValues) != len(p) {
		t.Fatalf("%s: %d log-likelihoods and %d p-values, MadMiner %d and %d", mode, len(got), len(r.PValues), len(want), len(p))
	}
	for i := range want {
		if !relClose(got[i], want[i], tol) {
			t.Errorf("%s: log L_%s[%d] = %.12g, MadMiner %.12g", mode, part, i, got[i], want[i])
		}
		if !relClose(r.PValues[i], p[i], 1e-6) {
			t.Errorf("%s: p[%d] = %.10g, MadMiner %.10g", mode, i, r.PValues[i], p[i])
		}
	}
}

// zhSetup builds MadMiner's expected-limit setup: partitions as MadMiner
// cuts them, Asimov data from the test partition at θ_true, Poisson term
// with the rounded expected number of events.
func zhSetup(t *testing.T, ev *mmdata.Events, ref *zhLimits, split Split) (m Morpher, train, test *Sample, asimov *Data, rate *RateTerm, points [][]float64) {
	m = ev.Morpher()
	all := zhSample(ev, "pt_h")
	s0, e0, f0, err := split.TrainRange(ev.N)
	if err != nil {
		t.Fatal(err)
	}
	s1, e1, f1, err := split.TestRange(ev.N)
	if err != nil {
		t.Fatal(err)
	}
	train, test = all.Slice(s0, e0, f0), all.Slice(s1, e1, f1)
	asimov, err = Asimov(m, test, ref.ThetaTrue, ref.Luminosity)
	if err != nil {
		t.Fatal(err)
	}
	rate = &RateTerm{Morpher: m, Luminosity: ref.Luminosity, Sigma: test.SumWeights(), RoundObserved: split.MadMiner}
	points, err = Grid{Ranges: ref.Ranges, Resolutions: ref.Res}.Points()
	if err != nil {
		t.Fatal(err)
	}
	return
}

func TestZHExpectedLimitsMatchMadMiner(t *testing.T) {
	ev, ref := loadZH(t)
	m, train, _, asimov, rate, points := zhSetup(t, ev, ref, Split{Test: 0.2, MadMiner: true})
	for i, p := range points {
		for j := range p {
			if math.Abs(p[j]-ref.Histo.Grid[i][j]) > 1e-15 {
				t.Fatalf("grid point %d = %v, MadMiner %v", i, p, ref.Histo.Grid[i])
			}
		}
	}
	if want := 5694.850700000002; !relClose(asimov.N, want, 1e-12) {
		t.Errorf("expected events %v, MadMiner %v", asimov.N, want)
	}
	set := &Settings{GridOnly: true}

	rr, err := Scan(&Rate{Term: rate}, asimov, points, set)
	if err != nil {
		t.Fatal(err)
	}
	checkScan(t, "rate", rr, ref.Rate.MLE, "rate", rr.LogLikelihoodRate, ref.Rate.Rate, 1e-9, ref.Rate.P)

	start := time.Now()
	h, err := NewHisto(m, train, HistoConfig{Bins: []Binning{{N: 25}}, BinningThetas: points, Rate: rate})
	if err != nil {
		t.Fatal(err)
	}
	edges := h.Edges()[0]
	for i, e := range ref.Histo.Edges[0] {
		if !relClose(edges[i], e, 1e-12) {
			t.Errorf("histo: edge %d = %.15g, MadMiner %.15g", i, edges[i], e)
		}
	}
	dens := h.Density(points[0])
	for k, c := range ref.Histo.Content0 {
		if !relClose(dens[k], c, 1e-10) {
			t.Errorf("histo: density[%d] at grid point 0 = %.12g, MadMiner %.12g", k, dens[k], c)
		}
	}
	hr, err := Scan(h, asimov, points, set)
	t.Logf("histo binning, filling and scan of %d points in %v (MadMiner: 0.28 s)", len(points), time.Since(start))
	if err != nil {
		t.Fatal(err)
	}
	checkScan(t, "histo", hr, ref.Histo.MLE, "kin", hr.LogLikelihoodKin, ref.Histo.Kin, 1e-10, ref.Histo.P)

	// The continuous best fit can only lower −log L, so p-values do not
	// decrease... q(θ) = 2(nll − nll_best) grows, p-values shrink, and the
	// best grid point keeps p ≤ 1.
	hc, err := Scan(h, asimov, points, nil)
	if err != nil {
		t.Fatal(err)
	}
	if hc.BestLogLikelihood < hr.BestLogLikelihood-1e-9 {
		t.Errorf("continuous best fit log L %v below the grid's %v", hc.BestLogLikelihood, hr.BestLogLikelihood)
	}
	for i := range points {
		if hc.PValues[i] > hr.PValues[i]*(1+1e-9) {
			t.Errorf("point %d: continuous p %v above grid p %v", i, hc.PValues[i], hr.PValues[i])
		}
	}
	t.Logf("histo: continuous best fit %v (log L %.6f vs grid %.6f)", hc.BestFit, hc.BestLogLikelihood, hr.BestLogLikelihood)
}

// TestLoadSampleFromStore reads the test partition through store and checks
// it against the plain loader.
func TestLoadSampleFromStore(t *testing.T) {
	ev, _ := loadZH(t)
	path := repotest.Shared(t, "data/madminer/zh30k_lhe_data.h5")
	ef, err := store.OpenEvents(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	var _ EventReader = ef // *store.EventFile is the reader of pipeline
	s, err := LoadSample(ef, SampleSpec{Start: 24001, End: -1, Columns: []int{0, 6}, NBasis: 6, Factor: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := zhSample(ev, "pt_h", "m_zh").Slice(24001, ev.N, 5)
	if s.N != want.N || len(s.X) != len(want.X) || len(s.W) != len(want.W) {
		t.Fatalf("sizes %d/%d/%d, want %d/%d/%d", s.N, len(s.X), len(s.W), want.N, len(want.X), len(want.W))
	}
	for i := range s.X {
		if s.X[i] != want.X[i] {
			t.Fatalf("x[%d] = %v, want %v", i, s.X[i], want.X[i])
		}
	}
	for i := range s.W {
		if s.W[i] != want.W[i] {
			t.Fatalf("w[%d] = %v, want %v", i, s.W[i], want.W[i])
		}
	}
	if _, err := LoadSample(ef, SampleSpec{Start: 0, End: 10, Columns: []int{7}, NBasis: 6}); err == nil {
		t.Error("bad column accepted")
	}
}
