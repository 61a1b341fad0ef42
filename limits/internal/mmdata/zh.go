// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package mmdata

import (
	"encoding/json"
	"fmt"
	"os"
)

// ZHEvents and ZHReference are the paths, relative to the shared folder,
// of the 30000-event ZH sample and of MadMiner's reference numbers on it.
const (
	ZHEvents    = "data/madminer/zh30k_lhe_data.h5"
	ZHReference = "reference/zh/reference.json"
)

// ReadJSON decodes the JSON file at path into v.
func ReadJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("mmdata: %s: %w", path, err)
	}
	return nil
}

// LoadZH loads the event file evPath and decodes the reference file
// refPath into ref (the part of it a test reads).
func LoadZH(evPath, refPath string, ref any) (*Events, error) {
	ev, err := Load(evPath)
	if err != nil {
		return nil, err
	}
	if err := ReadJSON(refPath, ref); err != nil {
		return nil, err
	}
	return ev, nil
}

// Column returns the values of the named observable, one per event, or
// nil if there is no such observable.
func (ev *Events) Column(name string) []float64 {
	for j, n := range ev.ObsNames {
		if n == name {
			out := make([]float64, ev.N)
			for i := range out {
				out[i] = ev.X[i*ev.NObs+j]
			}
			return out
		}
	}
	return nil
}

// Morpher returns the morpher of the events' morphing setup.
func (ev *Events) Morpher() *Morpher {
	return &Morpher{Components: ev.Components, Matrix: ev.Matrix}
}
