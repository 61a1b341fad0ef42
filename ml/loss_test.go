// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/internal/logistic"
)

var ratioMethods = []Method{CARL, ROLR, ALICE, CASCAL, RASCAL, ALICES}

// toyData returns a random training set with n rows, nobs observables
// and np parameters, with half of the labels 1 and joint ratios spread
// over many orders of magnitude (including beyond the ROLR clamp).
func toyData(rnd *rand.Rand, n, nobs, np int) Data {
	d := Data{
		X: mat.NewDense(n, nobs, randSlice(rnd, n*nobs, 2)), Theta: mat.NewDense(n, np, randSlice(rnd, n*np, 1)),
		Theta1: mat.NewDense(n, np, randSlice(rnd, n*np, 1)), TXZ: mat.NewDense(n, np, randSlice(rnd, n*np, 1)),
		TXZ1: mat.NewDense(n, np, randSlice(rnd, n*np, 1)), Y: make([]float64, n), RXZ: make([]float64, n),
	}
	for i := 0; i < n; i++ {
		d.Y[i] = float64(i % 2)
		d.RXZ[i] = math.Exp(3 * rnd.NormFloat64())
	}
	d.RXZ[0] = math.Exp(12) // beyond the clamp
	return d
}

// checkObjective compares the gradient of the weighted total loss of o
// with central finite differences, splitting the rows over two evaluator
// calls as the trainer does, and returns the loss terms.
func checkObjective(t *testing.T, o objective, rows []int) []float64 {
	t.Helper()
	return checkObjectivePrec(t, o, rows, Float64)
}

// checkObjectivePrec is checkObjective for an objective built with
// precision prec, with that precision's step and tolerance (gradTol).
func checkObjectivePrec(t *testing.T, o objective, rows []int, prec Precision) []float64 {
	t.Helper()
	tol := gradTol[prec]
	lab, w := o.labels(), o.weights()
	p := o.params()
	ev := o.newEvaluator()
	n := len(rows)
	h := n / 2
	loss := func(grad []float64) ([]float64, float64) {
		terms := make([]float64, len(lab))
		ev.eval(rows[:h], n, terms, grad)
		ev.eval(rows[h:], n, terms, grad)
		tot := 0.0
		for j, v := range terms {
			tot += w[j] * v
		}
		return terms, tot
	}
	grad := make([]float64, len(p))
	terms, _ := loss(grad)
	step := 1e-6
	if prec == Float32 {
		step = tol.h
	}
	fd := centralDiff(p, step, func() float64 { _, l := loss(nil); return l })
	if mo, ok := o.(interface{ paramMask() []float64 }); ok {
		// Masked connections do not exist: their weights stay zero and
		// their gradients are zeroed.
		for i, m := range mo.paramMask() {
			if m == 0 {
				fd[i] = 0
			}
		}
	}
	// Beside the relative tolerance, allow the rounding noise of the
	// differences, a few ε·|L|/h (negligible in float64).
	_, total := loss(nil)
	noise := 4 * roundoff(prec) * math.Abs(total) / step
	scale, worst, at := 0.0, 0.0, -1
	for i := range fd {
		scale = math.Max(scale, math.Abs(fd[i]))
		if d := math.Abs(grad[i] - fd[i]); d > worst || math.IsNaN(d) {
			worst, at = d, i
		}
	}
	if worst > tol.fd*scale+noise || math.IsNaN(worst) {
		t.Errorf("gradient: error %g at parameter %d (analytic %g, fd %g), allowed %g·%g + %g", worst, at, grad[at], fd[at], tol.fd, scale, noise)
	}
	if prec != Float64 {
		// The same objective's gradient in float64.
		set := func(p Precision) {
			switch o := o.(type) {
			case *scoreObjective:
				o.prec = p
			case *ratioObjective:
				o.prec = p
			case *doubleObjective:
				o.prec = p
			default:
				t.Fatalf("%T has no precision", o)
			}
		}
		set(Float64)
		ev64 := o.newEvaluator()
		set(prec)
		g64 := make([]float64, len(p))
		tm := make([]float64, len(lab))
		ev64.eval(rows[:h], n, tm, g64)
		ev64.eval(rows[h:], n, tm, g64)
		if e, at := relErr(grad, g64); e > tol.vs64 {
			t.Errorf("gradient: %s differs from float64 by %g at %d", prec, e, at)
		}
	}
	return terms
}

func roundoff(p Precision) float64 {
	if p == Float32 {
		return 0x1p-24
	}
	return 0x1p-53
}

var precisions = []Precision{Float64, Float32}

func TestScoreLossGradient(t *testing.T) {
	for _, prec := range precisions {
		t.Run(string(prec), func(t *testing.T) { testScoreLossGradient(t, prec) })
	}
}

func testScoreLossGradient(t *testing.T, prec Precision) {
	rnd := rand.New(rand.NewPCG(3, 4))
	d := toyData(rnd, 9, 3, 2)
	e := &ScoreEstimator{Hidden: []int{5, 4}}
	o, err := e.newObjective(SALLY, d.X, d.TXZ, (&Settings{Seed: 1, Precision: prec}).WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	rows := []int{0, 3, 2, 8, 5, 1, 7}
	terms := checkObjectivePrec(t, o, rows, prec)
	// independent evaluation: mean squared error over rows and components
	out := &mat.Dense{}
	if _, err := e.Score(out, d.X, Keep); err != nil {
		t.Fatal(err)
	}
	want := 0.0
	for _, i := range rows {
		for j := 0; j < 2; j++ {
			want += math.Pow(out.At(i, j)-d.TXZ.At(i, j), 2)
		}
	}
	want /= float64(2 * len(rows))
	if math.Abs(terms[0]-want) > literalTol[prec]*want {
		t.Errorf("mse_score = %g, want %g", terms[0], want)
	}
}

// literalRatioTerms evaluates MadMiner's loss formulas literally from
// log r̂ and t̂ (in standardised θ units), as a check of the per-sample
// kernels.
func literalRatioTerms(m Method, l []float64, th [][]float64, d Data, tsc []float64, rows []int) []float64 {
	n := float64(len(rows))
	var base, score float64
	for r, i := range rows {
		y := d.Y[i]
		switch m {
		case CARL, CASCAL, ALICE, ALICES:
			s := 1 / (1 + math.Exp(l[r]))
			target := y
			if m == ALICE || m == ALICES {
				target = 1 / (1 + d.RXZ[i])
			}
			base += -(target*math.Log(s) + (1-target)*math.Log(1-s)) / n
		case ROLR, RASCAL:
			rc := math.Min(math.Max(d.RXZ[i], math.Exp(-10)), math.Exp(10))
			lc := math.Min(math.Max(l[r], -10), 10)
			base += (math.Pow((1-y)*math.Exp(-lc)-(1-y)/rc, 2) + math.Pow(y*math.Exp(lc)-y*rc, 2)) / n
		}
		if m == CASCAL || m == RASCAL || m == ALICES {
			for k := range th[r] {
				score += math.Pow((1-y)*th[r][k]-(1-y)*d.TXZ.At(i, k)*tsc[k], 2) / (n * float64(len(th[r])))
			}
		}
	}
	if m == CASCAL || m == RASCAL || m == ALICES {
		return []float64{base, score}
	}
	return []float64{base}
}

// literalTol is the relative tolerance of a training loss against the
// same loss evaluated literally from the (float64) evaluation API.
var literalTol = map[Precision]float64{Float64: 1e-10, Float32: 1e-5}

func TestRatioLossGradients(t *testing.T) {
	for _, prec := range precisions {
		for _, act := range allActs {
			for _, m := range ratioMethods {
				t.Run(fmt.Sprintf("%s/%s/%s", prec, m, act), func(t *testing.T) { testRatioLossGradients(t, prec, act, m) })
			}
		}
	}
}

func testRatioLossGradients(t *testing.T, prec Precision, act Activation, m Method) {
	rnd := rand.New(rand.NewPCG(5, 6))
	d := toyData(rnd, 10, 3, 2)
	e := &ParameterizedRatioEstimator{Hidden: []int{6, 5}, Activation: act}
	o, err := e.newObjective(m, d, (&Settings{Seed: 2, Alpha: 0.7, Precision: prec}).WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	rows := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	terms := checkObjectivePrec(t, o, rows, prec)

	// Literal loss from the public evaluation API.
	logR := make([]float64, len(rows))
	sc := &mat.Dense{}
	if _, err := e.LogRatio(logR, sc, d.X, d.Theta); err != nil {
		t.Fatal(err)
	}
	th := make([][]float64, len(rows))
	for r := range rows {
		th[r] = []float64{sc.At(r, 0) * e.ThetaScaling.Std[0], sc.At(r, 1) * e.ThetaScaling.Std[1]}
	}
	want := literalRatioTerms(m, logR, th, d, e.ThetaScaling.Std, rows)
	for j := range want {
		if math.Abs(terms[j]-want[j]) > literalTol[prec]*math.Abs(want[j]) {
			t.Errorf("term %s = %.15g, literal formula %.15g", o.labels()[j], terms[j], want[j])
		}
	}
}

func TestDoubleRatioLossGradients(t *testing.T) {
	for _, prec := range precisions {
		for _, act := range []Activation{Softplus, Tanh} {
			for _, m := range ratioMethods {
				t.Run(fmt.Sprintf("%s/%s/%s", prec, m, act), func(t *testing.T) {
					rnd := rand.New(rand.NewPCG(7, 8))
					d := toyData(rnd, 10, 3, 2)
					e := &DoubleParameterizedRatioEstimator{Hidden: []int{6, 5}, Activation: act}
					o, err := e.newObjective(m, d, (&Settings{Seed: 3, Alpha: 1.3, Precision: prec}).WithDefaults())
					if err != nil {
						t.Fatal(err)
					}
					checkObjectivePrec(t, o, []int{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, prec)
				})
			}
		}
	}
}

// TestRatioScoresFD checks t̂ = ∂ log r̂/∂θ of both ratio estimators
// (in θ units, through the θ standardisation) against finite differences
// of log r̂, and the antisymmetry of the doubly parameterised ratio.
func TestRatioScoresFD(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 10))
	d := toyData(rnd, 6, 3, 2)
	s := &Settings{Seed: 4, Epochs: 1, ValidationSplit: -1}
	single := &ParameterizedRatioEstimator{Hidden: []int{7}}
	if _, err := single.Train(ALICES, d, s); err != nil {
		t.Fatal(err)
	}
	double := &DoubleParameterizedRatioEstimator{Hidden: []int{7}}
	if _, err := double.Train(ALICES, d, s); err != nil {
		t.Fatal(err)
	}
	const h = 1e-6
	sc := &mat.Dense{}
	if _, err := single.LogRatio(nil, sc, d.X, d.Theta); err != nil {
		t.Fatal(err)
	}
	t0, t1 := &mat.Dense{}, &mat.Dense{}
	lr, err := double.LogRatio(nil, t0, t1, d.X, d.Theta, d.Theta1)
	if err != nil {
		t.Fatal(err)
	}
	swapped, err := double.LogRatio(nil, nil, nil, d.X, d.Theta1, d.Theta)
	if err != nil {
		t.Fatal(err)
	}
	for i := range lr {
		if math.Abs(lr[i]+swapped[i]) > 1e-14 {
			t.Errorf("row %d: log r̂(θ0,θ1) = %g but log r̂(θ1,θ0) = %g", i, lr[i], swapped[i])
		}
	}
	for k := 0; k < 2; k++ {
		shift := func(m *mat.Dense, eps float64) *mat.Dense {
			c := mat.DenseCopyOf(m)
			for i := 0; i < c.RawMatrix().Rows; i++ {
				c.Set(i, k, c.At(i, k)+eps)
			}
			return c
		}
		lp, _ := single.LogRatio(nil, nil, d.X, shift(d.Theta, h))
		lm, _ := single.LogRatio(nil, nil, d.X, shift(d.Theta, -h))
		for i := range lp {
			fd := (lp[i] - lm[i]) / (2 * h)
			if math.Abs(fd-sc.At(i, k)) > 1e-7*math.Max(1, math.Abs(fd)) {
				t.Errorf("single: row %d θ%d: t̂ %g, fd %g", i, k, sc.At(i, k), fd)
			}
		}
		for which, tt := range []*mat.Dense{t0, t1} {
			a0, a1, b0, b1 := d.Theta, d.Theta1, d.Theta, d.Theta1
			if which == 0 {
				a0, b0 = shift(d.Theta, h), shift(d.Theta, -h)
			} else {
				a1, b1 = shift(d.Theta1, h), shift(d.Theta1, -h)
			}
			lp, _ := double.LogRatio(nil, nil, nil, d.X, a0, a1)
			lm, _ := double.LogRatio(nil, nil, nil, d.X, b0, b1)
			for i := range lp {
				fd := (lp[i] - lm[i]) / (2 * h)
				if math.Abs(fd-tt.At(i, k)) > 1e-7*math.Max(1, math.Abs(fd)) {
					t.Errorf("double: row %d ∂/∂θ%d_%d: t̂ %g, fd %g", i, which, k, tt.At(i, k), fd)
				}
			}
		}
	}
}

func TestParseMethod(t *testing.T) {
	for _, s := range []string{"sally", "SALLINO", " carl", "rolr", "alice", "cascal", "rascal", "Alices", "nde", "scandal"} {
		m, err := ParseMethod(s)
		if err != nil {
			t.Errorf("%q: %v", s, err)
		}
		if m.Kind() == "" {
			t.Errorf("%q: no kind", s)
		}
	}
	if _, err := ParseMethod("carl2"); err == nil {
		t.Error("carl2 accepted")
	}
	if SALLY.Kind() != "score" || ALICES.Kind() != "parameterized_ratio" || SCANDAL.Kind() != "likelihood" {
		t.Error("wrong kinds")
	}
}

// TestSoftplusPair checks that the shared-exponential form gives the bits
// of softplus and sigmoid at ±l, with torch's clamp of the log terms at 100.
func TestSoftplusPair(t *testing.T) {
	for _, l := range []float64{0, math.Copysign(0, -1), 1e-300, -1e-300, 0.3, -0.3, 5, -5, 36.7, -36.7, 99.9, 100.1, -100.1, 700, -700, math.Inf(1), math.Inf(-1)} {
		a, da, c, dc := softplusPair(l)
		wa, wda, wc, wdc := logistic.Softplus(l), logistic.Sigmoid(l), logistic.Softplus(-l), logistic.Sigmoid(-l)
		if wa > bceLogClamp {
			wa, wda = bceLogClamp, 0
		}
		if wc > bceLogClamp {
			wc, wdc = bceLogClamp, 0
		}
		got, want := []float64{a, da, c, dc}, []float64{wa, wda, wc, wdc}
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Errorf("l=%g: %v, want %v", l, got, want)
				break
			}
		}
	}
}
