// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// gaussDraws returns n draws of a 3-D Gaussian with unit variances and
// correlation 0.8 between the first two parameters.
func gaussDraws(n int) [][]float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([][]float64, n)
	for i := range out {
		a, b, c := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
		out[i] = []float64{a, 0.8*a + 0.6*b, 2 + 0.5*c}
	}
	return out
}

func TestCorner(t *testing.T) {
	d := gaussDraws(5000)
	fig, err := Corner(d, []string{"a", "b", "c"}, &CornerSettings{Truth: []float64{0, 0, 2}})
	if err != nil {
		t.Fatal(err)
	}
	// Size, colours, PDF and atomic saving as for every figure.
	img := repotest.DecodePNG(t, checkFigure(t, fig, "corner"))
	// The upper-right third (above the diagonal) stays white.
	b := img.Bounds()
	for y := b.Min.Y + 10; y < b.Min.Y+b.Dy()/3-10; y += 5 {
		for x := b.Max.X - b.Dx()/3 + 10; x < b.Max.X-10; x += 5 {
			if r, g, bb, _ := img.At(x, y).RGBA(); r>>8 != 255 || g>>8 != 255 || bb>>8 != 255 {
				t.Fatalf("pixel (%d, %d) above the diagonal is not white", x, y)
			}
		}
	}
	// One parameter: just the histogram.
	if _, err := Corner([][]float64{{1}, {2}, {2.5}}, nil, nil); err != nil {
		t.Errorf("1-D corner plot: %v", err)
	}
	for _, c := range []struct {
		name  string
		d     [][]float64
		names []string
		s     *CornerSettings
	}{
		{"one draw", [][]float64{{1}}, nil, nil},
		{"ragged", [][]float64{{1, 2}, {1}}, nil, nil},
		{"nan", [][]float64{{1}, {math.NaN()}}, nil, nil},
		{"names", d, []string{"a"}, nil},
		{"truth", d, nil, &CornerSettings{Truth: []float64{1}}},
		{"level", d, nil, &CornerSettings{Levels: []float64{1.2}}},
		{"range", d, nil, &CornerSettings{Ranges: [][2]float64{{0, 1}, {1, 0}, {0, 1}}}},
		{"bins", d, nil, &CornerSettings{Bins: 1}},
	} {
		if _, err := Corner(c.d, c.names, c.s); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func TestHPDLevels(t *testing.T) {
	// The bins inside the smoothed histogram's 68% and 95% regions hold
	// 68% and 95% of the draws, up to the last bin's count; and the regions
	// are those of the Gaussian, χ² ≤ −2 log(1−α), up to the binning.
	d := gaussDraws(200000)
	const nb = 60
	z := make([]float64, nb*nb)
	lo, hi := -4.5, 4.5
	bin := func(v float64) int { return int(math.Floor((v - lo) / (hi - lo) * nb)) }
	for _, v := range d {
		i, j := bin(v[0]), bin(v[1])
		if i >= 0 && j >= 0 && i < nb && j < nb {
			z[i*nb+j]++
		}
	}
	sm := smooth3(z, nb)
	levels := hpdLevels(sm, z, float64(len(d)), []float64{0.68, 0.95})
	for l, a := range []float64{0.68, 0.95} {
		in, area := 0.0, 0.0
		cell := (hi - lo) / nb
		for i := range sm {
			if sm[i] >= levels[l] {
				in += z[i]
				area += cell * cell
			}
		}
		if f := in / float64(len(d)); math.Abs(f-a) > 0.002 {
			t.Errorf("level %v: fraction of draws inside %v", a, f)
		}
		// Area of the ellipse: π(−2 log(1−α))√(1 − 0.8²).
		want := math.Pi * -2 * math.Log(1-a) * 0.6
		if math.Abs(area-want) > 0.03*want {
			t.Errorf("level %v: region area %v, want %v", a, area, want)
		}
	}
}
