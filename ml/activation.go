// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"math"

	"github.com/goldmine-hep/goldmine/internal/logistic"
)

// Activation names the element-wise non-linearity applied after every
// hidden layer. The zero value means Tanh.
type Activation string

// Activations understood by the network. Sigmoid is the logistic function
// 1/(1+e^−z) (MadMiner maps "sigmoid" to ReLU; we do not). LReLU has the
// PyTorch default negative slope 0.01 and ELU the PyTorch default α = 1.
const (
	Tanh     Activation = "tanh"
	ReLU     Activation = "relu"
	Sigmoid  Activation = "sigmoid"
	Softplus Activation = "softplus"
	ELU      Activation = "elu"
	LReLU    Activation = "lrelu"
)

const lreluSlope = 0.01

func (a Activation) orDefault() Activation {
	if a == "" {
		return Tanh
	}
	return a
}

func (a Activation) valid() error {
	switch a.orDefault() {
	case Tanh, ReLU, Sigmoid, Softplus, ELU, LReLU:
		return nil
	}
	return fmt.Errorf("ml: unknown activation %q (want tanh, relu, sigmoid, softplus, elu or lrelu)", string(a))
}

// eval returns f(z) and its first and second derivatives.
func (a Activation) eval(z float64) (f, d1, d2 float64) {
	switch a {
	case Tanh, "":
		f = math.Tanh(z)
		d1 = 1 - f*f
		return f, d1, -2 * f * d1
	case ReLU:
		if z > 0 {
			return z, 1, 0
		}
		return 0, 0, 0
	case Sigmoid:
		s := logistic.Sigmoid(z)
		d1 = s * (1 - s)
		return s, d1, d1 * (1 - 2*s)
	case Softplus:
		s := logistic.Sigmoid(z)
		return logistic.Softplus(z), s, s * (1 - s)
	case ELU:
		if z > 0 {
			return z, 1, 0
		}
		e := math.Exp(z)
		return e - 1, e, e
	case LReLU:
		if z > 0 {
			return z, 1, 0
		}
		return lreluSlope * z, lreluSlope, 0
	}
	panic("ml: unknown activation " + string(a))
}
