// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Data holds a training sample in MadMiner's conventions: the likelihood
// ratio is r = p(x|θ0)/p(x|θ1), y = 0 labels samples drawn from θ0
// (numerator) and y = 1 samples drawn from θ1 (denominator); RXZ is the
// joint ratio r(x,z|θ0,θ1), TXZ the joint score t(x,z|θ0) and TXZ1 the
// joint score t(x,z|θ1). Each estimator documents the fields it reads.
type Data struct {
	X      *mat.Dense // n×observables
	Theta  *mat.Dense // n×parameters: θ0 (numerator, or the θ of the density)
	Theta1 *mat.Dense // n×parameters: θ1 (DoubleParameterizedRatioEstimator)
	Y      []float64  // n labels
	RXZ    []float64  // n joint likelihood ratios
	TXZ    *mat.Dense // n×parameters: joint score at θ0
	TXZ1   *mat.Dense // n×parameters: joint score at θ1
}

// Scaling standardises the columns of an input: (v − Mean)/Std.
type Scaling struct {
	Mean []float64 `json:"mean"`
	Std  []float64 `json:"std"`
}

// fitScaling returns column means and population standard deviations
// (floored at 1e−6, as MadMiner) of the first n rows of m, or the
// identity if off is true.
func fitScaling(m *mat.Dense, off bool, n int) Scaling {
	_, c := m.Dims()
	s := Scaling{Mean: make([]float64, c), Std: make([]float64, c)}
	for j := 0; j < c; j++ {
		if off {
			s.Std[j] = 1
			continue
		}
		mean := 0.0
		for i := 0; i < n; i++ {
			mean += m.At(i, j)
		}
		mean /= float64(n)
		v := 0.0
		for i := 0; i < n; i++ {
			d := m.At(i, j) - mean
			v += d * d
		}
		s.Mean[j] = mean
		s.Std[j] = math.Max(math.Sqrt(v/float64(n)), 1e-6)
	}
	return s
}

// stackData appends the validation sample v to the training sample d for
// every field d holds; v must hold the same fields.
func stackData(d, v Data) (Data, error) {
	var out Data
	mats := []struct {
		name string
		a, b *mat.Dense
		dst  **mat.Dense
	}{{"x", d.X, v.X, &out.X}, {"theta", d.Theta, v.Theta, &out.Theta}, {"theta1", d.Theta1, v.Theta1, &out.Theta1},
		{"t_xz", d.TXZ, v.TXZ, &out.TXZ}, {"t_xz1", d.TXZ1, v.TXZ1, &out.TXZ1}}
	for _, m := range mats {
		if m.a == nil {
			continue
		}
		if m.b == nil {
			return Data{}, fmt.Errorf("ml: validation data lacks %s", m.name)
		}
		if _, ca := m.a.Dims(); ca != m.b.RawMatrix().Cols {
			return Data{}, fmt.Errorf("ml: validation %s has %d columns, want %d", m.name, m.b.RawMatrix().Cols, ca)
		}
		var s mat.Dense
		s.Stack(m.a, m.b)
		*m.dst = &s
	}
	vecs := []struct {
		name string
		a, b []float64
		dst  *[]float64
	}{{"y", d.Y, v.Y, &out.Y}, {"r_xz", d.RXZ, v.RXZ, &out.RXZ}}
	for _, x := range vecs {
		if x.a == nil {
			continue
		}
		if x.b == nil {
			return Data{}, fmt.Errorf("ml: validation data lacks %s", x.name)
		}
		*x.dst = append(append([]float64(nil), x.a...), x.b...)
	}
	return out, nil
}

// withValidation stacks s.Validation under d and records its size in s.
func withValidation(d Data, s *Settings) (Data, error) {
	if s.Validation == nil {
		return d, nil
	}
	if s.Validation.X == nil {
		return Data{}, fmt.Errorf("ml: validation data lacks x")
	}
	full, err := stackData(d, *s.Validation)
	if err != nil {
		return Data{}, err
	}
	s.nVal, _ = s.Validation.X.Dims()
	s.ExternalValidation = true
	return full, nil
}

// nFit returns the number of leading rows of m that are training data.
func nFit(m *mat.Dense, s Settings) int {
	n, _ := m.Dims()
	return n - s.nVal
}

// checkMatrix checks that m is present, has n rows and c columns (c < 0:
// any) and only finite entries.
func checkMatrix(name string, m *mat.Dense, n, c int) error {
	if m == nil || m.IsEmpty() {
		return fmt.Errorf("ml: %s is missing", name)
	}
	r, cc := m.Dims()
	if n >= 0 && r != n {
		return fmt.Errorf("ml: %s has %d rows, want %d", name, r, n)
	}
	if c >= 0 && cc != c {
		return fmt.Errorf("ml: %s has %d columns, want %d", name, cc, c)
	}
	for i := 0; i < r; i++ {
		for j := 0; j < cc; j++ {
			if v := m.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("ml: %s row %d column %d is %g", name, i, j, v)
			}
		}
	}
	return nil
}

func checkVector(name string, v []float64, n int) error {
	if v == nil {
		return fmt.Errorf("ml: %s is missing", name)
	}
	if len(v) != n {
		return fmt.Errorf("ml: %s has %d entries, want %d", name, len(v), n)
	}
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("ml: %s row %d is %g", name, i, x)
		}
	}
	return nil
}

// features resolves the selected observable indices.
func resolveFeatures(f []int, nobs int) ([]int, error) {
	if f == nil {
		idx := make([]int, nobs)
		for i := range idx {
			idx[i] = i
		}
		return idx, nil
	}
	if len(f) == 0 {
		return nil, fmt.Errorf("ml: empty feature selection")
	}
	for _, i := range f {
		if i < 0 || i >= nobs {
			return nil, fmt.Errorf("ml: feature %d out of range [0,%d)", i, nobs)
		}
	}
	return append([]int(nil), f...), nil
}

// putX writes the scaled, selected features of row i of x into dst.
func putX(dst []float64, x mat.Matrix, i int, sc Scaling, feat []int) {
	for j, f := range feat {
		dst[j] = (x.At(i, f) - sc.Mean[f]) / sc.Std[f]
	}
}

// putTheta writes the scaled parameters of row i of th into dst.
func putTheta(dst []float64, th mat.Matrix, i int, sc Scaling) {
	for j := range sc.Mean {
		dst[j] = (th.At(i, j) - sc.Mean[j]) / sc.Std[j]
	}
}

func defaultHidden(h []int) []int {
	if h == nil {
		return []int{100}
	}
	return append([]int(nil), h...)
}

func layerSizes(nin int, hidden []int, nout int) []int {
	s := []int{nin}
	s = append(s, hidden...)
	return append(s, nout)
}

// evalBatch is the number of rows evaluated at once.
const evalBatch = 1024

// checkLabels checks that the labels lie in [0, 1] and, if r is not nil,
// that the joint ratios are positive.
func checkLabels(y, r []float64) error {
	for i, v := range y {
		if v < 0 || v > 1 {
			return fmt.Errorf("ml: y row %d is %g, want a label in [0, 1]", i, v)
		}
	}
	for i, v := range r {
		if !(v > 0) {
			return fmt.Errorf("ml: r_xz row %d is %g, want a positive likelihood ratio", i, v)
		}
	}
	return nil
}
