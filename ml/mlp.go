// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas"
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
// The zero value is ready to use; buffers grow as needed and are reused.
type Tape struct {
	net    *MLP
	b, k   int
	tanIdx []int
	a      [][]float64 // a[l]: input of layer l (B×Sizes[l]); a[L] = output
	ad     [][]float64 // tangents of a[l] ((K·B)×Sizes[l])
	zd     [][]float64 // tangents of pre-activations of hidden layers
	d1, d2 [][]float64 // σ'(z), σ''(z) of hidden layers
	// backward buffers
	g, gd   [2][]float64
	gz, gzd []float64
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
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
	L := net.NumLayers()
	if tanIn == nil {
		k = len(tanIdx)
	}
	t.net, t.b, t.k, t.tanIdx = net, b, k, tanIdx
	if tanIn != nil {
		t.tanIdx = nil
	}
	if len(t.a) != L+1 {
		t.a = make([][]float64, L+1)
		t.ad = make([][]float64, L+1)
		t.zd = make([][]float64, L+1)
		t.d1 = make([][]float64, L+1)
		t.d2 = make([][]float64, L+1)
	}
	t.a[0] = x
	t.ad[0] = tanIn
	act := net.Act
	for l := 0; l < L; l++ {
		nin, nout := net.Sizes[l], net.Sizes[l+1]
		w, bias := net.layer(l)
		z := grow(t.a[l+1], b*nout)
		t.a[l+1] = z
		for i := 0; i < b; i++ {
			copy(z[i*nout:(i+1)*nout], bias)
		}
		dgemm(blas.NoTrans, blas.Trans, b, nout, nin, 1, t.a[l], nin, w, nin, 1, z, nout)
		var zd []float64
		if k > 0 {
			zd = grow(t.zd[l+1], k*b*nout)
			t.zd[l+1] = zd
			if l == 0 && tanIn == nil {
				for j, c := range tanIdx {
					row := zd[j*b*nout : j*b*nout+nout]
					for o := 0; o < nout; o++ {
						row[o] = w[o*nin+c]
					}
					for i := 1; i < b; i++ {
						copy(zd[(j*b+i)*nout:(j*b+i+1)*nout], row)
					}
				}
			} else {
				dgemm(blas.NoTrans, blas.Trans, k*b, nout, nin, 1, t.ad[l], nin, w, nin, 0, zd, nout)
			}
		}
		if l == L-1 {
			t.ad[l+1] = zd
			break
		}
		d1 := grow(t.d1[l+1], b*nout)
		d2 := grow(t.d2[l+1], b*nout)
		t.d1[l+1], t.d2[l+1] = d1, d2
		act.apply(z, d1, d2)
		if k > 0 {
			ad := grow(t.ad[l+1], k*b*nout)
			t.ad[l+1] = ad
			for j := 0; j < k; j++ {
				blk := j * b * nout
				for i, v := range d1 {
					ad[blk+i] = v * zd[blk+i]
				}
			}
		}
	}
}

// Output returns the b×Sizes[last] outputs of the last Forward (shared).
func (t *Tape) Output() []float64 { return t.a[len(t.a)-1] }

// Tangent returns the (k·b)×Sizes[last] output tangents (shared):
// row j·b+i holds ∂y_i/∂(direction j).
func (t *Tape) Tangent() []float64 { return t.ad[len(t.ad)-1] }

// Backward runs the reverse pass for a scalar loss L whose gradients with
// respect to the outputs (gy, b×Sizes[last]) and output tangents (gyd,
// (k·b)×Sizes[last], or nil) are given, and adds ∂L/∂Params to grad.
// If gx (b×Sizes[0]) is not nil it receives ∂L/∂x, and if gxd
// ((k·b)×Sizes[0]) is not nil it receives ∂L/∂(input tangents); both are
// overwritten. gy and gyd are not modified.
func (t *Tape) Backward(grad, gy, gyd, gx, gxd []float64) {
	net := t.net
	L := net.NumLayers()
	b, k := t.b, t.k
	if gyd == nil {
		k = 0
	}
	g, gd := gy, gyd
	for l := L - 1; l >= 0; l-- {
		nin, nout := net.Sizes[l], net.Sizes[l+1]
		w, _ := net.layer(l)
		dw, db := net.layerOf(grad, l)
		gz, gzd := g, gd
		if l < L-1 {
			d1, d2 := t.d1[l+1], t.d2[l+1]
			t.gz = grow(t.gz, b*nout)
			gz = t.gz
			for i := range gz {
				gz[i] = g[i] * d1[i]
			}
			if k > 0 {
				zd := t.zd[l+1]
				t.gzd = grow(t.gzd, k*b*nout)
				gzd = t.gzd
				for j := 0; j < k; j++ {
					blk := j * b * nout
					for i := range gz {
						gz[i] += gd[blk+i] * d2[i] * zd[blk+i]
						gzd[blk+i] = gd[blk+i] * d1[i]
					}
				}
			}
		}
		dgemm(blas.Trans, blas.NoTrans, nout, nin, b, 1, gz, nout, t.a[l], nin, 1, dw, nin)
		for i := 0; i < b; i++ {
			row := gz[i*nout : (i+1)*nout]
			for o, v := range row {
				db[o] += v
			}
		}
		if k > 0 {
			if l == 0 && t.tanIdx != nil {
				for j, c := range t.tanIdx {
					for i := 0; i < b; i++ {
						row := gzd[(j*b+i)*nout : (j*b+i+1)*nout]
						for o, v := range row {
							dw[o*nin+c] += v
						}
					}
				}
			} else {
				dgemm(blas.Trans, blas.NoTrans, nout, nin, k*b, 1, gzd, nout, t.ad[l], nin, 1, dw, nin)
			}
		}
		if l == 0 {
			if gx != nil {
				dgemm(blas.NoTrans, blas.NoTrans, b, nin, nout, 1, gz, nout, w, nin, 0, gx, nin)
			}
			if gxd != nil {
				if k > 0 {
					dgemm(blas.NoTrans, blas.NoTrans, k*b, nin, nout, 1, gzd, nout, w, nin, 0, gxd, nin)
				} else {
					for i := range gxd {
						gxd[i] = 0
					}
				}
			}
			break
		}
		// gradients with respect to the layer input a[l]
		s := l % 2
		t.g[s] = grow(t.g[s], b*nin)
		ng := t.g[s]
		dgemm(blas.NoTrans, blas.NoTrans, b, nin, nout, 1, gz, nout, w, nin, 0, ng, nin)
		g = ng
		if k > 0 {
			t.gd[s] = grow(t.gd[s], k*b*nin)
			ngd := t.gd[s]
			dgemm(blas.NoTrans, blas.NoTrans, k*b, nin, nout, 1, gzd, nout, w, nin, 0, ngd, nin)
			gd = ngd
		}
	}
	if net.Mask != nil {
		for i, m := range net.Mask {
			if m == 0 {
				grad[i] = 0
			}
		}
	}
}
