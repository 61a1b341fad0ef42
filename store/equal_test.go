// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"reflect"

	"gonum.org/v1/gonum/mat"
)

// equalSetups reports whether two setups hold exactly the same values.
func equalSetups(a, b *Setup) bool {
	if !reflect.DeepEqual(a.Parameters, b.Parameters) || !reflect.DeepEqual(a.Benchmarks, b.Benchmarks) ||
		!reflect.DeepEqual(a.Components, b.Components) || !reflect.DeepEqual(a.Systematics, b.Systematics) {
		return false
	}
	if (a.MorphingMatrix == nil) != (b.MorphingMatrix == nil) {
		return false
	}
	return a.MorphingMatrix == nil || mat.Equal(a.MorphingMatrix, b.MorphingMatrix)
}
