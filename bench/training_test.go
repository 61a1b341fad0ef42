// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package bench

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/pipeline"
)

// benchCard loads zh30k.yaml with the ZH file of ../shared.
func benchCard(tb testing.TB) *cards.Card {
	tb.Helper()
	repotest.Shared(tb, "data/lhe/zh_smeft_cHW_cHq3_30000ev.lhe.gz")
	c, err := cards.Load("zh30k.yaml", pipeline.CardOptions())
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// benchWorkdir returns a working directory holding the augmented samples
// of zh30k.yaml: $GOLDMINE_BENCH_WORKDIR if set (bench/training.sh sets
// it), else a directory under os.TempDir named after the card's content,
// filled on first use by the product's setup, analyse and augment stages.
func benchWorkdir(tb testing.TB, c *cards.Card) string {
	tb.Helper()
	if w := os.Getenv("GOLDMINE_BENCH_WORKDIR"); w != "" {
		return w
	}
	src, err := os.ReadFile("zh30k.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	sum := sha256.Sum256(src)
	w := filepath.Join(os.TempDir(), "goldmine-bench-zh30k-"+hex.EncodeToString(sum[:6]))
	if _, err := os.Stat(filepath.Join(w, "samples", "alices_heldout", "manifest.json")); err == nil {
		return w
	}
	env := pipeline.NewEnv(c, w, nil, nil)
	for _, st := range []string{"setup", "analyse", "augment"} {
		if _, err := pipeline.RunStage(context.Background(), env, st); err != nil {
			tb.Fatal(err)
		}
	}
	return w
}

// cpuSeconds returns the user and system CPU time of the process.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

var trainResult *pipeline.TrainResult

// BenchmarkTraining runs goldmine train (the train stage, which loads the
// augmented .npy files, trains through ml's Train and saves the model) on
// the 75k-sample SALLY and ALICES training sets of zh30k.yaml (validated
// on 25k samples): SALLY hidden (50, 50) and ALICES hidden (100,), 20
// epochs, MadMiner's defaults otherwise, in float64 and float32. One op is one training.
// It trains with 1 and 2 workers, GOMAXPROCS set to the number of
// workers. Beside ns/op it reports the wall and CPU seconds per epoch and
// the validation loss of the model kept (early stopping: the best epoch).
//
// MadMiner on this machine, same data, its fastest setting (1 thread,
// n_workers=0): SALLY 26.6 s, final validation loss 0.040; its default
// (n_workers=8): 60–142 s (issue 17; bench/training.sh measures it beside
// this benchmark when MadMiner is installed).
func BenchmarkTraining(b *testing.B) {
	c := benchCard(b)
	w := benchWorkdir(b, c)
	all := c.Training
	for _, name := range []string{"sally", "alices"} {
		i := slices.IndexFunc(all, func(t cards.Training) bool { return t.Name == name })
		if i < 0 {
			b.Fatalf("zh30k.yaml has no training %s", name)
		}
		for _, prec := range []string{"float64", "float32"} {
			for _, workers := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/%s/workers=%d", name, prec, workers), func(b *testing.B) {
					t := all[i]
					t.Precision, t.Workers = prec, workers
					cc := *c
					cc.Training = []cards.Training{t}
					env := pipeline.NewEnv(&cc, w, nil, nil)
					defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(workers))
					b.ReportAllocs()
					b.ResetTimer()
					cpu := cpuSeconds()
					var epochs int
					var val float64
					for n := 0; n < b.N; n++ {
						r, err := pipeline.RunStage(context.Background(), env, "train")
						if err != nil {
							b.Fatal(err)
						}
						res, ok := r.(*pipeline.TrainResult)
						if !ok {
							b.Fatalf("train stage gave a %T", r)
						}
						trainResult = res
						m := res.Models[0]
						epochs += len(m.TrainLoss)
						val = slices.Min(m.ValLoss)
					}
					b.ReportMetric(b.Elapsed().Seconds()/float64(epochs), "s/epoch")
					b.ReportMetric((cpuSeconds()-cpu)/float64(epochs), "cpu-s/epoch")
					b.ReportMetric(val, "val-loss")
				})
			}
		}
	}
}
