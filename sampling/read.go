// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"fmt"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/store"
)

// Read reads back from dir the arrays Write wrote for a sample of kind k
// in partition p that training uses: x and, by kind, t_xz (Local), θ
// (Plain), θ and t_xz (Density), or θ0, θ1, y, r_xz, t_xz0 and t_xz1
// (Ratio). Shapes are checked before the data is used: x has nObs columns
// (any number if nObs < 0), y and r_xz one, the others nParams, and every
// array has the rows of x. The Result's NObs, NParams, NTheta and NScore
// are set from the columns read.
func Read(dir string, k Kind, p partition.Partition, nObs, nParams int) (*Result, error) {
	res := &Result{Kind: k, Partition: p, N: -1, NParams: nParams, NTheta: nParams, NScore: nParams}
	xPath := filepath.Join(dir, "x_"+p.String()+".npy")
	load := func(dst *[]float64, name string, cols int) error {
		path := filepath.Join(dir, name+"_"+p.String()+".npy")
		m, err := store.ReadMatrix(path, cols)
		if err != nil {
			return err
		}
		r, c := m.Dims()
		switch {
		case res.N < 0:
			res.N, res.NObs = r, c
		case r != res.N:
			return fmt.Errorf("sampling: %s has %d rows, %s of the same sample has %d", path, r, xPath, res.N)
		}
		*dst = m.RawMatrix().Data
		return nil
	}
	type array struct {
		dst  *[]float64
		name string
		cols int
	}
	files := []array{{&res.X, "x", nObs}}
	switch k {
	case Local:
		files = append(files, array{&res.TXZ0, "t_xz", nParams})
	case Plain:
		files = append(files, array{&res.Theta0, "theta", nParams})
	case Density:
		files = append(files, array{&res.Theta0, "theta", nParams}, array{&res.TXZ0, "t_xz", nParams})
	case Ratio:
		files = append(files, array{&res.Theta0, "theta0", nParams}, array{&res.Theta1, "theta1", nParams}, array{&res.Y, "y", 1},
			array{&res.RXZ, "r_xz", 1}, array{&res.TXZ0, "t_xz0", nParams}, array{&res.TXZ1, "t_xz1", nParams})
	}
	for _, f := range files {
		if err := load(f.dst, f.name, f.cols); err != nil {
			return nil, err
		}
	}
	return res, nil
}
