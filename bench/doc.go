// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package bench holds goldmine's end-to-end benchmarks, which run the
// product's own code paths on the real ZH study, and the scripts that
// measure them beside MadMiner on the same data.
//
//	go test -run '^$' -bench Training -cpu 1,2 ./bench   # goldmine train, SALLY and ALICES, 1 and 2 workers
//	bench/training.sh                                     # the same beside MadMiner, one table
//
// BenchmarkTraining needs ../shared (the 30000-event ZH file); it draws
// the training samples once with goldmine setup, analyse and augment on
// zh30k.yaml (cached in the system's temporary directory, or taken from
// $GOLDMINE_BENCH_WORKDIR) and skips with a message when ../shared is
// absent.
package bench
