// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// PriorKind is the shape of a prior over one parameter.
type PriorKind int

const (
	Flat     PriorKind = iota // uniform in [A, B)
	Gaussian                  // normal with mean A and standard deviation B
)

// Prior is the prior of one parameter for random morphing points.
type Prior struct {
	Kind PriorKind
	A, B float64
}

// ThetaSpec specifies the parameter points of a sample, in the manner of
// MadMiner's benchmark(), benchmarks(), morphing_point(), morphing_points()
// and random_morphing_points(). Exactly one of its fields is set.
type ThetaSpec struct {
	// Benchmarks lists benchmark indices (one for benchmark(), several for
	// benchmarks()).
	Benchmarks []int
	// Points lists morphing points (one for morphing_point(), several for
	// morphing_points()).
	Points [][]float64
	// Random draws N points with one prior per parameter.
	Random *RandomPoints
}

// RandomPoints draws N parameter points, each parameter independently from
// its prior.
type RandomPoints struct {
	N      int
	Priors []Prior
}

// Benchmark returns the specification of one benchmark.
func Benchmark(i int) ThetaSpec { return ThetaSpec{Benchmarks: []int{i}} }

// Benchmarks returns the specification of several benchmarks.
func Benchmarks(i ...int) ThetaSpec { return ThetaSpec{Benchmarks: i} }

// MorphingPoint returns the specification of one morphing point.
func MorphingPoint(theta ...float64) ThetaSpec { return ThetaSpec{Points: [][]float64{theta}} }

// MorphingPoints returns the specification of several morphing points.
func MorphingPoints(thetas [][]float64) ThetaSpec { return ThetaSpec{Points: thetas} }

// RandomMorphingPoints returns the specification of n random points.
func RandomMorphingPoints(n int, priors ...Prior) ThetaSpec {
	return ThetaSpec{Random: &RandomPoints{N: n, Priors: priors}}
}

// Point is one resolved parameter point.
type Point struct {
	Theta     []float64
	Benchmark int       // benchmark index, or −1 for a morphing point
	Nu        []float64 // nuisance parameters, nil for the nominal ν = 0
}

// NuSpec gives the nuisance parameters ν of the points of a sample. A nil
// *NuSpec means the nominal ν = 0.
type NuSpec struct {
	// Values, if not nil, is the same ν for every point.
	Values []float64
	// Random draws ν_k ~ N(0, 1) independently for every point, as
	// MadMiner's default nuisance prior.
	Random bool
}

// apply sets the nuisance parameters of the points.
func (n *NuSpec) apply(pts []Point, nNu int, rnd *rand.Rand) error {
	if n == nil {
		return nil
	}
	if nNu == 0 {
		return errors.New("sampling: nuisance parameters requested but no nuisance setup given")
	}
	if (n.Values != nil) == n.Random {
		return errors.New("sampling: a ν specification needs exactly one of values or random")
	}
	if n.Values != nil && len(n.Values) != nNu {
		return fmt.Errorf("sampling: %d nuisance values for %d nuisance parameters", len(n.Values), nNu)
	}
	for i := range pts {
		nu := make([]float64, nNu)
		if n.Random {
			for k := range nu {
				nu[k] = rnd.NormFloat64()
			}
		} else {
			copy(nu, n.Values)
		}
		pts[i].Nu = nu
	}
	return nil
}

// Resolve turns the specification into points, drawing random points
// from rnd (each parameter of each point in turn from its prior): the one
// θ-prior sampler of goldmine, which Run uses too. benchmarks holds the
// parameter values of every benchmark.
func (s ThetaSpec) Resolve(benchmarks [][]float64, nParams int, rnd *rand.Rand) ([]Point, error) {
	set := 0
	if s.Benchmarks != nil {
		set++
	}
	if s.Points != nil {
		set++
	}
	if s.Random != nil {
		set++
	}
	if set != 1 {
		return nil, errors.New("sampling: a θ specification needs exactly one of benchmarks, points or random points")
	}
	var out []Point
	switch {
	case s.Benchmarks != nil:
		if len(s.Benchmarks) == 0 {
			return nil, errors.New("sampling: empty benchmark list")
		}
		for _, b := range s.Benchmarks {
			if b < 0 || b >= len(benchmarks) {
				return nil, fmt.Errorf("sampling: benchmark index %d outside [0, %d)", b, len(benchmarks))
			}
			out = append(out, Point{Theta: append([]float64(nil), benchmarks[b]...), Benchmark: b})
		}
	case s.Points != nil:
		if len(s.Points) == 0 {
			return nil, errors.New("sampling: empty list of morphing points")
		}
		for i, th := range s.Points {
			if len(th) != nParams {
				return nil, fmt.Errorf("sampling: morphing point %d has %d parameters, want %d", i, len(th), nParams)
			}
			for _, v := range th {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("sampling: morphing point %d is %v", i, th)
				}
			}
			out = append(out, Point{Theta: append([]float64(nil), th...), Benchmark: -1})
		}
	default:
		r := s.Random
		if r.N <= 0 {
			return nil, fmt.Errorf("sampling: %d random points requested", r.N)
		}
		if len(r.Priors) != nParams {
			return nil, fmt.Errorf("sampling: %d priors for %d parameters", len(r.Priors), nParams)
		}
		for p, pr := range r.Priors {
			switch pr.Kind {
			case Flat:
				if !(pr.A < pr.B) {
					return nil, fmt.Errorf("sampling: flat prior of parameter %d has min %v ≥ max %v", p, pr.A, pr.B)
				}
			case Gaussian:
				if !(pr.B > 0) {
					return nil, fmt.Errorf("sampling: gaussian prior of parameter %d has std %v ≤ 0", p, pr.B)
				}
			default:
				return nil, fmt.Errorf("sampling: unknown prior kind %d for parameter %d", pr.Kind, p)
			}
		}
		for i := 0; i < r.N; i++ {
			th := make([]float64, nParams)
			for p, pr := range r.Priors {
				if pr.Kind == Flat {
					th[p] = pr.A + (pr.B-pr.A)*rnd.Float64()
				} else {
					th[p] = pr.A + pr.B*rnd.NormFloat64()
				}
			}
			out = append(out, Point{Theta: th, Benchmark: -1})
		}
	}
	return out, nil
}
