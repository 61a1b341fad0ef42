// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package mmdata loads MadMiner event files (among them the shared ZH
// sample and its reference numbers) and provides a minimal morpher
// for the tests of the limits and fisher packages. It is independent of the
// store and morphing packages on purpose: the tests compare against numbers
// produced by MadMiner, and this loader is a second, simple reading of the
// same file.
package mmdata

import (
	"fmt"
	"strings"

	"github.com/scigolib/hdf5"
)

// Events holds a MadMiner event file in memory.
type Events struct {
	N, NObs, NBench int
	ObsNames        []string
	BenchNames      []string
	Benchmarks      [][]float64 // benchmark parameter values
	X               []float64   // N×NObs
	W               []float64   // N×NBench
	Sampling        []int
	Components      [][]int
	Matrix          [][]float64 // [component][benchmark]
}

func find(f *hdf5.File, path string) *hdf5.Dataset {
	var ds *hdf5.Dataset
	f.Walk(func(p string, obj hdf5.Object) {
		if d, ok := obj.(*hdf5.Dataset); ok && strings.TrimPrefix(p, "/") == strings.TrimPrefix(path, "/") {
			ds = d
		}
	})
	return ds
}

func readF(f *hdf5.File, path string) ([]float64, error) {
	ds := find(f, path)
	if ds == nil {
		return nil, fmt.Errorf("mmdata: dataset %s not found", path)
	}
	return ds.Read()
}

func readS(f *hdf5.File, path string) ([]string, error) {
	ds := find(f, path)
	if ds == nil {
		return nil, fmt.Errorf("mmdata: dataset %s not found", path)
	}
	s, err := ds.ReadStrings()
	for i := range s {
		s[i] = strings.TrimRight(s[i], "\x00 ")
	}
	return s, err
}

// Load reads a MadMiner event file.
func Load(path string) (*Events, error) {
	f, err := hdf5.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mmdata: %s: %w", path, err)
	}
	defer f.Close()
	ev := &Events{}
	if ev.ObsNames, err = readS(f, "observables/names"); err != nil {
		return nil, err
	}
	if ev.BenchNames, err = readS(f, "benchmarks/names"); err != nil {
		return nil, err
	}
	ev.NObs, ev.NBench = len(ev.ObsNames), len(ev.BenchNames)
	bv, err := readF(f, "benchmarks/values")
	if err != nil {
		return nil, err
	}
	np := len(bv) / ev.NBench
	for b := 0; b < ev.NBench; b++ {
		ev.Benchmarks = append(ev.Benchmarks, bv[b*np:(b+1)*np])
	}
	if ev.X, err = readF(f, "samples/observations"); err != nil {
		return nil, err
	}
	if ev.W, err = readF(f, "samples/weights"); err != nil {
		return nil, err
	}
	ev.N = len(ev.X) / ev.NObs
	if len(ev.W) != ev.N*ev.NBench {
		return nil, fmt.Errorf("mmdata: %s: %d weights for %d events and %d benchmarks", path, len(ev.W), ev.N, ev.NBench)
	}
	s, err := readF(f, "samples/sampling_benchmarks")
	if err != nil {
		return nil, err
	}
	ev.Sampling = make([]int, len(s))
	for i, v := range s {
		ev.Sampling[i] = int(v)
	}
	comp, err := readF(f, "morphing/components")
	if err != nil {
		return nil, err
	}
	nc := len(comp) / np
	for c := 0; c < nc; c++ {
		row := make([]int, np)
		for p := range row {
			row[p] = int(comp[c*np+p])
		}
		ev.Components = append(ev.Components, row)
	}
	m, err := readF(f, "morphing/morphing_matrix")
	if err != nil {
		return nil, err
	}
	nb := len(m) / nc
	for c := 0; c < nc; c++ {
		ev.Matrix = append(ev.Matrix, m[c*nb:(c+1)*nb])
	}
	return ev, nil
}

// Morpher is a plain implementation of w_b(θ) = Σ_c M[c,b] ∏_p θ_p^{n_cp}.
type Morpher struct {
	Components [][]int
	Matrix     [][]float64 // [component][benchmark]
}

// NumParams returns the number of parameters.
func (m *Morpher) NumParams() int { return len(m.Components[0]) }

// NumBasis returns the number of basis benchmarks.
func (m *Morpher) NumBasis() int { return len(m.Matrix[0]) }

func ipow(x float64, n int) float64 {
	r := 1.0
	for i := 0; i < n; i++ {
		r *= x
	}
	return r
}

// WeightsTo writes w_b(θ) into dst.
func (m *Morpher) WeightsTo(dst, theta []float64) []float64 {
	nb := m.NumBasis()
	if dst == nil {
		dst = make([]float64, nb)
	}
	for b := range dst[:nb] {
		dst[b] = 0
	}
	for c, comp := range m.Components {
		f := 1.0
		for p, n := range comp {
			f *= ipow(theta[p], n)
		}
		for b := 0; b < nb; b++ {
			dst[b] += m.Matrix[c][b] * f
		}
	}
	return dst
}

// GradientsTo writes ∂w_b/∂θ_p into dst[p*NumBasis+b].
func (m *Morpher) GradientsTo(dst, theta []float64) []float64 {
	nb, np := m.NumBasis(), m.NumParams()
	if dst == nil {
		dst = make([]float64, nb*np)
	}
	for i := range dst[:nb*np] {
		dst[i] = 0
	}
	for c, comp := range m.Components {
		for p := 0; p < np; p++ {
			if comp[p] == 0 {
				continue
			}
			f := float64(comp[p]) * ipow(theta[p], comp[p]-1)
			for q, n := range comp {
				if q != p {
					f *= ipow(theta[q], n)
				}
			}
			for b := 0; b < nb; b++ {
				dst[p*nb+b] += m.Matrix[c][b] * f
			}
		}
	}
	return dst
}
