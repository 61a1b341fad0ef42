// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package analysis

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/goldmine-hep/goldmine/store"
)

// FileSample is a sample whose events are analysed already: an events
// file written by MadMiner or goldmine.
type FileSample struct {
	Name string
	File string
}

// CombineSettings configures CombineIn. A nil *CombineSettings means all
// defaults.
type CombineSettings struct {
	// Setup, if not nil, is the setup every file must have
	// (store.CompareSetup; the error is then a *store.MismatchError),
	// read from the file SetupName.
	Setup     *store.Setup
	SetupName string
	// Shuffle, if not nil, shuffles the combined events.
	Shuffle *rand.Rand
	// Progress, if not nil, receives the merge's progress.
	Progress io.Writer
}

// CombineIn writes the events file out inside root from the events files
// of samples, analysed already, as MadMiner's combine_and_shuffle combines
// them without k-factors (store.MergeEventsIn), and summarises it as Run
// does: every file's events pass, and the cross section of a benchmark is
// the combined file's.
func CombineIn(root *os.Root, out string, samples []FileSample, s *CombineSettings) (*Result, error) {
	var set CombineSettings
	if s != nil {
		set = *s
	}
	start := time.Now()
	res := &Result{File: filepath.Join(root.Name(), out), Dropped: map[string]int{}, XSecPB: map[string]float64{}}
	var files []string
	for _, sm := range samples {
		f, err := store.OpenEvents(sm.File)
		if err != nil {
			return nil, fmt.Errorf("analysis: sample %s: %w", sm.Name, err)
		}
		h, n := f.Header(), f.N()
		f.Close()
		if set.Setup != nil {
			if err := store.CompareSetup(&h.Setup, sm.File, set.Setup, set.SetupName); err != nil {
				return nil, fmt.Errorf("analysis: %w", err)
			}
		}
		res.Samples = append(res.Samples, SampleResult{Name: sm.Name, File: sm.File, Events: n, Passed: n, EventNorm: "file", EventNormReason: "events analysed already (madminer sample)", Scale: 1})
		res.EventsRead += n
		files = append(files, sm.File)
	}
	mr, err := store.MergeEventsIn(root, out, files, &store.MergeSettings{Shuffle: set.Shuffle, Progress: set.Progress})
	if err != nil {
		return nil, fmt.Errorf("analysis: %w", err)
	}
	res.EventsWritten = mr.Events
	h, err := store.ReadEventsHeader(res.File)
	if err != nil {
		return nil, err
	}
	for b, bm := range h.Benchmarks {
		res.Benchmarks = append(res.Benchmarks, bm.Name)
		res.XSecPB[bm.Name] = mr.XSec[b]
	}
	res.Seconds = time.Since(start).Seconds()
	if res.Seconds > 0 {
		res.EventsPerSecond = float64(res.EventsRead) / res.Seconds
	}
	return res, nil
}
