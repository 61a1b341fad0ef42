// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"fmt"
	"io"

	"github.com/goldmine-hep/goldmine/pipeline"
)

// printShower writes a human summary of goldmine shower.
func printShower(w io.Writer, r *pipeline.ShowerResult) {
	fmt.Fprintf(w, "Pythia 8: %s\n", r.Program)
	for _, s := range r.Samples {
		fmt.Fprintf(w, "  %-12s %d of %d LHE events showered (paired by %s, seed %d) in %.1fs → %s\n",
			s.Name, s.Events, s.LHEEvents, s.Pairing, s.Seed, s.Seconds, s.HepMC)
	}
}
