// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

//go:build !(goexperiment.simd && amd64)

package ml

func selectKernels() kernels { return pureKernels }

// availableKernels lists the kernel sets this build runs.
func availableKernels() []*kernels { return []*kernels{&pureKernels} }
