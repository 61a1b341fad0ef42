// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"
)

var impl gonum.Implementation

// MLP is a dense feed-forward network
//
//	y = L_{n−1}(σ(… σ(L_0(x)))),  L_l(v) = W_l v + b_l,
//
// with the activation σ after every hidden layer and a linear output
// layer, the layout of a chain of torch.nn.Linear layers. All weights live
// in one flat slice Params: for each layer l, W_l (Sizes[l+1]×Sizes[l],
// row-major, the torch.nn.Linear layout) followed by b_l (Sizes[l+1]).
type MLP struct {
	// Sizes holds the widths of the input, hidden and output layers.
	Sizes []int
	// Act is the hidden-layer activation; "" means Tanh.
	Act Activation
	// Params holds all weights and biases (see the type doc).
	Params []float64
	// Mask, if not nil, has the length of Params and holds 0 for
	// connections that do not exist (MADE masks) and 1 otherwise.
	// Masked parameters must be zero; their gradients are zeroed.
	Mask []float64
}

// NewMLP returns a network with the given layer widths (input, hidden...,
// output) and activation, with weights and biases drawn from
// U(−1/√n_in, 1/√n_in) like PyTorch's nn.Linear, using src.
func NewMLP(sizes []int, act Activation, src rand.Source) (*MLP, error) {
	if len(sizes) < 2 {
		return nil, fmt.Errorf("ml: network needs at least input and output sizes, got %v", sizes)
	}
	for i, n := range sizes {
		if n < 1 {
			return nil, fmt.Errorf("ml: layer %d has width %d", i, n)
		}
	}
	if err := act.valid(); err != nil {
		return nil, err
	}
	if src == nil {
		return nil, fmt.Errorf("ml: NewMLP needs a random source for the initial weights")
	}
	m := &MLP{Sizes: append([]int(nil), sizes...), Act: act.orDefault()}
	m.Params = make([]float64, m.NumParams())
	rnd := rand.New(src)
	for l := 0; l < m.NumLayers(); l++ {
		bound := 1 / math.Sqrt(float64(sizes[l]))
		w, b := m.layer(l)
		for i := range w {
			w[i] = bound * (2*rnd.Float64() - 1)
		}
		for i := range b {
			b[i] = bound * (2*rnd.Float64() - 1)
		}
	}
	return m, nil
}

// NumLayers returns the number of linear layers.
func (m *MLP) NumLayers() int { return len(m.Sizes) - 1 }

// NumParams returns the number of weights and biases.
func (m *MLP) NumParams() int {
	n := 0
	for l := 0; l < m.NumLayers(); l++ {
		n += m.Sizes[l+1] * (m.Sizes[l] + 1)
	}
	return n
}

func (m *MLP) offset(l int) int {
	off := 0
	for i := 0; i < l; i++ {
		off += m.Sizes[i+1] * (m.Sizes[i] + 1)
	}
	return off
}

// layer returns views of W_l (row-major out×in) and b_l in Params.
func (m *MLP) layer(l int) (w, b []float64) {
	return m.layerOf(m.Params, l)
}

func (m *MLP) layerOf(p []float64, l int) (w, b []float64) {
	off := m.offset(l)
	nin, nout := m.Sizes[l], m.Sizes[l+1]
	return p[off : off+nout*nin], p[off+nout*nin : off+nout*(nin+1)]
}

// Layer returns W_l as a Sizes[l+1]×Sizes[l] matrix and b_l, both sharing
// storage with Params.
func (m *MLP) Layer(l int) (w *mat.Dense, b []float64) {
	ws, bs := m.layer(l)
	return mat.NewDense(m.Sizes[l+1], m.Sizes[l], ws), bs
}

// SetLayer copies w (Sizes[l+1]×Sizes[l]) and b into layer l.
// It returns an error if the shapes do not match.
func (m *MLP) SetLayer(l int, w mat.Matrix, b []float64) error {
	if l < 0 || l >= m.NumLayers() {
		return fmt.Errorf("ml: layer %d out of range [0,%d)", l, m.NumLayers())
	}
	r, c := w.Dims()
	if r != m.Sizes[l+1] || c != m.Sizes[l] || len(b) != m.Sizes[l+1] {
		return fmt.Errorf("ml: layer %d: got weights %d×%d and %d biases, want %d×%d and %d",
			l, r, c, len(b), m.Sizes[l+1], m.Sizes[l], m.Sizes[l+1])
	}
	ws, bs := m.layer(l)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			ws[i*c+j] = w.At(i, j)
		}
	}
	copy(bs, b)
	return nil
}

// Clone returns a deep copy of m.
func (m *MLP) Clone() *MLP {
	c := &MLP{Sizes: append([]int(nil), m.Sizes...), Act: m.Act, Params: append([]float64(nil), m.Params...)}
	if m.Mask != nil {
		c.Mask = append([]float64(nil), m.Mask...)
	}
	return c
}

// Forward evaluates the network on the rows of x and writes the outputs
// into dst (resized to x.Rows×Sizes[last] if empty). It panics if x has
// the wrong number of columns.
func (m *MLP) Forward(dst *mat.Dense, x mat.Matrix) {
	n, c := x.Dims()
	if c != m.Sizes[0] {
		panic("ml: bad input width")
	}
	nout := m.Sizes[len(m.Sizes)-1]
	if dst.IsEmpty() {
		dst.ReuseAs(n, nout)
	}
	in := make([]float64, n*c)
	for i := 0; i < n; i++ {
		for j := 0; j < c; j++ {
			in[i*c+j] = x.At(i, j)
		}
	}
	var t Tape
	t.Forward(m, in, n, nil, 0, nil)
	out := t.Output()
	for i := 0; i < n; i++ {
		for j := 0; j < nout; j++ {
			dst.Set(i, j, out[i*nout+j])
		}
	}
}

// Tape holds the intermediate values of one batched forward pass of an
// MLP together with forward-mode tangents, so that Backward can run the
// reverse pass through both the primal values and the tangents.
//
// Tangents: K input directions are propagated alongside the batch. They
// are either the unit vectors of selected input columns (TanIdx, the θ
// inputs) or arbitrary input tangents. Tangent rows are stored
// direction-major: row k·B+i is direction k of batch row i.
//
// The arithmetic runs in Precision on the batch kernels of the build
// (KernelName): each layer of a batch is one matrix product per pass
// (forward, input gradient, weight gradient), followed by fused loops
// for the activation and its tangents. The API is float64 whatever the
// precision: inputs are converted, outputs and gradients returned in
// float64, and the weights are read from the float64 Params at every
// Forward.
//
// The zero value is ready to use (in float64); buffers grow as needed and
// are reused, so that repeated passes of one batch size do not allocate.
type Tape struct {
	// Precision of the arithmetic; "" means Float64.
	Precision Precision

	ks  *kernels // nil: kern (tests select others)
	p32 bool     // precision of the last Forward
	t64 tape[float64]
	t32 tape[float32]
}

// share makes the tape read the packed weights sw (a *packedWeights of
// the tape's precision) whenever it runs sw's network.
func (t *Tape) share(sw weightPacker) {
	switch sw := sw.(type) {
	case *packedWeights[float32]:
		t.t32.shared = sw
	case *packedWeights[float64]:
		t.t64.shared = sw
	}
}

func grow[F floatT](s []F, n int) []F {
	if cap(s) < n {
		return make([]F, n)
	}
	return s[:n]
}

// Forward runs the network on the b rows of x (row-major b×Sizes[0]).
// If tanIn is not nil it holds k input tangents ((k·b)×Sizes[0],
// direction-major); otherwise, if tanIdx is not nil, direction j is the
// unit vector of input column tanIdx[j] and k = len(tanIdx). x and tanIn
// are retained until the next Forward and must not be modified before
// Backward. It panics if x or tanIn are too short.
func (t *Tape) Forward(net *MLP, x []float64, b int, tanIn []float64, k int, tanIdx []int) {
	t.run(net, x, b, tanIn, k, tanIdx, true)
}

// Infer is Forward for evaluation only: it keeps nothing for Backward
// (which then panics) and so saves the derivative pass of the
// activations when there are no tangents.
func (t *Tape) Infer(net *MLP, x []float64, b int, tanIn []float64, k int, tanIdx []int) {
	t.run(net, x, b, tanIn, k, tanIdx, false)
}

func (t *Tape) run(net *MLP, x []float64, b int, tanIn []float64, k int, tanIdx []int, keep bool) {
	t.p32 = t.Precision == Float32
	if t.ks != nil {
		t.t32.ks, t.t64.ks = t.ks, t.ks
	}
	if t.p32 {
		t.t32.forward(net, x, b, tanIn, k, tanIdx, keep)
	} else {
		t.t64.forward(net, x, b, tanIn, k, tanIdx, keep)
	}
}

// Output returns the b×Sizes[last] outputs of the last Forward (shared).
func (t *Tape) Output() []float64 {
	if t.p32 {
		return t.t32.output()
	}
	return t.t64.output()
}

// Tangent returns the (k·b)×Sizes[last] output tangents (shared):
// row j·b+i holds ∂y_i/∂(direction j). It is nil without tangents.
func (t *Tape) Tangent() []float64 {
	if t.p32 {
		return t.t32.tangent()
	}
	return t.t64.tangent()
}

// Backward runs the reverse pass for a scalar loss L whose gradients with
// respect to the outputs (gy, b×Sizes[last]) and output tangents (gyd,
// (k·b)×Sizes[last], or nil) are given, and adds ∂L/∂Params to grad.
// If gx (b×Sizes[0]) is not nil it receives ∂L/∂x, and if gxd
// ((k·b)×Sizes[0]) is not nil it receives ∂L/∂(input tangents); both are
// overwritten. gy and gyd are not modified. It panics after Infer.
func (t *Tape) Backward(grad, gy, gyd, gx, gxd []float64) {
	if t.p32 {
		t.t32.backward(grad, gy, gyd, gx, gxd)
		return
	}
	t.t64.backward(grad, gy, gyd, gx, gxd)
}
