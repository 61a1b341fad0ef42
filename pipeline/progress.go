// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"io"
	"time"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/observables"
)

// progress prints a rate line at most every half second.
type progress struct {
	w     io.Writer
	what  string
	n     int
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer, what string) *progress {
	now := time.Now()
	return &progress{w: w, what: what, start: now, last: now}
}

func (p *progress) tick(k int) {
	p.n += k
	if p.w == nil || p.n%1024 != 0 {
		return
	}
	if now := time.Now(); now.Sub(p.last) > 500*time.Millisecond {
		p.last = now
		fmt.Fprintf(p.w, "\r%s: %d events, %.0f events/s", p.what, p.n, float64(p.n)/now.Sub(p.start).Seconds())
	}
}

func (p *progress) done() {
	if p.w == nil {
		return
	}
	d := time.Since(p.start)
	fmt.Fprintf(p.w, "\r%s: %d events in %.2fs (%.0f events/s)\n", p.what, p.n, d.Seconds(), float64(p.n)/d.Seconds())
}

// CardOptions returns the card loading options of the pipeline: expressions
// are checked by compiling them as the analysis will.
func CardOptions() cards.Options {
	return cards.Options{CheckExpr: checkExpr}
}

func checkExpr(src string, known []string) error {
	c := observables.Compiler{Vars: known}
	_, err := c.Compile("expression", src)
	return err
}
