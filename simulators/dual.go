// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package simulators

import (
	"math"

	"github.com/goldmine-hep/goldmine/internal/logistic"
)

// Dual is a forward-mode dual number: a value V and its gradient D with
// respect to the k simulator parameters θ. A nil D means the gradient is
// zero (a constant); otherwise len(D) is k. Operations never modify their
// operands, so a Dual may be shared freely.
//
// Operations on two Duals with non-nil gradients of different lengths
// panic: that is a programming error.
type Dual struct {
	V float64
	D []float64
}

// Const returns the constant v (zero gradient).
func Const(v float64) Dual { return Dual{V: v} }

// Param returns θ_i = v as the i-th of k parameters: its gradient is the
// i-th unit vector. It panics if i is not in [0, k).
func Param(v float64, i, k int) Dual {
	if i < 0 || i >= k {
		panic("simulators: parameter index out of range")
	}
	d := make([]float64, k)
	d[i] = 1
	return Dual{V: v, D: d}
}

// Params returns the parameters theta as Duals seeded with unit gradients.
func Params(theta []float64) []Dual {
	k := len(theta)
	out := make([]Dual, k)
	for i, v := range theta {
		out[i] = Param(v, i, k)
	}
	return out
}

// lin returns the gradient ca·a + cb·b of two gradients (nil is zero).
func lin(ca float64, a []float64, cb float64, b []float64) []float64 {
	switch {
	case a == nil && b == nil:
		return nil
	case b == nil:
		return scaled(ca, a)
	case a == nil:
		return scaled(cb, b)
	}
	if len(a) != len(b) {
		panic("simulators: gradient length mismatch")
	}
	d := make([]float64, len(a))
	for i := range d {
		d[i] = ca*a[i] + cb*b[i]
	}
	return d
}

func scaled(c float64, a []float64) []float64 {
	if a == nil {
		return nil
	}
	d := make([]float64, len(a))
	for i, v := range a {
		d[i] = c * v
	}
	return d
}

// chain returns f(a) with f' = df at a.V.
func chain(a Dual, f, df float64) Dual { return Dual{V: f, D: scaled(df, a.D)} }

// Add returns a + b.
func (a Dual) Add(b Dual) Dual { return Dual{V: a.V + b.V, D: lin(1, a.D, 1, b.D)} }

// Sub returns a − b.
func (a Dual) Sub(b Dual) Dual { return Dual{V: a.V - b.V, D: lin(1, a.D, -1, b.D)} }

// Mul returns a·b.
func (a Dual) Mul(b Dual) Dual { return Dual{V: a.V * b.V, D: lin(b.V, a.D, a.V, b.D)} }

// Div returns a/b.
func (a Dual) Div(b Dual) Dual {
	q := a.V / b.V
	return Dual{V: q, D: lin(1/b.V, a.D, -q/b.V, b.D)}
}

// Neg returns −a.
func (a Dual) Neg() Dual { return chain(a, -a.V, -1) }

// AddScalar returns a + c.
func (a Dual) AddScalar(c float64) Dual { return Dual{V: a.V + c, D: a.D} }

// MulScalar returns c·a.
func (a Dual) MulScalar(c float64) Dual { return chain(a, c*a.V, c) }

// Exp returns e^a.
func Exp(a Dual) Dual {
	e := math.Exp(a.V)
	return chain(a, e, e)
}

// Log returns log a.
func Log(a Dual) Dual { return chain(a, math.Log(a.V), 1/a.V) }

// Log1p returns log(1 + a).
func Log1p(a Dual) Dual { return chain(a, math.Log1p(a.V), 1/(1+a.V)) }

// Sqrt returns √a.
func Sqrt(a Dual) Dual {
	s := math.Sqrt(a.V)
	return chain(a, s, 0.5/s)
}

// Square returns a².
func Square(a Dual) Dual { return chain(a, a.V*a.V, 2*a.V) }

// PowScalar returns a^p for a constant exponent p.
func PowScalar(a Dual, p float64) Dual {
	return chain(a, math.Pow(a.V, p), p*math.Pow(a.V, p-1))
}

// Pow returns a^b = exp(b·log a) for a > 0; with a constant b it equals
// PowScalar(a, b.V) and also accepts a ≤ 0.
func Pow(a, b Dual) Dual {
	if b.D == nil {
		return PowScalar(a, b.V)
	}
	v := math.Pow(a.V, b.V)
	return Dual{V: v, D: lin(b.V*v/a.V, a.D, v*math.Log(a.V), b.D)}
}

// Sin returns sin a.
func Sin(a Dual) Dual { return chain(a, math.Sin(a.V), math.Cos(a.V)) }

// Cos returns cos a.
func Cos(a Dual) Dual { return chain(a, math.Cos(a.V), -math.Sin(a.V)) }

// Tanh returns tanh a.
func Tanh(a Dual) Dual {
	t := math.Tanh(a.V)
	return chain(a, t, 1-t*t)
}

// Sigmoid returns 1/(1 + e^−a).
func Sigmoid(a Dual) Dual {
	s := logistic.Sigmoid(a.V)
	return chain(a, s, s*(1-s))
}

// LogSigmoid returns log(1/(1 + e^−a)), accurate for large |a|.
func LogSigmoid(a Dual) Dual {
	return chain(a, -logistic.Softplus(-a.V), 1-logistic.Sigmoid(a.V))
}

// Softplus returns log(1 + e^a), accurate for large |a|.
func Softplus(a Dual) Dual { return chain(a, logistic.Softplus(a.V), logistic.Sigmoid(a.V)) }

// Abs returns |a| (derivative sign(a), 0 at 0).
func Abs(a Dual) Dual {
	switch {
	case a.V > 0:
		return a
	case a.V < 0:
		return a.Neg()
	}
	return chain(a, 0, 0)
}

// Max returns the larger of a and b (a on ties), with its gradient.
func Max(a, b Dual) Dual {
	if b.V > a.V {
		return b
	}
	return a
}

// Min returns the smaller of a and b (a on ties), with its gradient.
func Min(a, b Dual) Dual {
	if b.V < a.V {
		return b
	}
	return a
}

// Sum returns Σ a_i.
func Sum(a ...Dual) Dual {
	var s Dual
	for _, v := range a {
		s = s.Add(v)
	}
	return s
}
