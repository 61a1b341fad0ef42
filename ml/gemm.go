// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import "gonum.org/v1/gonum/blas"

// gemmBlock bounds the rows and columns of C per Dgemm call. gonum's
// Dgemm goes parallel (spawning goroutines) once C spans 4 or more 64×64
// blocks; the trainer already runs one goroutine per core, so we keep
// every call serial by tiling C into at most 64×192 pieces. Tiles of C
// are computed independently, so the result is identical.
const (
	gemmRows = 64
	gemmCols = 192
)

// dgemm computes C = alpha·op(A)·op(B) + beta·C (row-major, as
// blas.Float64.Dgemm) in serial tiles.
func dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	tiled(impl.Dgemm, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// sgemm is dgemm in float32 (blas.Float32.Sgemm).
func sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	tiled(impl.Sgemm, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func tiled[F floatT](gemm func(tA, tB blas.Transpose, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int),
	tA, tB blas.Transpose, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
	if m <= gemmRows && n <= gemmCols {
		gemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	for i0 := 0; i0 < m; i0 += gemmRows {
		mi := min(gemmRows, m-i0)
		var ai []F
		if tA == blas.Trans {
			ai = a[i0:]
		} else {
			ai = a[i0*lda:]
		}
		for j0 := 0; j0 < n; j0 += gemmCols {
			nj := min(gemmCols, n-j0)
			var bj []F
			if tB == blas.Trans {
				bj = b[j0*ldb:]
			} else {
				bj = b[j0:]
			}
			gemm(tA, tB, mi, nj, k, alpha, ai, lda, bj, ldb, beta, c[i0*ldc+j0:], ldc)
		}
	}
}

// blasGemm computes C (+)= A·B with gonum's BLAS (its assembly kernels),
// where C is m×n (row stride ldc), B is k×n (row stride ldb) and
// A(i,p) = a[i·sa + p·sp] is either row-major (sp = 1) or the transpose
// of a row-major k×m matrix (sa = 1). acc adds to C; otherwise C is
// overwritten. It is the kernel layout's only matrix product: forward
// passes (A = activations, B = Wᵀ), input gradients (A = output
// gradients, B = W) and weight gradients (A = activationsᵀ, B = output
// gradients), so that a batch is one GEMM per layer.
func blasGemm[F floatT](m, n, k int, a []F, sa, sp int, b []F, ldb int, c []F, ldc int, acc bool) {
	if m == 0 || n == 0 {
		return
	}
	tA, lda := blas.NoTrans, sa
	switch {
	case m == 1 && sp == 1:
		lda = k
	case m == 1:
		tA, lda = blas.Trans, sp
	case sp == 1:
	case sa == 1:
		tA, lda = blas.Trans, sp
	default:
		panic("ml: gemm operand is neither row- nor column-major")
	}
	if k == 0 {
		if !acc {
			for i := 0; i < m; i++ {
				clear(c[i*ldc : i*ldc+n])
			}
		}
		return
	}
	var beta F
	if acc {
		beta = 1
	}
	switch a := any(a).(type) {
	case []float64:
		dgemm(tA, blas.NoTrans, m, n, k, 1, a, lda, any(b).([]float64), ldb, float64(beta), any(c).([]float64), ldc)
	case []float32:
		sgemm(tA, blas.NoTrans, m, n, k, 1, a, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc)
	}
}
