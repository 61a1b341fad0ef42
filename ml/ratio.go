// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// ParameterizedRatioEstimator is MadMiner's ParameterizedRatioEstimator
// (CARL, ROLR, ALICE, CASCAL, RASCAL, ALICES): a network
// (θ, x) → log r̂(x|θ, θ_ref) with the reference hypothesis θ1 = θ_ref
// fixed and not an input. Its score t̂(x|θ) = ∂ log r̂/∂θ comes from the
// forward-mode tangent of the network.
//
// The network input is the concatenation (θ̃, x̃) of standardised
// parameters and features, as MadMiner's DenseSingleParameterizedRatioModel.
type ParameterizedRatioEstimator struct {
	// Features selects the observables fed to the network; nil means all.
	Features []int
	// Hidden lists the hidden-layer widths; nil means (100,).
	Hidden []int
	// Activation; "" means Tanh.
	Activation Activation

	// Set by Train or Load.
	Trained
	ThetaScaling Scaling
	Net          *MLP
}

// Train trains the estimator with a ratio method on d.X, d.Theta (θ0),
// d.Y, and, as the method needs them, d.RXZ (ROLR, ALICE, RASCAL, ALICES)
// and d.TXZ (CASCAL, RASCAL, ALICES), and returns the loss history.
//
// The losses are MadMiner's: CARL BCE(ŝ, y) with ŝ = 1/(1+r̂); ALICE
// BCE(ŝ, 1/(1+r)); ROLR mean[(1−y)(1/r̂ − 1/r)²] + mean[y(r̂ − r)²] with
// log r̂ clamped to [−10,10] and r to [e^−10, e^10]; CASCAL, RASCAL and
// ALICES add α·mean[(1−y)(t̂ − t(x,z|θ0))²] (the score term on the y = 0
// samples, averaged over all samples and components). With parameter
// scaling (default) the score term is computed in standardised θ units,
// t̃ = σ_θ·t, as MadMiner does.
func (e *ParameterizedRatioEstimator) Train(method Method, d Data, s *Settings) (*History, error) {
	return e.fit(d, s, func(d Data, set Settings) (objective, error) { return e.newObjective(method, d, set) })
}

func (e *ParameterizedRatioEstimator) newObjective(method Method, d Data, set Settings) (*ratioObjective, error) {
	loss, sh, err := e.checkRatioTraining(method, d, e.Activation, e.Features, false, e.Net != nil)
	if err != nil {
		return nil, err
	}
	e.record(method, sh)
	n, np, feat := sh.n, sh.nParams, sh.feat
	nin := np + len(feat)
	if e.Net == nil {
		if e.XScaling, e.ThetaScaling, e.Net, err = newRatioNet(d, set, false, nin, e.Hidden, e.Activation); err != nil {
			return nil, err
		}
	}
	o := &ratioObjective{ratioParts: newRatioParts(e.Net, n, nin, np, set, loss, d)}
	for i := 0; i < n; i++ {
		putTheta(o.in[i*nin:i*nin+np], d.Theta, i, e.ThetaScaling)
		putX(o.in[i*nin+np:(i+1)*nin], d.X, i, e.XScaling, feat)
	}
	if loss.score {
		o.t = scaledScores(d.TXZ, e.ThetaScaling)
	}
	return o, nil
}

type ratioObjective struct {
	ratioParts
	t []float64
}

func (o *ratioObjective) newEvaluator() evaluator {
	ev := &ratioEval{o: o}
	ev.tape.Precision = o.prec
	if o.score {
		ev.idx = firstN(o.np)
	}
	return ev
}

type ratioEval struct {
	o       *ratioObjective
	idx     []int
	tape    Tape
	x       []float64
	gy, gyd []float64
}

func (ev *ratioEval) tapes() []*Tape { return []*Tape{&ev.tape} }

func (ev *ratioEval) eval(rows []int, n int, terms, grad []float64) {
	o := ev.o
	b := len(rows)
	if b == 0 {
		return
	}
	ev.x = gatherRows(ev.x, o.in, rows, o.nin)
	ev.tape.run(o.net, ev.x, b, nil, 0, ev.idx, grad != nil)
	out := ev.tape.Output()
	ev.gy = grow(ev.gy, b)
	for r, i := range rows {
		v, dl := o.baseTerm(out[r], i, n)
		terms[0] += v
		ev.gy[r] = dl
	}
	var gyd []float64
	if o.score {
		tan := ev.tape.Tangent()
		ev.gyd = grow(ev.gyd, o.np*b)
		gyd = ev.gyd
		norm := 1 / float64(n*o.np)
		for r, i := range rows {
			m := 1 - o.y[i]
			m *= m
			for k := 0; k < o.np; k++ {
				d := tan[k*b+r] - o.t[i*o.np+k]
				terms[1] += m * d * d * norm
				gyd[k*b+r] = o.alpha * 2 * m * d * norm
			}
		}
	}
	if grad != nil {
		ev.tape.Backward(grad, ev.gy, gyd, nil, nil)
	}
}

// LogRatio evaluates log r̂(x_i|θ_i, θ_ref) for the paired rows of x
// (n×observables) and theta (n×parameters) into logR (length n; nil:
// allocated) and, if score is not nil, t̂(x_i|θ_i) into score (n×parameters;
// empty: sized). It returns logR.
func (e *ParameterizedRatioEstimator) LogRatio(logR []float64, score *mat.Dense, x, theta mat.Matrix) ([]float64, error) {
	if e.Net == nil {
		return nil, fmt.Errorf("ml: ratio estimator is not trained")
	}
	n, err := checkInputs(x, e.NObservables, e.NParameters, theta)
	if err != nil {
		return nil, err
	}
	if logR, err = output("logR", logR, n); err != nil {
		return nil, err
	}
	np := e.NParameters
	if err := reuseAs("score", score, n, np); err != nil {
		return nil, err
	}
	feat, err := resolveFeatures(e.Features, e.NObservables)
	if err != nil {
		return nil, err
	}
	nin := np + len(feat)
	var idx []int
	if score != nil {
		idx = firstN(np)
	}
	var tp Tape
	buf := make([]float64, evalBatch*nin)
	for lo := 0; lo < n; lo += evalBatch {
		b := min(evalBatch, n-lo)
		for r := 0; r < b; r++ {
			putTheta(buf[r*nin:r*nin+np], theta, lo+r, e.ThetaScaling)
			putX(buf[r*nin+np:(r+1)*nin], x, lo+r, e.XScaling, feat)
		}
		tp.Infer(e.Net, buf[:b*nin], b, nil, 0, idx)
		copy(logR[lo:lo+b], tp.Output())
		if score != nil {
			unscaleScores(score, lo, b, tp.Tangent(), e.ThetaScaling)
		}
	}
	return logR, nil
}

// LogRatioGrid evaluates log r̂(x_j|θ_i, θ_ref) for every parameter point
// (row i of thetas) and every observation (row j of x), as MadMiner's
// test_all_combinations. It returns an n_θ×n_x matrix and, if withScore,
// one n_x×parameters score matrix per parameter point. The observations
// are standardised and multiplied into the first layer once per block of
// events for all points (see LogRatioGridRows).
func (e *ParameterizedRatioEstimator) LogRatioGrid(x, thetas mat.Matrix, withScore bool) (*mat.Dense, []*mat.Dense, error) {
	if e.Net == nil {
		return nil, nil, fmt.Errorf("ml: ratio estimator is not trained")
	}
	nt, c := thetas.Dims()
	if c != e.NParameters {
		return nil, nil, fmt.Errorf("ml: thetas have %d columns, want %d", c, e.NParameters)
	}
	nx, cx := x.Dims()
	if cx != e.NObservables {
		return nil, nil, fmt.Errorf("ml: x has %d columns, want %d", cx, e.NObservables)
	}
	g, err := e.newGrid(thetas, withScore)
	if err != nil {
		return nil, nil, err
	}
	out := mat.NewDense(nt, nx, nil)
	var scores []*mat.Dense
	if withScore {
		scores = make([]*mat.Dense, nt)
		for i := range scores {
			scores[i] = mat.NewDense(nx, e.NParameters, nil)
		}
	}
	np := e.NParameters
	for lo := 0; lo < nx; lo += evalBatch {
		b := min(evalBatch, nx-lo)
		err := g.block(x, lo, b, func(i int, v, sc []float64) error {
			copy(out.RawRowView(i)[lo:lo+b], v)
			if withScore {
				copy(scores[i].RawMatrix().Data[lo*np:(lo+b)*np], sc)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return out, scores, nil
}

// Score writes t̂(x_i|θ_i) = ∂ log r̂/∂θ for the paired rows of x and theta
// into dst (nil or empty: allocated) and returns it.
func (e *ParameterizedRatioEstimator) Score(dst *mat.Dense, x, theta mat.Matrix) (*mat.Dense, error) {
	if dst == nil {
		dst = &mat.Dense{}
	}
	if _, err := e.LogRatio(nil, dst, x, theta); err != nil {
		return nil, err
	}
	return dst, nil
}

// FisherInformation returns nEvents·Σ_i w_i t̂_i t̂_iᵀ/Σ_i w_i with
// t̂_i = t̂(x_i|θ) at the parameter point theta (w nil: equal weights), as
// MadMiner's calculate_fisher_information; x must be a sample from θ.
func (e *ParameterizedRatioEstimator) FisherInformation(x mat.Matrix, theta []float64, w []float64, nEvents float64) (*mat.SymDense, error) {
	return fisherAt(e.NParameters, x, theta, w, nEvents, func(th *mat.Dense) (*mat.Dense, error) { return e.Score(nil, x, th) })
}
