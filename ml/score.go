// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// NuisanceMode selects how ScoreEstimator.Score treats nuisance
// parameters, as in MadMiner's evaluate_score.
type NuisanceMode string

// Nuisance modes. Auto means the estimator's NuisanceModeDefault.
const (
	Auto    NuisanceMode = ""
	Keep    NuisanceMode = "keep"
	Profile NuisanceMode = "profile"
	Project NuisanceMode = "project"
)

// ScoreEstimator is MadMiner's ScoreEstimator (SALLY, SALLINO): a network
// x → t̂(x) estimating the score at a reference point.
type ScoreEstimator struct {
	// Features selects the observables fed to the network; nil means all.
	Features []int
	// Hidden lists the hidden-layer widths; nil means (100,).
	Hidden []int
	// Activation; "" means Tanh.
	Activation Activation

	// Set by Train or Load.
	Trained
	Net                 *MLP
	NuisanceModeDefault NuisanceMode
	// ProfileMatrix and ProjectMatrix (n_poi × n_parameters) are set by
	// SetNuisance.
	ProfileMatrix *mat.Dense
	ProjectMatrix *mat.Dense
}

// Train trains the estimator with method SALLY or SALLINO on the
// observations x (n×observables) and joint scores tXZ (n×parameters), and
// returns the loss history.
//
// The loss is MadMiner's local_score_mse, the mean over samples and
// components of (t̂ − t(x,z))².
func (e *ScoreEstimator) Train(method Method, x, tXZ *mat.Dense, s *Settings) (*History, error) {
	return e.fit(Data{X: x, TXZ: tXZ}, s, func(d Data, set Settings) (objective, error) { return e.newObjective(method, d.X, d.TXZ, set) })
}

func (e *ScoreEstimator) newObjective(method Method, x, tXZ *mat.Dense, set Settings) (*scoreObjective, error) {
	if method != SALLY && method != SALLINO {
		return nil, fmt.Errorf("ml: method %q is not a score method (want sally or sallino)", string(method))
	}
	sh, err := e.checkShape(e.Activation, e.Features, x, "t_xz", tXZ, e.Net != nil)
	if err != nil {
		return nil, err
	}
	e.record(method, sh)
	n, np, feat := sh.n, sh.nParams, sh.feat
	if e.Net == nil {
		e.XScaling = fitScaling(x, set.NoInputScaling, nFit(x, set))
		e.Net, err = newNet(len(feat), e.Hidden, np, e.Activation, set.Seed)
		if err != nil {
			return nil, err
		}
	}
	if e.NuisanceModeDefault == "" {
		e.NuisanceModeDefault = Keep
	}
	nin := len(feat)
	o := &scoreObjective{net: e.Net, nin: nin, np: np, prec: set.Precision, in: make([]float64, n*nin), t: make([]float64, n*np)}
	for i := 0; i < n; i++ {
		putX(o.in[i*nin:(i+1)*nin], x, i, e.XScaling, feat)
		for j := 0; j < np; j++ {
			o.t[i*np+j] = tXZ.At(i, j)
		}
	}
	return o, nil
}

type scoreObjective struct {
	net   *MLP
	nin   int
	np    int
	prec  Precision
	in, t []float64
}

func (o *scoreObjective) params() []float64      { return o.net.Params }
func (o *scoreObjective) mlp() (*MLP, Precision) { return o.net, o.prec }
func (o *scoreObjective) labels() []string       { return []string{termMSEScore} }
func (o *scoreObjective) weights() []float64     { return []float64{1} }
func (o *scoreObjective) nRows() int             { return len(o.in) / o.nin }
func (o *scoreObjective) newEvaluator() evaluator {
	ev := &scoreEval{o: o}
	ev.tape.Precision = o.prec
	return ev
}

type scoreEval struct {
	o     *scoreObjective
	tape  Tape
	x, gy []float64
}

func (ev *scoreEval) tapes() []*Tape { return []*Tape{&ev.tape} }

func (ev *scoreEval) eval(rows []int, n int, terms, grad []float64) {
	o := ev.o
	b := len(rows)
	if b == 0 {
		return
	}
	ev.x = gatherRows(ev.x, o.in, rows, o.nin)
	ev.tape.run(o.net, ev.x, b, nil, 0, nil, grad != nil)
	out := ev.tape.Output()
	ev.gy = grow(ev.gy, b*o.np)
	norm := 1 / float64(n*o.np)
	for r, i := range rows {
		for j := 0; j < o.np; j++ {
			d := out[r*o.np+j] - o.t[i*o.np+j]
			terms[0] += d * d * norm
			ev.gy[r*o.np+j] = 2 * d * norm
		}
	}
	if grad != nil {
		ev.tape.Backward(grad, ev.gy, nil, nil, nil)
	}
}

// SetNuisance prepares the profiled and projected scores (MadMiner's
// set_nuisance, arXiv:1903.01473): with the Fisher information I split
// into parameters of interest p and nuisance parameters ν, the projected
// score is t_p and the profiled score t_p − I_pν I_νν⁻¹ t_ν.
// poi lists the parameters of interest in their new order.
func (e *ScoreEstimator) SetNuisance(fisher mat.Symmetric, poi []int) error {
	np := e.NParameters
	if fisher.SymmetricDim() != np {
		return fmt.Errorf("ml: Fisher information is %d×%d, want %d×%d", fisher.SymmetricDim(), fisher.SymmetricDim(), np, np)
	}
	isPOI := make([]bool, np)
	for _, p := range poi {
		if p < 0 || p >= np || isPOI[p] {
			return fmt.Errorf("ml: bad or repeated parameter of interest %d", p)
		}
		isPOI[p] = true
	}
	var nuis []int
	for i := 0; i < np; i++ {
		if !isPOI[i] {
			nuis = append(nuis, i)
		}
	}
	proj := mat.NewDense(len(poi), np, nil)
	for a, p := range poi {
		proj.Set(a, p, 1)
	}
	prof := mat.DenseCopyOf(proj)
	if len(nuis) > 0 {
		inn := mat.NewDense(len(nuis), len(nuis), nil)
		for a, i := range nuis {
			for b, j := range nuis {
				inn.Set(a, b, fisher.At(i, j))
			}
		}
		ipn := mat.NewDense(len(poi), len(nuis), nil)
		for a, i := range poi {
			for b, j := range nuis {
				ipn.Set(a, b, fisher.At(i, j))
			}
		}
		var inv mat.Dense
		if err := inv.Inverse(inn); err != nil {
			return fmt.Errorf("ml: nuisance block of the Fisher information is singular: %w", err)
		}
		var m mat.Dense
		m.Mul(ipn, &inv)
		for a := range poi {
			for b, j := range nuis {
				prof.Set(a, j, prof.At(a, j)-m.At(a, b))
			}
		}
	}
	e.ProfileMatrix, e.ProjectMatrix = prof, proj
	return nil
}

// Score writes the estimated score at the rows of x (n×observables) into
// dst and returns it; dst may be nil or empty, then it is allocated. With
// Keep the result has NParameters columns, with Profile and Project as
// many as parameters of interest.
func (e *ScoreEstimator) Score(dst *mat.Dense, x mat.Matrix, mode NuisanceMode) (*mat.Dense, error) {
	if e.Net == nil {
		return nil, fmt.Errorf("ml: score estimator is not trained")
	}
	if mode == Auto {
		mode = e.NuisanceModeDefault
		if mode == Auto {
			mode = Keep
		}
	}
	var m *mat.Dense
	switch mode {
	case Keep:
	case Profile:
		m = e.ProfileMatrix
	case Project:
		m = e.ProjectMatrix
	default:
		return nil, fmt.Errorf("ml: unknown nuisance mode %q", string(mode))
	}
	if mode != Keep && m == nil {
		return nil, fmt.Errorf("ml: nuisance mode %s needs SetNuisance first", mode)
	}
	n, c := x.Dims()
	if c != e.NObservables {
		return nil, fmt.Errorf("ml: x has %d columns, want %d", c, e.NObservables)
	}
	feat, err := resolveFeatures(e.Features, c)
	if err != nil {
		return nil, err
	}
	np := e.NParameters
	nout := np
	if m != nil {
		nout, _ = m.Dims()
	}
	if dst == nil {
		dst = &mat.Dense{}
	}
	if err := reuseAs("dst", dst, n, nout); err != nil {
		return nil, err
	}
	nin := len(feat)
	var tp Tape
	buf := make([]float64, evalBatch*nin)
	for lo := 0; lo < n; lo += evalBatch {
		b := min(evalBatch, n-lo)
		for r := 0; r < b; r++ {
			putX(buf[r*nin:(r+1)*nin], x, lo+r, e.XScaling, feat)
		}
		tp.Infer(e.Net, buf[:b*nin], b, nil, 0, nil)
		out := tp.Output()
		for r := 0; r < b; r++ {
			t := out[r*np : (r+1)*np]
			if m == nil {
				for j, v := range t {
					dst.Set(lo+r, j, v)
				}
				continue
			}
			for a := 0; a < nout; a++ {
				s := 0.0
				for j, v := range t {
					s += m.At(a, j) * v
				}
				dst.Set(lo+r, a, s)
			}
		}
	}
	return dst, nil
}

// FisherInformation returns nEvents · Σ_i w_i t̂_i t̂_iᵀ / Σ_i w_i over the
// rows of x (w nil: equal weights), with the score in nuisance mode Keep,
// as MadMiner's calculate_fisher_information.
func (e *ScoreEstimator) FisherInformation(x mat.Matrix, w []float64, nEvents float64) (*mat.SymDense, error) {
	t, err := e.Score(nil, x, Keep)
	if err != nil {
		return nil, err
	}
	return fisherFromScores(t, w, nEvents)
}

func fisherFromScores(t *mat.Dense, w []float64, nEvents float64) (*mat.SymDense, error) {
	n, np := t.Dims()
	if w != nil && len(w) != n {
		return nil, fmt.Errorf("ml: %d weights for %d events", len(w), n)
	}
	sw := 0.0
	for i := 0; i < n; i++ {
		if w == nil {
			sw++
		} else {
			sw += w[i]
		}
	}
	if sw == 0 {
		return nil, fmt.Errorf("ml: weights sum to zero")
	}
	f := mat.NewSymDense(np, nil)
	for i := 0; i < n; i++ {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		for a := 0; a < np; a++ {
			for b := a; b < np; b++ {
				f.SetSym(a, b, f.At(a, b)+wi*t.At(i, a)*t.At(i, b))
			}
		}
	}
	f.ScaleSym(nEvents/sw, f)
	return f, nil
}
