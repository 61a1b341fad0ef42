// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package simulators

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats/scalar"
)

// TestDualFD checks every Dual operation against central finite
// differences of its float64 value, in two parameters (a = f(θ0, θ1),
// b = g(θ0, θ1) so that both gradients are non-trivial).
func TestDualFD(t *testing.T) {
	a := func(th []Dual) Dual { return th[0].MulScalar(0.7).Add(th[1].MulScalar(0.2)).AddScalar(0.9) }
	b := func(th []Dual) Dual { return th[1].Sub(th[0].MulScalar(0.3)).AddScalar(1.4) }
	ops := map[string]func(th []Dual) Dual{
		"add":        func(th []Dual) Dual { return a(th).Add(b(th)) },
		"sub":        func(th []Dual) Dual { return a(th).Sub(b(th)) },
		"mul":        func(th []Dual) Dual { return a(th).Mul(b(th)) },
		"div":        func(th []Dual) Dual { return a(th).Div(b(th)) },
		"neg":        func(th []Dual) Dual { return a(th).Neg() },
		"addscalar":  func(th []Dual) Dual { return a(th).AddScalar(3) },
		"mulscalar":  func(th []Dual) Dual { return a(th).MulScalar(-2.5) },
		"exp":        func(th []Dual) Dual { return Exp(a(th)) },
		"log":        func(th []Dual) Dual { return Log(a(th)) },
		"log1p":      func(th []Dual) Dual { return Log1p(a(th)) },
		"sqrt":       func(th []Dual) Dual { return Sqrt(a(th)) },
		"square":     func(th []Dual) Dual { return Square(a(th)) },
		"powscalar":  func(th []Dual) Dual { return PowScalar(a(th), 2.7) },
		"pow":        func(th []Dual) Dual { return Pow(a(th), b(th)) },
		"powconst":   func(th []Dual) Dual { return Pow(a(th), Const(-1.3)) },
		"sin":        func(th []Dual) Dual { return Sin(a(th)) },
		"cos":        func(th []Dual) Dual { return Cos(a(th)) },
		"tanh":       func(th []Dual) Dual { return Tanh(a(th)) },
		"sigmoid":    func(th []Dual) Dual { return Sigmoid(a(th).MulScalar(-3)) },
		"logsigmoid": func(th []Dual) Dual { return LogSigmoid(a(th).MulScalar(-3)) },
		"softplus":   func(th []Dual) Dual { return Softplus(a(th).MulScalar(2)) },
		"abs":        func(th []Dual) Dual { return Abs(b(th).AddScalar(-3)) },
		"max":        func(th []Dual) Dual { return Max(a(th), b(th)) },
		"min":        func(th []Dual) Dual { return Min(a(th), b(th)) },
		"sum":        func(th []Dual) Dual { return Sum(a(th), b(th), Const(2), th[0]) },
	}
	theta := []float64{0.4, -0.2}
	for name, op := range ops {
		got := op(Params(theta))
		val := func(x []float64) float64 {
			th := []Dual{Const(x[0]), Const(x[1])}
			return op(th).V
		}
		if v := val(theta); v != got.V {
			t.Errorf("%s: value %v with gradients, %v without", name, got.V, v)
		}
		want := fd.Gradient(nil, val, theta, &fd.Settings{Formula: fd.Central, Step: 1e-6})
		if len(got.D) != 2 {
			t.Fatalf("%s: gradient %v", name, got.D)
		}
		for i := range want {
			if !scalar.EqualWithinAbsOrRel(got.D[i], want[i], 1e-7, 1e-7) {
				t.Errorf("%s: ∂/∂θ%d = %v, finite differences %v", name, i, got.D[i], want[i])
			}
		}
	}
}

func TestDualConstants(t *testing.T) {
	c := Exp(Const(1)).Mul(Const(2)).Add(Sin(Const(0.3)))
	if c.D != nil {
		t.Errorf("constant expression has gradient %v", c.D)
	}
	if want := 2*math.E + math.Sin(0.3); c.V != want {
		t.Errorf("value %v, want %v", c.V, want)
	}
	// Operands are not modified.
	p := Param(2, 0, 1)
	_ = p.MulScalar(5).Add(p)
	if p.D[0] != 1 || p.V != 2 {
		t.Errorf("operand modified: %+v", p)
	}
	// Extreme arguments stay finite.
	if v := LogSigmoid(Const(-800)).V; v != -800 {
		t.Errorf("LogSigmoid(−800) = %v", v)
	}
	if v := Softplus(Const(800)).V; v != 800 {
		t.Errorf("Softplus(800) = %v", v)
	}
}
