// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

//go:build goexperiment.simd && amd64

#include "textflag.h"

// The register blocks of gemmAVX32 and gemmAVX64 (gemm_avx2_amd64.go):
// C[0:r, 0:w] = (acc ? C : 0) + Σ_{p<k} A[0:r, p] ⊗ B[p, 0:w] for r = 6,
// 4 or 1 rows and w = 2 or 1 vectors, each element of C the fused
// multiply-adds of its terms in the order of p. A row r, step p is at
// pa + r·sa + p·sp; B row p at pb + p·ldb; C row r at pc + r·ldc
// (strides in bytes). Register use: CX k, SI A, R8 sa, R9 sp, DI B, R10
// ldb, DX C, R11 ldc, R12 3·sa, R13 3·ldc, BX the fourth row of C, AX
// the fifth row of A; Y0, Y1 the row of B, Y2 a broadcast of A, Y4… the
// block of C, two registers per row of a two-vector block (Y4, Y5 row 0,
// Y6, Y7 row 1, …) and one per row of a one-vector block (Y4 row 0, …).

#define ARGS \
	MOVQ k+0(FP), CX; \
	MOVQ pa+8(FP), SI; \
	MOVQ sa+16(FP), R8; \
	MOVQ sp+24(FP), R9; \
	MOVQ pb+32(FP), DI; \
	MOVQ ldb+40(FP), R10; \
	MOVQ pc+48(FP), DX; \
	MOVQ ldc+56(FP), R11; \
	LEAQ (R8)(R8*2), R12; \
	LEAQ (R11)(R11*2), R13; \
	LEAQ (DX)(R13*1), BX

// BLOCK is the body of a block function: load or zero the block of C,
// run STEP k times, store the block. MOV is VMOVUPS or VMOVUPD, BC
// VBROADCASTSS or VBROADCASTSD, FMA VFMADD231PS or VFMADD231PD
// (dst += src1·src2).
#define BLOCK(LOAD, ZERO, STEP, STORE) \
	ARGS; \
	MOVBLZX acc+64(FP), AX; \
	TESTQ AX, AX; \
	JEQ zero; \
	LOAD; \
	JMP check; \
zero: \
	ZERO; \
check: \
	TESTQ CX, CX; \
	JLE store; \
loop: \
	STEP; \
	DECQ CX; \
	JNZ loop; \
store: \
	STORE; \
	VZEROUPPER; \
	RET

// Rows 0–3 and 4–5 of a two-vector block: C, in either direction (MOV
// from to, to form a load or a store), and one step.
#define C4x2(MOV, a, b, c, d, e, f, g, h) \
	MOV a, b; \
	MOV c, d; \
	MOV e, f; \
	MOV g, h

#define LOAD4x2(MOV) \
	C4x2(MOV, (DX), Y4, 32(DX), Y5, (DX)(R11*1), Y6, 32(DX)(R11*1), Y7); \
	C4x2(MOV, (DX)(R11*2), Y8, 32(DX)(R11*2), Y9, (BX), Y10, 32(BX), Y11)

#define STORE4x2(MOV) \
	C4x2(MOV, Y4, (DX), Y5, 32(DX), Y6, (DX)(R11*1), Y7, 32(DX)(R11*1)); \
	C4x2(MOV, Y8, (DX)(R11*2), Y9, 32(DX)(R11*2), Y10, (BX), Y11, 32(BX))

#define LOAD6x2(MOV) \
	LOAD4x2(MOV); \
	C4x2(MOV, (BX)(R11*1), Y12, 32(BX)(R11*1), Y13, (BX)(R11*2), Y14, 32(BX)(R11*2), Y15)

#define STORE6x2(MOV) \
	STORE4x2(MOV); \
	C4x2(MOV, Y12, (BX)(R11*1), Y13, 32(BX)(R11*1), Y14, (BX)(R11*2), Y15, 32(BX)(R11*2))

// ROW2 and ROW1: one row of a step, A's element at a.
#define ROW2(BC, FMA, a, acc0, acc1) \
	BC a, Y2; \
	FMA Y0, Y2, acc0; \
	FMA Y1, Y2, acc1

#define ROW1(BC, FMA, a, acc) \
	BC a, Y2; \
	FMA Y0, Y2, acc

#define NEXT \
	ADDQ R9, SI; \
	ADDQ R10, DI

#define ROWS4x2(BC, FMA) \
	ROW2(BC, FMA, (SI), Y4, Y5); \
	ROW2(BC, FMA, (SI)(R8*1), Y6, Y7); \
	ROW2(BC, FMA, (SI)(R8*2), Y8, Y9); \
	ROW2(BC, FMA, (SI)(R12*1), Y10, Y11)

#define STEP4x2(MOV, BC, FMA) \
	MOV (DI), Y0; \
	MOV 32(DI), Y1; \
	ROWS4x2(BC, FMA); \
	NEXT

#define STEP6x2(MOV, BC, FMA) \
	MOV (DI), Y0; \
	MOV 32(DI), Y1; \
	ROWS4x2(BC, FMA); \
	LEAQ (SI)(R8*4), AX; \
	ROW2(BC, FMA, (AX), Y12, Y13); \
	ROW2(BC, FMA, (AX)(R8*1), Y14, Y15); \
	NEXT

#define ZERO4x2 \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5; \
	VXORPS Y6, Y6, Y6; \
	VXORPS Y7, Y7, Y7; \
	VXORPS Y8, Y8, Y8; \
	VXORPS Y9, Y9, Y9; \
	VXORPS Y10, Y10, Y10; \
	VXORPS Y11, Y11, Y11

#define ZERO6x2 \
	ZERO4x2; \
	VXORPS Y12, Y12, Y12; \
	VXORPS Y13, Y13, Y13; \
	VXORPS Y14, Y14, Y14; \
	VXORPS Y15, Y15, Y15

// The one-vector blocks: Y4… one register per row.
#define LOAD4x1(MOV) \
	C4x2(MOV, (DX), Y4, (DX)(R11*1), Y5, (DX)(R11*2), Y6, (BX), Y7)

#define STORE4x1(MOV) \
	C4x2(MOV, Y4, (DX), Y5, (DX)(R11*1), Y6, (DX)(R11*2), Y7, (BX))

#define LOAD6x1(MOV) \
	LOAD4x1(MOV); \
	MOV (BX)(R11*1), Y8; \
	MOV (BX)(R11*2), Y9

#define STORE6x1(MOV) \
	STORE4x1(MOV); \
	MOV Y8, (BX)(R11*1); \
	MOV Y9, (BX)(R11*2)

#define ROWS4x1(BC, FMA) \
	ROW1(BC, FMA, (SI), Y4); \
	ROW1(BC, FMA, (SI)(R8*1), Y5); \
	ROW1(BC, FMA, (SI)(R8*2), Y6); \
	ROW1(BC, FMA, (SI)(R12*1), Y7)

#define STEP4x1(MOV, BC, FMA) \
	MOV (DI), Y0; \
	ROWS4x1(BC, FMA); \
	NEXT

#define STEP6x1(MOV, BC, FMA) \
	MOV (DI), Y0; \
	ROWS4x1(BC, FMA); \
	LEAQ (SI)(R8*4), AX; \
	ROW1(BC, FMA, (AX), Y8); \
	ROW1(BC, FMA, (AX)(R8*1), Y9); \
	NEXT

#define ZERO4x1 \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5; \
	VXORPS Y6, Y6, Y6; \
	VXORPS Y7, Y7, Y7

#define ZERO6x1 \
	ZERO4x1; \
	VXORPS Y8, Y8, Y8; \
	VXORPS Y9, Y9, Y9

// The one-row blocks: Y4, Y5 (two vectors) or Y4.
#define LOAD1x2(MOV) \
	MOV (DX), Y4; \
	MOV 32(DX), Y5

#define STORE1x2(MOV) \
	MOV Y4, (DX); \
	MOV Y5, 32(DX)

#define LOAD1x1(MOV) \
	MOV (DX), Y4

#define STORE1x1(MOV) \
	MOV Y4, (DX)

#define ZERO1x2 \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5

#define ZERO1x1 \
	VXORPS Y4, Y4, Y4

#define STEP1x2(MOV, BC, FMA) \
	MOV (DI), Y0; \
	MOV 32(DI), Y1; \
	ROW2(BC, FMA, (SI), Y4, Y5); \
	NEXT

#define STEP1x1(MOV, BC, FMA) \
	MOV (DI), Y0; \
	ROW1(BC, FMA, (SI), Y4); \
	NEXT

#define F32(STEP) STEP(VMOVUPS, VBROADCASTSS, VFMADD231PS)
#define F64(STEP) STEP(VMOVUPD, VBROADCASTSD, VFMADD231PD)

// Each function: func(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)

TEXT ·gemm6x16FMA32(SB), NOSPLIT, $0-65
	BLOCK(LOAD6x2(VMOVUPS), ZERO6x2, F32(STEP6x2), STORE6x2(VMOVUPS))

TEXT ·gemm6x8FMA32(SB), NOSPLIT, $0-65
	BLOCK(LOAD6x1(VMOVUPS), ZERO6x1, F32(STEP6x1), STORE6x1(VMOVUPS))

TEXT ·gemm4x16FMA32(SB), NOSPLIT, $0-65
	BLOCK(LOAD4x2(VMOVUPS), ZERO4x2, F32(STEP4x2), STORE4x2(VMOVUPS))

TEXT ·gemm4x8FMA32(SB), NOSPLIT, $0-65
	BLOCK(LOAD4x1(VMOVUPS), ZERO4x1, F32(STEP4x1), STORE4x1(VMOVUPS))

TEXT ·gemm6x8FMA64(SB), NOSPLIT, $0-65
	BLOCK(LOAD6x2(VMOVUPD), ZERO6x2, F64(STEP6x2), STORE6x2(VMOVUPD))

TEXT ·gemm6x4FMA64(SB), NOSPLIT, $0-65
	BLOCK(LOAD6x1(VMOVUPD), ZERO6x1, F64(STEP6x1), STORE6x1(VMOVUPD))

TEXT ·gemm4x8FMA64(SB), NOSPLIT, $0-65
	BLOCK(LOAD4x2(VMOVUPD), ZERO4x2, F64(STEP4x2), STORE4x2(VMOVUPD))

TEXT ·gemm4x4FMA64(SB), NOSPLIT, $0-65
	BLOCK(LOAD4x1(VMOVUPD), ZERO4x1, F64(STEP4x1), STORE4x1(VMOVUPD))

TEXT ·gemm1x16FMA32(SB), NOSPLIT, $0-65
	BLOCK(LOAD1x2(VMOVUPS), ZERO1x2, F32(STEP1x2), STORE1x2(VMOVUPS))

TEXT ·gemm1x8FMA32(SB), NOSPLIT, $0-65
	BLOCK(LOAD1x1(VMOVUPS), ZERO1x1, F32(STEP1x1), STORE1x1(VMOVUPS))

TEXT ·gemm1x8FMA64(SB), NOSPLIT, $0-65
	BLOCK(LOAD1x2(VMOVUPD), ZERO1x2, F64(STEP1x2), STORE1x2(VMOVUPD))

TEXT ·gemm1x4FMA64(SB), NOSPLIT, $0-65
	BLOCK(LOAD1x1(VMOVUPD), ZERO1x1, F64(STEP1x1), STORE1x1(VMOVUPD))
