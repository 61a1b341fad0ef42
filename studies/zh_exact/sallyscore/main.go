// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Command sallyscore is the diagnostic of SALLY's cHW score in
// studies/zh_exact/README.md: it trains SALLY on SM events of an events
// file written with the observables of cards/zh_exact.yaml (40 000 steps,
// as the study) and prints, per score component over the test events,
// E[t̂²]/E[t²] and E[(t̂−t)²]/E[t²], and det E[t̂ t̂ᵀ] / det E[t tᵀ], the
// study's Fisher ratio. It trains four variants on the same events: raw,
// x as the study has it (the whole record); scaled, raw with the scores
// divided by each component's rms; angles, raw plus the angles of the ZH
// analyses computed from the four-momenta in x (Θ, the Z's polar angle in
// the Zh rest frame to the incoming quark; θ, the e⁻'s polar angle in the
// Z rest frame to the Z direction; φ, the azimuth of the e⁻ about the Z
// direction from the production plane, the angle between the production
// and the decay planes, as cos φ and sin φ); both, angles with scaled
// scores.
//
// Usage:
//
//	go run ./studies/zh_exact/sallyscore [-n 30000] [-test 20000] [-steps 40000] [-hidden 100] [-variants raw,scaled,angles,both] WORKDIR/events.h5
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/store"
)

func main() {
	n := flag.Int("n", 30000, "SM training samples")
	nTest := flag.Int("test", 20000, "SM test samples (test partition)")
	steps := flag.Int("steps", 40000, "optimizer steps of each training")
	hidden := flag.String("hidden", "100", "hidden layer sizes, comma-separated")
	only := flag.String("variants", "raw,scaled,angles,both", "variants to train, comma-separated")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: sallyscore [-n N] [-test N] EVENTS.h5")
		os.Exit(2)
	}
	path := flag.Arg(0)
	f, err := store.OpenEvents(path)
	if err != nil {
		fail(err)
	}
	cfg, err := sampling.ConfigFromHeader(f.Header())
	if err != nil {
		fail(err)
	}
	cols, err := columns(f.Header().ObservableNames)
	if err != nil {
		fail(fmt.Errorf("%s: %w", path, err))
	}
	src := sampling.FromEventFile(f)
	cfg.Seed = 11
	tr, _, err := sampling.Run(src, cfg, sampling.Request{Name: "l", Kind: sampling.Local, Theta: sampling.MorphingPoint(0, 0), N: *n})
	if err != nil {
		fail(err)
	}
	test := partition.Test
	te, _, err := sampling.Run(src, cfg, sampling.Request{Name: "t", Kind: sampling.Local, Theta: sampling.MorphingPoint(0, 0), N: *nTest, Partition: &test})
	if err != nil {
		fail(err)
	}
	x := mat.NewDense(tr[0].N, tr[0].NObs, tr[0].X)
	t := mat.NewDense(tr[0].N, 2, tr[0].TXZ0)
	tx := mat.NewDense(te[0].N, te[0].NObs, te[0].X)
	tt := mat.NewDense(te[0].N, 2, te[0].TXZ0)
	sd := make([]float64, 2)
	for k := range sd {
		sd[k] = rms(mat.Col(nil, k, t))
	}
	fmt.Printf("%d training, %d test samples; rms joint score per component %.4f\n", tr[0].N, te[0].N, sd)
	layers, err := parseInts(*hidden)
	if err != nil {
		fail(err)
	}
	for _, variant := range strings.Split(*only, ",") {
		xtr, xte, target, scale := x, tx, t, []float64{1, 1}
		if variant == "angles" || variant == "both" {
			xtr, xte = withAngles(x, cols), withAngles(tx, cols)
		}
		if variant == "scaled" || variant == "both" {
			scale = sd
			target = mat.DenseCopyOf(t)
			for i := range tr[0].N {
				for k := range 2 {
					target.Set(i, k, t.At(i, k)/sd[k])
				}
			}
		}
		est := &ml.ScoreEstimator{Hidden: layers}
		st := &ml.Settings{Epochs: int(math.Ceil(float64(*steps) * 128 / (0.75 * float64(tr[0].N)))), Seed: 2026}
		if _, err := est.Train(ml.SALLY, xtr, target, st); err != nil {
			fail(err)
		}
		th, err := est.Score(nil, xte, ml.Keep)
		if err != nil {
			fail(err)
		}
		var a, b, r [2]float64
		est2, tru := mat.NewSymDense(2, nil), mat.NewSymDense(2, nil)
		for i := range te[0].N {
			v := []float64{th.At(i, 0) * scale[0], th.At(i, 1) * scale[1]}
			for k := range 2 {
				w := tt.At(i, k)
				a[k] += v[k] * v[k]
				b[k] += w * w
				r[k] += (v[k] - w) * (v[k] - w)
				for l := k; l < 2; l++ {
					est2.SetSym(k, l, est2.At(k, l)+v[k]*v[l])
					tru.SetSym(k, l, tru.At(k, l)+w*tt.At(i, l))
				}
			}
		}
		fmt.Printf("%-6s (%2d inputs): E[t̂²]/E[t²] cHW %.3f cHq3 %.3f; E[(t̂−t)²]/E[t²] cHW %.3f cHq3 %.3f; det ratio %.3f\n",
			variant, xtr.RawMatrix().Cols, a[0]/b[0], a[1]/b[1], r[0]/b[0], r[1]/b[1], mat.Det(est2)/mat.Det(tru))
	}
}

// cols are the columns of x that the angles need.
type cols struct{ idIn1, idIn2, pzIn1, pzIn2, ep, em, h int }

// columns finds the observables of cards/zh_exact.yaml in names.
func columns(names []string) (cols, error) {
	var c cols
	for _, f := range []struct {
		p    *int
		name string
	}{{&c.idIn1, "id_in1"}, {&c.idIn2, "id_in2"}, {&c.pzIn1, "pz_in1"}, {&c.pzIn2, "pz_in2"}, {&c.ep, "px_ep"}, {&c.em, "px_em"}, {&c.h, "px_h"}} {
		if *f.p = slices.Index(names, f.name); *f.p < 0 {
			return c, fmt.Errorf("no observable %s (the observables of cards/zh_exact.yaml are needed), have %v", f.name, names)
		}
	}
	return c, nil
}

// vec4 is a four-momentum (E, px, py, pz).
type vec4 [4]float64

// at reads the four-momentum px, py, pz, e at column k of row.
func at(row []float64, k int) vec4 { return vec4{row[k+3], row[k], row[k+1], row[k+2]} }

func (p vec4) add(q vec4) vec4 { return vec4{p[0] + q[0], p[1] + q[1], p[2] + q[2], p[3] + q[3]} }

func (p vec4) vec() [3]float64 { return [3]float64{p[1], p[2], p[3]} }

// boost returns p in the rest frame of q.
func (p vec4) boost(q vec4) vec4 {
	b := [3]float64{q[1] / q[0], q[2] / q[0], q[3] / q[0]}
	b2 := dot(b, b)
	g := 1 / math.Sqrt(1-b2)
	bp := dot(b, p.vec())
	k := (g - 1) * bp / b2
	return vec4{g * (p[0] - bp), p[1] + (k-g*p[0])*b[0], p[2] + (k-g*p[0])*b[1], p[3] + (k-g*p[0])*b[2]}
}

func dot(a, b [3]float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

func unit(a [3]float64) [3]float64 {
	n := math.Sqrt(dot(a, a))
	return [3]float64{a[0] / n, a[1] / n, a[2] / n}
}

// withAngles returns x with the columns cos Θ, cos θ, cos φ and sin φ
// appended.
func withAngles(x *mat.Dense, c cols) *mat.Dense {
	n, d := x.Dims()
	out := mat.NewDense(n, d+4, nil)
	for i := range n {
		row := x.RawRowView(i)
		ep, em, h := at(row, c.ep), at(row, c.em), at(row, c.h)
		z := ep.add(em)
		zh := z.add(h)
		// The incoming quark (positive PDG id) runs along its beam.
		q := vec4{math.Abs(row[c.pzIn1]), 0, 0, row[c.pzIn1]}
		if row[c.idIn1] < 0 {
			q = vec4{math.Abs(row[c.pzIn2]), 0, 0, row[c.pzIn2]}
		}
		qz, zz, emz, epz := unit(q.boost(zh).vec()), z.boost(zh), em.boost(zh), ep.boost(zh)
		zhat := unit(zz.vec())
		cosTheta := dot(zhat, qz)
		cosTheta2 := dot(unit(emz.boost(zz).vec()), zhat)
		n1 := unit(cross(qz, zhat))
		n2 := unit(cross(epz.vec(), emz.vec()))
		cosPhi := dot(n1, n2)
		sinPhi := dot(cross(n1, n2), zhat)
		copy(out.RawRowView(i), row)
		copy(out.RawRowView(i)[d:], []float64{cosTheta, cosTheta2, cosPhi, sinPhi})
	}
	return out
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad layer size %q in %q", f, s)
		}
		out = append(out, n)
	}
	return out, nil
}

func rms(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s / float64(len(v)))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sallyscore:", err)
	os.Exit(1)
}
