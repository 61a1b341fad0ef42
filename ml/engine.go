// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import "slices"

// tape is the batched forward and reverse pass of an MLP in precision F
// on the kernels ks, with forward-mode tangents (see Tape for the
// contract). Its buffers grow as needed and are reused; after the first
// batch of a given size it allocates nothing.
//
// Kernel layout (see kernels): a[l] holds the b rows of the input of
// layer l with row stride ld(l), Sizes[0] for the network input and the
// padded width pw[l] for every later layer; tangent rows are direction
// major (row q·b+i is direction q of row i). Weights are packed at every
// forward pass from the float64 Params (packedWeights), or shared with
// the other workers of a pool. Parameter gradients are computed as
// ∂L/∂W_lᵀ and added, transposed and in float64, to the caller's
// gradient.
type tape[F floatT] struct {
	ks      *kernels
	net     *MLP
	sizes   []int
	pw      []int
	b, k    int
	tanIdx  []int
	keep    bool              // forward kept what backward needs
	narrow  bool              // the output layer is narrow: unpadded, dot and outer kernels
	wt, w   [][]F             // those of the packed weights in use
	bias    [][]F             // (own or shared)
	own     packedWeights[F]  // the tape's own packed weights
	shared  *packedWeights[F] // packed weights of a pool's workers, if any
	x, xd   []F               // converted inputs (F = float32)
	a, ad   [][]F
	zd, d1  [][]F
	g, gd   [2][]F
	gz, gzd []F
	gy, gyd []F
	dwt, db [][]F
	gxp     []F
	out     []float64
	tan     []float64
}

func (t *tape[F]) ld(l int) int {
	if l == 0 {
		return t.sizes[0]
	}
	return t.pw[l]
}

// setup sizes the per-layer slices for net and packs its weights, or
// takes the shared ones if they are net's.
func (t *tape[F]) setup(net *MLP) {
	if t.ks == nil {
		t.ks = &kern
	}
	L := net.NumLayers()
	if len(t.a) != L+1 {
		t.a = make([][]F, L+1)
		t.ad = make([][]F, L+1)
		t.zd = make([][]F, L+1)
		t.d1 = make([][]F, L+1)
		t.dwt = make([][]F, L)
		t.db = make([][]F, L)
	}
	t.net, t.sizes = net, net.Sizes
	pk := t.shared
	if pk == nil || pk.net != net || pk.ks != t.ks {
		t.own.update(net, t.ks)
		pk = &t.own
	}
	t.pw, t.narrow = pk.pw, pk.narrow
	t.wt, t.w, t.bias = pk.wt, pk.w, pk.bias
}

// layout sets pw to the padded widths of net's layers for the kernels ks
// in precision F and reports whether the output layer is narrow.
func layout[F floatT](net *MLP, ks *kernels, pw []int) (narrow bool) {
	ln := lanes[F](ks)
	for l, n := range net.Sizes {
		pw[l] = padWidth(n, ln)
	}
	// A narrow output layer (a score or a log-ratio: at most 4 outputs, or
	// half the lanes) is not padded where the kernel set says so: its
	// products are then dot products over its inputs and outer products.
	L := net.NumLayers()
	narrow = ks.narrow && (net.Sizes[L] <= 4 || 2*net.Sizes[L] <= ln)
	if narrow {
		pw[L] = net.Sizes[L]
	}
	return narrow
}

// packedWeights holds an MLP's weights packed as a tape on the kernels
// ks reads them: wt[l] = W_lᵀ (Sizes[l]×pw[l+1]) for the forward
// products, w[l] = W_l (Sizes[l+1]×pw[l]) for the reverse ones and bias[l]
// (pw[l+1]), zero in the padding. A tape packs its own at every forward
// pass; the tapes of a pool's workers share one, which each worker's
// optimizer step repacks for the parameters it updated (pack). Every
// worker packing the whole network per batch cost more than the step
// itself, and it read the half of Params the other core had just
// written.
type packedWeights[F floatT] struct {
	net         *MLP
	ks          *kernels
	sizes       []int // net.Sizes when the buffers were made
	pw          []int
	narrow      bool
	wt, w, bias [][]F
}

func newPackedWeights[F floatT](net *MLP, ks *kernels) *packedWeights[F] {
	p := new(packedWeights[F])
	p.update(net, ks)
	return p
}

// update packs all of net's parameters, making new buffers (zero in the
// padding, which pack never writes) unless p already has net's layout.
func (p *packedWeights[F]) update(net *MLP, ks *kernels) {
	if p.ks != ks || !slices.Equal(p.sizes, net.Sizes) {
		L := net.NumLayers()
		*p = packedWeights[F]{ks: ks, sizes: slices.Clone(net.Sizes), pw: make([]int, L+1),
			wt: make([][]F, L), w: make([][]F, L), bias: make([][]F, L)}
		p.narrow = layout[F](net, ks, p.pw)
		for l := 0; l < L; l++ {
			nin, nout := net.Sizes[l], net.Sizes[l+1]
			p.wt[l] = make([]F, nin*p.pw[l+1])
			p.w[l] = make([]F, nout*p.pw[l])
			p.bias[l] = make([]F, p.pw[l+1])
		}
	}
	p.net = net
	p.pack(0, len(net.Params))
}

// pack writes Params[lo:hi] into the packed weights. It reads Params in
// order: with several workers the other core has just updated half of
// them, and a sequential read streams those lines where the column order
// of Wᵀ missed on every one.
func (p *packedWeights[F]) pack(lo, hi int) {
	net := p.net
	for l := 0; l < net.NumLayers(); l++ {
		nin, nout, P, Q := net.Sizes[l], net.Sizes[l+1], p.pw[l+1], p.pw[l]
		off := net.offset(l)
		wEnd, bEnd := off+nout*nin, off+nout*(nin+1)
		if a, b := max(lo, off), min(hi, wEnd); a < b {
			wt, w := p.wt[l], p.w[l]
			o, i := (a-off)/nin, (a-off)%nin
			for _, v := range net.Params[a:b] {
				f := F(v)
				wt[i*P+o] = f
				w[o*Q+i] = f
				if i++; i == nin {
					i, o = 0, o+1
				}
			}
		}
		if a, b := max(lo, wEnd), min(hi, bEnd); a < b {
			bias := p.bias[l][a-wEnd:]
			for j, v := range net.Params[a:b] {
				bias[j] = F(v)
			}
		}
	}
}

// convert returns x as a []F: x itself in float64, else a converted copy in *buf.
func convert[F floatT](buf *[]F, x []float64) []F {
	if v, ok := any(x).([]F); ok {
		return v
	}
	*buf = grow(*buf, len(x))
	for i, v := range x {
		(*buf)[i] = F(v)
	}
	return *buf
}

// padRows returns the rows×n matrix src with rows padded to p columns of
// zeros: src itself if it needs neither padding nor conversion, else a
// copy in *buf.
func padRows[F floatT](buf *[]F, src []float64, rows, n, p int) []F {
	if v, ok := any(src).([]F); ok && n == p {
		return v[:rows*n]
	}
	*buf = grow(*buf, rows*p)
	dst := *buf
	for r := 0; r < rows; r++ {
		row := dst[r*p : (r+1)*p]
		for j, v := range src[r*n : (r+1)*n] {
			row[j] = F(v)
		}
		clear(row[n:])
	}
	return dst
}

// compact returns the rows×n leading block of src (row stride p) as
// float64: src itself if it is that already, else a copy in *buf.
func compact[F floatT](buf *[]float64, src []F, rows, n, p int) []float64 {
	if v, ok := any(src).([]float64); ok && n == p {
		return v[:rows*n]
	}
	*buf = grow(*buf, rows*n)
	compactTo(*buf, src, rows, n, p)
	return *buf
}

func compactTo[F floatT](dst []float64, src []F, rows, n, p int) {
	for r := 0; r < rows; r++ {
		for j, v := range src[r*p : r*p+n] {
			dst[r*n+j] = float64(v)
		}
	}
}

// forward runs the network on the b rows of x; see Tape.Forward. keep
// says whether Backward may follow.
func (t *tape[F]) forward(net *MLP, x []float64, b int, tanIn []float64, k int, tanIdx []int, keep bool) {
	if tanIn == nil {
		k = len(tanIdx)
	} else {
		tanIdx = nil
	}
	t.setup(net)
	t.b, t.k, t.tanIdx, t.keep = b, k, tanIdx, keep
	t.a[0] = convert(&t.x, x[:b*t.sizes[0]])
	t.ad[0] = nil
	if tanIn != nil {
		t.ad[0] = convert(&t.xd, tanIn[:k*b*t.sizes[0]])
	}
	for l := 0; l < net.NumLayers(); l++ {
		t.product(l)
		t.activate(l, t.bias[l])
	}
}

// inferFrom runs the network for evaluation from given first-layer
// products: z0 holds the b rows (stride pw[1]) of the product of the
// input with W_0ᵀ without bias, which bias0 (pw[1]) replaces. Tangents
// are along the input columns tanIdx. The weights must be packed
// (setup) and are not read again.
func (t *tape[F]) inferFrom(z0, bias0 []F, b int, tanIdx []int) {
	t.b, t.k, t.tanIdx, t.keep = b, len(tanIdx), tanIdx, false
	P := t.pw[1]
	z := grow(t.a[1], b*P)
	copy(z, z0[:b*P])
	t.a[1] = z
	t.tangentsIn(0)
	t.activate(0, bias0)
	for l := 1; l < t.net.NumLayers(); l++ {
		t.product(l)
		t.activate(l, t.bias[l])
	}
}

// product computes the pre-activations of layer l without bias,
// z = a[l]·W_lᵀ, and their tangents.
func (t *tape[F]) product(l int) {
	nin, P, lda := t.sizes[l], t.pw[l+1], t.ld(l)
	z := grow(t.a[l+1], t.b*P)
	t.a[l+1] = z
	narrow := t.narrow && l == len(t.sizes)-2
	if narrow {
		dotsF(t.ks, z, t.a[l], lda, t.w[l], t.pw[l], nin, P)
	} else {
		gemm(t.ks, t.b, P, nin, t.a[l], lda, 1, t.wt[l], P, z, P, false)
	}
	if l == 0 && t.tanIdx != nil {
		t.tangentsIn(0)
	} else if t.k > 0 {
		zd := grow(t.zd[l+1], t.k*t.b*P)
		t.zd[l+1] = zd
		if narrow {
			dotsF(t.ks, zd, t.ad[l], lda, t.w[l], t.pw[l], nin, P)
		} else {
			gemm(t.ks, t.k*t.b, P, nin, t.ad[l], lda, 1, t.wt[l], P, zd, P, false)
		}
	}
}

// tangentsIn writes the first layer's pre-activation tangents along the
// input columns tanIdx: the columns of W_0 (rows of W_0ᵀ) for every row.
func (t *tape[F]) tangentsIn(l int) {
	if t.k == 0 {
		return
	}
	P, b := t.pw[l+1], t.b
	zd := grow(t.zd[l+1], t.k*b*P)
	t.zd[l+1] = zd
	for j, c := range t.tanIdx {
		row := t.wt[l][c*P : (c+1)*P]
		for i := 0; i < b; i++ {
			copy(zd[(j*b+i)*P:(j*b+i+1)*P], row)
		}
	}
}

// activate adds bias to the pre-activations of layer l and applies the
// activation (hidden layers) to them and their tangents.
func (t *tape[F]) activate(l int, bias []F) {
	P, b, k := t.pw[l+1], t.b, t.k
	z := t.a[l+1]
	var zd []F
	if k > 0 {
		zd = t.zd[l+1]
	}
	if l == len(t.sizes)-2 {
		for r := 0; r < b; r++ {
			row := z[r*P : (r+1)*P]
			for o, v := range bias {
				row[o] += v
			}
		}
		t.ad[l+1] = zd
		return
	}
	var d1 []F
	if t.keep || k > 0 {
		d1 = grow(t.d1[l+1], b*P)
		t.d1[l+1] = d1
	}
	actForward(t.ks, t.net.Act, z, d1, bias, P)
	if k > 0 {
		ad := grow(t.ad[l+1], k*b*P)
		t.ad[l+1] = ad
		mulBlocksF(t.ks, ad, d1, zd, k)
	}
}

func (t *tape[F]) output() []float64 {
	L := len(t.sizes) - 1
	return compact(&t.out, t.a[L], t.b, t.sizes[L], t.pw[L])
}

func (t *tape[F]) tangent() []float64 {
	L := len(t.sizes) - 1
	if t.k == 0 || t.ad[L] == nil {
		return nil
	}
	return compact(&t.tan, t.ad[L], t.k*t.b, t.sizes[L], t.pw[L])
}

// narrowGrad adds the gradient of the narrow output layer l with respect
// to W_l and b_l to gw and gb: ∂L/∂W_l = Σ_rows gz ⊗ a[l] (plus the
// tangent rows), accumulated in W_l's layout (row stride pw[l]).
func (t *tape[F]) narrowGrad(l int, gw, gb []float64, gz, gzd []F, k int) {
	nin, nout, Q, lda, b := t.sizes[l], t.sizes[l+1], t.pw[l], t.ld(l), t.b
	dw := grow(t.dwt[l], nout*Q)
	clear(dw)
	t.dwt[l] = dw
	outersF(t.ks, dw, Q, gz, t.a[l], lda, nin, nout)
	if k > 0 {
		if l == 0 && t.tanIdx != nil {
			for j, c := range t.tanIdx {
				for r := 0; r < b; r++ {
					for o, v := range gzd[(j*b+r)*nout : (j*b+r+1)*nout] {
						dw[o*Q+c] += v
					}
				}
			}
		} else {
			outersF(t.ks, dw, Q, gzd, t.ad[l], lda, nin, nout)
		}
	}
	db := grow(t.db[l], nout)
	clear(db)
	colSums(db, gz, nout)
	t.db[l] = db
	for o := 0; o < nout; o++ {
		row := gw[o*nin : (o+1)*nin]
		for i, v := range dw[o*Q : o*Q+nin] {
			row[i] += float64(v)
		}
		gb[o] += float64(db[o])
	}
}

// backward runs the reverse pass; see Tape.Backward.
func (t *tape[F]) backward(grad, gy, gyd, gx, gxd []float64) {
	if !t.keep {
		panic("ml: Backward after Infer")
	}
	net, ks, act := t.net, t.ks, t.net.Act
	L := net.NumLayers()
	b, k := t.b, t.k
	if gyd == nil {
		k = 0
	}
	g := padRows(&t.gy, gy, b, t.sizes[L], t.pw[L])
	var gd []F
	if k > 0 {
		gd = padRows(&t.gyd, gyd, k*b, t.sizes[L], t.pw[L])
	}
	for l := L - 1; l >= 0; l-- {
		nin, nout, P, lda := t.sizes[l], t.sizes[l+1], t.pw[l+1], t.ld(l)
		gz, gzd := g, gd
		if l < L-1 {
			t.gz = grow(t.gz, b*P)
			gz = t.gz
			if k > 0 {
				t.gzd = grow(t.gzd, k*b*P)
				gzd = t.gzd
			}
			actBackward(ks, act, gz, g[:b*P], t.d1[l+1], t.a[l+1], gzd, gd, t.zd[l+1], k)
		}
		gw, gb := net.layerOf(grad, l)
		if t.narrow && l == L-1 {
			t.narrowGrad(l, gw, gb, gz, gzd, k)
		} else {
			dwt := grow(t.dwt[l], nin*P)
			t.dwt[l] = dwt
			gemm(ks, nin, P, b, t.a[l], 1, lda, gz, P, dwt, P, false)
			if k > 0 {
				if l == 0 && t.tanIdx != nil {
					for j, c := range t.tanIdx {
						colSumsF(ks, dwt[c*P:(c+1)*P], gzd[j*b*P:(j+1)*b*P], P)
					}
				} else {
					gemm(ks, nin, P, k*b, t.ad[l], 1, lda, gzd, P, dwt, P, true)
				}
			}
			db := grow(t.db[l], P)
			clear(db)
			colSumsF(ks, db, gz, P)
			t.db[l] = db
			for o := 0; o < nout; o++ {
				row := gw[o*nin : (o+1)*nin]
				for i := range row {
					row[i] += float64(dwt[i*P+o])
				}
				gb[o] += float64(db[o])
			}
		}
		if l == 0 {
			Q := t.pw[0]
			if gx != nil {
				t.gxp = grow(t.gxp, b*Q)
				gemm(ks, b, Q, nout, gz, P, 1, t.w[0], Q, t.gxp, Q, false)
				compactTo(gx, t.gxp, b, nin, Q)
			}
			if gxd != nil {
				if k > 0 {
					t.gxp = grow(t.gxp, k*b*Q)
					gemm(ks, k*b, Q, nout, gzd, P, 1, t.w[0], Q, t.gxp, Q, false)
					compactTo(gxd, t.gxp, k*b, nin, Q)
				} else {
					clear(gxd)
				}
			}
			break
		}
		// gradients with respect to the layer input a[l]
		Q, s := t.pw[l], l%2
		ng := grow(t.g[s], b*Q)
		t.g[s] = ng
		gemm(ks, b, Q, nout, gz, P, 1, t.w[l], Q, ng, Q, false)
		g = ng
		if k > 0 {
			ngd := grow(t.gd[s], k*b*Q)
			t.gd[s] = ngd
			gemm(ks, k*b, Q, nout, gzd, P, 1, t.w[l], Q, ngd, Q, false)
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
