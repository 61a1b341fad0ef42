// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
)

// Part describes a partial events file: the events of one shard of one
// sample (for example one of the LHE files of a sample), normalised as if
// the shard were the whole sample.
type Part struct {
	// Sample names the sample. Parts with the same name are one sample
	// split across files: MergeEvents counts its cross section once.
	Sample string
	// Events is the number of events the shard read from its input before
	// any cut: the count its weights were normalised with (for MG5's
	// event_norm average, each weight is the event's weight over Events).
	Events int64
	// Job is the batch job that made the part (Slurm's SLURM_JOB_ID,
	// HTCondor's cluster.proc), "" when it ran locally. It is kept for the
	// record only.
	Job string
}

func (p *Part) validate() error {
	if p.Sample == "" {
		return errors.New("partial file without a sample name")
	}
	if p.Events <= 0 {
		return fmt.Errorf("part of sample %s read %d events, want > 0", p.Sample, p.Events)
	}
	return nil
}

// writePart writes p (if not nil) into the group goldmine_part.
func writePart(w *h5Writer, p *Part) error {
	if p == nil {
		return nil
	}
	if err := w.strings("/goldmine_part/sample", []string{p.Sample}); err != nil {
		return err
	}
	if err := w.ints("/goldmine_part/events", []uint64{1}, []int64{p.Events}); err != nil {
		return err
	}
	return w.strings("/goldmine_part/job", []string{encodeNone(p.Job)})
}

// readPart reads the group goldmine_part, nil if the file has none.
func readPart(r *h5Reader) (*Part, error) {
	if !r.has("goldmine_part/sample") {
		return nil, nil
	}
	p := &Part{}
	sample, err := r.strings("goldmine_part/sample")
	if err != nil {
		return nil, err
	}
	events, _, err := r.ints("goldmine_part/events")
	if err != nil {
		return nil, err
	}
	job, err := r.strings("goldmine_part/job")
	if err != nil {
		return nil, err
	}
	if len(sample) != 1 || len(events) != 1 || len(job) != 1 {
		return nil, fmt.Errorf("store: %s: goldmine_part holds %d, %d and %d values, want one each", r.path, len(sample), len(events), len(job))
	}
	p.Sample, p.Events, p.Job = sample[0], events[0], decodeNone(job[0])
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", r.path, err)
	}
	return p, nil
}

// MergeSettings configures MergeEvents. A nil *MergeSettings means
// defaults.
type MergeSettings struct {
	// Shuffle, if not nil, shuffles the merged events: event i of the
	// output is event order[i] of the inputs read one after the other,
	// where order is 0…N−1 permuted by Shuffle.Shuffle, the order in which
	// goldmine analyse writes a single run's events. With the generator
	// analyse would use, merging the parts of a run in the order analyse
	// reads them gives the file analyse writes. Nil keeps the inputs'
	// order.
	Shuffle *rand.Rand
	// Batch is the number of events read at a time; 0 means 8192.
	Batch int
	// Progress, if not nil, receives a line per input.
	Progress io.Writer
}

// MergedSample describes how the parts of one sample were combined.
type MergedSample struct {
	// Name is the sample's name, "" for an input that is not a partial
	// file (then Files holds that one file).
	Name  string   `json:"name"`
	Files []string `json:"files"`
	// Events is the sum of the parts' events.
	Events int64 `json:"events"`
	// Factors are the factors the weights of each file were multiplied
	// by: its events over the sample's.
	Factors []float64 `json:"factors"`
}

// MergeResult summarises MergeEvents.
type MergeResult struct {
	File    string         `json:"file"`
	Events  int            `json:"events"`
	Samples []MergedSample `json:"samples"`
	// XSec is the sum of the merged weights of each benchmark (pb), in
	// the order of the header's benchmarks.
	XSec []float64 `json:"xsec_pb"`
}

// MergeEvents writes the events of the input files into one events file
// at dst, as MadMiner's combine_and_shuffle does, atomically.
//
// The inputs must have the same setup (parameters, benchmarks, morphing,
// systematics), observables and nuisance parameters; the error names the
// first input, the differing one and what differs.
//
// A sample split across several partial files (the same Part.Sample)
// counts its cross section once: each part was normalised as a whole
// sample, so the weights of part k are multiplied by n_k/Σn, its events
// over the sample's. For samples normalised per event (MG5's event_norm
// average or unity), the merged weights are those the analysis of all the
// parts' events as one file gives, up to rounding (two multiplications
// instead of one), and so is the sample's cross section Σw; the weighting
// by events is also the minimum-variance combination of the parts'
// estimates of σ. A sample in one file keeps its weights exactly. Inputs
// without part metadata are taken as they are (factor 1), as
// combine_and_shuffle does without k-factors.
//
// Events are read in batches. With a Shuffle they pass through a spill
// file next to dst, so memory holds one batch and one index (8 bytes) per
// event, as for goldmine analyse.
func MergeEvents(dst string, inputs []string, s *MergeSettings) (*MergeResult, error) {
	d, err := destAt(dst)
	if err != nil {
		return nil, err
	}
	return mergeEvents(d, inputs, s)
}

// MergeEventsIn is MergeEvents into the file name inside root: the
// spilled rows, the new file and its rename all go through root.
func MergeEventsIn(root *os.Root, name string, inputs []string, s *MergeSettings) (*MergeResult, error) {
	return mergeEvents(destIn(root, name), inputs, s)
}

// mergeEvents merges into d; it closes d.
func mergeEvents(d dest, inputs []string, s *MergeSettings) (res *MergeResult, err error) {
	dst := d.path()
	closed := false
	defer func() {
		if !closed {
			d.close()
		}
	}()
	if s == nil {
		s = &MergeSettings{}
	}
	batch := s.Batch
	if batch <= 0 {
		batch = 8192
	}
	if len(inputs) == 0 {
		return nil, fmt.Errorf("store: merge into %s: no input files", dst)
	}
	type input struct {
		path   string
		n      int
		group  int   // index in res.Samples
		events int64 // Part.Events, 0 for a complete file
		factor float64
	}
	var first *EventsHeader
	ins := make([]input, len(inputs))
	groups := map[string]int{} // sample → index in res.Samples
	res = &MergeResult{File: dst}
	for i, p := range inputs {
		ef, err := OpenEvents(p)
		if err != nil {
			return nil, err
		}
		h, n := ef.Header(), ef.N()
		ef.Close()
		if first == nil {
			c := h.clone()
			first = &c
		} else if d := diffHeaders(first, h); d != "" {
			return nil, fmt.Errorf("store: merge: %s and %s differ: %s", inputs[0], p, d)
		}
		ins[i] = input{path: p, n: n, group: len(res.Samples)}
		if h.Part == nil {
			res.Samples = append(res.Samples, MergedSample{Files: []string{p}})
			continue
		}
		k, ok := groups[h.Part.Sample]
		if !ok {
			k = len(res.Samples)
			groups[h.Part.Sample] = k
			res.Samples = append(res.Samples, MergedSample{Name: h.Part.Sample})
		}
		ins[i].group, ins[i].events = k, h.Part.Events
		res.Samples[k].Files = append(res.Samples[k].Files, p)
		res.Samples[k].Events += h.Part.Events
	}
	// The factors: the events of each part over the sample's.
	for i := range ins {
		ms := &res.Samples[ins[i].group]
		ins[i].factor = 1
		if ms.Name != "" {
			ins[i].factor = float64(ins[i].events) / float64(ms.Events)
		}
		ms.Factors = append(ms.Factors, ins[i].factor)
	}

	h := first.clone()
	h.Part, h.SignalEvents, h.BackgroundEvents = nil, nil, 0
	nObs, nW := len(h.ObservableNames), len(h.Benchmarks)
	res.XSec = make([]float64, nW)
	w, err := createEvents(d, &h)
	if err != nil {
		return nil, err
	}
	closed = true // the writer closes d
	write := func(x, wts []float64, id int) error {
		for b, v := range wts {
			res.XSec[b] += v
		}
		res.Events++
		return w.Write(x, wts, id)
	}
	// read streams every input's rows, weights scaled, into emit.
	row := make([]float64, nObs+nW+1)
	read := func(emit func(row []float64) error) error {
		for _, in := range ins {
			ef, err := OpenEvents(in.path)
			if err != nil {
				return err
			}
			err = ef.Read(0, -1, batch, func(b *Batch) error {
				for j := 0; j < b.N; j++ {
					copy(row, b.X[j*nObs:(j+1)*nObs])
					wts := row[nObs : nObs+nW]
					copy(wts, b.Weights[j*nW:(j+1)*nW])
					if in.factor != 1 {
						for k := range wts {
							wts[k] *= in.factor
						}
					}
					row[nObs+nW] = float64(b.SamplingBenchmarks[j])
					if err := emit(row); err != nil {
						return err
					}
				}
				return nil
			})
			ef.Close()
			if err != nil {
				return err
			}
			if s.Progress != nil {
				fmt.Fprintf(s.Progress, "merge: %s: %d events\n", in.path, in.n)
			}
		}
		return nil
	}
	emitRow := func(r []float64) error { return write(r[:nObs], r[nObs:nObs+nW], int(r[nObs+nW])) }
	if s.Shuffle == nil {
		err = read(emitRow)
	} else {
		var sp *Spill
		sp, err = newSpill(d.sibling(".shuffle"), nObs+nW+1)
		if err == nil {
			err = read(sp.Write)
			if err == nil {
				err = sp.Shuffled(s.Shuffle, emitRow)
			}
			if cerr := sp.Close(); err == nil {
				err = cerr
			}
		}
	}
	if err != nil {
		w.Abort()
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return res, nil
}

// diffHeaders describes the first difference between two events headers
// in what a merge needs to agree (setup, observables, nuisance
// parameters), "" if there is none. Numbers must agree exactly: the parts
// of one run share their setup file.
func diffHeaders(a, b *EventsHeader) string {
	sameF := func(x, y float64) bool {
		return x == y || (math.IsNaN(x) && math.IsNaN(y))
	}
	if len(a.Parameters) != len(b.Parameters) {
		return fmt.Sprintf("%d parameters vs %d", len(a.Parameters), len(b.Parameters))
	}
	for i := range a.Parameters {
		p, q := a.Parameters[i], b.Parameters[i]
		if p.Name != q.Name || p.LHABlock != q.LHABlock || p.LHAID != q.LHAID || p.MaxPower != q.MaxPower ||
			!sameF(p.Range[0], q.Range[0]) || !sameF(p.Range[1], q.Range[1]) || p.Transform != q.Transform {
			return fmt.Sprintf("parameter %d: %+v vs %+v", i, p, q)
		}
	}
	if len(a.Benchmarks) != len(b.Benchmarks) {
		return fmt.Sprintf("%d benchmarks vs %d", len(a.Benchmarks), len(b.Benchmarks))
	}
	for i := range a.Benchmarks {
		p, q := a.Benchmarks[i], b.Benchmarks[i]
		if p.Name != q.Name || p.IsNuisance != q.IsNuisance || p.IsReference != q.IsReference ||
			!slices.EqualFunc(p.Values, q.Values, sameF) {
			return fmt.Sprintf("benchmark %d: %s %v (nuisance %t, reference %t) vs %s %v (nuisance %t, reference %t)",
				i, p.Name, p.Values, p.IsNuisance, p.IsReference, q.Name, q.Values, q.IsNuisance, q.IsReference)
		}
	}
	if !slices.EqualFunc(a.Components, b.Components, slices.Equal[[]int]) {
		return fmt.Sprintf("morphing components %v vs %v", a.Components, b.Components)
	}
	switch {
	case (a.MorphingMatrix == nil) != (b.MorphingMatrix == nil):
		return "one has a morphing matrix, the other none"
	case a.MorphingMatrix != nil:
		ra, ca := a.MorphingMatrix.Dims()
		rb, cb := b.MorphingMatrix.Dims()
		if ra != rb || ca != cb {
			return fmt.Sprintf("morphing matrix %d×%d vs %d×%d", ra, ca, rb, cb)
		}
		for i := 0; i < ra; i++ {
			for j := 0; j < ca; j++ {
				if x, y := a.MorphingMatrix.At(i, j), b.MorphingMatrix.At(i, j); !sameF(x, y) {
					return fmt.Sprintf("morphing matrix element (%d, %d): %v vs %v", i, j, x, y)
				}
			}
		}
	}
	if !slices.Equal(a.Systematics, b.Systematics) {
		return fmt.Sprintf("systematics %v vs %v", a.Systematics, b.Systematics)
	}
	if !slices.Equal(a.ObservableNames, b.ObservableNames) {
		return fmt.Sprintf("observables %v vs %v", a.ObservableNames, b.ObservableNames)
	}
	for i := range a.ObservableDefinitions {
		if a.ObservableDefinitions[i] != b.ObservableDefinitions[i] {
			return fmt.Sprintf("observable %s is %q vs %q", a.ObservableNames[i], a.ObservableDefinitions[i], b.ObservableDefinitions[i])
		}
	}
	if !slices.Equal(a.NuisanceParameters, b.NuisanceParameters) {
		return fmt.Sprintf("nuisance parameters %v vs %v", a.NuisanceParameters, b.NuisanceParameters)
	}
	return ""
}
