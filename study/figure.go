// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package study

import (
	"fmt"

	"github.com/goldmine-hep/goldmine/plot"
)

// Figure draws the study table: the error of log r̂ against the training
// size, one curve with error bars per method, log-log.
func Figure(r *Result) (*plot.Figure, error) {
	var series []plot.Series
	for _, m := range r.Methods {
		s := plot.Series{Label: Label(m)}
		s.X, s.Y, s.Err = r.Curve(m)
		series = append(series, s)
	}
	return plot.Curves(series, true, plot.Labels{
		Title: fmt.Sprintf("Galton board, %d rows: sample efficiency (%d seeds)", r.Rows, r.Seeds),
		X:     "training events", Y: "E[(log r̂ − log r)²]"})
}
