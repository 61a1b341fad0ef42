// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"errors"
	"fmt"
	"math"

	"github.com/goldmine-hep/goldmine/partition"
)

// LogRatioSample holds held-out events drawn from θ0 with the log of their
// ratio r(x|θ0,θ1) = [dσ(x|θ0)/σ(θ0)] / [dσ(x|θ1)/σ(θ1)] from the morphing
// of each event's weights. Arrays are row-major with N rows.
type LogRatioSample struct {
	N, NObs, NParams int

	X      []float64 // N×NObs
	Theta0 []float64 // N×NParams
	Theta1 []float64 // N×NParams
	LogR   []float64 // N

	// Points reports the θ0 and θ1 points: σ, effective number of events
	// and draws (those of θ1 count the draws Run made there and dropped).
	Points []PointReport
}

// ExactLogRatios draws n events x ~ p(x|θ0) for every point θ0 of theta0
// from the test partition and returns them with log r(x|θ0,θ1), θ1 being
// theta1 (one point, or one per θ0 point, paired in order).
//
// The ratio is the joint likelihood ratio r(x,z|θ0,θ1) of a Ratio sample
// (its rows with y = 0; Run draws the same number of rows from θ1 and this
// function drops them). When x is the whole event record, as at parton
// level with the incoming partons, their flavours and every final-state
// momentum among the observables, nothing is latent and r(x,z) is the
// likelihood ratio r(x) itself: the exact truth against which estimated
// ratios can be scored. σ(θ) is the cross section of the test partition's
// events, the normalisation of the distribution the events are drawn from.
func ExactLogRatios(src Source, cfg *Config, theta0, theta1 ThetaSpec, n int) (*LogRatioSample, error) {
	if n <= 0 {
		return nil, fmt.Errorf("sampling: ExactLogRatios: %d events per point", n)
	}
	k, err := theta0.count()
	if err != nil {
		return nil, err
	}
	test := partition.Test
	res, _, err := Run(src, cfg, Request{Name: "exact", Kind: Ratio, Theta: theta0, Theta1: theta1, N: 2 * n * k, Partition: &test})
	if err != nil {
		return nil, err
	}
	r := res[0]
	np := r.NParams
	out := &LogRatioSample{N: n * k, NObs: r.NObs, NParams: np, Points: r.Points}
	out.X = make([]float64, 0, out.N*r.NObs)
	out.Theta0 = make([]float64, 0, out.N*np)
	out.Theta1 = make([]float64, 0, out.N*np)
	out.LogR = make([]float64, 0, out.N)
	for i := 0; i < r.N; i++ {
		if r.Y[i] != 0 {
			continue
		}
		out.X = append(out.X, r.X[i*r.NObs:(i+1)*r.NObs]...)
		out.Theta0 = append(out.Theta0, r.Theta0[i*r.NTheta:i*r.NTheta+np]...)
		out.Theta1 = append(out.Theta1, r.Theta1[i*r.NTheta:i*r.NTheta+np]...)
		out.LogR = append(out.LogR, math.Log(r.RXZ[i]))
	}
	if len(out.LogR) != out.N {
		return nil, fmt.Errorf("sampling: ExactLogRatios: %d rows drawn from θ0, want %d", len(out.LogR), out.N)
	}
	return out, nil
}

// count returns the number of points the specification resolves to.
func (s ThetaSpec) count() (int, error) {
	switch {
	case s.Benchmarks != nil && s.Points == nil && s.Random == nil:
		return len(s.Benchmarks), nil
	case s.Points != nil && s.Benchmarks == nil && s.Random == nil:
		return len(s.Points), nil
	case s.Random != nil && s.Benchmarks == nil && s.Points == nil:
		return s.Random.N, nil
	}
	return 0, errors.New("sampling: a θ specification needs exactly one of benchmarks, points or random points")
}
