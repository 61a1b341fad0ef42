// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package progress prints the progress of a long step on a terminal: a
// rate line, rewritten in place at most every half second, and a final
// summary line.
package progress

import (
	"fmt"
	"io"
	"time"
)

// Counter counts events and reports their rate. A Counter with a nil
// writer counts silently.
type Counter struct {
	w     io.Writer
	what  string
	n     int
	start time.Time
	last  time.Time
}

// New returns a counter that reports to w (nil: silent) under the name
// what.
func New(w io.Writer, what string) *Counter {
	now := time.Now()
	return &Counter{w: w, what: what, start: now, last: now}
}

// Tick counts k more events.
func (p *Counter) Tick(k int) {
	p.n += k
	if p.w == nil || p.n%1024 != 0 {
		return
	}
	if now := time.Now(); now.Sub(p.last) > 500*time.Millisecond {
		p.last = now
		fmt.Fprintf(p.w, "\r%s: %d events, %.0f events/s", p.what, p.n, float64(p.n)/now.Sub(p.start).Seconds())
	}
}

// Done writes the summary line.
func (p *Counter) Done() {
	if p.w == nil {
		return
	}
	d := time.Since(p.start)
	fmt.Fprintf(p.w, "\r%s: %d events in %.2fs (%.0f events/s)\n", p.what, p.n, d.Seconds(), float64(p.n)/d.Seconds())
}
