// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package fisher_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/limits/fisher"
	"github.com/goldmine-hep/goldmine/limits/internal/mmdata"
	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/store"
)

var _ fisher.Morpher = (*morphing.Morpher)(nil)

// TestStreamFromStore streams the ZH events through store in batches and
// morphs with the morphing package, as the fisher command does, and checks
// truth and 1D-histogram information against MadMiner's reference.
func TestStreamFromStore(t *testing.T) {
	evPath, refPath := repotest.Shared(t, mmdata.ZHEvents), repotest.Shared(t, mmdata.ZHReference)
	var ref struct {
		Fisher struct {
			SM struct {
				Truth [][]float64 `json:"truth_information"`
				Histo struct {
					Information [][]float64 `json:"information"`
				} `json:"histo_information_pt_h"`
			} `json:"sm"`
		} `json:"fisher"`
	}
	if err := mmdata.ReadJSON(refPath, &ref); err != nil {
		t.Fatal(err)
	}
	ef, err := store.OpenEvents(evPath)
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	h := ef.Header()
	m, err := morphing.NewFromMatrix(h.Components, h.MorphingMatrix)
	if err != nil {
		t.Fatal(err)
	}
	iobs := -1
	for j, n := range h.ObservableNames {
		if n == "pt_h" {
			iobs = j
		}
	}
	theta := []float64{0, 0}
	tr := fisher.NewTruth(m, theta, nil)
	hist, err := fisher.NewHistogram(m.NumBasis(), []float64{0, 50, 100, 150, 200, 300, 500, 1000})
	if err != nil {
		t.Fatal(err)
	}
	nObs := len(h.ObservableNames)
	var col []float64
	err = ef.Read(0, -1, 4096, func(bt *store.Batch) error {
		if err := tr.Add(bt.N, bt.Weights, nil, nil); err != nil {
			return err
		}
		col = col[:0]
		for i := 0; i < bt.N; i++ {
			col = append(col, bt.X[i*nObs+iobs])
		}
		return hist.Add(bt.N, [][]float64{col}, bt.Weights, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	ti, err := tr.Information()
	if err != nil {
		t.Fatal(err)
	}
	hi, err := hist.Information(m, theta, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		for j := 0; j < 2; j++ {
			if w := ref.Fisher.SM.Truth[i][j]; math.Abs(ti.At(i, j)-w) > 1e-8*math.Abs(w) {
				t.Errorf("truth I[%d][%d] = %.12g, MadMiner %.12g", i, j, ti.At(i, j), w)
			}
			if w := ref.Fisher.SM.Histo.Information[i][j]; math.Abs(hi.At(i, j)-w) > 1e-8*math.Abs(w) {
				t.Errorf("histo I[%d][%d] = %.12g, MadMiner %.12g", i, j, hi.At(i, j), w)
			}
		}
	}
}

// Example reproduces MadMiner's nuisance test: one bin of 10⁴ expected
// events changing by 5% per unit θ, with a 2% normalisation uncertainty.
func Example() {
	m, _ := morphing.New([][]int{{0}, {1}}, [][]float64{{0}, {1}})
	const lumi, xsec = 1e5, 0.1 // 10⁴ events
	tr := fisher.NewTruth(m, []float64{0}, &fisher.TruthSettings{Luminosity: lumi, Nuisance: 1})
	_ = tr.Add(1, []float64{xsec, xsec * 1.05}, nil, []float64{0.02})
	in, _ := tr.Information()
	in.AddGaussianConstraint(1, 1)
	p, _ := fisher.Profile(in, []int{0})
	fmt.Printf("fixed ν: Δθ = %.4f\n", 1/math.Sqrt(in.At(0, 0)))
	fmt.Printf("profiled: Δθ = %.4f (closed form %.4f)\n", 1/math.Sqrt(p.At(0, 0)), math.Sqrt((1e-4+0.02*0.02)/(0.05*0.05)))
	// Output:
	// fixed ν: Δθ = 0.2000
	// profiled: Δθ = 0.4472 (closed form 0.4472)
}
