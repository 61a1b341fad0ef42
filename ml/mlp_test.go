// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/mat"
)

var allActs = []Activation{Tanh, ReLU, Sigmoid, Softplus, ELU, LReLU}

// relErr returns max_i |a_i−b_i| / max(‖b‖_∞, tiny): the largest
// component error relative to the size of the gradient.
func relErr(a, b []float64) (float64, int) {
	scale := 0.0
	for _, v := range b {
		scale = math.Max(scale, math.Abs(v))
	}
	if scale == 0 {
		scale = 1
	}
	worst, at := 0.0, -1
	for i := range a {
		if e := math.Abs(a[i]-b[i]) / scale; e > worst || math.IsNaN(e) {
			worst, at = e, i
		}
	}
	return worst, at
}

// centralDiff returns the central finite-difference gradient of f at p.
func centralDiff(p []float64, h float64, f func() float64) []float64 {
	g := make([]float64, len(p))
	for i := range p {
		old := p[i]
		p[i] = old + h
		fp := f()
		p[i] = old - h
		fm := f()
		p[i] = old
		g[i] = (fp - fm) / (2 * h)
	}
	return g
}

func randSlice(rnd *rand.Rand, n int, s float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = s * rnd.NormFloat64()
	}
	return v
}

// mlpLoss is a test loss mixing outputs and tangents non-linearly:
// L = Σ c·y + ½Σ y² + Σ e·ẏ + ½Σ ẏ² + Σ y_i·ẏ_{ki}.
func mlpLoss(y, yd []float64, c, e []float64, b, k, nout int) (l float64, gy, gyd []float64) {
	gy = make([]float64, len(y))
	gyd = make([]float64, len(yd))
	for i, v := range y {
		l += c[i]*v + 0.5*v*v
		gy[i] = c[i] + v
	}
	for i, v := range yd {
		l += e[i]*v + 0.5*v*v
		gyd[i] = e[i] + v
	}
	for j := 0; j < k; j++ {
		for i := 0; i < b*nout; i++ {
			l += y[i] * yd[j*b*nout+i]
			gy[i] += yd[j*b*nout+i]
			gyd[j*b*nout+i] += y[i]
		}
	}
	return l, gy, gyd
}

// Tolerances of the gradient checks per precision, relative to the
// largest gradient component (relErr): central differences with step h
// have a truncation error O(h²) and a rounding error O(ε·|L|/h). In
// float64 (ε = 1.1e−16, h = 1e−5) both are below 1e−8; the analytic
// gradient must match within 1e−6 (observed ≤ 1.2e−9). In float32
// (ε = 6e−8, h = 1e−3: truncation ≈ 1e−6, rounding ≈ 1e−4) it must match
// within 2e−3 (observed ≤ 2.3e−4), and the float32 analytic gradient
// must match the float64 one within 1e−4 (observed ≤ 1.5e−6).
var gradTol = map[Precision]struct{ h, fd, vs64 float64 }{
	Float64: {h: 1e-5, fd: 1e-6},
	Float32: {h: 1e-3, fd: 2e-3, vs64: 1e-4},
}

// TestMLPGradients checks ∂L/∂params, ∂L/∂x, ∂L/∂ẋ and the tangents of
// the tape against central finite differences, for every activation,
// kernel set and precision, with tangents along input columns, general
// input tangents and none.
func TestMLPGradients(t *testing.T) {
	for _, ks := range kernelSets() {
		for _, prec := range []Precision{Float64, Float32} {
			for _, act := range allActs {
				for _, tc := range []struct {
					sizes  []int
					tanIdx []int
					genTan bool
				}{
					{sizes: []int{3, 4}, tanIdx: []int{0}},
					{sizes: []int{4, 5, 2}, tanIdx: []int{0, 2}},
					{sizes: []int{5, 6, 4, 3}, tanIdx: []int{1, 0}},
					{sizes: []int{4, 5, 3, 2}, genTan: true},
					{sizes: []int{4, 5, 2}},
					{sizes: []int{9, 11, 10, 1}, tanIdx: []int{0, 1}},
				} {
					name := fmt.Sprintf("%s/%s/%s/%v/tan=%v/gen=%v", ks.name, prec, act, tc.sizes, tc.tanIdx, tc.genTan)
					t.Run(name, func(t *testing.T) { checkTape(t, ks, prec, act, tc.sizes, tc.tanIdx, tc.genTan) })
				}
			}
		}
	}
}

func checkTape(t *testing.T, ks *kernels, prec Precision, act Activation, sizes, tanIdx []int, genTan bool) {
	tol := gradTol[prec]
	rnd := rand.New(rand.NewPCG(1, uint64(len(sizes))))
	net, err := NewMLP(sizes, act, rand.NewPCG(7, 8))
	if err != nil {
		t.Fatal(err)
	}
	// Spread the weights so that all activations see both signs.
	for i := range net.Params {
		net.Params[i] = rnd.NormFloat64()
	}
	const b = 5
	nin, nout := sizes[0], sizes[len(sizes)-1]
	x := randSlice(rnd, b*nin, 1)
	k := len(tanIdx)
	var tanIn []float64
	if genTan {
		k = 2
		tanIn = randSlice(rnd, k*b*nin, 1)
	}
	c := randSlice(rnd, b*nout, 1)
	e := randSlice(rnd, k*b*nout, 1)
	tp := Tape{Precision: prec, ks: ks}
	loss := func() float64 {
		tp.Forward(net, x, b, tanIn, k, tanIdx)
		l, _, _ := mlpLoss(tp.Output(), tp.Tangent(), c, e, b, k, nout)
		return l
	}
	grads := func(tp *Tape) (grad, gx, gxd []float64) {
		tp.Forward(net, x, b, tanIn, k, tanIdx)
		_, gy, gyd := mlpLoss(tp.Output(), tp.Tangent(), c, e, b, k, nout)
		if k == 0 {
			gyd = nil
		}
		grad = make([]float64, net.NumParams())
		gx = make([]float64, b*nin)
		if tanIn != nil {
			gxd = make([]float64, k*b*nin)
		}
		tp.Backward(grad, gy, gyd, gx, gxd)
		return grad, gx, gxd
	}
	grad, gx, gxd := grads(&tp)
	if e, at := relErr(grad, centralDiff(net.Params, tol.h, loss)); e > tol.fd {
		t.Errorf("∂L/∂params: relative error %g at %d", e, at)
	}
	if e, at := relErr(gx, centralDiff(x, tol.h, loss)); e > tol.fd {
		t.Errorf("∂L/∂x: relative error %g at %d", e, at)
	}
	if tanIn != nil {
		if e, at := relErr(gxd, centralDiff(tanIn, tol.h, loss)); e > tol.fd {
			t.Errorf("∂L/∂ẋ: relative error %g at %d", e, at)
		}
	}
	if prec != Float64 {
		g64, gx64, gxd64 := grads(&Tape{ks: ks})
		for _, c := range []struct {
			what      string
			got, want []float64
		}{{"∂L/∂params", grad, g64}, {"∂L/∂x", gx, gx64}, {"∂L/∂ẋ", gxd, gxd64}} {
			if e, at := relErr(c.got, c.want); e > tol.vs64 {
				t.Errorf("%s: %s differs from float64 by %g at %d", c.what, prec, e, at)
			}
		}
	}
	// The tangent itself against finite differences of the output along
	// each direction.
	tp.Forward(net, x, b, tanIn, k, tanIdx)
	tan := append([]float64(nil), tp.Tangent()...)
	for j := 0; j < k; j++ {
		dir := make([]float64, b*nin)
		if tanIn != nil {
			copy(dir, tanIn[j*b*nin:(j+1)*b*nin])
		} else {
			for i := 0; i < b; i++ {
				dir[i*nin+tanIdx[j]] = 1
			}
		}
		xp := make([]float64, len(x))
		xm := make([]float64, len(x))
		for i := range x {
			xp[i] = x[i] + tol.h*dir[i]
			xm[i] = x[i] - tol.h*dir[i]
		}
		tq := Tape{Precision: prec, ks: ks}
		tq.Infer(net, xp, b, nil, 0, nil)
		yp := append([]float64(nil), tq.Output()...)
		tq.Infer(net, xm, b, nil, 0, nil)
		fd := make([]float64, b*nout)
		for i := range fd {
			fd[i] = (yp[i] - tq.Output()[i]) / (2 * tol.h)
		}
		if e, at := relErr(tan[j*b*nout:(j+1)*b*nout], fd); e > tol.fd {
			t.Errorf("tangent %d: relative error %g at %d", j, e, at)
		}
	}
	// Infer gives the outputs of Forward bit for bit.
	tp.Forward(net, x, b, tanIn, k, tanIdx)
	out := append([]float64(nil), tp.Output()...)
	tp.Infer(net, x, b, tanIn, k, tanIdx)
	sameBits(t, "Infer vs Forward", tp.Output(), out)
}

func TestActivationDerivatives(t *testing.T) {
	for _, act := range allActs {
		for _, z := range []float64{-3.1, -0.7, -0.05, 0.05, 0.4, 2.5} {
			const h = 1e-6
			f, d1, d2 := act.eval(z)
			fp, d1p, _ := act.eval(z + h)
			fm, d1m, _ := act.eval(z - h)
			if e := math.Abs((fp-fm)/(2*h) - d1); e > 1e-8 {
				t.Errorf("%s at %g: f' error %g", act, z, e)
			}
			if e := math.Abs((d1p-d1m)/(2*h) - d2); e > 1e-7 {
				t.Errorf("%s at %g: f'' error %g", act, z, e)
			}
			_ = f
		}
	}
	if f, _, _ := Sigmoid.eval(0); f != 0.5 {
		t.Errorf("sigmoid(0) = %g, want 0.5 (a real sigmoid, not MadMiner's ReLU)", f)
	}
}

// TestMLPForwardNaive compares the batched forward pass with a naive
// per-row evaluation of y = W₂σ(W₁σ(W₀x + b₀) + b₁) + b₂.
func TestMLPForwardNaive(t *testing.T) {
	for _, act := range allActs {
		net, err := NewMLP([]int{4, 6, 5, 3}, act, rand.NewPCG(5, 6))
		if err != nil {
			t.Fatal(err)
		}
		rnd := rand.New(rand.NewPCG(1, 1))
		x := mat.NewDense(7, 4, randSlice(rnd, 28, 1.5))
		var got mat.Dense
		net.Forward(&got, x)
		for i := 0; i < 7; i++ {
			v := x.RawRowView(i)
			for l := 0; l < net.NumLayers(); l++ {
				w, b := net.Layer(l)
				next := make([]float64, len(b))
				for o := range next {
					s := b[o]
					for k, xk := range v {
						s += w.At(o, k) * xk
					}
					if l < net.NumLayers()-1 {
						s, _, _ = act.eval(s)
					}
					next[o] = s
				}
				v = next
			}
			for o, want := range v {
				if d := math.Abs(got.At(i, o) - want); d > 1e-14*math.Max(1, math.Abs(want)) {
					t.Errorf("%s row %d output %d: got %g, want %g", act, i, o, got.At(i, o), want)
				}
			}
		}
	}
}

// TestTiledGemm compares the tiled Dgemm with gonum's for all transpose
// combinations and sizes that need tiling.
func TestTiledGemm(t *testing.T) {
	rnd := rand.New(rand.NewPCG(2, 3))
	for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
		for _, tB := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			for _, sz := range [][3]int{{5, 7, 3}, {130, 70, 9}, {64, 400, 5}, {200, 300, 17}} {
				m, n, k := sz[0], sz[1], sz[2]
				a := randSlice(rnd, m*k, 1)
				b := randSlice(rnd, k*n, 1)
				lda, ldb := k, n
				if tA == blas.Trans {
					lda = m
				}
				if tB == blas.Trans {
					ldb = k
				}
				c0 := randSlice(rnd, m*n, 1)
				c1 := append([]float64(nil), c0...)
				impl.Dgemm(tA, tB, m, n, k, 0.7, a, lda, b, ldb, 0.3, c0, n)
				dgemm(tA, tB, m, n, k, 0.7, a, lda, b, ldb, 0.3, c1, n)
				for i := range c0 {
					if math.Float64bits(c0[i]) != math.Float64bits(c1[i]) && math.Abs(c0[i]-c1[i]) > 1e-13*math.Max(1, math.Abs(c0[i])) {
						t.Fatalf("%c%c %v: element %d: %g vs %g", tA, tB, sz, i, c0[i], c1[i])
					}
				}
			}
		}
	}
}
