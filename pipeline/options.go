// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/observables"
)

// CardOptions returns the card loading options of the pipeline: expressions
// are checked by compiling them as the analysis will, and the setup of a
// madminer sample is read from its events file.
func CardOptions() cards.Options {
	return cards.Options{CheckExpr: checkExpr, MadMinerSetup: madMinerSetup}
}

func checkExpr(src string, known []string) error {
	c := observables.Compiler{Vars: known}
	_, err := c.Compile("expression", src)
	return err
}
