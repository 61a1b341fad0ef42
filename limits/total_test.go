// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"errors"
	"slices"
	"testing"
)

func TestLogLikelihoodTotal(t *testing.T) {
	var seen [][]float64
	boom := errors.New("boom")
	// kin = θ0 + 10 θ1, rate = 100 ν0 + 1000 ν1.
	ll := LogLikelihood(func(p []float64) (float64, float64, error) {
		seen = append(seen, slices.Clone(p))
		if p[0] < 0 {
			return 0, 0, boom
		}
		return p[0] + 10*p[1], 100*p[2] + 1000*p[3], nil
	})
	free := ll.Total(2, 2, false)
	if v, err := free([]float64{1, 2, 3, 4}); err != nil || v != 1+20+300+4000 {
		t.Errorf("free ν: %v, %v, want 4321", v, err)
	}
	fixed := ll.Total(2, 2, true)
	for range 2 {
		if v, err := fixed([]float64{1, 2}); err != nil || v != 21 {
			t.Errorf("fixed ν: %v, %v, want 21", v, err)
		}
	}
	if want := []float64{1, 2, 0, 0}; !slices.Equal(seen[len(seen)-1], want) {
		t.Errorf("fixed ν: ll called at %v, want %v", seen[len(seen)-1], want)
	}
	if _, err := fixed([]float64{-1, 0}); !errors.Is(err, boom) {
		t.Errorf("the error of ll: %v, want boom", err)
	}
}
