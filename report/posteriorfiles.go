// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package report

import (
	"fmt"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/internal/npy"
	"github.com/goldmine-hep/goldmine/posterior"
)

// PosteriorFiles names the .npy files of one posterior scan, relative to
// the folder they are in; "" or nil where there are none.
type PosteriorFiles struct {
	// Grid and MemberGrids hold the density of the (mixture) posterior
	// and of its members at every grid point, first axis outermost.
	Grid        string
	MemberGrids []string
	// Samples holds the MCMC draws of the parameters of interest
	// (draws × parameters).
	Samples string
}

// ReadPosteriorFiles reads the densities and draws of the files f in the
// folder dir into sc, checked against the grid with the given axes: one
// value per grid point, draws of len(axes) parameters.
func ReadPosteriorFiles(dir string, f PosteriorFiles, axes [][]float64, sc *PosteriorScan) error {
	var err error
	n := posterior.NumPoints(axes)
	if sc.Density, err = ReadDensity(dir, f.Grid, n); err != nil {
		return err
	}
	for _, name := range f.MemberGrids {
		d, err := ReadDensity(dir, name, n)
		if err != nil {
			return err
		}
		sc.MemberDensities = append(sc.MemberDensities, d)
	}
	if f.Samples == "" {
		return nil
	}
	path := filepath.Join(dir, f.Samples)
	shape, d, err := npy.ReadFile(path)
	if err != nil {
		return fmt.Errorf("report: %s: %w", path, err)
	}
	if len(shape) != 2 || shape[1] != len(axes) {
		return fmt.Errorf("report: %s: shape %v, want draws × %d parameters", path, shape, len(axes))
	}
	for i := range shape[0] {
		sc.Draws = append(sc.Draws, d[i*shape[1]:(i+1)*shape[1]])
	}
	return nil
}

// ReadDensity reads the density on a grid of n points from the file name
// in the folder dir; nil if name is "".
func ReadDensity(dir, name string, n int) ([]float64, error) {
	if name == "" {
		return nil, nil
	}
	path := filepath.Join(dir, name)
	_, d, err := npy.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("report: %s: %w", path, err)
	}
	if len(d) != n {
		return nil, fmt.Errorf("report: %s: %d values for a grid of %d points", path, len(d), n)
	}
	return d, nil
}
