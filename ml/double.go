// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// DoubleParameterizedRatioEstimator is MadMiner's
// DoubleParameterizedRatioEstimator: log r̂(x|θ0,θ1) = f(θ0,θ1,x) −
// f(θ1,θ0,x) with one network f, antisymmetric by construction, and
// scores t̂0 = ∂ log r̂/∂θ0 and t̂1 = ∂ log r̂/∂θ1 from the tangents.
//
// Deliberate differences from MadMiner:
//   - θ is standardised in evaluation as in training (MadMiner forgets it
//     in evaluation).
//   - The score term on the y = 1 samples compares ∂ log r̂/∂θ1 with
//     −t(x,z|θ1): since log r = log p(x|θ0) − log p(x|θ1), its θ1
//     gradient is minus the score at θ1. MadMiner regresses it on
//     +t(x,z|θ1), which trains the wrong sign.
type DoubleParameterizedRatioEstimator struct {
	// Features selects the observables fed to the network; nil means all.
	Features []int
	// Hidden lists the hidden-layer widths; nil means (100,).
	Hidden []int
	// Activation; "" means Tanh.
	Activation Activation

	// Set by Train or Load.
	Trained
	ThetaScaling Scaling // fitted on θ0 and θ1 together, as MadMiner
	Net          *MLP
}

// Train trains with a ratio method on d.X, d.Theta (θ0), d.Theta1, d.Y,
// and as needed d.RXZ and d.TXZ, d.TXZ1 (scores at θ0 and θ1). The loss
// terms are those of ParameterizedRatioEstimator.Train; the score term is
// mean[(1−y)(t̂0 − t(x,z|θ0))²] + mean[y(t̂1 + t(x,z|θ1))²] (MadMiner's
// "…2" methods, with the sign of the second term corrected).
func (e *DoubleParameterizedRatioEstimator) Train(method Method, d Data, s *Settings) (*History, error) {
	return e.fit(d, s, func(d Data, set Settings) (objective, error) { return e.newObjective(method, d, set) })
}

func (e *DoubleParameterizedRatioEstimator) newObjective(method Method, d Data, set Settings) (*doubleObjective, error) {
	loss, sh, err := e.checkRatioTraining(method, d, e.Activation, e.Features, true, e.Net != nil)
	if err != nil {
		return nil, err
	}
	e.record(method, sh)
	n, np, feat := sh.n, sh.nParams, sh.feat
	nin := 2*np + len(feat)
	if e.Net == nil {
		if e.XScaling, e.ThetaScaling, e.Net, err = newRatioNet(d, set, true, nin, e.Hidden, e.Activation); err != nil {
			return nil, err
		}
	}
	o := &doubleObjective{ratioParts: newRatioParts(e.Net, n, nin, np, set, loss, d)}
	for i := 0; i < n; i++ {
		row := o.in[i*nin : (i+1)*nin]
		putTheta(row[:np], d.Theta, i, e.ThetaScaling)
		putTheta(row[np:2*np], d.Theta1, i, e.ThetaScaling)
		putX(row[2*np:], d.X, i, e.XScaling, feat)
	}
	if loss.score {
		o.t0 = scaledScores(d.TXZ, e.ThetaScaling)
		o.t1 = scaledScores(d.TXZ1, e.ThetaScaling)
	}
	return o, nil
}

type doubleObjective struct {
	ratioParts // input rows (θ̃0, θ̃1, x̃)
	t0, t1     []float64
}

func (o *doubleObjective) newEvaluator() evaluator {
	ev := &doubleEval{o: o}
	ev.ta.Precision, ev.tb.Precision = o.prec, o.prec
	if o.score {
		ev.idx = firstN(2 * o.np)
	}
	return ev
}

type doubleEval struct {
	o              *doubleObjective
	idx            []int
	ta, tb         Tape
	xa, xb         []float64
	gya, gyb       []float64
	gyda, gydb     []float64
	logR, t0h, t1h []float64
}

// forward evaluates log r̂ and, with idx set, the scores t̂0, t̂1
// (direction-major, np×b) for the b rows held in ev.xa and ev.xb; keep
// prepares the reverse pass.
func (ev *doubleEval) forward(b int, keep bool) {
	np := ev.o.np
	ev.ta.run(ev.o.net, ev.xa[:b*ev.o.nin], b, nil, 0, ev.idx, keep)
	ev.tb.run(ev.o.net, ev.xb[:b*ev.o.nin], b, nil, 0, ev.idx, keep)
	fa, fb := ev.ta.Output(), ev.tb.Output()
	ev.logR = grow(ev.logR, b)
	for r := 0; r < b; r++ {
		ev.logR[r] = fa[r] - fb[r]
	}
	if ev.idx == nil {
		return
	}
	ta, tb := ev.ta.Tangent(), ev.tb.Tangent()
	ev.t0h = grow(ev.t0h, np*b)
	ev.t1h = grow(ev.t1h, np*b)
	for k := 0; k < np; k++ {
		for r := 0; r < b; r++ {
			ev.t0h[k*b+r] = ta[k*b+r] - tb[(np+k)*b+r]
			ev.t1h[k*b+r] = ta[(np+k)*b+r] - tb[k*b+r]
		}
	}
}

// swapRow writes (θ̃1, θ̃0, x̃) for the input row (θ̃0, θ̃1, x̃).
func swapRow(dst, src []float64, np int) {
	copy(dst[:np], src[np:2*np])
	copy(dst[np:2*np], src[:np])
	copy(dst[2*np:], src[2*np:])
}

func (ev *doubleEval) tapes() []*Tape { return []*Tape{&ev.ta, &ev.tb} }

func (ev *doubleEval) eval(rows []int, n int, terms, grad []float64) {
	o := ev.o
	b := len(rows)
	if b == 0 {
		return
	}
	nin, np := o.nin, o.np
	ev.xa = gatherRows(ev.xa, o.in, rows, nin)
	ev.xb = grow(ev.xb, b*nin)
	for r := range rows {
		swapRow(ev.xb[r*nin:(r+1)*nin], ev.xa[r*nin:(r+1)*nin], np)
	}
	ev.forward(b, grad != nil)
	ev.gya = grow(ev.gya, b)
	ev.gyb = grow(ev.gyb, b)
	for r, i := range rows {
		v, dl := o.baseTerm(ev.logR[r], i, n)
		terms[0] += v
		ev.gya[r] = dl
		ev.gyb[r] = -dl
	}
	var gyda, gydb []float64
	if o.score {
		ev.gyda = grow(ev.gyda, 2*np*b)
		ev.gydb = grow(ev.gydb, 2*np*b)
		gyda, gydb = ev.gyda, ev.gydb
		norm := 1 / float64(n*np)
		for r, i := range rows {
			y := o.y[i]
			m0 := (1 - y) * (1 - y)
			m1 := y * y
			for k := 0; k < np; k++ {
				d0 := ev.t0h[k*b+r] - o.t0[i*np+k]
				d1 := ev.t1h[k*b+r] + o.t1[i*np+k] // ∂ log r/∂θ1 = −t(x|θ1)
				terms[1] += (m0*d0*d0 + m1*d1*d1) * norm
				g0 := o.alpha * 2 * m0 * d0 * norm
				g1 := o.alpha * 2 * m1 * d1 * norm
				gyda[k*b+r] = g0
				gydb[(np+k)*b+r] = -g0
				gyda[(np+k)*b+r] = g1
				gydb[k*b+r] = -g1
			}
		}
	}
	if grad != nil {
		ev.ta.Backward(grad, ev.gya, gyda, nil, nil)
		ev.tb.Backward(grad, ev.gyb, gydb, nil, nil)
	}
}

// LogRatio evaluates log r̂(x_i|θ0_i, θ1_i) for the paired rows of x,
// theta0 and theta1 into logR (nil: allocated) and, if t0 and t1 are not
// nil, the scores ∂ log r̂/∂θ0 and ∂ log r̂/∂θ1 (n×parameters; empty:
// sized). Both θ are standardised as in training.
func (e *DoubleParameterizedRatioEstimator) LogRatio(logR []float64, t0, t1 *mat.Dense, x, theta0, theta1 mat.Matrix) ([]float64, error) {
	if e.Net == nil {
		return nil, fmt.Errorf("ml: ratio estimator is not trained")
	}
	np := e.NParameters
	n, err := checkInputs(x, e.NObservables, np, theta0, theta1)
	if err != nil {
		return nil, err
	}
	if logR, err = output("logR", logR, n); err != nil {
		return nil, err
	}
	withScore := t0 != nil && t1 != nil
	if withScore {
		for _, t := range []*mat.Dense{t0, t1} {
			if err := reuseAs("score", t, n, np); err != nil {
				return nil, err
			}
		}
	}
	feat, err := resolveFeatures(e.Features, e.NObservables)
	if err != nil {
		return nil, err
	}
	nin := 2*np + len(feat)
	ev := &doubleEval{o: &doubleObjective{ratioParts: ratioParts{net: e.Net, nin: nin, np: np}}}
	if withScore {
		ev.idx = firstN(2 * np)
	}
	ev.xa = make([]float64, evalBatch*nin)
	ev.xb = make([]float64, evalBatch*nin)
	for lo := 0; lo < n; lo += evalBatch {
		b := min(evalBatch, n-lo)
		for r := 0; r < b; r++ {
			row := ev.xa[r*nin : (r+1)*nin]
			putTheta(row[:np], theta0, lo+r, e.ThetaScaling)
			putTheta(row[np:2*np], theta1, lo+r, e.ThetaScaling)
			putX(row[2*np:], x, lo+r, e.XScaling, feat)
			swapRow(ev.xb[r*nin:(r+1)*nin], row, np)
		}
		ev.forward(b, false)
		copy(logR[lo:lo+b], ev.logR[:b])
		if withScore {
			unscaleScores(t0, lo, b, ev.t0h, e.ThetaScaling)
			unscaleScores(t1, lo, b, ev.t1h, e.ThetaScaling)
		}
	}
	return logR, nil
}
