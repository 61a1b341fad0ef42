// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/madgraph"
)

// MadGraph jobs. A run of the madgraph section with jobs: N > 1 is N
// independent MG5 runs of its benchmark, NAME.j0 … NAME.j(N-1)
// (cards.JobName), each with events cards.SplitEvents of the run's total
// and its own MG5 seed, madgraph.Seed(base, ID) with base the run's
// seed, or the campaign seed where the run has none. Every job is an MG5 run of the
// job folder and a shard of the generate stage; a sample of the run is N
// samples, SAMPLE.j0 …, one for each job's LHE file (expandSamples).
// Samples of one benchmark each estimate its cross section and are
// averaged (package analysis): the N samples of a signal run count its
// cross section once. Background samples add, so each background job's
// sample has the k-factor of the sample over N. A run of one job is the
// run as it is: its name, its events, its seed (none if the card has
// none, and MG5 then takes its own).

// mgJob is one MG5 job of a run of the madgraph section.
type mgJob struct {
	Name string
	run  int // index in madgraph.runs
	k, n int // job k of n
}

// mgJobs returns the MG5 jobs of the card's madgraph section, run by run.
func mgJobs(c *cards.Card) []mgJob {
	if c.MadGraph == nil {
		return nil
	}
	var out []mgJob
	for i := range c.MadGraph.Runs {
		r := &c.MadGraph.Runs[i]
		n := r.NJobs()
		for k := range n {
			out = append(out, mgJob{Name: cards.JobName(r.Name, k, n), run: i, k: k, n: n})
		}
	}
	return out
}

// mgRuns returns the MG5 runs of the card's jobs: events and seed set per
// job.
func mgRuns(e *Env) []madgraph.Run {
	c := e.Card
	mg := c.MadGraph
	var out []madgraph.Run
	for _, j := range mgJobs(c) {
		r := mg.Runs[j.run]
		run := madgraph.Run{Name: j.Name, SampleBenchmark: r.Benchmark, Background: r.Background, Pythia8Card: c.ResolvePath(mg.Pythia8Card)}
		if r.RunCard != "" {
			run.RunCard = c.ResolvePath(r.RunCard)
		}
		if ev := cards.SplitEvents(r.Events, j.k, j.n); ev > 0 {
			run.RunCardSettings = append(run.RunCardSettings, madgraph.Setting{Key: "nevents", Value: strconv.Itoa(ev)})
		}
		iseed := r.Seed
		if j.n > 1 {
			base := e.Seed
			if r.Seed != 0 {
				base = uint64(r.Seed)
			}
			iseed = madgraph.Seed(base, j.Name)
		}
		if iseed != 0 {
			run.RunCardSettings = append(run.RunCardSettings, madgraph.Setting{Key: "iseed", Value: strconv.Itoa(iseed)})
		}
		out = append(out, run)
	}
	return out
}

// expandSamples returns the card's samples with each sample of a
// MadGraph run of N > 1 jobs replaced by N samples, one for each job's
// LHE file: SAMPLE.jK reading job K (madgraph_run NAME.jK), with its
// share of max_events (cards.SplitEvents) and, for a background, the
// k-factor over N. It needs the card alone, so that the analyse shards
// follow from the card (Shards).
func expandSamples(c *cards.Card) []cards.Sample {
	var out []cards.Sample
	for _, s := range c.Samples {
		var run *cards.MadGraphRun
		if mg := c.MadGraph; s.MadGraphRun != "" && s.LHE == "" && mg != nil {
			if i := slices.IndexFunc(mg.Runs, func(r cards.MadGraphRun) bool { return r.Name == s.MadGraphRun }); i >= 0 {
				run = &mg.Runs[i]
			}
		}
		n := 1
		if run != nil {
			n = run.NJobs()
		}
		if n == 1 {
			out = append(out, s)
			continue
		}
		for k := range n {
			j := s
			j.Name, j.MadGraphRun = cards.JobName(s.Name, k, n), cards.JobName(s.MadGraphRun, k, n)
			j.MaxEvents = cards.SplitEvents(s.MaxEvents, k, n)
			if j.Background || (j.SampledFrom == "" && run.Background) {
				kf := j.KFactor
				if kf == 0 {
					kf = 1
				}
				j.KFactor = kf / float64(n)
			}
			out = append(out, j)
		}
	}
	return out
}

// processLock returns the lock of the MadGraph job folder that the
// generate shards share (madgraph.Config.ProcessLock): the working
// directory's sub-folder lock of "madgraph", waited for while another
// shard holds it (workdir.Dir.WaitSub).
func (e *Env) processLock(ctx context.Context) (func(), error) {
	release, err := e.WaitSub(ctx, "madgraph", "goldmine generate --shard (job folder)", e.Log,
		func(err error) { e.logf("generate: waiting for the MadGraph job folder: %v\n", err) })
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	return func() { release() }, nil
}
