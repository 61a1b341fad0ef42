// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Command goldmine runs machine-learning-based inference campaigns for
// particle physics from a YAML card.
//
// Usage:
//
//	goldmine run cards/zh.yaml          # the whole chain
//	goldmine setup cards/zh.yaml        # morphing setup → WORKDIR/setup.h5
//	goldmine inspect FILE               # summarise an HDF5 or LHE file
//
// Global flags --workdir, --seed, --quiet and --json may also be set with
// the environment variables GOLDMINE_WORKDIR, GOLDMINE_SEED, GOLDMINE_QUIET
// and GOLDMINE_JSON. Flags win over the environment, which wins over the
// card.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// SIGINT and SIGTERM cancel the command's context: goldmine generate
	// then stops MG5's whole process group and leaves the unfinished runs
	// incomplete, so that the next generate redoes them. A second signal
	// ends goldmine at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	err := newRoot().ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "goldmine: %v\n", err)
		os.Exit(1)
	}
}
