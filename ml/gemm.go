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
	if m <= gemmRows && n <= gemmCols {
		impl.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	for i0 := 0; i0 < m; i0 += gemmRows {
		mi := min(gemmRows, m-i0)
		var ai []float64
		if tA == blas.Trans {
			ai = a[i0:]
		} else {
			ai = a[i0*lda:]
		}
		for j0 := 0; j0 < n; j0 += gemmCols {
			nj := min(gemmCols, n-j0)
			var bj []float64
			if tB == blas.Trans {
				bj = b[j0*ldb:]
			} else {
				bj = b[j0:]
			}
			impl.Dgemm(tA, tB, mi, nj, k, alpha, ai, lda, bj, ldb, beta, c[i0*ldc+j0:], ldc)
		}
	}
}
