// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

//go:build goexperiment.simd && amd64

package ml

import (
	"fmt"
	"unsafe"
)

// The register blocks, in gemm_fma_amd64.s: gemm{r}x{w}FMA{32,64}
// computes C[0:r, 0:w] at pc (row stride ldc bytes) = (acc ? C : 0) + A·B
// over k steps of the inner dimension, A's row i at pa + i·sa advancing
// sp bytes per step and B's row p at pb + p·ldb; w is 2 vectors (16
// float32, 8 float64) or 1. First those of 6 rows.

//go:noescape
func gemm6x16FMA32(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)

//go:noescape
func gemm6x8FMA32(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)

//go:noescape
func gemm6x8FMA64(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)

//go:noescape
func gemm6x4FMA64(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)

// The 4-row blocks, for 4 or 5 rows left after the blocks of 6 (a
// worker's 64 rows of a batch of 128 leave 4).

//go:noescape
func gemm4x16FMA32(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)

//go:noescape
func gemm4x8FMA32(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)

//go:noescape
func gemm4x8FMA64(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)

//go:noescape
func gemm4x4FMA64(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)

// The 1-row blocks, for a row left after the blocks of 6 and 4.

//go:noescape
func gemm1x16FMA32(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)

//go:noescape
func gemm1x8FMA32(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)

//go:noescape
func gemm1x8FMA64(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)

//go:noescape
func gemm1x4FMA64(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)

// gemmBlock computes a block of C (its rows and columns fixed by the
// block) from A and B, see gemm6x16FMA32.
type gemmBlock func(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)

// gemmBlocks are the register blocks of one precision: wide (2 vectors)
// and narrow (1 vector) blocks of 6, 4 and 1 rows.
type gemmBlocks struct {
	size         uintptr // bytes per element
	lanes        int
	wide, narrow [3]gemmBlock
}

var (
	blocks32 = gemmBlocks{4, 8,
		[3]gemmBlock{gemm6x16FMA32, gemm4x16FMA32, gemm1x16FMA32},
		[3]gemmBlock{gemm6x8FMA32, gemm4x8FMA32, gemm1x8FMA32}}
	blocks64 = gemmBlocks{8, 4,
		[3]gemmBlock{gemm6x8FMA64, gemm4x8FMA64, gemm1x8FMA64},
		[3]gemmBlock{gemm6x4FMA64, gemm4x4FMA64, gemm1x4FMA64}}
)

// gemmAVX32 is gemm for kernels whose widths are multiples of 8: C
// (m×n, row stride ldc) = A·B, or C += A·B if acc, where A's element
// (i, p) is a[i·sa + p·sp] and B is k×n with row stride ldb.
func gemmAVX32(m, n, k int, a []float32, sa, sp int, b []float32, ldb int, c []float32, ldc int, acc bool) {
	checkGemm(len(a), len(b), len(c), m, n, k, sa, sp, ldb, ldc, 8)
	blocks32.run(m, n, k, unsafe.Pointer(unsafe.SliceData(a)), sa, sp, unsafe.Pointer(unsafe.SliceData(b)), ldb, unsafe.Pointer(unsafe.SliceData(c)), ldc, acc)
}

// gemmAVX64 is gemmAVX32 in float64, for widths that are multiples of 4.
func gemmAVX64(m, n, k int, a []float64, sa, sp int, b []float64, ldb int, c []float64, ldc int, acc bool) {
	checkGemm(len(a), len(b), len(c), m, n, k, sa, sp, ldb, ldc, 4)
	blocks64.run(m, n, k, unsafe.Pointer(unsafe.SliceData(a)), sa, sp, unsafe.Pointer(unsafe.SliceData(b)), ldb, unsafe.Pointer(unsafe.SliceData(c)), ldc, acc)
}

// run computes the product of gemmAVX32 or gemmAVX64 (strides in
// elements) block by block: rows in the blocks of rowBlocks, columns in
// wide blocks, then a narrow one. Each block stays in registers over the
// whole inner dimension, and every element of C is its fused
// multiply-adds in the order of p, whatever block holds it.
func (bl *gemmBlocks) run(m, n, k int, pa unsafe.Pointer, sa, sp int, pb unsafe.Pointer, ldb int, pc unsafe.Pointer, ldc int, acc bool) {
	sz := bl.size
	usa, usp, uldb, uldc := uintptr(sa)*sz, uintptr(sp)*sz, uintptr(ldb)*sz, uintptr(ldc)*sz
	w := 2 * bl.lanes
	n6, n4 := rowBlocks(m)
	for i := 0; i < m; {
		h, rows := 2, 1 // index into wide and narrow, rows of the block
		switch {
		case i < 6*n6:
			h, rows = 0, 6
		case i < 6*n6+4*n4:
			h, rows = 1, 4
		}
		ai, ci := unsafe.Add(pa, uintptr(i)*usa), unsafe.Add(pc, uintptr(i)*uldc)
		j := 0
		for ; j+w <= n; j += w {
			bl.wide[h](k, ai, usa, usp, unsafe.Add(pb, uintptr(j)*sz), uldb, unsafe.Add(ci, uintptr(j)*sz), uldc, acc)
		}
		if j < n {
			bl.narrow[h](k, ai, usa, usp, unsafe.Add(pb, uintptr(j)*sz), uldb, unsafe.Add(ci, uintptr(j)*sz), uldc, acc)
		}
		i += rows
	}
}

// rowBlocks splits m rows into n6 blocks of 6, then n4 blocks of 4, then
// single rows (at most one if m ≥ 6): a row alone runs at a fraction of
// a block's speed, so 128 rows are 20 blocks of 6 and 2 of 4, and 50 are
// 7 and 2.
func rowBlocks(m int) (n6, n4 int) {
	n6 = m / 6
	switch m % 6 {
	case 4, 5:
		n4 = 1
	case 2, 3:
		if n6 > 0 {
			n6--
			n4 = 2
		}
	}
	return n6, n4
}

// checkGemm panics unless n is a multiple of lanes and every element a
// product of an m×n block with inner dimension k reads or writes lies
// inside its slice: the blocks address A, B and C through pointers
// without further checks.
func checkGemm(na, nb, nc, m, n, k, sa, sp, ldb, ldc, lanes int) {
	if n%lanes != 0 {
		panic(fmt.Sprintf("ml: gemm width %d is not a multiple of %d", n, lanes))
	}
	if m < 0 || n < 0 || k < 0 || sa < 0 || sp < 0 || ldb < n || ldc < n {
		panic("ml: gemm with a negative size or a stride below the width")
	}
	if m == 0 || n == 0 {
		return
	}
	if (m-1)*ldc+n > nc || (k > 0 && ((m-1)*sa+(k-1)*sp >= na || (k-1)*ldb+n > nb)) {
		panic("ml: gemm operand shorter than its dimensions")
	}
}
