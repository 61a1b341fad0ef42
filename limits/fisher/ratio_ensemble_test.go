// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package fisher

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// fixedRatio is a ratio model whose information per event is the matrix a.
type fixedRatio struct{ a []float64 }

func (r fixedRatio) FisherInformation(_ mat.Matrix, _ []float64, _ []float64, nEvents float64) (*mat.SymDense, error) {
	m := mat.NewSymDense(2, nil)
	m.ScaleSym(nEvents, mat.NewSymDense(2, r.a))
	return m, nil
}

// TestRatioEnsembleCovariance: the information of an ensemble of ratio
// models is the mean of the members' (each computed alone) and its
// uncertainty their standard deviation over the members.
func TestRatioEnsembleCovariance(t *testing.T) {
	ev, _ := loadZH(t)
	members := []RatioInformer{
		fixedRatio{[]float64{4, 1, 1, 2}}, fixedRatio{[]float64{5, 0.5, 0.5, 2.5}}, fixedRatio{[]float64{3.5, 1.5, 1.5, 1}},
	}
	s := Settings{Theta: []float64{0, 0}, Luminosity: 1000, TestStart: 24001, TestEnd: ev.N}
	var alone [][][]float64
	for k, m := range members {
		out, err := FromEvents(mmReader{ev}, ev.Morpher(), []Item{{Name: "one", Kind: KindRatio, Ratio: m}}, s)
		if err != nil {
			t.Fatal(err)
		}
		if out.Results[0].Uncertainty != nil {
			t.Errorf("member %d alone has an uncertainty", k)
		}
		alone = append(alone, out.Results[0].Information)
	}
	out, err := FromEvents(mmReader{ev}, ev.Morpher(), []Item{{Name: "ensemble", Kind: KindRatio, Ratios: members}}, s)
	if err != nil {
		t.Fatal(err)
	}
	r := out.Results[0]
	if r.Uncertainty == nil || r.Covariance == nil {
		t.Fatal("ensemble without an uncertainty")
	}
	for i := range 2 {
		for j := range 2 {
			var mu, v float64
			for _, a := range alone {
				mu += a[i][j] / 3
			}
			for _, a := range alone {
				v += (a[i][j] - mu) * (a[i][j] - mu) / 2
			}
			if math.Abs(r.Information[i][j]-mu) > 1e-12*math.Abs(mu) || math.Abs(r.Uncertainty[i][j]-math.Sqrt(v)) > 1e-9*math.Sqrt(v) {
				t.Errorf("I[%d][%d] = %v ± %v, members' mean %v and std %v", i, j, r.Information[i][j], r.Uncertainty[i][j], mu, math.Sqrt(v))
			}
		}
	}
	// cov(I_00, I_11) from the members.
	var m0, m3, c float64
	for _, a := range alone {
		m0 += a[0][0] / 3
		m3 += a[1][1] / 3
	}
	for _, a := range alone {
		c += (a[0][0] - m0) * (a[1][1] - m3) / 2
	}
	if got := r.Covariance[0][0][1][1]; math.Abs(got-c) > 1e-9*math.Abs(c) {
		t.Errorf("cov(I00, I11) = %v, members' %v", got, c)
	}
}
