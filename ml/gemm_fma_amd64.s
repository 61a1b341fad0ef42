// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

//go:build goexperiment.simd && amd64

#include "textflag.h"

// The register blocks of gemmAVX32 and gemmAVX64 (gemm_avx2_amd64.go):
// C[0:6, 0:w] = (acc ? C : 0) + Σ_{p<k} A[0:6, p] ⊗ B[p, 0:w], each
// element of C the fused multiply-adds of its terms in the order of p.
// A row r, step p is at pa + r·sa + p·sp; B row p at pb + p·ldb; C row r
// at pc + r·ldc (strides in bytes). Register use: CX k, SI A, R8 sa,
// R9 sp, DI B, R10 ldb, DX C, R11 ldc, R12 3·sa, R13 3·ldc, BX the
// fourth row of A (or C); Y0, Y1 the row of B, Y2, Y3 broadcasts of A,
// Y4… the block of C.

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

// Loads and stores of the block of C; MOV is VMOVUPS or VMOVUPD.
#define STOREROWS2(MOV) \
	MOV Y4, (DX); \
	MOV Y5, 32(DX); \
	MOV Y6, (DX)(R11*1); \
	MOV Y7, 32(DX)(R11*1); \
	MOV Y8, (DX)(R11*2); \
	MOV Y9, 32(DX)(R11*2); \
	MOV Y10, (BX); \
	MOV Y11, 32(BX); \
	MOV Y12, (BX)(R11*1); \
	MOV Y13, 32(BX)(R11*1); \
	MOV Y14, (BX)(R11*2); \
	MOV Y15, 32(BX)(R11*2)

#define LOADROWS2(MOV) \
	MOV (DX), Y4; \
	MOV 32(DX), Y5; \
	MOV (DX)(R11*1), Y6; \
	MOV 32(DX)(R11*1), Y7; \
	MOV (DX)(R11*2), Y8; \
	MOV 32(DX)(R11*2), Y9; \
	MOV (BX), Y10; \
	MOV 32(BX), Y11; \
	MOV (BX)(R11*1), Y12; \
	MOV 32(BX)(R11*1), Y13; \
	MOV (BX)(R11*2), Y14; \
	MOV 32(BX)(R11*2), Y15

#define LOADROWS1(MOV) \
	MOV (DX), Y4; \
	MOV (DX)(R11*1), Y5; \
	MOV (DX)(R11*2), Y6; \
	MOV (BX), Y7; \
	MOV (BX)(R11*1), Y8; \
	MOV (BX)(R11*2), Y9

#define STOREROWS1(MOV) \
	MOV Y4, (DX); \
	MOV Y5, (DX)(R11*1); \
	MOV Y6, (DX)(R11*2); \
	MOV Y7, (BX); \
	MOV Y8, (BX)(R11*1); \
	MOV Y9, (BX)(R11*2)

// One step p of a two-vector block: BC broadcasts, FMA is VFMADD231PS or
// VFMADD231PD (dst += src1·src2).
#define STEP2(MOV, BC, FMA) \
	MOV (DI), Y0; \
	MOV 32(DI), Y1; \
	BC (SI), Y2; \
	BC (SI)(R8*1), Y3; \
	FMA Y0, Y2, Y4; \
	FMA Y1, Y2, Y5; \
	FMA Y0, Y3, Y6; \
	FMA Y1, Y3, Y7; \
	LEAQ (SI)(R12*1), AX; \
	BC (SI)(R8*2), Y2; \
	BC (AX), Y3; \
	FMA Y0, Y2, Y8; \
	FMA Y1, Y2, Y9; \
	FMA Y0, Y3, Y10; \
	FMA Y1, Y3, Y11; \
	BC (AX)(R8*1), Y2; \
	BC (AX)(R8*2), Y3; \
	FMA Y0, Y2, Y12; \
	FMA Y1, Y2, Y13; \
	FMA Y0, Y3, Y14; \
	FMA Y1, Y3, Y15; \
	ADDQ R9, SI; \
	ADDQ R10, DI

#define STEP1(MOV, BC, FMA) \
	MOV (DI), Y0; \
	BC (SI), Y2; \
	BC (SI)(R8*1), Y3; \
	FMA Y0, Y2, Y4; \
	FMA Y0, Y3, Y5; \
	LEAQ (SI)(R12*1), AX; \
	BC (SI)(R8*2), Y2; \
	BC (AX), Y3; \
	FMA Y0, Y2, Y6; \
	FMA Y0, Y3, Y7; \
	BC (AX)(R8*1), Y2; \
	BC (AX)(R8*2), Y3; \
	FMA Y0, Y2, Y8; \
	FMA Y0, Y3, Y9; \
	ADDQ R9, SI; \
	ADDQ R10, DI

#define ZERO2 \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5; \
	VXORPS Y6, Y6, Y6; \
	VXORPS Y7, Y7, Y7; \
	VXORPS Y8, Y8, Y8; \
	VXORPS Y9, Y9, Y9; \
	VXORPS Y10, Y10, Y10; \
	VXORPS Y11, Y11, Y11; \
	VXORPS Y12, Y12, Y12; \
	VXORPS Y13, Y13, Y13; \
	VXORPS Y14, Y14, Y14; \
	VXORPS Y15, Y15, Y15

#define ZERO1 \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5; \
	VXORPS Y6, Y6, Y6; \
	VXORPS Y7, Y7, Y7; \
	VXORPS Y8, Y8, Y8; \
	VXORPS Y9, Y9, Y9

// The 4-row blocks (rows beyond the last block of 6, such as a worker's
// 64 rows of a batch of 128): accumulators Y4… in the same order.
#define LOAD4ROWS2(MOV) \
	MOV (DX), Y4; \
	MOV 32(DX), Y5; \
	MOV (DX)(R11*1), Y6; \
	MOV 32(DX)(R11*1), Y7; \
	MOV (DX)(R11*2), Y8; \
	MOV 32(DX)(R11*2), Y9; \
	MOV (BX), Y10; \
	MOV 32(BX), Y11

#define STORE4ROWS2(MOV) \
	MOV Y4, (DX); \
	MOV Y5, 32(DX); \
	MOV Y6, (DX)(R11*1); \
	MOV Y7, 32(DX)(R11*1); \
	MOV Y8, (DX)(R11*2); \
	MOV Y9, 32(DX)(R11*2); \
	MOV Y10, (BX); \
	MOV Y11, 32(BX)

#define LOAD4ROWS1(MOV) \
	MOV (DX), Y4; \
	MOV (DX)(R11*1), Y5; \
	MOV (DX)(R11*2), Y6; \
	MOV (BX), Y7

#define STORE4ROWS1(MOV) \
	MOV Y4, (DX); \
	MOV Y5, (DX)(R11*1); \
	MOV Y6, (DX)(R11*2); \
	MOV Y7, (BX)

#define STEP4x2(MOV, BC, FMA) \
	MOV (DI), Y0; \
	MOV 32(DI), Y1; \
	BC (SI), Y2; \
	BC (SI)(R8*1), Y3; \
	FMA Y0, Y2, Y4; \
	FMA Y1, Y2, Y5; \
	FMA Y0, Y3, Y6; \
	FMA Y1, Y3, Y7; \
	BC (SI)(R8*2), Y2; \
	BC (SI)(R12*1), Y3; \
	FMA Y0, Y2, Y8; \
	FMA Y1, Y2, Y9; \
	FMA Y0, Y3, Y10; \
	FMA Y1, Y3, Y11; \
	ADDQ R9, SI; \
	ADDQ R10, DI

#define STEP4x1(MOV, BC, FMA) \
	MOV (DI), Y0; \
	BC (SI), Y2; \
	BC (SI)(R8*1), Y3; \
	FMA Y0, Y2, Y4; \
	FMA Y0, Y3, Y5; \
	BC (SI)(R8*2), Y2; \
	BC (SI)(R12*1), Y3; \
	FMA Y0, Y2, Y6; \
	FMA Y0, Y3, Y7; \
	ADDQ R9, SI; \
	ADDQ R10, DI

#define ZERO4x2 \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5; \
	VXORPS Y6, Y6, Y6; \
	VXORPS Y7, Y7, Y7; \
	VXORPS Y8, Y8, Y8; \
	VXORPS Y9, Y9, Y9; \
	VXORPS Y10, Y10, Y10; \
	VXORPS Y11, Y11, Y11

#define ZERO4x1 \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5; \
	VXORPS Y6, Y6, Y6; \
	VXORPS Y7, Y7, Y7

// func gemm6x16FMA32(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)
TEXT ·gemm6x16FMA32(SB), NOSPLIT, $0-65
	ARGS
	MOVBLZX acc+64(FP), AX
	TESTQ AX, AX
	JEQ zero
	LOADROWS2(VMOVUPS)
	JMP check
zero:
	ZERO2
check:
	TESTQ CX, CX
	JLE store
loop:
	STEP2(VMOVUPS, VBROADCASTSS, VFMADD231PS)
	DECQ CX
	JNZ loop
store:
	STOREROWS2(VMOVUPS)
	VZEROUPPER
	RET

// func gemm6x8FMA32(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)
TEXT ·gemm6x8FMA32(SB), NOSPLIT, $0-65
	ARGS
	MOVBLZX acc+64(FP), AX
	TESTQ AX, AX
	JEQ zero
	LOADROWS1(VMOVUPS)
	JMP check
zero:
	ZERO1
check:
	TESTQ CX, CX
	JLE store
loop:
	STEP1(VMOVUPS, VBROADCASTSS, VFMADD231PS)
	DECQ CX
	JNZ loop
store:
	STOREROWS1(VMOVUPS)
	VZEROUPPER
	RET

// func gemm6x8FMA64(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)
TEXT ·gemm6x8FMA64(SB), NOSPLIT, $0-65
	ARGS
	MOVBLZX acc+64(FP), AX
	TESTQ AX, AX
	JEQ zero
	LOADROWS2(VMOVUPD)
	JMP check
zero:
	ZERO2
check:
	TESTQ CX, CX
	JLE store
loop:
	STEP2(VMOVUPD, VBROADCASTSD, VFMADD231PD)
	DECQ CX
	JNZ loop
store:
	STOREROWS2(VMOVUPD)
	VZEROUPPER
	RET

// func gemm6x4FMA64(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)
TEXT ·gemm6x4FMA64(SB), NOSPLIT, $0-65
	ARGS
	MOVBLZX acc+64(FP), AX
	TESTQ AX, AX
	JEQ zero
	LOADROWS1(VMOVUPD)
	JMP check
zero:
	ZERO1
check:
	TESTQ CX, CX
	JLE store
loop:
	STEP1(VMOVUPD, VBROADCASTSD, VFMADD231PD)
	DECQ CX
	JNZ loop
store:
	STOREROWS1(VMOVUPD)
	VZEROUPPER
	RET

// func gemm4x16FMA32(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)
TEXT ·gemm4x16FMA32(SB), NOSPLIT, $0-65
	ARGS
	MOVBLZX acc+64(FP), AX
	TESTQ AX, AX
	JEQ zero
	LOAD4ROWS2(VMOVUPS)
	JMP check
zero:
	ZERO4x2
check:
	TESTQ CX, CX
	JLE store
loop:
	STEP4x2(VMOVUPS, VBROADCASTSS, VFMADD231PS)
	DECQ CX
	JNZ loop
store:
	STORE4ROWS2(VMOVUPS)
	VZEROUPPER
	RET

// func gemm4x8FMA32(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)
TEXT ·gemm4x8FMA32(SB), NOSPLIT, $0-65
	ARGS
	MOVBLZX acc+64(FP), AX
	TESTQ AX, AX
	JEQ zero
	LOAD4ROWS1(VMOVUPS)
	JMP check
zero:
	ZERO4x1
check:
	TESTQ CX, CX
	JLE store
loop:
	STEP4x1(VMOVUPS, VBROADCASTSS, VFMADD231PS)
	DECQ CX
	JNZ loop
store:
	STORE4ROWS1(VMOVUPS)
	VZEROUPPER
	RET

// func gemm4x8FMA64(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)
TEXT ·gemm4x8FMA64(SB), NOSPLIT, $0-65
	ARGS
	MOVBLZX acc+64(FP), AX
	TESTQ AX, AX
	JEQ zero
	LOAD4ROWS2(VMOVUPD)
	JMP check
zero:
	ZERO4x2
check:
	TESTQ CX, CX
	JLE store
loop:
	STEP4x2(VMOVUPD, VBROADCASTSD, VFMADD231PD)
	DECQ CX
	JNZ loop
store:
	STORE4ROWS2(VMOVUPD)
	VZEROUPPER
	RET

// func gemm4x4FMA64(k int, pa unsafe.Pointer, sa, sp uintptr, pb unsafe.Pointer, ldb uintptr, pc unsafe.Pointer, ldc uintptr, acc bool)
TEXT ·gemm4x4FMA64(SB), NOSPLIT, $0-65
	ARGS
	MOVBLZX acc+64(FP), AX
	TESTQ AX, AX
	JEQ zero
	LOAD4ROWS1(VMOVUPD)
	JMP check
zero:
	ZERO4x1
check:
	TESTQ CX, CX
	JLE store
loop:
	STEP4x1(VMOVUPD, VBROADCASTSD, VFMADD231PD)
	DECQ CX
	JNZ loop
store:
	STORE4ROWS1(VMOVUPD)
	VZEROUPPER
	RET
