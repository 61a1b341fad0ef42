// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"
)

func TestCurves(t *testing.T) {
	s := []Series{
		{Label: "carl", X: []float64{1e3, 1e4, 1e5}, Y: []float64{0.1, 0.03, 0.01}, Err: []float64{0.02, 0.2, 0.001}},
		{Label: "alices", X: []float64{1e3, 1e4, 1e5}, Y: []float64{0.01, 0.003, 0.001}},
	}
	fig, err := Curves(s, true, Labels{Title: "study", X: "events", Y: "MSE"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := fig.Encode(&buf, "png"); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	colours := map[uint32]bool{}
	bnd := img.Bounds()
	for y := bnd.Min.Y; y < bnd.Max.Y; y += 2 {
		for x := bnd.Min.X; x < bnd.Max.X; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			colours[r>>8<<16|g>>8<<8|b>>8] = true
		}
	}
	if len(colours) < 8 {
		t.Errorf("only %d colours: blank figure?", len(colours))
	}
	buf.Reset()
	if err := fig.Encode(&buf, "pdf"); err != nil || !strings.HasPrefix(buf.String(), "%PDF") {
		t.Errorf("pdf: %v", err)
	}
	for _, bad := range [][]Series{
		nil,
		{{Label: "short", X: []float64{1, 2}, Y: []float64{1}}},
		{{Label: "nan", X: []float64{1}, Y: []float64{math.NaN()}}},
		{{Label: "zero on log axes", X: []float64{0}, Y: []float64{1}}},
		{{Label: "negative error", X: []float64{1}, Y: []float64{1}, Err: []float64{-1}}},
	} {
		if _, err := Curves(bad, true, Labels{}); err == nil {
			t.Errorf("no error for %+v", bad)
		}
	}
}
