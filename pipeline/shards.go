// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goldmine-hep/goldmine/analysis"
	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/seed"
	"github.com/goldmine-hep/goldmine/internal/workdir"
	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/stage"
	"github.com/goldmine-hep/goldmine/store"
	"github.com/goldmine-hep/goldmine/workflow"
)

// Sharded stages. The generate, analyse, train and limits stages of a
// card can be cut into shards, jobs that each compute a part of the
// stage's output into a folder of their own, WORKDIR/shards/STAGE/ID (a
// generate shard: its MG5 run's folder), and a merge that
// makes the stage's output from the parts: the numbers of the stage run in
// one process, whatever the order and place the shards ran in. The shards
// follow from the card alone (Shards), so that a workflow engine can
// build its job graph without goldmine.
//
//   - generate: one shard per MG5 job of the madgraph section (ID: the
//     run's name, or NAME.jK for job K of a run of several jobs), which
//     runs that MG5 run in the shared job folder (madgraph.Config.Only);
//     the merge only checks that every run is complete and records the
//     generate unit, so that goldmine run finds it up to date.
//   - analyse: one shard per sample (ID: the sample's name), a partial
//     events file normalised as the whole run normalises it; the merge
//     (store.MergeEvents) shuffles with the whole run's generator.
//   - augment (event cards): one shard per sampling sample, drawn as the
//     whole run draws it (sampling.Config.Only), or, for a sample of more
//     θ points than workflow.theta_chunk, one per chunk of its points
//     (ID: NAME.t<k>, sampling.Config.Chunk); the merge copies the samples
//     into samples/, joining (sampling.Join) the chunks of a sample.
//   - train: one shard per estimator, or per ensemble member (ID:
//     NAME.m<k>), seeded as the whole run seeds it; the merge assembles
//     the ensemble.
//   - limits (event cards): per θ_true, scan and chunk of grid points
//     (workflow.grid_chunk), and per toy point and toy batch
//     (limits.toys.batches); the merge profiles the best fit over all
//     chunks and calibrates with all batches (limits.FromEvents).

// ShardedStages are the stages that can run as shards.
func ShardedStages() []string { return []string{"generate", "analyse", "augment", "train", "limits"} }

// Shard is one job of a sharded stage.
type Shard struct {
	Stage string `json:"stage"`
	// ID names the shard within its stage; it follows the naming rule
	// (cards.CheckName).
	ID string `json:"id"`

	sample        int    // analyse: index in the card's samples
	sampling      string // augment: the sampling sample
	chunks        int    // augment: the number of chunks of the sample (chunk is this one's)
	model, member int    // train: index in the training section; member -1 is all
	// limits: the point of limits.theta_true, the scan's name, the chunk
	// of grid points (-1 for a toy batch), the toy point and batch;
	// augment: chunk is the θ chunk of the sample.
	point      int
	scan       string
	chunk      int
	toy, batch int
	chunkSize  int
}

// Dir is the shard's folder below the working directory, slash-separated.
func (s *Shard) Dir() string { return path.Join("shards", s.Stage, s.ID) }

// Shards returns the shards of stage st (one of ShardedStages) of card c,
// in the order their merge takes them.
func Shards(c *cards.Card, st string) ([]Shard, error) {
	var out []Shard
	switch st {
	case "analyse":
		if c.IsSimulator() || len(madMinerFiles(c)) > 0 {
			return nil, fmt.Errorf("pipeline: %s: the analyse stage of a card with simulator or madminer samples is not sharded", c.Path)
		}
		// The samples as the analyse unit reads them: a sample of a
		// MadGraph run of several jobs is one for each job's file.
		for i, s := range expandSamples(c) {
			out = append(out, Shard{Stage: st, ID: s.Name, sample: i})
		}
	case "generate":
		for _, j := range mgJobs(c) {
			out = append(out, Shard{Stage: st, ID: j.Name})
		}
	case "augment":
		if c.IsSimulator() {
			return nil, fmt.Errorf("pipeline: %s: the augment stage of a simulator card is not sharded", c.Path)
		}
		if c.Sampling == nil {
			break
		}
		for i, sp := range c.Sampling.Samples {
			n := c.ThetaChunks(i)
			if n == 1 {
				out = append(out, Shard{Stage: st, ID: sp.Name, sampling: sp.Name})
				continue
			}
			for ch := range n {
				out = append(out, Shard{Stage: st, ID: cards.ChunkName(sp.Name, ch, n), sampling: sp.Name, chunk: ch, chunks: n})
			}
		}
	case "train":
		for i, t := range c.Training {
			if t.Ensemble <= 1 {
				out = append(out, Shard{Stage: st, ID: t.Name, model: i, member: -1})
				continue
			}
			for m := range t.Ensemble {
				out = append(out, Shard{Stage: st, ID: fmt.Sprintf("%s.m%d", t.Name, m), model: i, member: m})
			}
		}
	case "limits":
		lc := c.Limits
		if lc == nil {
			return nil, nil
		}
		if c.IsSimulator() {
			return nil, fmt.Errorf("pipeline: %s: the limits stage of a simulator card is not sharded", c.Path)
		}
		n := limitsGrid(&lc.Grid).Len()
		size := n
		if c.Workflow != nil && c.Workflow.GridChunk > 0 {
			size = c.Workflow.GridChunk
		}
		var batches int
		if lc.Toys != nil {
			batches = len(limits.ToyBatchSizes(lc.Toys.N, lc.Toys.Batches))
		}
		for k := range lc.ThetaTrue {
			for _, sc := range lc.Scans {
				base := Shard{Stage: st, point: k, scan: sc.Name, chunkSize: size}
				for ch := 0; ch*size < n; ch++ {
					s := base
					s.ID, s.chunk = fmt.Sprintf("%s.p%d.c%d", sc.Name, k, ch), ch
					out = append(out, s)
				}
				if lc.Toys == nil {
					continue
				}
				for j := range lc.Toys.Points {
					for b := range batches {
						s := base
						s.ID, s.chunk, s.toy, s.batch = fmt.Sprintf("%s.p%d.t%d.b%d", sc.Name, k, j, b), -1, j, b
						out = append(out, s)
					}
				}
			}
		}
	default:
		return nil, fmt.Errorf("pipeline: stage %q is not sharded (sharded: %s)", st, strings.Join(ShardedStages(), ", "))
	}
	seen := map[string]bool{}
	for _, s := range out {
		if err := cards.CheckName(s.ID); err != nil {
			return nil, fmt.Errorf("pipeline: %s: %s shard: %v", c.Path, st, err)
		}
		if seen[s.ID] {
			return nil, fmt.Errorf("pipeline: %s: two %s shards are named %q; rename a sample, model or scan", c.Path, st, s.ID)
		}
		seen[s.ID] = true
	}
	return out, nil
}

// shardByID returns the shard id of stage st of the card.
func shardByID(c *cards.Card, st, id string) (*Shard, error) {
	all, err := Shards(c, st)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == id {
			return &all[i], nil
		}
	}
	var ids []string
	for _, s := range all {
		ids = append(ids, s.ID)
	}
	return nil, fmt.Errorf("pipeline: %s: no %s shard %q (the shards are %s)", c.Path, st, id, strings.Join(ids, ", "))
}

// ShardResult is what a shard or a merge did.
type ShardResult struct {
	Stage string `json:"stage"`
	// Shard is the shard's ID, "" for a merge.
	Shard string `json:"shard,omitempty"`
	// Job is the batch job that ran it (JobID).
	Job     string   `json:"job,omitempty"`
	Outputs []string `json:"outputs"`
	// Merged is the number of shards a merge merged.
	Merged int `json:"merged,omitempty"`
}

// JobID returns the batch job the process runs in (workflow.JobID).
func JobID() string { return workflow.JobID() }

// ShardUnit computes one shard of a stage into its folder. Its
// configuration and inputs are those of the stage's unit and the shard.
type ShardUnit struct {
	inner stage.Unit
	env   *Env
	shard *Shard
}

// NewShardUnit returns the unit of shard id of stage st of the card of e.
func NewShardUnit(e *Env, st, id string) (*ShardUnit, error) {
	s, err := shardByID(e.Card, st, id)
	if err != nil {
		return nil, err
	}
	u, err := NewUnit(e, st)
	if err != nil {
		return nil, err
	}
	return &ShardUnit{inner: u, env: e, shard: s}, nil
}

func (u *ShardUnit) ID() string { return u.shard.Stage + "/" + u.shard.ID }

func (u *ShardUnit) Config() ([]byte, error) {
	cfg, err := u.inner.Config()
	return append(cfg, fmt.Sprintf("shard %s\n", u.shard.ID)...), err
}

func (u *ShardUnit) Inputs() ([]string, error) { return u.inner.Inputs() }

// Outputs is the shard's folder; for a generate shard, the MG5 run's
// folder in the job folder.
func (u *ShardUnit) Outputs() []string {
	if u.shard.Stage == "generate" {
		return []string{filepath.Join(u.env.mgWorkDir(), "runs", u.shard.ID)}
	}
	return []string{u.env.Path(filepath.FromSlash(u.shard.Dir()))}
}

// Run computes the shard into a fresh folder.
func (u *ShardUnit) Run(ctx context.Context) (any, error) {
	e, s := u.env, u.shard
	job := JobID()
	res := &ShardResult{Stage: s.Stage, Shard: s.ID, Job: job, Outputs: u.Outputs()}
	if s.Stage == "generate" {
		// MG5's script replaces the run's folder itself, and leaves it
		// incomplete (without its fingerprint) if it fails.
		g := u.inner.(*GenerateUnit)
		if err := e.setupIfMissing(); err != nil {
			return nil, err
		}
		if _, err := run(&g.base, func(e *Env) (*GenerateResult, error) { return generate(ctx, e, false, s.ID) }); err != nil {
			return nil, err
		}
		return res, nil
	}
	dir := filepath.FromSlash(s.Dir())
	if err := e.Fresh(dir); err != nil {
		return nil, err
	}
	var err error
	switch s.Stage {
	case "analyse":
		a := u.inner.(*AnalyseUnit)
		_, err = runResolved(&a.resolvedUnit, func(e *Env) (*AnalyseResult, error) {
			return analyseInto(ctx, e, filepath.Join(dir, "events.h5"), &analysis.Part{Sample: s.sample, Job: job})
		})
	case "augment":
		a := u.inner.(*AugmentUnit)
		ch := sampling.Chunk{}
		if s.chunks > 0 {
			ch = sampling.Chunk{Index: s.chunk, Count: s.chunks}
		}
		_, err = run(&a.base, func(e *Env) (*AugmentResult, error) {
			return augmentInto(e, s.sampling, ch, filepath.Join(dir, "samples"))
		})
	case "train":
		t := u.inner.(*TrainUnit)
		_, err = run(&t.base, func(e *Env) (any, error) {
			obs, err := trainObservables(e)
			if err != nil {
				return nil, err
			}
			est, _, err := trainEntry(e, obs, s.model, s.member)
			if err != nil {
				return nil, err
			}
			return nil, saveModel(e, filepath.Join(dir, "model"), est)
		})
	case "limits":
		l := u.inner.(*LimitsUnit)
		_, err = run(&l.base, func(e *Env) (any, error) { return nil, limitsShard(e, s, filepath.Join(dir, "part.json")) })
	}
	if err != nil {
		// A failed shard leaves no folder that could pass for done.
		e.Clear(dir)
		return nil, err
	}
	return res, nil
}

// limitsShard computes the grid chunk or toy batch s of a scan into the
// JSON file out of the working directory.
func limitsShard(e *Env, s *Shard, out string) error {
	lc := e.Card.Limits
	i := slices.IndexFunc(lc.Scans, func(sc cards.LimitScan) bool { return sc.Name == s.scan })
	f, m, p, err := openLimits(e.withLimits(lc.ThetaTrue[s.point], s.point, lc.Scans[i:i+1]))
	if err != nil {
		return err
	}
	defer f.Close()
	p.observe(p.scorers)
	em, err := limits.NewEventModels(f, m, p.set)
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	b, err := em.Model(0, p.scans[0])
	if err != nil {
		return fmt.Errorf("pipeline: limits scan %s: %w", s.scan, err)
	}
	var v any
	if s.chunk >= 0 {
		idx := limits.ChunkIndices(len(em.Points), s.chunkSize, s.chunk)
		v, err = limits.ScanPoints(b.Model, b.Data, em.Points, idx, em.Settings())
	} else {
		v, err = em.ToyBatch(b, s.toy, s.batch)
	}
	if err != nil {
		return fmt.Errorf("pipeline: limits shard %s: %w", s.ID, err)
	}
	return e.WriteJSON(out, v)
}

// mergeParts makes the scans of p merge the chunks and toy batches that
// the limits shards of point e.limitsPoint wrote.
func (p *limitsPlan) mergeParts(e *Env, all []Shard) {
	find := func(i int, keep func(*Shard) bool) []string {
		var files []string
		for k := range all {
			s := &all[k]
			if s.point == e.limitsPoint && s.scan == p.cards[i].Name && keep(s) {
				files = append(files, filepath.Join(filepath.FromSlash(s.Dir()), "part.json"))
			}
		}
		return files
	}
	// A missing part is an error, not a skipped scan (workdir.ReadParts).
	p.set.MergeChunks = func(i int) ([]*limits.ScanChunk, error) {
		return workdir.ReadParts[limits.ScanChunk](e.Dir, find(i, func(s *Shard) bool { return s.chunk >= 0 }))
	}
	p.set.MergeToys = func(i, k int) ([]*limits.ToyBatch, error) {
		return workdir.ReadParts[limits.ToyBatch](e.Dir, find(i, func(s *Shard) bool { return s.chunk < 0 && s.toy == k }))
	}
}

// MergeUnit makes the output of a sharded stage from its shards. It is
// the stage's unit with another Run: its record is the stage's, so that
// goldmine run after a merge finds the stage up to date.
type MergeUnit struct {
	stage.Unit
	env *Env
	st  string
}

// NewMergeUnit returns the merge of the shards of stage st of the card
// of e.
func NewMergeUnit(e *Env, st string) (*MergeUnit, error) {
	if _, err := Shards(e.Card, st); err != nil {
		return nil, err
	}
	u, err := NewUnit(e, st)
	if err != nil {
		return nil, err
	}
	return &MergeUnit{Unit: u, env: e, st: st}, nil
}

// Run merges the shards.
func (u *MergeUnit) Run(ctx context.Context) (any, error) {
	all, err := Shards(u.env.Card, u.st)
	if err != nil {
		return nil, err
	}
	for _, s := range all {
		if err := u.env.SubBusy(s.Dir()); err != nil {
			return nil, err
		}
	}
	res := &ShardResult{Stage: u.st, Job: JobID(), Outputs: u.Outputs(), Merged: len(all)}
	switch u.st {
	case "generate":
		g := u.Unit.(*GenerateUnit)
		_, err = run(&g.base, func(e *Env) (*GenerateResult, error) { return generateComplete(ctx, e) })
	case "analyse":
		err = u.mergeEvents(all)
	case "augment":
		err = u.copySamples(all)
	case "train":
		t := u.Unit.(*TrainUnit)
		_, err = run(&t.base, func(e *Env) (any, error) { return nil, assembleModels(e, all) })
	case "limits":
		l := u.Unit.(*LimitsUnit)
		e := *l.env
		e.limitsParts, e.limitsShards = true, all
		b := l.base
		b.env = &e
		_, err = run(&b, limitsStage)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// mergeEvents merges the partial events files of the analyse shards into
// events.h5, shuffled as analyse shuffles.
func (u *MergeUnit) mergeEvents(all []Shard) error {
	e := u.env
	root, err := e.Root()
	if err != nil {
		return err
	}
	var inputs []string
	for _, s := range all {
		inputs = append(inputs, e.Path(filepath.FromSlash(s.Dir()), "events.h5"))
	}
	set := &store.MergeSettings{Progress: e.Log}
	if *e.Card.Shuffle {
		set.Shuffle = seed.Rand(e.Seed, "analyse/shuffle")
	}
	_, err = store.MergeEventsIn(root, "events.h5", inputs, set)
	return err
}

// copySamples copies the samples the augment shards drew into
// samples/NAME, replacing what was there (store.CopyDirIn); the chunks of
// a sample are joined.
func (u *MergeUnit) copySamples(all []Shard) error {
	root, err := u.env.Root()
	if err != nil {
		return err
	}
	for len(all) > 0 {
		s := all[0]
		if s.chunks > 0 {
			if err := u.joinSamples(root, all[:s.chunks]); err != nil {
				return err
			}
			all = all[s.chunks:]
			continue
		}
		all = all[1:]
		src := filepath.Join(filepath.FromSlash(s.Dir()), "samples", s.sampling)
		if err := store.CopyDirIn(root, src, filepath.Join("samples", s.sampling)); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("pipeline: augment shard %s: %w (run the shard first)", s.ID, err)
		} else if err != nil {
			return fmt.Errorf("pipeline: augment shard %s: %w", s.ID, err)
		}
	}
	return nil
}

// joinSamples joins the chunks of one sample that the augment shards of
// chunks drew into samples/NAME.
func (u *MergeUnit) joinSamples(root *os.Root, chunks []Shard) error {
	name := chunks[0].sampling
	var dirs []string
	for _, s := range chunks {
		dirs = append(dirs, u.env.Path(filepath.FromSlash(s.Dir()), "samples", name))
	}
	res, stats, err := sampling.JoinWritten(dirs...)
	if err != nil {
		return fmt.Errorf("pipeline: augment merge: %w (run the shards first)", err)
	}
	dst := filepath.Join("samples", name)
	if err := u.env.Clear(dst); err != nil {
		return err
	}
	_, err = sampling.WriteIn(root, dst, res, &sampling.WriteSettings{Seed: u.env.Seed, Stats: stats, Float64: u.env.Card.Sampling.Float64})
	return err
}

// assembleModels saves the models the train shards trained as the
// models of the training section: an ensemble from its members.
func assembleModels(e *Env, all []Shard) error {
	for i, t := range e.Card.Training {
		var members []ml.Estimator
		for _, s := range all {
			if s.model != i {
				continue
			}
			m, err := ml.Load(e.Path(filepath.FromSlash(s.Dir()), "model"))
			if err != nil {
				return fmt.Errorf("pipeline: train shard %s: %w", s.ID, err)
			}
			members = append(members, m)
		}
		var est ml.Estimator = &ml.Ensemble{Members: members}
		if t.Ensemble <= 1 {
			est = members[0]
		}
		if err := saveModel(e, filepath.Join("models", t.Name), est); err != nil {
			return fmt.Errorf("pipeline: training %s: %w", t.Name, err)
		}
	}
	return nil
}

// RunShard runs shard id of stage st of the card, whether or not it is up
// to date.
func RunShard(ctx context.Context, e *Env, st, id string) (*stage.Result, error) {
	u, err := NewShardUnit(e, st, id)
	if err != nil {
		return nil, err
	}
	return e.runner().Run(ctx, u, true)
}

// Merge merges the shards of stage st of the card into the stage's
// output, whether or not the stage is up to date.
func Merge(ctx context.Context, e *Env, st string) (*stage.Result, error) {
	u, err := NewMergeUnit(e, st)
	if err != nil {
		return nil, err
	}
	return e.runner().Run(ctx, u, true)
}
