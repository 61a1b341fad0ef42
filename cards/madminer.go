// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"fmt"
	"slices"
	"strings"
)

// FileSetup is what a card can take from the events file of a madminer
// sample (a file MadMiner's LHEReader or DelphesReader, or goldmine
// analyse, wrote): its parameters, physics benchmarks, morphing and
// observables.
type FileSetup struct {
	Parameters []Parameter
	// Benchmarks are the physics (not nuisance) benchmarks, with a value
	// for every parameter.
	Benchmarks []Benchmark
	// Observables are the file's observables, with their definitions as
	// Expr (not compiled: the events are analysed already).
	Observables []Observable
	// Morphing reports whether the file has a morphing setup.
	Morphing bool
}

// madMinerSamples returns the indices of the card's madminer samples.
func madMinerSamples(c *Card) []int {
	var idx []int
	for i, s := range c.Samples {
		if s.MadMiner != "" {
			idx = append(idx, i)
		}
	}
	return idx
}

// HasMadMinerSamples reports whether the card's events come from events
// files written by MadMiner or goldmine (samples[].madminer).
func (c *Card) HasMadMinerSamples() bool { return len(madMinerSamples(c)) > 0 }

// importSetup fills the sections the card leaves out (parameters,
// benchmarks, morphing, observables) from the events file of its first
// madminer sample, read with Options.MadMinerSetup, and records them in
// Card.Imported. It runs before the defaults are applied.
func (v *validator) importSetup(c *Card) error {
	idx := madMinerSamples(c)
	if len(idx) == 0 || v.opts.MadMinerSetup == nil {
		return nil
	}
	key := fmt.Sprintf("samples[%d].madminer", idx[0])
	path := c.ResolvePath(c.Samples[idx[0]].MadMiner)
	fs, err := v.opts.MadMinerSetup(path)
	if err != nil {
		return v.errAt(key, "could not read the setup of %s: %v", path, err)
	}
	bad := func(what, name string, err error) error {
		return v.errAt(key, "%s: %s %q: %v", path, what, name, err)
	}
	for _, p := range fs.Parameters {
		if err := CheckName(p.Name); err != nil {
			return bad("parameter", p.Name, err)
		}
	}
	for _, b := range fs.Benchmarks {
		if err := CheckName(b.Name); err != nil {
			return bad("benchmark", b.Name, err)
		}
	}
	for _, o := range fs.Observables {
		if err := CheckName(o.Name); err != nil {
			return bad("observable", o.Name, err)
		}
	}
	imported := make(map[string]string)
	if _, given := v.lines["parameters"]; !given {
		c.Parameters = slices.Clone(fs.Parameters)
		imported["parameters"] = path
	}
	if _, given := v.lines["benchmarks"]; !given {
		c.Benchmarks = slices.Clone(fs.Benchmarks)
		imported["benchmarks"] = path
	}
	if _, given := v.lines["morphing"]; !given && fs.Morphing {
		imported["morphing"] = path
	}
	if _, given := v.lines["observables"]; !given {
		c.Observables = slices.Clone(fs.Observables)
		imported["observables"] = path
	} else {
		var got, want []string
		for _, o := range c.Observables {
			got = append(got, o.Name)
		}
		for _, o := range fs.Observables {
			want = append(want, o.Name)
		}
		if !slices.Equal(got, want) {
			return v.errAt("observables", "the observables of a card with madminer samples are those of %s (%s), in that order; this card has %s (or leave observables out)",
				path, strings.Join(want, ", "), strings.Join(got, ", "))
		}
	}
	if len(imported) > 0 {
		c.Imported = imported
	}
	return nil
}

// madMinerSample checks the madminer sample at key: it takes a name and
// the file only, and the card's other samples must be madminer samples
// too, with no analysis sections (the events are analysed already).
func (v *validator) madMinerSample(c *Card, key string) error {
	for k := range v.lines {
		if rest, ok := strings.CutPrefix(k, key+"."); ok && rest != "name" && rest != "madminer" {
			return v.errAt(k, "a madminer sample is analysed already and takes only name and madminer, not %s", rest)
		}
	}
	for i, s := range c.Samples {
		if s.MadMiner == "" {
			return v.errAt(fmt.Sprintf("samples[%d]", i), "madminer samples (%s) cannot be mixed with samples to analyse: their events are analysed already", key)
		}
	}
	for _, section := range []string{"cuts", "efficiencies", "acceptance", "smearing", "systematics", "delphes"} {
		if _, given := v.lines[section]; given {
			return v.errAt(section, "the events of madminer samples (%s) are analysed already: %s do not apply (analyse the original events instead)", key, section)
		}
	}
	return nil
}
