// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package study

import (
	"fmt"

	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/plot"
)

// Figure draws the study table: the error of log r̂ against the training
// size, one curve with error bars per method, log-log.
func Figure(r *Result) (*plot.Figure, error) {
	return figure(r.Methods, r.Curve, fmt.Sprintf("Galton board, %d rows: sample efficiency (%d seeds)", r.Rows, r.Seeds), false)
}

// EventFigure draws the table of the events study as Figure does, with
// the given title ("" for a default), the spread over seeds as bands.
func EventFigure(r *EventResult, title string) (*plot.Figure, error) {
	if title == "" {
		title = fmt.Sprintf("sample efficiency against the exact likelihood ratio (%d seeds)", r.Seeds)
	}
	return figure(r.Methods, r.Curve, title, true)
}

func figure(methods []ml.Method, curve func(ml.Method) ([]float64, []float64, []float64), title string, band bool) (*plot.Figure, error) {
	var series []plot.Series
	for _, m := range methods {
		s := plot.Series{Label: Label(m), Band: band}
		s.X, s.Y, s.Err = curve(m)
		series = append(series, s)
	}
	return plot.Curves(series, true, plot.Labels{
		Title: title, X: "training events", Y: "E[(log r̂ − log r)²]"})
}
