// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"syscall"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
)

// benchData returns MadMiner-sized synthetic training data: n samples,
// 7 observables, 2 parameters, with smooth targets.
func benchData(n int) Data {
	rnd := rand.New(rand.NewPCG(1, 2))
	d := Data{X: mat.NewDense(n, 7, nil), Theta: mat.NewDense(n, 2, nil), TXZ: mat.NewDense(n, 2, nil),
		Y: make([]float64, n), RXZ: make([]float64, n)}
	for i := 0; i < n; i++ {
		s := 0.0
		for j := 0; j < 7; j++ {
			v := rnd.NormFloat64()
			d.X.Set(i, j, v)
			s += v
		}
		d.Theta.Set(i, 0, 2*rnd.Float64()-1)
		d.Theta.Set(i, 1, 2*rnd.Float64()-1)
		d.TXZ.Set(i, 0, math.Tanh(s)+0.1*rnd.NormFloat64())
		d.TXZ.Set(i, 1, math.Sin(s)+0.1*rnd.NormFloat64())
		d.Y[i] = float64(i % 2)
		d.RXZ[i] = math.Exp(0.5 * rnd.NormFloat64())
	}
	return d
}

var benchHistory *History

// cpuTime returns the user and system CPU time of the process in seconds.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// BenchmarkEpoch times one training epoch (one op) of the trainer and
// kernels on synthetic data of the ZH study's shape at MadMiner's default
// settings: 100k samples (75k trained, 25k validated), batch 128,
// AMSGrad, tanh, hidden (100,) and (50, 50), 1 and 2 workers, float64
// and float32, and reports the CPU seconds per op beside the wall time.
// workers=1x2 trains two independent 1-worker models at once (one epoch
// of each per op): 2 × the workers=1 time ÷ its time is what the machine
// gives a second thread running the same kernels with no
// synchronisation, the ceiling for the speed-up of workers=2 in the same
// run.
// The product's path on the real ZH samples, beside MadMiner, is
// bench.BenchmarkTraining and bench/training.sh.
func BenchmarkEpoch(b *testing.B) {
	d := benchData(100000)
	for _, hidden := range [][]int{{100}, {50, 50}} {
		for _, workers := range []string{"1", "2", "1x2"} {
			for _, m := range []Method{SALLY, ALICES} {
				for _, prec := range []Precision{Float64, Float32} {
					b.Run(fmt.Sprintf("%s/hidden=%v/workers=%s/%s", m, hidden, workers, prec), func(b *testing.B) {
						w, copies := 1, 1
						switch workers {
						case "2":
							w = 2
						case "1x2":
							copies = 2
						}
						s := (&Settings{Seed: 1, Workers: w, Precision: prec, Epochs: 1}).WithDefaults()
						objs := make([]objective, copies)
						for k := range objs {
							var err error
							if m == SALLY {
								e := &ScoreEstimator{Hidden: hidden}
								objs[k], err = e.newObjective(m, d.X, d.TXZ, s)
							} else {
								e := &ParameterizedRatioEstimator{Hidden: hidden}
								objs[k], err = e.newObjective(m, d, s)
							}
							if err != nil {
								b.Fatal(err)
							}
						}
						b.ReportAllocs()
						b.ResetTimer()
						cpu := cpuTime()
						for i := 0; i < b.N; i++ {
							if err := trainAll(objs, s); err != nil {
								b.Fatal(err)
							}
						}
						b.ReportMetric((cpuTime()-cpu)/float64(b.N), "cpu-s/op")
					})
				}
			}
		}
	}
}

// trainAll trains every objective for s.Epochs at once, one goroutine
// each beyond the first.
func trainAll(objs []objective, s Settings) error {
	errs := make([]error, len(objs))
	var wg sync.WaitGroup
	for k := 1; k < len(objs); k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[k] = train(objs[k], s)
		}()
	}
	benchHistory, errs[0] = train(objs[0], s)
	wg.Wait()
	return errors.Join(errs...)
}
