// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package fisher

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/limits/internal/mmdata"
)

// zhRef is the part of ../shared/reference/zh/reference.json (MadMiner HEAD
// 3e2615d on zh30k_lhe_data.h5, see the file's comment section) that these
// tests use.
type zhHisto struct {
	BinsArgument json.RawMessage `json:"bins_argument"`
	Bins1        json.RawMessage `json:"bins1"`
	Bins2        json.RawMessage `json:"bins2"`
	Boundaries   []float64       `json:"bin_boundaries_used"`
	Boundaries1  []float64       `json:"bin_boundaries1"`
	Boundaries2  []float64       `json:"bin_boundaries2"`
	NBinsTotal   json.RawMessage `json:"n_bins_total"`
	Information  [][]float64     `json:"information"`
	Covariance   [][][][]float64 `json:"covariance"`
}

type zhFisherPoint struct {
	Truth        [][]float64     `json:"truth_information"`
	TruthCov     [][][][]float64 `json:"truth_information_covariance"`
	Rate         [][]float64     `json:"rate_information"`
	RateCov      [][][][]float64 `json:"rate_information_covariance"`
	HistoPtH     zhHisto         `json:"histo_information_pt_h"`
	HistoMzh     zhHisto         `json:"histo_information_m_zh"`
	Histo2DDyn   zhHisto         `json:"histo_information_2d_pt_h_x_delta_phi_ee_dynamic"`
	Histo2DEdges zhHisto         `json:"histo_information_2d_pt_h_x_delta_phi_ee_edges"`
}

type zhRef struct {
	Sally struct {
		Runs []struct {
			Seed int         `json:"seed"`
			Full [][]float64 `json:"full_information_include_xsec"`
			Kin  [][]float64 `json:"full_information_kinematic_only"`
		} `json:"runs"`
	} `json:"sally"`
	Fisher struct {
		Luminosity float64              `json:"luminosity_pb"`
		Thetas     map[string][]float64 `json:"thetas"`
		SM         zhFisherPoint        `json:"sm"`
		Nonzero    zhFisherPoint        `json:"nonzero"`
	} `json:"fisher"`
}

// zhPoint is one parameter point of the reference with MadMiner's numbers
// there.
type zhPoint struct {
	name  string
	theta []float64
	want  zhFisherPoint
}

// points returns the reference's parameter points, SM first.
func (r *zhRef) points() []zhPoint {
	return []zhPoint{
		{"sm", r.Fisher.Thetas["sm"], r.Fisher.SM},
		{"nonzero", r.Fisher.Thetas["nonzero"], r.Fisher.Nonzero},
	}
}

var zh mmdata.ZH[zhRef]

// loadZH returns the 30000-event ZH sample and MadMiner's reference numbers,
// skipping the test when the shared folder is absent.
func loadZH(t testing.TB) (*mmdata.Events, *zhRef) {
	t.Helper()
	return zh.Load(t)
}

func relClose(got, want, tol float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= tol*math.Max(math.Abs(want), 1e-300)
}

func checkMatrix(t *testing.T, name string, in *Information, want [][]float64, tol float64) {
	t.Helper()
	for i := range want {
		for j := range want[i] {
			if !relClose(in.At(i, j), want[i][j], tol) {
				t.Errorf("%s: I[%d][%d] = %.15g, want %.15g (MadMiner)", name, i, j, in.At(i, j), want[i][j])
			}
		}
	}
}

// checkCov compares a covariance with MadMiner's up to a factor.
func checkCov(t *testing.T, name string, in *Information, want [][][][]float64, factor, tol float64) {
	t.Helper()
	n := in.Dim()
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			for k := 0; k < n; k++ {
				for l := 0; l < n; l++ {
					w := want[i][j][k][l]
					got := in.CovAt(i, j, k, l) * factor
					scale := math.Sqrt(math.Abs(want[i][j][i][j] * want[k][l][k][l]))
					if math.Abs(got-w) > tol*scale {
						t.Errorf("%s: cov[%d%d%d%d] = %.12g, want %.12g (MadMiner)", name, i, j, k, l, got, w)
					}
				}
			}
		}
	}
}

func TestZHTruthAndRate(t *testing.T) {
	ev, ref := loadZH(t)
	m := ev.Morpher()
	lumi := ref.Fisher.Luminosity
	for _, tc := range ref.points() {
		theta := tc.theta

		// Feed the events in uneven batches to exercise the streaming.
		start := time.Now()
		tr := NewTruth(m, theta, &TruthSettings{Luminosity: lumi, Covariance: true})
		for start := 0; start < ev.N; start += 7001 {
			end := min(start+7001, ev.N)
			if err := tr.Add(end-start, ev.W[start*ev.NBench:end*ev.NBench], nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		in, err := tr.Information()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: truth information with covariance of %d events in %v (MadMiner: 0.48 s)", tc.name, ev.N, time.Since(start))
		checkMatrix(t, tc.name+" truth", in, tc.want.Truth, 1e-8)
		// MadMiner's Jacobian adds the w_b ∂σ∂σ/σ² term instead of
		// subtracting it; for events (uncertainty = weight) its
		// propagated derivative is 3·I_event instead of I_event, so its
		// covariance is exactly 9 times ours.
		checkCov(t, tc.name+" truth covariance ×9", in, tc.want.TruthCov, 9, 1e-8)

		rate := NewRate(ev.NBench)
		if err := rate.Add(ev.N, nil, ev.W, nil); err != nil {
			t.Fatal(err)
		}
		ri, err := rate.Information(m, theta, lumi)
		if err != nil {
			t.Fatal(err)
		}
		checkMatrix(t, tc.name+" rate", ri, tc.want.Rate, 1e-8)
		w, w2 := rate.Sums()
		u := make([]float64, len(w2))
		for i := range u {
			u[i] = math.Sqrt(w2[i])
		}
		mm, err := binned(m, theta, lumi, 1, w, u, 0, nil, +1)
		if err != nil {
			t.Fatal(err)
		}
		checkCov(t, tc.name+" rate covariance (MadMiner sign)", mm, tc.want.RateCov, 1, 1e-8)
	}
}

func TestZHHistograms(t *testing.T) {
	ev, ref := loadZH(t)
	m := ev.Morpher()
	lumi := ref.Fisher.Luminosity
	pth, mzh, dphi := ev.Column("pt_h"), ev.Column("m_zh"), ev.Column("delta_phi_ee")
	for _, tc := range ref.points() {
		theta := tc.theta
		wTheta := make([]float64, ev.N)
		wb := m.WeightsTo(nil, theta)
		for i := range wTheta {
			for b := 0; b < ev.NBench; b++ {
				wTheta[i] += wb[b] * ev.W[i*ev.NBench+b]
			}
		}
		eqEdges := func(x []float64, n int) []float64 {
			e, err := EqualXsecEdges(x, wTheta, n)
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		for _, hc := range []struct {
			name   string
			values [][]float64
			edges  [][]float64
			want   zhHisto
			bounds [][]float64
		}{
			{"pt_h explicit", [][]float64{pth}, [][]float64{{0, 50, 100, 150, 200, 300, 500, 1000}}, tc.want.HistoPtH, nil},
			{"m_zh 10 equal-σ", [][]float64{mzh}, [][]float64{eqEdges(mzh, 10)}, tc.want.HistoMzh, [][]float64{tc.want.HistoMzh.Boundaries}},
			{"2d dynamic", [][]float64{pth, dphi}, [][]float64{eqEdges(pth, 4), eqEdges(dphi, 3)}, tc.want.Histo2DDyn,
				[][]float64{tc.want.Histo2DDyn.Boundaries1, tc.want.Histo2DDyn.Boundaries2}},
			{"2d edges", [][]float64{pth, dphi}, [][]float64{{50, 100, 200}, {-math.Pi / 2, 0, math.Pi / 2}}, tc.want.Histo2DEdges, nil},
		} {
			name := tc.name + " " + hc.name
			for a, b := range hc.bounds {
				if len(b) != len(hc.edges[a]) {
					t.Fatalf("%s: axis %d: %d edges, MadMiner used %d", name, a, len(hc.edges[a]), len(b))
				}
				for i := range b {
					if !relClose(hc.edges[a][i], b[i], 1e-12) {
						t.Errorf("%s: axis %d edge %d = %.15g, want %.15g", name, a, i, hc.edges[a][i], b[i])
					}
				}
			}
			h, err := NewHistogram(ev.NBench, hc.edges...)
			if err != nil {
				t.Fatal(err)
			}
			if err := h.Add(ev.N, hc.values, ev.W, nil); err != nil {
				t.Fatal(err)
			}
			in, err := h.Information(m, theta, lumi)
			if err != nil {
				t.Fatal(err)
			}
			checkMatrix(t, name, in, hc.want.Information, 1e-8)
			w, w2 := h.Sums()
			u := make([]float64, len(w2))
			for i := range u {
				u[i] = math.Sqrt(w2[i])
			}
			mm, err := binned(m, theta, lumi, h.NumBins(), w, u, 0, nil, +1)
			if err != nil {
				t.Fatal(err)
			}
			checkCov(t, name+" covariance (MadMiner sign)", mm, hc.want.Covariance, 1, 1e-8)
		}
	}
}

// TestZHSallyInformation evaluates MadMiner's trained SALLY network (seed 1,
// ../shared/reference/zh/sally_seed1_weights_and_first20.json) on the test
// partition and compares the SALLY information with MadMiner's
// full_information for that network. The network ran in float32 in torch
// and here in float64, hence the 1e-5 tolerance.
func TestZHSallyInformation(t *testing.T) {
	ev, ref := loadZH(t)
	netPath := repotest.Shared(t, "reference/zh/sally_seed1_weights_and_first20.json")
	net, err := mmdata.LoadSally(netPath)
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range net.First20X {
		got := net.Score(nil, x)
		for p := range got {
			if math.Abs(got[p]-net.First20T[i][p]) > 1e-5*math.Max(1, math.Abs(net.First20T[i][p])) {
				t.Fatalf("event %d: t̂ = %v, MadMiner %v", i, got, net.First20T[i])
			}
		}
	}
	m := ev.Morpher()
	theta := []float64{0, 0}
	const start = 24001 // MadMiner: int(round(0.8 n)) + 1
	n := ev.N - start
	scores := make([]float64, 0, 2*n)
	buf := make([]float64, 2)
	for i := start; i < ev.N; i++ {
		buf = net.Score(buf, ev.X[i*ev.NObs:(i+1)*ev.NObs])
		scores = append(scores, buf...)
	}
	sa := NewSally(m, theta, ref.Fisher.Luminosity, 1, 2)
	if err := sa.Add(n, ev.W[start*ev.NBench:], [][]float64{scores}); err != nil {
		t.Fatal(err)
	}
	rate, _ := NewHistogram(ev.NBench)
	_ = rate.Add(ev.N, nil, ev.W, nil)
	sigma := rate.Sigma(m, theta)[0]
	kin, err := sa.Kinematic(sigma)
	if err != nil {
		t.Fatal(err)
	}
	run := ref.Sally.Runs[0]
	if run.Seed != 1 {
		t.Fatalf("first SALLY run has seed %d", run.Seed)
	}
	checkMatrix(t, "SALLY kinematic", kin, run.Kin, 1e-5)
	ri, _ := rate.Information(m, theta, ref.Fisher.Luminosity)
	kin.Add(ri)
	checkMatrix(t, "SALLY full", kin, run.Full, 1e-5)
}
