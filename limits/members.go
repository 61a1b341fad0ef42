// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import "fmt"

// The network uncertainty of a scan whose model is an ensemble: every
// member scanned alone on the same grid and data, and the band of their
// p-values around the ensemble's scan (NewBand).

// EventBand scans the members of an ensemble scan, one specification
// each, on the events of r (FromEvents with the settings s, without toys
// and without merging shards: the members are scanned here) and returns
// their band around the ensemble's scan ens, named name.
func EventBand(r EventReader, m Morpher, name string, ens *Result, members []ScanSpec, s EventSettings) (*Band, error) {
	axes, err := s.Grid.Axes()
	if err != nil {
		return nil, err
	}
	s.ToyPoints, s.Toys, s.MergeChunks, s.MergeToys = nil, 0, nil, nil
	mr, err := FromEvents(r, m, members, s)
	if err != nil {
		return nil, fmt.Errorf("limits: members of scan %s: %w", name, err)
	}
	return NewBand(name, axes, ens, mr.Results)
}

// ModelBand scans the models of the members of an ensemble scan on the
// data at the points of the grid with the given axes (Scan with the
// settings s) and returns their band around the ensemble's scan ens,
// named name.
func ModelBand(name string, axes [][]float64, ens *Result, members []Model, data *Data, points [][]float64, s *Settings) (*Band, error) {
	var res []*Result
	for _, m := range members {
		r, err := Scan(m, data, points, s)
		if err != nil {
			return nil, fmt.Errorf("limits: members of scan %s: %w", name, err)
		}
		res = append(res, r)
	}
	return NewBand(name, axes, ens, res)
}
