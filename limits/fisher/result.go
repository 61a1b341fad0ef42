// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package fisher

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Result is one Fisher-information result as written to fisher.json.
type Result struct {
	Name        string          `json:"name"`
	Kind        string          `json:"kind"` // truth, rate, histo, histo2d, sally, ...
	Parameters  []string        `json:"parameters,omitempty"`
	Theta       []float64       `json:"theta"`
	Luminosity  float64         `json:"luminosity_pb"`
	Information [][]float64     `json:"information"`
	Covariance  [][][][]float64 `json:"covariance,omitempty"`
	// Uncertainty holds √cov(I_ij, I_ij) when a covariance is known.
	Uncertainty [][]float64 `json:"uncertainty,omitempty"`
	// Edges holds the inner bin edges of each histogram axis.
	Edges [][]float64 `json:"edges,omitempty"`
	// DetRoot is det(I)^(1/n), a one-number summary of the information.
	DetRoot float64 `json:"det_root"`
}

// NewResult packs an information into a Result.
func NewResult(name, kind string, params []string, theta []float64, lumi float64, in *Information) Result {
	r := Result{
		Name: name, Kind: kind, Parameters: params,
		Theta: append([]float64(nil), theta...), Luminosity: lumi,
		Information: in.Dense(), Covariance: in.Cov4(),
	}
	n := in.Dim()
	if in.Cov != nil {
		r.Uncertainty = make([][]float64, n)
		for i := range r.Uncertainty {
			r.Uncertainty[i] = make([]float64, n)
			for j := range r.Uncertainty[i] {
				r.Uncertainty[i][j] = math.Sqrt(math.Max(in.CovAt(i, j, i, j), 0))
			}
		}
	}
	d := 0.0
	if v := mat.Det(in.Matrix); v > 0 {
		d = math.Pow(v, 1/float64(n))
	}
	r.DetRoot = d
	return r
}

// Info returns the information of the result (its matrix; the covariance
// is not kept).
func (r *Result) Info() *Information {
	n := len(r.Information)
	m := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			m.SetSym(i, j, r.Information[i][j])
		}
	}
	return &Information{Matrix: m}
}
