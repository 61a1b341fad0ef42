// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/goldmine-hep/goldmine/internal/progress"
	"github.com/goldmine-hep/goldmine/lhe"
	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/store"
)

// InspectResult summarises a file.
type InspectResult struct {
	File   string `json:"file"`
	Format string `json:"format"` // "madminer-hdf5" or "lhe"

	Parameters  []store.Parameter `json:"parameters,omitempty"`
	Benchmarks  []store.Benchmark `json:"benchmarks,omitempty"`
	Components  [][]int           `json:"components,omitempty"`
	Observables []string          `json:"observables,omitempty"`
	Nuisance    []string          `json:"nuisance_parameters,omitempty"`
	Events      int               `json:"events"`

	// LHE only.
	Version      string            `json:"version,omitempty"`
	WeightGroups map[string]int    `json:"weight_groups,omitempty"`
	WeightIDs    []string          `json:"weight_ids,omitempty"`
	XSecPB       float64           `json:"xsec_pb,omitempty"`
	RunCard      map[string]string `json:"run_card,omitempty"`

	// MorphingCheck compares, for every event of an events file, the
	// weights of the benchmarks outside the morphing basis with the
	// morphing of the basis weights (sampling.CheckMorphing, at the
	// eight digits of MG5's LHE weights).
	MorphingCheck []sampling.MorphingCheck `json:"morphing_check,omitempty"`
}

// inspect summarises a MadMiner-layout HDF5 file or an LHE file.
func inspect(path string, log io.Writer) (*InspectResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	magic := make([]byte, 8)
	n, _ := io.ReadFull(f, magic)
	f.Close()
	if n == 8 && bytes.Equal(magic, []byte("\x89HDF\r\n\x1a\n")) {
		return inspectHDF5(path)
	}
	if ext := strings.ToLower(filepath.Ext(path)); ext == ".h5" || ext == ".hdf5" {
		return nil, fmt.Errorf("inspect: %s: not an HDF5 file (no HDF5 signature in its first bytes: empty or damaged?)", path)
	}
	return inspectLHE(path, log)
}

func inspectHDF5(path string) (*InspectResult, error) {
	res := &InspectResult{File: path, Format: "madminer-hdf5"}
	s, err := store.ReadSetup(path)
	if err != nil {
		return nil, err
	}
	res.Parameters, res.Benchmarks, res.Components = s.Parameters, s.Benchmarks, s.Components
	ef, err := store.OpenEvents(path)
	switch {
	case errors.Is(err, store.ErrNoEvents):
		return res, nil // a setup file
	case err != nil:
		return nil, err
	}
	defer ef.Close()
	h := ef.Header()
	res.Observables = h.ObservableNames
	for _, np := range h.NuisanceParameters {
		res.Nuisance = append(res.Nuisance, np.Name)
	}
	res.Events = ef.N()
	cfg, err := sampling.ConfigFromHeader(h)
	if err != nil || cfg.Morpher == nil {
		return res, nil // no morphing: nothing to check
	}
	if pts := sampling.CheckPointsFromHeader(h, cfg.Morpher); len(pts) > 0 {
		res.MorphingCheck, err = sampling.CheckMorphing(sampling.FromEventFile(ef), cfg.Morpher, morphing.WrittenPrecision(8), pts, 0)
		if err != nil {
			return nil, fmt.Errorf("inspect: %s: %w", path, err)
		}
	}
	return res, nil
}

func inspectLHE(path string, log io.Writer) (*InspectResult, error) {
	r, err := lhe.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	h := r.Header()
	res := &InspectResult{File: path, Format: "lhe", Version: h.Version, WeightGroups: make(map[string]int), RunCard: make(map[string]string)}
	for _, w := range h.Weights {
		res.WeightIDs = append(res.WeightIDs, w.ID)
		res.WeightGroups[w.Group]++
	}
	for _, p := range h.Init.Processes {
		res.XSecPB += p.XSec
	}
	for _, k := range []string{"event_norm", "nevents", "ebeam1", "ebeam2", "use_syst", "lhaid", "iseed"} {
		if v, ok := h.RunCard[k]; ok {
			res.RunCard[k] = v
		}
	}
	p := progress.New(log, "inspect")
	for r.Next() {
		res.Events++
		p.Tick(1)
	}
	p.Done()
	if err := r.Err(); err != nil {
		return nil, err
	}
	return res, nil
}

// printInspect writes a human summary.
func printInspect(w io.Writer, r *InspectResult) {
	fmt.Fprintf(w, "%s: %s", r.File, r.Format)
	if r.Version != "" {
		fmt.Fprintf(w, " %s", r.Version)
	}
	fmt.Fprintf(w, ", %d events\n", r.Events)
	if len(r.Parameters) > 0 {
		fmt.Fprintln(w, "parameters:")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, p := range r.Parameters {
			fmt.Fprintf(tw, "  %s\t%s %d\tmax power %d\trange [%g, %g]\n", p.Name, p.LHABlock, p.LHAID, p.MaxPower, p.Range[0], p.Range[1])
		}
		tw.Flush()
	}
	if len(r.Benchmarks) > 0 {
		fmt.Fprintln(w, "benchmarks:")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, b := range r.Benchmarks {
			flags := ""
			if b.IsNuisance {
				flags += " nuisance"
			}
			if b.IsReference {
				flags += " reference"
			}
			fmt.Fprintf(tw, "  %s\t%v%s\n", b.Name, b.Values, flags)
		}
		tw.Flush()
	}
	if len(r.Components) > 0 {
		fmt.Fprintf(w, "morphing components: %v\n", r.Components)
	}
	if len(r.Observables) > 0 {
		fmt.Fprintf(w, "observables: %s\n", strings.Join(r.Observables, ", "))
	}
	if len(r.Nuisance) > 0 {
		fmt.Fprintf(w, "nuisance parameters: %s\n", strings.Join(r.Nuisance, ", "))
	}
	if len(r.MorphingCheck) > 0 {
		fmt.Fprintln(w, "morphing check (weights outside the basis against the morphing of the basis weights, 8 written digits):")
		for _, c := range r.MorphingCheck {
			fmt.Fprintf(w, "  %s\n", c.String())
		}
	}
	if r.Format == "lhe" {
		fmt.Fprintf(w, "cross section (init block): %g pb\n", r.XSecPB)
		for g, n := range r.WeightGroups {
			if g == "" {
				g = "(no group)"
			}
			fmt.Fprintf(w, "weight group %s: %d weights\n", g, n)
		}
		if len(r.WeightIDs) > 0 && len(r.WeightIDs) <= 20 {
			fmt.Fprintf(w, "weight ids: %s\n", strings.Join(r.WeightIDs, ", "))
		}
		for k, v := range r.RunCard {
			fmt.Fprintf(w, "run card %s = %s\n", k, v)
		}
	}
}
