// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// kernelSets returns the kernel sets of this build and CPU: the pure ones
// and, built with GOEXPERIMENT=simd, the AVX2 and AVX-512 ones the CPU has.
func kernelSets() []*kernels { return availableKernels() }

// runKernelTests runs the float64 and float32 instances of a kernel test
// for every kernel set, as subtests "set/float64" and "set/float32".
func runKernelTests(t *testing.T, f64, f32 func(*testing.T, *kernels)) {
	for _, ks := range kernelSets() {
		t.Run(ks.name+"/float64", func(t *testing.T) { f64(t, ks) })
		t.Run(ks.name+"/float32", func(t *testing.T) { f32(t, ks) })
	}
}

// runActKernelTests runs the float64 and float32 instances of an
// activation kernel test for every kernel set and activation, as
// subtests "set/activation/float64" and "set/activation/float32".
func runActKernelTests(t *testing.T, f64, f32 func(*testing.T, *kernels, Activation)) {
	for _, ks := range kernelSets() {
		for _, act := range allActs {
			name := fmt.Sprintf("%s/%s/", ks.name, act)
			t.Run(name+"float64", func(t *testing.T) { f64(t, ks, act) })
			t.Run(name+"float32", func(t *testing.T) { f32(t, ks, act) })
		}
	}
}

// eps returns the unit roundoff of F.
func eps[F floatT]() float64 {
	var z F
	if _, ok := any(z).(float32); ok {
		return 0x1p-24
	}
	return 0x1p-53
}

// TestGemmKernels compares every kernel set's product with a float64
// triple loop, within the standard error bound 2k·ε·Σ_p|a_ip b_pj|, for
// both layouts of A, overwrite and accumulate, and tails in every
// dimension; entries of C beyond the n columns must stay untouched.
func TestGemmKernels(t *testing.T) { runKernelTests(t, testGemm[float64], testGemm[float32]) }

func testGemm[F floatT](t *testing.T, ks *kernels) {
	rnd := rand.New(rand.NewPCG(11, 12))
	ln := lanes[F](ks)
	for _, m := range []int{1, 3, 4, 5, 6, 8, 9, 12, 50, 64} {
		for _, k := range []int{1, 2, 7, 50} {
			for _, nv := range []int{1, 2, 3, 7} {
				for _, trans := range []bool{false, true} {
					for _, acc := range []bool{false, true} {
						n := nv * ln
						ldb, ldc := n+ln, n+ln
						sa, sp := k+1, 1
						if trans {
							sa, sp = 1, m+2
						}
						a := make([]F, max((m-1)*sa+(k-1)*sp+1, 1))
						for i := range a {
							a[i] = F(rnd.NormFloat64())
						}
						b := make([]F, k*ldb)
						for i := range b {
							b[i] = F(rnd.NormFloat64())
						}
						c := make([]F, m*ldc)
						for i := range c {
							c[i] = F(rnd.NormFloat64())
						}
						c0 := append([]F(nil), c...)
						gemm(ks, m, n, k, a, sa, sp, b, ldb, c, ldc, acc)
						name := fmt.Sprintf("m=%d k=%d n=%d trans=%v acc=%v", m, k, n, trans, acc)
						for i := 0; i < m; i++ {
							for j := 0; j < ldc; j++ {
								got := float64(c[i*ldc+j])
								if j >= n {
									if got != float64(c0[i*ldc+j]) {
										t.Fatalf("%s: C[%d,%d] beyond n written", name, i, j)
									}
									continue
								}
								c0ij := 0.0
								if acc {
									c0ij = float64(c0[i*ldc+j])
								}
								want, abs := refSum(c0ij, k, func(p int) float64 { return float64(a[i*sa+p*sp]) * float64(b[p*ldb+j]) })
								if d := math.Abs(got - want); d > 2*float64(k+1)*eps[F]()*abs {
									t.Fatalf("%s: C[%d,%d] = %g, want %g (error %g, bound %g)", name, i, j, got, want, d, 2*float64(k+1)*eps[F]()*abs)
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestGemmShortOperands checks that every kernel set refuses, with a
// panic, a product whose A, B or C is shorter than its dimensions and
// strides say (the SIMD kernels address them through pointers).
func TestGemmShortOperands(t *testing.T) {
	const m, n, k = 7, 16, 5
	for _, ks := range kernelSets() {
		for _, short := range []string{"A", "B", "C"} {
			a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
			switch short {
			case "A":
				a = a[:len(a)-1]
			case "B":
				b = b[:len(b)-1]
			case "C":
				c = c[:len(c)-1]
			}
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%s: gemm with a short %s did not panic", ks.name, short)
					}
				}()
				ks.gemm32(m, n, k, a, k, 1, b, n, c, n, false)
			}()
		}
	}
}

// refSum returns c + Σ_{p<k} term(p) in float64 and |c| + Σ_p |term(p)|,
// the scale of the error bound 2(k+1)·ε·abs of the sum in precision ε.
func refSum(c float64, k int, term func(p int) float64) (sum, abs float64) {
	sum, abs = c, math.Abs(c)
	for p := 0; p < k; p++ {
		v := term(p)
		sum += v
		abs += math.Abs(v)
	}
	return sum, abs
}

// TestActivationKernels checks each kernel set's activation passes
// against math within 4 ulp of the precision (8·2^−p relative) for f and
// 8 ulp for f′, for values across the range including both saturated
// tails (where f′ keeps its relative accuracy).
func TestActivationKernels(t *testing.T) {
	runActKernelTests(t, testActKernel[float64], testActKernel[float32])
}

func testActKernel[F floatT](t *testing.T, ks *kernels, act Activation) {
	ln := lanes[F](ks)
	width := 3 * ln
	rows := 2001/width + 1
	z := make([]F, rows*width)
	bias := make([]F, width)
	for j := range bias {
		bias[j] = F(0.01 * float64(j))
	}
	for i := range z {
		x := -25 + 50*float64(i)/float64(len(z)-1) // [−25, 25]
		if i%5 == 0 {
			x /= 1000 // and small values
		}
		z[i] = F(x)
	}
	in := append([]F(nil), z...)
	d1 := make([]F, len(z))
	actForward(ks, act, z, d1, bias, width)
	z2 := append([]F(nil), in...)
	actForward(ks, act, z2, nil, bias, width) // without derivatives: same values
	tol := 8 * eps[F]()
	for i, v := range in {
		x := float64(v + bias[i%width]) // the argument as the kernel forms it
		f, g, _ := refAct(act, x)
		if z2[i] != z[i] {
			t.Fatalf("x=%g: f %g with derivative, %g without", x, z[i], z2[i])
		}
		if d := math.Abs(float64(z[i]) - f); d > tol*math.Max(math.Abs(f), 1e-300) && d > tol*1e-30 {
			t.Fatalf("x=%g: f = %.17g, want %.17g (%.3g ulp)", x, z[i], f, d/math.Abs(f)/eps[F]()*0.5)
		}
		if d := math.Abs(float64(d1[i]) - g); d > 2*tol*math.Abs(g) && d > 1e-300 {
			t.Fatalf("x=%g: f′ = %.17g, want %.17g", x, d1[i], g)
		}
	}
}

// refAct is act.eval with derivatives of tanh and the logistic function
// that keep their relative accuracy where the function saturates.
func refAct(act Activation, x float64) (f, d1, d2 float64) {
	f, d1, d2 = act.eval(x)
	switch act {
	case Tanh:
		e := math.Exp(-2 * math.Abs(x))
		d1 = 4 * e / ((1 + e) * (1 + e))
		d2 = -2 * f * d1
	case Sigmoid:
		e := math.Exp(-math.Abs(x))
		d1 = e / ((1 + e) * (1 + e))
		d2 = d1 * (1 - 2*f)
	}
	return f, d1, d2
}

// TestActBackwardKernels compares the reverse pass through an activation
// with its formula gz = g f′ + Σ_q ġ_q ż_q f″, ġz_q = ġ_q f′ (f″ from the
// scalar activation), for every kernel set and 0 to 3 tangents.
func TestActBackwardKernels(t *testing.T) {
	runActKernelTests(t, testActBack[float64], testActBack[float32])
}

func testActBack[F floatT](t *testing.T, ks *kernels, act Activation) {
	rnd := rand.New(rand.NewPCG(13, 14))
	n := 5 * lanes[F](ks) * 3
	for k := 0; k <= 3; k++ {
		z := make([]F, n)
		for i := range z {
			z[i] = F(2 * rnd.NormFloat64())
		}
		x := append([]F(nil), z...)
		d1 := make([]F, n)
		actForward(ks, act, z, d1, make([]F, n), n)
		g := make([]F, n)
		gd, zd := make([]F, k*n), make([]F, k*n)
		for _, s := range [][]F{g, gd, zd} {
			for i := range s {
				s[i] = F(rnd.NormFloat64())
			}
		}
		gz, gzd := make([]F, n), make([]F, k*n)
		var gdArg, zdArg, gzdArg []F
		if k > 0 {
			gdArg, zdArg, gzdArg = gd, zd, gzd
		}
		actBackward(ks, act, gz, g, d1, z, gzdArg, gdArg, zdArg, k)
		for i := 0; i < n; i++ {
			_, f1, f2 := refAct(act, float64(x[i]))
			want, abs := float64(g[i])*f1, math.Abs(float64(g[i])*f1)
			for q := 0; q < k; q++ {
				v := float64(gd[q*n+i]) * float64(zd[q*n+i]) * f2
				want += v
				abs += math.Abs(v)
				if wd := float64(gd[q*n+i]) * f1; math.Abs(float64(gzd[q*n+i])-wd) > 16*eps[F]()*math.Abs(wd)+1e-300 {
					t.Fatalf("k=%d i=%d q=%d: ġz = %g, want %g", k, i, q, gzd[q*n+i], wd)
				}
			}
			if math.Abs(float64(gz[i])-want) > 32*eps[F]()*abs+1e-300 {
				t.Fatalf("k=%d i=%d: gz = %g, want %g", k, i, gz[i], want)
			}
		}
	}
}

// TestFastMath checks the scalar exponentials and activations of
// fastmath.go against math over their whole range: tanh and the logistic
// function within 4 ulp (float64) and 4 ulp of float32.
func TestFastMath(t *testing.T) {
	var w64, w32, ws64, ws32 float64
	for i := -300000; i <= 300000; i++ {
		x := float64(i) * 1e-4 * (1 + 1e-9*float64(i%7))
		if i%3 == 0 {
			x *= 1e-3
		}
		if want := math.Tanh(x); want != 0 {
			f, _ := tanh64(x)
			w64 = math.Max(w64, math.Abs(f-want)/math.Abs(want))
			x32 := float64(float32(x))
			f32, _ := tanh32(float32(x))
			w32 = math.Max(w32, math.Abs(float64(f32)-math.Tanh(x32))/math.Abs(math.Tanh(x32)))
		}
		s, _ := sigmoid64(x)
		sw := 1 / (1 + math.Exp(-x))
		ws64 = math.Max(ws64, math.Abs(s-sw)/sw)
		s32, _ := sigmoid32(float32(x))
		sw32 := 1 / (1 + math.Exp(-float64(float32(x))))
		ws32 = math.Max(ws32, math.Abs(float64(s32)-sw32)/sw32)
	}
	for _, c := range []struct {
		name string
		err  float64
		ulp  float64
	}{{"tanh64", w64, 0x1p-52}, {"tanh32", w32, 0x1p-23}, {"sigmoid64", ws64, 0x1p-52}, {"sigmoid32", ws32, 0x1p-23}} {
		if c.err > 4*c.ulp {
			t.Errorf("%s: relative error %g = %.2f ulp", c.name, c.err, c.err/c.ulp)
		}
	}
	for _, u := range []float64{0, -1e-300, -1e-10, -0.3, -1, -20, -300, -700, -800} {
		e, em := expParts64(u)
		want, wantm := math.Exp(max(u, minU64)), math.Expm1(max(u, minU64))
		if math.Abs(e-want) > 4e-16*want || math.Abs(em-wantm) > 4e-16*math.Abs(wantm) {
			t.Errorf("expParts64(%g) = %g, %g, want %g, %g", u, e, em, want, wantm)
		}
	}
}

// TestColSumKernels compares every kernel set's column sums with the
// plain loop: the same additions in the same order, so the same bits.
func TestColSumKernels(t *testing.T) {
	rnd := rand.New(rand.NewPCG(15, 16))
	for _, ks := range kernelSets() {
		for _, nv := range []int{1, 2, 3, 7} {
			w32, w64 := nv*ks.lanes32, nv*ks.lanes64
			src32, src64 := make([]float32, 9*w32), make([]float64, 9*w64)
			for i := range src32 {
				src32[i] = float32(rnd.NormFloat64())
			}
			for i := range src64 {
				src64[i] = rnd.NormFloat64()
			}
			got32, want32 := make([]float32, w32), make([]float32, w32)
			got64, want64 := make([]float64, w64), make([]float64, w64)
			for i := range got32 {
				got32[i], want32[i] = 1, 1
			}
			for i := range got64 {
				got64[i], want64[i] = 1, 1
			}
			ks.colSum32(got32, src32, w32)
			colSums(want32, src32, w32)
			ks.colSum64(got64, src64, w64)
			colSums(want64, src64, w64)
			for j := range want32 {
				if got32[j] != want32[j] {
					t.Fatalf("%s width %d: float32 column %d: %g, want %g", ks.name, w32, j, got32[j], want32[j])
				}
			}
			sameBits(t, ks.name+" float64 column sums", got64, want64)
		}
	}
}

// TestAdamKernels compares every kernel set's Adam and AMSGrad step with
// the plain loop (within 4 ulp of the update), and checks that splitting
// the parameters into ranges, as the trainer's workers do, changes no bit.
func TestAdamKernels(t *testing.T) {
	rnd := rand.New(rand.NewPCG(17, 18))
	const n = 37
	state := func() (p, g, m, v, vm []float64) {
		p, g = randSlice(rnd, n, 1), randSlice(rnd, n, 1)
		m, v, vm = randSlice(rnd, n, 0.1), make([]float64, n), make([]float64, n)
		for i := range v {
			v[i] = math.Abs(rnd.NormFloat64()) * 0.01
			vm[i] = v[i] * rnd.Float64() * 2
		}
		return p, g, m, v, vm
	}
	for _, ks := range kernelSets() {
		for _, ams := range []bool{false, true} {
			p, g, m, v, vm := state()
			if !ams {
				vm = nil
			}
			clone := func(s []float64) []float64 { return append([]float64(nil), s...) }
			p0, m0, v0, vm0 := clone(p), clone(m), clone(v), clone(vm)
			pw, mw, vw, vmw := clone(p), clone(m), clone(v), clone(vm)
			adamStep(pw, g, mw, vw, vmw, 0.7, 1e-3, 0.3)
			ks.adam(p, g, m, v, vm, 0.7, 1e-3, 0.3)
			for i := range p {
				if math.Abs(p[i]-pw[i]) > 4*0x1p-52*math.Abs(pw[i]-p0[i]) || math.Abs(m[i]-mw[i]) > 4*0x1p-52*math.Abs(mw[i]) ||
					math.Abs(v[i]-vw[i]) > 4*0x1p-52*math.Abs(vw[i]) {
					t.Fatalf("%s AMSGrad=%v element %d: p %g m %g v %g, want %g %g %g", ks.name, ams, i, p[i], m[i], v[i], pw[i], mw[i], vw[i])
				}
			}
			// Split at an odd point: the same bits.
			ps, ms, vs, vms := clone(p0), clone(m0), clone(v0), clone(vm0)
			for _, r := range [][2]int{{0, 13}, {13, n}} {
				var vmr []float64
				if ams {
					vmr = vms[r[0]:r[1]]
				}
				ks.adam(ps[r[0]:r[1]], g[r[0]:r[1]], ms[r[0]:r[1]], vs[r[0]:r[1]], vmr, 0.7, 1e-3, 0.3)
			}
			sameBits(t, ks.name+" split parameters", ps, p)
		}
	}
}

// TestNarrowKernels compares every kernel set's dot products and outer-
// product accumulation (the narrow output layer's kernels) with float64
// sums within 2k·ε·Σ|terms|, for widths with and without tails.
func TestNarrowKernels(t *testing.T) { runKernelTests(t, testNarrow[float64], testNarrow[float32]) }

func testNarrow[F floatT](t *testing.T, ks *kernels) {
	if !ks.narrow {
		t.Skipf("kernel set %s pads narrow output layers (no dot or outer kernels)", ks.name)
	}
	rnd := rand.New(rand.NewPCG(19, 20))
	fill := func(n int) []F {
		s := make([]F, n)
		for i := range s {
			s[i] = F(rnd.NormFloat64())
		}
		return s
	}
	for _, nin := range []int{1, 7, 8, 9, 50, 100} {
		for _, nout := range []int{1, 2, 3} {
			for _, rows := range []int{1, 3, 4, 5, 130} {
				lda, ldw := nin+3, nin+5
				a, w := fill(rows*lda), fill(nout*ldw)
				z := make([]F, rows*nout)
				dotsF(ks, z, a, lda, w, ldw, nin, nout)
				g := fill(rows * nout)
				dw := fill(nout * ldw)
				dw0 := append([]F(nil), dw...)
				outersF(ks, dw, ldw, g, a, lda, nin, nout)
				for r := 0; r < rows; r++ {
					for o := 0; o < nout; o++ {
						want, abs := refSum(0, nin, func(k int) float64 { return float64(a[r*lda+k]) * float64(w[o*ldw+k]) })
						if d := math.Abs(float64(z[r*nout+o]) - want); d > 2*float64(nin+1)*eps[F]()*abs {
							t.Fatalf("nin=%d nout=%d rows=%d: dot[%d,%d] = %g, want %g", nin, nout, rows, r, o, z[r*nout+o], want)
						}
					}
				}
				for o := 0; o < nout; o++ {
					for k := 0; k < ldw; k++ {
						got := float64(dw[o*ldw+k])
						if k >= nin {
							if got != float64(dw0[o*ldw+k]) {
								t.Fatalf("nin=%d: outer wrote beyond nin at [%d,%d]", nin, o, k)
							}
							continue
						}
						want, abs := refSum(float64(dw0[o*ldw+k]), rows, func(r int) float64 { return float64(g[r*nout+o]) * float64(a[r*lda+k]) })
						if d := math.Abs(got - want); d > 2*float64(rows+1)*eps[F]()*abs {
							t.Fatalf("nin=%d nout=%d rows=%d: outer[%d,%d] = %g, want %g", nin, nout, rows, o, k, got, want)
						}
					}
				}
			}
		}
	}
}

// TestPackedWeights checks, for every kernel set, both precisions and
// networks with and without a narrow output layer, that packedWeights
// holds Wᵀ, W and the biases of every layer as their definitions from
// Params say (zero in the padding), at first, after a pack of a range of
// changed parameters, and after a tape's own update to a network of
// another shape; and that a tape sharing the weights runs the network
// as one that packs its own.
func TestPackedWeights(t *testing.T) {
	runKernelTests(t, testPackedWeights[float64], testPackedWeights[float32])
}

func testPackedWeights[F floatT](t *testing.T, ks *kernels) {
	rnd := rand.New(rand.NewPCG(23, 24))
	var own tape[F]
	own.ks = ks
	for _, sizes := range [][]int{{7, 50, 50, 2}, {3, 5, 1}, {4, 9, 12}} {
		net, err := NewMLP(sizes, Tanh, rand.NewPCG(1, 2))
		if err != nil {
			t.Fatal(err)
		}
		pk := newPackedWeights[F](net, ks)
		var sharing tape[F]
		sharing.ks, sharing.shared = ks, pk
		check := func(when string) {
			t.Helper()
			for _, c := range []struct {
				name string
				p    *packedWeights[F]
			}{{"shared", pk}, {"a tape's own", &own.own}} {
				if c.p == &own.own {
					own.setup(net)
				}
				for l := range net.NumLayers() {
					name := fmt.Sprintf("%v %s, %s weights, layer %d", sizes, when, c.name, l)
					nin, nout, P, Q := sizes[l], sizes[l+1], c.p.pw[l+1], c.p.pw[l]
					if want := padWidth(nout, lanes[F](ks)); P != want && !(c.p.narrow && l == len(sizes)-2 && P == nout) {
						t.Fatalf("%s: padded width %d, want %d", name, P, want)
					}
					w, b := net.layer(l)
					wantWT, wantW, wantB := make([]F, nin*P), make([]F, nout*Q), make([]F, P)
					for o := 0; o < nout; o++ {
						for i := 0; i < nin; i++ {
							wantWT[i*P+o] = F(w[o*nin+i])
							wantW[o*Q+i] = F(w[o*nin+i])
						}
						wantB[o] = F(b[o])
					}
					sameF(t, name+": Wᵀ", c.p.wt[l], wantWT)
					sameF(t, name+": W", c.p.w[l], wantW)
					sameF(t, name+": bias", c.p.bias[l], wantB)
				}
			}
			const b = 5
			x := randSlice(rnd, b*sizes[0], 1)
			own.forward(net, x, b, nil, 0, nil, false)
			sharing.forward(net, x, b, nil, 0, nil, false)
			got, want := append([]float64(nil), sharing.output()...), own.output()
			// The two tapes' buffers lie at different addresses: the sums
			// must not depend on alignment (dotFixed).
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%v %s: a tape on the shared weights gives %v, want %v", sizes, when, got, want)
					break
				}
			}
		}
		check("packed")
		lo := rnd.IntN(len(net.Params))
		hi := lo + 1 + rnd.IntN(len(net.Params)-lo)
		for i := lo; i < hi; i++ {
			net.Params[i] = rnd.NormFloat64()
		}
		pk.pack(lo, hi)
		check(fmt.Sprintf("repacked %d:%d", lo, hi))
	}
}

// sameF reports the first element where got and want differ.
func sameF[F floatT](t *testing.T, name string, got, want []F) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d elements, want %d", name, len(got), len(want))
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: element %d is %g, want %g", name, i, got[i], want[i])
			return
		}
	}
}
