// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package mmdata

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
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

// ZH loads the ZH sample and the part R of its reference numbers once per
// test binary, for the tests that share them.
type ZH[R any] struct {
	once sync.Once
	ev   *Events
	ref  R
	err  error
}

// Load returns the ZH sample and the reference part, loading them the
// first time. It skips the test when the shared folder lacks them and
// fails it when they do not load.
func (z *ZH[R]) Load(t testing.TB) (*Events, *R) {
	t.Helper()
	evPath, refPath := repotest.Shared(t, ZHEvents), repotest.Shared(t, ZHReference)
	z.once.Do(func() {
		if z.ev, z.err = Load(evPath); z.err == nil {
			z.err = ReadJSON(refPath, &z.ref)
		}
	})
	if z.err != nil {
		t.Fatal(z.err)
	}
	return z.ev, &z.ref
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
