// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package fisher

import (
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/limits/internal/mmdata"
)

// mmReader reads MadMiner's events in batches of 4000 rows.
type mmReader struct{ ev *mmdata.Events }

func (r mmReader) Shape() (int, int, int) { return r.ev.N, r.ev.NObs, r.ev.NBench }

func (r mmReader) ReadRows(start, end int, fn func(first, n int, x, w []float64) error) error {
	if end < 0 {
		end = r.ev.N
	}
	for i := start; i < end; i += 4000 {
		n := min(4000, end-i)
		if err := fn(i, n, r.ev.X[i*r.ev.NObs:(i+n)*r.ev.NObs], r.ev.W[i*r.ev.NBench:(i+n)*r.ev.NBench]); err != nil {
			return err
		}
	}
	return nil
}

// mmScorer is MadMiner's trained SALLY network as a Scorer.
type mmScorer struct{ net *mmdata.SallyNet }

func (s mmScorer) ScoreRows(dst, x []float64) ([]float64, error) {
	n := len(x) / 7
	dst = dst[:0]
	buf := make([]float64, 2)
	for i := 0; i < n; i++ {
		buf = s.net.Score(buf, x[i*7:(i+1)*7])
		dst = append(dst, buf...)
	}
	return dst, nil
}

// TestZHFromEvents runs the whole item list of a fisher.json through
// FromEvents on the 30000-event ZH sample and compares every result with
// MadMiner's (reference.json; SALLY with MadMiner's seed-1 network on
// MadMiner's test partition), at the tolerances of the accumulator tests.
func TestZHFromEvents(t *testing.T) {
	ev, ref := loadZH(t)
	net, err := mmdata.LoadSally(repotest.Shared(t, "reference/zh/sally_seed1_weights_and_first20.json"))
	if err != nil {
		t.Fatal(err)
	}
	if ev.NObs != 7 {
		t.Fatalf("%d observables, want 7", ev.NObs)
	}
	obs := func(name string) int { return slices.Index(ev.ObsNames, name) }
	pth, mzh, dphi := obs("pt_h"), obs("m_zh"), obs("delta_phi_ee")
	items := []Item{
		{Name: "truth", Kind: KindTruth},
		{Name: "rate", Kind: KindRate},
		{Name: "pt_h", Kind: KindHisto, Columns: []int{pth}, Edges: [][]float64{{0, 50, 100, 150, 200, 300, 500, 1000}}},
		{Name: "m_zh", Kind: KindHisto, Columns: []int{mzh}, Bins: []int{10}},
		{Name: "2d", Kind: KindHisto2D, Columns: []int{pth, dphi}, Bins: []int{4, 3}},
		{Name: "sally", Kind: KindSally, Scorers: []Scorer{mmScorer{net}}, IncludeRate: true},
		{Name: "info", Kind: KindInfoHistogram, Columns: []int{pth}, Observables: []string{"pt_h"}, Edges: [][]float64{{50, 100, 200}}},
	}
	s := Settings{Theta: []float64{0, 0}, Luminosity: ref.Fisher.Luminosity, TestStart: 24001, TestEnd: ev.N}
	out, err := FromEvents(mmReader{ev}, ev.Morpher(), items, s)
	if err != nil {
		t.Fatal(err)
	}
	sm := ref.Fisher.SM
	want := map[string]struct {
		m   [][]float64
		tol float64
	}{
		"truth": {sm.Truth, 1e-8}, "rate": {sm.Rate, 1e-8}, "pt_h": {sm.HistoPtH.Information, 1e-8},
		"m_zh": {sm.HistoMzh.Information, 1e-8}, "2d": {sm.Histo2DDyn.Information, 1e-8},
		"sally": {ref.Sally.Runs[0].Full, 1e-5},
	}
	if len(out.Results) != len(want) {
		t.Fatalf("%d results, want %d", len(out.Results), len(want))
	}
	for _, r := range out.Results {
		w := want[r.Name]
		in := &Information{Matrix: symOf(r.Information)}
		checkMatrix(t, "FromEvents "+r.Name, in, w.m, w.tol)
	}
	for a, b := range sm.Histo2DDyn.Boundaries1 {
		if !relClose(out.Results[4].Edges[0][a], b, 1e-12) {
			t.Errorf("2d axis 0 edge %d = %v, MadMiner %v", a, out.Results[4].Edges[0][a], b)
		}
	}
	// The histogram of information adds up to the truth information.
	if len(out.InfoHistograms) != 1 {
		t.Fatalf("%d histograms of information", len(out.InfoHistograms))
	}
	ih := out.InfoHistograms[0]
	var tot [2][2]float64
	var sigma float64
	for k, m := range ih.Information {
		sigma += ih.XSecPB[k]
		for i := range tot {
			for j := range tot[i] {
				tot[i][j] += m[i][j]
			}
		}
	}
	for i := range tot {
		for j := range tot[i] {
			if !relClose(tot[i][j], sm.Truth[i][j], 1e-8) {
				t.Errorf("Σ bins I[%d][%d] = %v, truth %v", i, j, tot[i][j], sm.Truth[i][j])
			}
		}
	}
	if ih.Observable != "pt_h" || len(ih.Information) != 4 || !(ih.Range[0] < 50 && ih.Range[1] > 200) || !(sigma > 0) {
		t.Errorf("histogram of information %q, %d bins, range %v, σ %v", ih.Observable, len(ih.Information), ih.Range, sigma)
	}
}

// symOf returns the symmetric matrix of nested slices.
func symOf(m [][]float64) *mat.SymDense {
	s := mat.NewSymDense(len(m), nil)
	for i := range m {
		for j := i; j < len(m); j++ {
			s.SetSym(i, j, m[i][j])
		}
	}
	return s
}
