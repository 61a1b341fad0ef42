// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// MismatchError reports that the setup given by one source (a card) and
// the setup of a file disagree.
type MismatchError struct {
	Given, File string // names of the two sources
	What        string // what disagrees, naming the value of each source
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("store: %s and %s disagree: %s", e.Given, e.File, e.What)
}

// Tolerances of CompareSetup.
const (
	// benchmarkTol is the relative tolerance of benchmark values: loose
	// enough for the seven significant digits MG5 writes into LHE headers,
	// tight enough to catch a different benchmark.
	benchmarkTol = 1e-6
	// morphingTol is the tolerance of morphing matrix entries, relative to
	// the largest entry.
	morphingTol = 1e-8
)

// CompareSetup checks the parameters, physics benchmarks and morphing that
// a card gives (given, whose source is named givenName) against those of a
// file, such as a MadMiner events file read with ReadEventsHeader (file,
// named fileName). Parts that given leaves empty are not checked: the
// file's are to be used. The error is a *MismatchError naming both sources
// and what differs.
//
//   - Parameters must agree in order, name, LHA block and id and morphing
//     power. Ranges and param-card transforms are not compared: they do not
//     enter the weights stored in the file.
//   - The physics (non-nuisance) benchmarks must be the same set of names,
//     in any order, with the same values to a relative 1e-6 (MG5 writes
//     seven significant digits).
//   - If both have morphing, they must have the same components and basis
//     benchmarks (in any order) and the same matrix to 1e-8 of its largest
//     entry.
func CompareSetup(given *Setup, givenName string, file *Setup, fileName string) error {
	fail := func(format string, args ...any) error {
		return &MismatchError{Given: givenName, File: fileName, What: fmt.Sprintf(format, args...)}
	}
	if len(given.Parameters) > 0 {
		if len(given.Parameters) != len(file.Parameters) {
			return fail("%s has %d parameters (%s), %s has %d (%s)", givenName, len(given.Parameters), paramNames(given),
				fileName, len(file.Parameters), paramNames(file))
		}
		for i, p := range given.Parameters {
			q := file.Parameters[i]
			switch {
			case p.Name != q.Name:
				return fail("parameter %d is %q in %s, %q in %s", i, p.Name, givenName, q.Name, fileName)
			case p.LHABlock != q.LHABlock || p.LHAID != q.LHAID:
				return fail("parameter %s is LHA %s %d in %s, %s %d in %s", p.Name, p.LHABlock, p.LHAID, givenName, q.LHABlock, q.LHAID, fileName)
			case p.MaxPower != q.MaxPower:
				return fail("parameter %s has morphing power %d in %s, %d in %s", p.Name, p.MaxPower, givenName, q.MaxPower, fileName)
			}
		}
	}
	params := file.Parameters
	if len(given.Parameters) > 0 {
		params = given.Parameters
	}
	if phys := physics(given.Benchmarks); len(phys) > 0 {
		other := physics(file.Benchmarks)
		for _, b := range phys {
			k := slices.IndexFunc(other, func(o Benchmark) bool { return o.Name == b.Name })
			if k < 0 {
				return fail("benchmark %q is in %s, not in %s (which has %s)", b.Name, givenName, fileName, benchNames(other))
			}
			o := other[k]
			if len(b.Values) != len(o.Values) {
				return fail("benchmark %q has %d values in %s, %d in %s", b.Name, len(b.Values), givenName, len(o.Values), fileName)
			}
			for p, v := range b.Values {
				if w := o.Values[p]; !(math.Abs(v-w) <= benchmarkTol*math.Max(1, math.Max(math.Abs(v), math.Abs(w)))) {
					name := fmt.Sprint(p)
					if p < len(params) {
						name = params[p].Name
					}
					return fail("benchmark %q has %s = %.17g in %s, %.17g in %s", b.Name, name, v, givenName, w, fileName)
				}
			}
		}
		for _, o := range other {
			if !slices.ContainsFunc(phys, func(b Benchmark) bool { return b.Name == o.Name }) {
				return fail("benchmark %q is in %s, not in %s (which has %s)", o.Name, fileName, givenName, benchNames(phys))
			}
		}
	}
	if given.MorphingMatrix != nil && file.MorphingMatrix != nil {
		return compareMorphing(given, givenName, file, fileName, fail)
	}
	return nil
}

func compareMorphing(given *Setup, givenName string, file *Setup, fileName string, fail func(string, ...any) error) error {
	gc, gb := given.MorphingMatrix.Dims()
	fc, fb := file.MorphingMatrix.Dims()
	if gc != fc || gb != fb || len(given.Components) != gc || len(file.Components) != fc {
		return fail("the morphing has %d components and %d basis benchmarks in %s, %d and %d in %s", gc, gb, givenName, fc, fb, fileName)
	}
	if len(given.Benchmarks) < gb || len(file.Benchmarks) < fb {
		return fail("the morphing basis is larger than the list of benchmarks")
	}
	comp := make([]int, gc) // given component → file component
	for c, row := range given.Components {
		k := slices.IndexFunc(file.Components, func(r []int) bool { return slices.Equal(r, row) })
		if k < 0 {
			return fail("morphing component %v is in %s, not in %s", row, givenName, fileName)
		}
		comp[c] = k
	}
	basis := make([]int, gb) // given basis benchmark → file basis benchmark
	for b := range gb {
		name := given.Benchmarks[b].Name
		k := slices.IndexFunc(file.Benchmarks[:fb], func(o Benchmark) bool { return o.Name == name })
		if k < 0 {
			return fail("benchmark %q is in the morphing basis of %s, not in that of %s (%s)", name, givenName, fileName, benchNames(file.Benchmarks[:fb]))
		}
		basis[b] = k
	}
	scale := 1.0
	for c := range fc {
		for b := range fb {
			scale = math.Max(scale, math.Abs(file.MorphingMatrix.At(c, b)))
		}
	}
	for c := range gc {
		for b := range gb {
			v, w := given.MorphingMatrix.At(c, b), file.MorphingMatrix.At(comp[c], basis[b])
			if !(math.Abs(v-w) <= morphingTol*scale) {
				return fail("the morphing matrix entry of component %v and benchmark %q is %.17g in %s, %.17g in %s",
					given.Components[c], given.Benchmarks[b].Name, v, givenName, w, fileName)
			}
		}
	}
	return nil
}

func physics(bs []Benchmark) []Benchmark {
	var out []Benchmark
	for _, b := range bs {
		if !b.IsNuisance {
			out = append(out, b)
		}
	}
	return out
}

func benchNames(bs []Benchmark) string {
	var n []string
	for _, b := range bs {
		n = append(n, b.Name)
	}
	return strings.Join(n, ", ")
}

func paramNames(s *Setup) string {
	var n []string
	for _, p := range s.Parameters {
		n = append(n, p.Name)
	}
	return strings.Join(n, ", ")
}
