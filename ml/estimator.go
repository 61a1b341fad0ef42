// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// The training set-up every estimator shares: Trained holds what
// training sets, its fit runs a Train, and checkShape checks the data an
// objective is built from.

// Trained is the state that Train or Load sets in every estimator: the
// training method, the numbers of observables and parameters of the
// training data, the standardisation of the observations, and the
// settings and loss history of the training.
type Trained struct {
	Method       Method
	NObservables int
	NParameters  int
	XScaling     Scaling
	Settings     Settings
	History      *History
}

// fit is the Train of every estimator: it applies the defaults, sets the
// validation sample aside, builds the estimator's objective, trains, and
// records in t the settings (without the writer and the validation data)
// and the history, once training has started.
func (t *Trained) fit(d Data, s *Settings, newObjective func(Data, Settings) (objective, error)) (*History, error) {
	set := s.WithDefaults()
	d, err := withValidation(d, &set)
	if err != nil {
		return nil, err
	}
	o, err := newObjective(d, set)
	if err != nil {
		return nil, err
	}
	h, err := train(o, set)
	set.Log, set.Validation = nil, nil
	t.Settings, t.History = set, h
	return h, err
}

// dataShape is the shape of the training data of an estimator.
type dataShape struct {
	n, nObs, nParams int
	feat             []int // the observables fed to the network
}

// checkShape checks the activation, the observations x and the
// parameter matrix (named thetaName; tXZ for a score estimator), selects
// the features, and checks that a network trained before (trained) sees
// data of the shape recorded in t.
func (t *Trained) checkShape(act Activation, features []int, x *mat.Dense, thetaName string, theta *mat.Dense, trained bool) (dataShape, error) {
	var s dataShape
	if err := act.valid(); err != nil {
		return s, err
	}
	if err := checkMatrix("x", x, -1, -1); err != nil {
		return s, err
	}
	s.n, s.nObs = x.Dims()
	if err := checkMatrix(thetaName, theta, s.n, -1); err != nil {
		return s, err
	}
	_, s.nParams = theta.Dims()
	var err error
	if s.feat, err = resolveFeatures(features, s.nObs); err != nil {
		return s, err
	}
	if trained && (t.NObservables != s.nObs || t.NParameters != s.nParams) {
		return s, fmt.Errorf("ml: model has %d observables and %d parameters, data %d and %d", t.NObservables, t.NParameters, s.nObs, s.nParams)
	}
	return s, nil
}

// record records the training method and the shape of the checked
// training data in t.
func (t *Trained) record(method Method, s dataShape) {
	t.Method, t.NObservables, t.NParameters = method, s.nObs, s.nParams
}

// checkRatioData checks the labels, joint ratios and joint scores a ratio
// method needs (tNames name the score matrices of ts).
func checkRatioData(method Method, base ratioBase, useScore bool, d Data, s dataShape, tNames []string, ts ...*mat.Dense) error {
	if err := checkVector("y", d.Y, s.n); err != nil {
		return err
	}
	var r []float64
	if base.needsR() {
		if err := checkVector("r_xz", d.RXZ, s.n); err != nil {
			return fmt.Errorf("%w (method %s needs the joint likelihood ratio)", err, method)
		}
		r = d.RXZ
	}
	if useScore {
		for k, t := range ts {
			if err := checkMatrix(tNames[k], t, s.n, s.nParams); err != nil {
				return fmt.Errorf("%w (method %s needs the joint score)", err, method)
			}
		}
	}
	return checkLabels(d.Y, r)
}

// scaledScores returns the joint scores t in standardised θ units,
// t̃ = σ_θ·t (row-major), the target of a score term when θ is scaled.
func scaledScores(t *mat.Dense, sc Scaling) []float64 {
	n, np := t.Dims()
	out := make([]float64, n*np)
	for i := 0; i < n; i++ {
		for j := 0; j < np; j++ {
			out[i*np+j] = t.At(i, j) * sc.Std[j]
		}
	}
	return out
}

// reuseAs sizes the output matrix m (named name) to r×c when it is
// empty, and checks its size otherwise; a nil m is left alone.
func reuseAs(name string, m *mat.Dense, r, c int) error {
	if m == nil {
		return nil
	}
	if m.IsEmpty() {
		m.ReuseAs(r, c)
	} else if mr, mc := m.Dims(); mr != r || mc != c {
		return fmt.Errorf("ml: %s is %d×%d, want %d×%d", name, mr, mc, r, c)
	}
	return nil
}

// checkInputs checks that x has nObs columns and each theta its n rows
// and nParams columns, and returns n.
func checkInputs(x mat.Matrix, nObs, nParams int, thetas ...mat.Matrix) (int, error) {
	n, c := x.Dims()
	if c != nObs {
		return 0, fmt.Errorf("ml: x has %d columns, want %d", c, nObs)
	}
	for _, th := range thetas {
		if r, c := th.Dims(); r != n || c != nParams {
			return 0, fmt.Errorf("ml: theta is %d×%d, want %d×%d", r, c, n, nParams)
		}
	}
	return n, nil
}

// output returns the output vector v (named name) of length n, allocated
// if nil.
func output(name string, v []float64, n int) ([]float64, error) {
	if v == nil {
		return make([]float64, n), nil
	}
	if len(v) != n {
		return nil, fmt.Errorf("ml: %s has length %d, want %d", name, len(v), n)
	}
	return v, nil
}

// fisherAt is the Fisher information nEvents·Σ_i w_i t̂_i t̂_iᵀ/Σ_i w_i of
// the scores t̂_i = score(θ rows) at the parameter point theta of the
// rows of x.
func fisherAt(nParams int, x mat.Matrix, theta, w []float64, nEvents float64, score func(th *mat.Dense) (*mat.Dense, error)) (*mat.SymDense, error) {
	if len(theta) != nParams {
		return nil, fmt.Errorf("ml: theta has %d parameters, want %d", len(theta), nParams)
	}
	n, _ := x.Dims()
	t, err := score(constRows(n, theta))
	if err != nil {
		return nil, err
	}
	return fisherFromScores(t, w, nEvents)
}

// termWeights are the weights of the loss terms of a ratio or likelihood
// objective: 1 for the base loss and alpha for the score term, if any.
func termWeights(score bool, alpha float64) []float64 {
	if score {
		return []float64{1, alpha}
	}
	return []float64{1}
}

// newNet is the network of a new estimator: nin inputs, the hidden
// layers (nil: the default), nout outputs and the activation act, with
// weights drawn from the training seed.
func newNet(nin int, hidden []int, nout int, act Activation, seed uint64) (*MLP, error) {
	return NewMLP(layerSizes(nin, defaultHidden(hidden), nout), act, rand.NewPCG(seed, 1))
}

// firstN returns the indices 0, …, n−1: the input columns whose tangents
// give the score when the n parameters lead the network input.
func firstN(n int) []int {
	idx := make([]int, n)
	for j := range idx {
		idx[j] = j
	}
	return idx
}

// gatherRows copies the given rows of the row-major matrix src (nin
// columns) into dst, grown to len(rows)·nin, and returns it.
func gatherRows(dst, src []float64, rows []int, nin int) []float64 {
	dst = grow(dst, len(rows)*nin)
	// An element loop, not copy: rows are a few elements long, and a
	// memmove call per row was a third slower (SALLY, 7 observables).
	for r, i := range rows {
		d, s := dst[r*nin:(r+1)*nin], src[i*nin:(i+1)*nin]
		for k := range d {
			d[k] = s[k]
		}
	}
	return dst
}

// unscaleScores writes the b direction-major tangents tan (np×b) of
// rows lo, …, lo+b−1 into dst, converted from standardised θ units to θ
// units (divided by the scale of each parameter).
func unscaleScores(dst *mat.Dense, lo, b int, tan []float64, sc Scaling) {
	_, np := dst.Dims()
	for r := 0; r < b; r++ {
		for k := 0; k < np; k++ {
			dst.Set(lo+r, k, tan[k*b+r]/sc.Std[k])
		}
	}
}

// ratioParts is what the objectives of the ratio estimators share: the
// network, its standardised input rows, the labels and joint ratios, and
// the loss terms.
type ratioParts struct {
	net   *MLP
	nin   int
	np    int
	prec  Precision
	base  ratioBase
	score bool
	lab   []string
	alpha float64
	in    []float64 // n rows of nin standardised inputs
	y, r  []float64
}

// ratioLoss names the loss terms of a ratio method.
type ratioLoss struct {
	base  ratioBase
	score bool // with the score term
	lab   []string
}

// checkRatioTraining returns the loss terms of the ratio method and the
// shape of its training data d, which it checks: x, θ0 (and θ1 if
// double), the labels, and the joint ratios and scores the method needs.
// trained and t describe a network trained before, as for checkShape.
func (t *Trained) checkRatioTraining(method Method, d Data, act Activation, features []int, double, trained bool) (ratioLoss, dataShape, error) {
	var l ratioLoss
	var err error
	if l.base, l.score, l.lab, err = ratioTerms(method); err != nil {
		return l, dataShape{}, err
	}
	thetaName, tNames, ts := "theta", []string{"t_xz"}, []*mat.Dense{d.TXZ}
	if double {
		thetaName, tNames, ts = "theta0", []string{"t_xz0", "t_xz1"}, []*mat.Dense{d.TXZ, d.TXZ1}
	}
	sh, err := t.checkShape(act, features, d.X, thetaName, d.Theta, trained)
	if err != nil {
		return l, sh, err
	}
	if double {
		if err := checkMatrix("theta1", d.Theta1, sh.n, sh.nParams); err != nil {
			return l, sh, err
		}
	}
	return l, sh, checkRatioData(method, l.base, l.score, d, sh, tNames, ts...)
}

// newRatioNet fits the scalings of a new ratio estimator on the training
// rows of d, the parameters on θ0 (and θ1 together with it if double, as
// MadMiner), and draws its network of nin inputs and one output.
func newRatioNet(d Data, set Settings, double bool, nin int, hidden []int, act Activation) (xs, ts Scaling, net *MLP, err error) {
	nf := nFit(d.X, set)
	xs = fitScaling(d.X, set.NoInputScaling, nf)
	if double {
		_, np := d.Theta.Dims()
		var both mat.Dense
		both.Stack(d.Theta.Slice(0, nf, 0, np), d.Theta1.Slice(0, nf, 0, np))
		ts = fitScaling(&both, set.NoParameterScaling, 2*nf)
	} else {
		ts = fitScaling(d.Theta, set.NoParameterScaling, nf)
	}
	net, err = newNet(nin, hidden, 1, act, set.Seed)
	return xs, ts, net, err
}

// newRatioParts returns the parts of a ratio objective on the n rows of
// d with nin network inputs, np parameters and input rows still to fill.
func newRatioParts(net *MLP, n, nin, np int, set Settings, l ratioLoss, d Data) ratioParts {
	return ratioParts{net: net, nin: nin, np: np, prec: set.Precision, base: l.base, score: l.score, lab: l.lab, alpha: set.Alpha,
		in: make([]float64, n*nin), y: d.Y, r: d.RXZ}
}

func (o *ratioParts) params() []float64      { return o.net.Params }
func (o *ratioParts) mlp() (*MLP, Precision) { return o.net, o.prec }
func (o *ratioParts) labels() []string       { return o.lab }
func (o *ratioParts) weights() []float64     { return termWeights(o.score, o.alpha) }
func (o *ratioParts) nRows() int             { return len(o.y) }

// baseTerm is the base loss of row i given the network's log r̂ (with
// r(x,z) where the method needs it) and its derivative by log r̂, both
// divided by n.
func (o *ratioParts) baseTerm(logR float64, i, n int) (v, dl float64) {
	rr := 0.0
	if o.r != nil {
		rr = o.r[i]
	}
	v, dl = baseLoss(o.base, logR, o.y[i], rr)
	inv := 1 / float64(n)
	return v * inv, dl * inv
}
