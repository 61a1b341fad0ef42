// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package report

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/npy"
)

func writeNPY(t *testing.T, path string, shape []int, data []float64) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := npy.Write(f, shape, data, false); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestReadPosteriorFiles: the densities of a 2 × 3 grid and 4 draws of
// two parameters are read back as written, row by row; a density of
// another length or draws of another width are errors naming the file.
func TestReadPosteriorFiles(t *testing.T) {
	dir := t.TempDir()
	axes := [][]float64{{0, 1}, {0, 1, 2}}
	dens := []float64{1, 2, 3, 4, 5, 6}
	member := []float64{6, 5, 4, 3, 2, 1}
	draws := []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}
	writeNPY(t, filepath.Join(dir, "s", "grid.npy"), []int{2, 3}, dens)
	writeNPY(t, filepath.Join(dir, "s", "grid_member_0.npy"), []int{2, 3}, member)
	writeNPY(t, filepath.Join(dir, "s", "samples.npy"), []int{4, 2}, draws)
	writeNPY(t, filepath.Join(dir, "short.npy"), []int{5}, dens[:5])
	writeNPY(t, filepath.Join(dir, "wide.npy"), []int{2, 4}, draws)

	var sc PosteriorScan
	f := PosteriorFiles{Grid: "s/grid.npy", MemberGrids: []string{"s/grid_member_0.npy"}, Samples: "s/samples.npy"}
	if err := ReadPosteriorFiles(dir, f, axes, &sc); err != nil {
		t.Fatal(err)
	}
	want := PosteriorScan{Density: dens, MemberDensities: [][]float64{member},
		Draws: [][]float64{{0.1, 0.2}, {0.3, 0.4}, {0.5, 0.6}, {0.7, 0.8}}}
	if !reflect.DeepEqual(sc, want) {
		t.Errorf("read %+v, want %+v", sc, want)
	}

	var none PosteriorScan
	if err := ReadPosteriorFiles(dir, PosteriorFiles{}, axes, &none); err != nil || !reflect.DeepEqual(none, PosteriorScan{}) {
		t.Errorf("no files: %+v, %v; want nothing read", none, err)
	}
	if d, err := ReadDensity(dir, "", 6); d != nil || err != nil {
		t.Errorf("ReadDensity without a file: %v, %v", d, err)
	}
	for _, bad := range []PosteriorFiles{{Grid: "short.npy"}, {MemberGrids: []string{"short.npy"}}, {Samples: "wide.npy"}, {Grid: "missing.npy"}} {
		var sc PosteriorScan
		if err := ReadPosteriorFiles(dir, bad, axes, &sc); err == nil {
			t.Errorf("%+v read without error", bad)
		}
	}
}
