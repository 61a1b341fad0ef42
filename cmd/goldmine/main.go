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
	"fmt"
	"os"
)

func main() {
	if err := newRoot().Execute(); err != nil {
		fmt.Fprintf(os.Stderr, "goldmine: %v\n", err)
		os.Exit(1)
	}
}
