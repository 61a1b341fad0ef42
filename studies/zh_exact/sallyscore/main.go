// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Command sallyscore is the diagnostic of SALLY's cHW score in
// studies/zh_exact/README.md: it trains SALLY on 30 000 SM events of an
// events file (40 000 steps, as the study) once on the joint scores as
// they are and once on scores divided by each component's rms, and prints
// per component E[t̂²]/E[t²] and E[(t̂−t)²]/E[t²] over 20 000 test events.
//
//	go run ./studies/zh_exact/sallyscore WORKDIR/events.h5
package main

import (
	"fmt"
	"math"
	"os"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/store"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: sallyscore EVENTS.h5")
		os.Exit(2)
	}
	f, err := store.OpenEvents(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "sallyscore:", err)
		os.Exit(1)
	}
	cfg, err := sampling.ConfigFromHeader(f.Header())
	if err != nil {
		fail(err)
	}
	src := sampling.FromEventFile(f)
	n := 30000
	cfg.Seed = 11
	tr, _, err := sampling.Run(src, cfg, sampling.Request{Name: "l", Kind: sampling.Local, Theta: sampling.MorphingPoint(0, 0), N: n})
	if err != nil {
		fail(err)
	}
	test := partition.Test
	te, _, err := sampling.Run(src, cfg, sampling.Request{Name: "t", Kind: sampling.Local, Theta: sampling.MorphingPoint(0, 0), N: 20000, Partition: &test})
	if err != nil {
		fail(err)
	}
	x := mat.NewDense(n, tr[0].NObs, tr[0].X)
	t := mat.NewDense(n, 2, tr[0].TXZ0)
	tx := mat.NewDense(te[0].N, te[0].NObs, te[0].X)
	tt := mat.NewDense(te[0].N, 2, te[0].TXZ0)
	sd := make([]float64, 2)
	for k := 0; k < 2; k++ {
		c := mat.Col(nil, k, t)
		var s float64
		for _, v := range c {
			s += v * v
		}
		sd[k] = math.Sqrt(s / float64(n))
	}
	fmt.Println("rms joint score per component", sd)
	for _, scaled := range []bool{false, true} {
		tt2 := mat.DenseCopyOf(t)
		if scaled {
			for i := 0; i < n; i++ {
				for k := 0; k < 2; k++ {
					tt2.Set(i, k, tt2.At(i, k)/sd[k])
				}
			}
		}
		est := &ml.ScoreEstimator{}
		st := &ml.Settings{Epochs: int(math.Ceil(40000 * 128 / (0.75 * float64(n)))), Seed: 2026}
		if _, err := est.Train(ml.SALLY, x, tt2, st); err != nil {
			fail(err)
		}
		th, err := est.Score(nil, tx, ml.Keep)
		if err != nil {
			fail(err)
		}
		var a, b, r [2]float64
		for i := 0; i < te[0].N; i++ {
			for k := 0; k < 2; k++ {
				v := th.At(i, k)
				if scaled {
					v *= sd[k]
				}
				a[k] += v * v
				b[k] += tt.At(i, k) * tt.At(i, k)
				r[k] += (v - tt.At(i, k)) * (v - tt.At(i, k))
			}
		}
		fmt.Printf("scaled=%v: E[t̂²]/E[t²] cHW %.3f cHq3 %.3f; E[(t̂−t)²]/E[t²] cHW %.3f cHq3 %.3f\n", scaled, a[0]/b[0], a[1]/b[1], r[0]/b[0], r[1]/b[1])
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sallyscore:", err)
	os.Exit(1)
}
