// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/atomicfile"
)

// A Unit is one stage of a campaign: it declares the card sections it
// reads, the files it reads and the files it writes, and runs from its
// card, the campaign card restricted to those sections (cards.Sections),
// so that it cannot depend on anything it does not declare.
//
// A unit is up to date when its outputs exist and its key is the one
// recorded when it last finished. The key is a SHA-256 over the unit's
// ID, the campaign seed, the canonical encoding of its sections
// (cards.EncodeSections) and the content hashes of its inputs, streamed
// from the files (a directory hashes its files by name), so that an input
// edited in place with the same size and time is seen.
//
// A shard of a stage (one input file, θ chunk, ensemble member, grid
// chunk or toy batch) is a unit too: it has the stage's sections, the
// inputs and outputs of its shard, an ID "stage/shard" under which its key
// is recorded, and a seed derived from (seed, stage, shard); a merge unit
// has the shards' outputs as its inputs.
type Unit interface {
	// ID names the unit: its stage, and for a shard "stage/shard".
	ID() string
	// Sections lists the card sections the unit reads.
	Sections() []string
	// Inputs lists the files and directories the unit reads.
	Inputs(e *Env) ([]string, error)
	// Outputs lists the files and directories the unit writes.
	Outputs(e *Env) []string
	// Run runs the unit, with e.Card restricted to the unit's sections,
	// and returns its result.
	Run(ctx context.Context, e *Env) (any, error)
}

// incomplete is implemented by results that finished without producing
// the unit's outputs (generate without MG5 writes only its job folder):
// such a run is not recorded as complete.
type incomplete interface{ Incomplete() bool }

// keyVersion changes whenever the key's layout does.
const keyVersion = "goldmine unit key 1"

// unitKey returns the key of u and the content hashes of its inputs.
func unitKey(e *Env, u Unit) (string, []inputHash, error) {
	enc, err := e.Card.EncodeSections(u.Sections()...)
	if err != nil {
		return "", nil, err
	}
	ins, err := u.Inputs(e)
	if err != nil {
		return "", nil, err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%d\x00", keyVersion, u.ID(), e.Seed, len(enc))
	h.Write(enc)
	var hashes []inputHash
	for _, p := range ins {
		ch, err := contentHash(p)
		if err != nil {
			return "", nil, fmt.Errorf("pipeline: input of %s: %w", u.ID(), err)
		}
		name := e.relative(p)
		fmt.Fprintf(h, "\x00%s\x00%s", name, ch)
		hashes = append(hashes, inputHash{Path: name, SHA256: ch})
	}
	return hex.EncodeToString(h.Sum(nil)), hashes, nil
}

// relative names a file by its path in the working directory, or as it
// is when it lies outside.
func (e *Env) relative(p string) string {
	if r, err := filepath.Rel(e.Workdir, p); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(r)
	}
	return p
}

// absent is the content hash of a missing input.
const absent = "absent"

// contentHash returns the SHA-256 of a file's content, of a directory's
// files (their slash-separated names and content hashes, sorted by name,
// hidden temporary files left out) or "absent".
func contentHash(path string) (string, error) {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return absent, nil
	}
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		return fileHash(path)
	}
	h := sha256.New()
	var names []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != path {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	for _, p := range names {
		fh, err := fileHash(p)
		if err != nil {
			return "", err
		}
		r, _ := filepath.Rel(path, p)
		fmt.Fprintf(h, "%s\x00%s\x00", filepath.ToSlash(r), fh)
	}
	return "dir:" + hex.EncodeToString(h.Sum(nil)), nil
}

// fileHash streams a file through SHA-256.
func fileHash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.CopyBuffer(h, f, make([]byte, 1<<20)); err != nil {
		return "", fmt.Errorf("could not read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// inputHash is the content hash of one input of a unit.
type inputHash struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// record is what WORKDIR/.goldmine/units/ID.json holds once a unit
// finished: its key and, for the reader, what the key was made of.
type record struct {
	Unit     string      `json:"unit"`
	Key      string      `json:"key"`
	Seed     uint64      `json:"seed"`
	Sections []string    `json:"sections"`
	Inputs   []inputHash `json:"inputs"`
	Outputs  []string    `json:"outputs"`
	Finished time.Time   `json:"finished"`
}

// recordPath is the record file of the unit id: one file per unit, so that
// units (and shards) running in separate processes never write the same
// file.
func (e *Env) recordPath(id string) string {
	return e.Path(".goldmine", "units", strings.ReplaceAll(id, "/", "__")+".json")
}

func (e *Env) loadRecord(id string) *record {
	b, err := os.ReadFile(e.recordPath(id))
	if err != nil {
		return nil
	}
	var r record
	if json.Unmarshal(b, &r) != nil {
		return nil // a corrupt record only means running again
	}
	return &r
}

// UnitResult is one unit of a run.
type UnitResult struct {
	Name    string   `json:"name"`
	Status  string   `json:"status"` // "ran", "up to date", "not in card", "incomplete"
	Seconds float64  `json:"seconds,omitempty"`
	Outputs []string `json:"outputs,omitempty"`
	Key     string   `json:"key,omitempty"`
	// Result is the unit's own result when it ran.
	Result any `json:"-"`
}

// RunUnit runs u unless it is up to date (force runs it anyway) and
// records its key when it finished. The record is removed before the unit
// runs, so that an interrupted or failed run never looks complete.
func RunUnit(ctx context.Context, e *Env, u Unit, force bool) (*UnitResult, error) {
	key, inputs, err := unitKey(e, u)
	if err != nil {
		return nil, err
	}
	outs := u.Outputs(e)
	res := &UnitResult{Name: u.ID(), Outputs: outs, Key: key}
	if !force {
		if r := e.loadRecord(u.ID()); r != nil && r.Key == key && allExist(outs) {
			res.Status = "up to date"
			e.logf("%s: up to date\n", u.ID())
			return res, nil
		}
	}
	if err := os.Remove(e.recordPath(u.ID())); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("pipeline: could not clear the record of %s: %w", u.ID(), err)
	}
	e.logf("%s: running\n", u.ID())
	start := time.Now()
	sub, err := e.Card.Sections(u.Sections()...)
	if err != nil {
		return nil, err
	}
	ue := *e
	ue.Card = sub
	out, err := u.Run(ctx, &ue)
	if err != nil {
		return nil, err
	}
	res.Result, res.Seconds, res.Status = out, time.Since(start).Seconds(), "ran"
	if inc, ok := out.(incomplete); ok && inc.Incomplete() {
		res.Status = "incomplete"
		return res, nil
	}
	rec := record{Unit: u.ID(), Key: key, Seed: e.Seed, Sections: u.Sections(), Inputs: inputs, Finished: time.Now().UTC()}
	for _, o := range outs {
		rec.Outputs = append(rec.Outputs, e.relative(o))
	}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(e.recordPath(u.ID())), 0o755); err != nil {
		return nil, fmt.Errorf("pipeline: could not record %s: %w", u.ID(), err)
	}
	if err := atomicfile.WriteFile(e.recordPath(u.ID()), append(b, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("pipeline: could not record %s: %w", u.ID(), err)
	}
	return res, nil
}

func allExist(paths []string) bool {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return false
		}
	}
	return true
}

// RunResult summarises goldmine run.
type RunResult struct {
	Stages []UnitResult `json:"stages"`
}

// Run runs the campaign's stages in order (setup, generate, analyse,
// augment, train, fisher, limits, plots), skipping the units that are up
// to date and the stages the card has no section for. Each unit is built
// when its turn comes, after the stages before it have run, so that it
// sees their outputs (generated LHE files, events.h5, ...).
func Run(ctx context.Context, e *Env) (*RunResult, error) {
	if err := os.MkdirAll(e.Workdir, 0o755); err != nil {
		return nil, err
	}
	// The record of goldmine before stage units; its keys are unusable.
	os.Remove(e.Path(".goldmine-stages.json"))
	res := &RunResult{}
	for _, st := range runStages() {
		if !inCard(e.Card, st) {
			res.Stages = append(res.Stages, UnitResult{Name: st, Status: "not in card"})
			continue
		}
		u, err := NewUnit(e, st)
		if err != nil {
			return res, err
		}
		r, err := RunUnit(ctx, e, u, false)
		if err != nil {
			return res, err
		}
		if r.Result != nil && e.Log != nil {
			Print(e.Log, r.Result)
		}
		res.Stages = append(res.Stages, *r)
	}
	return res, nil
}

// runStages returns the stages of goldmine run, in order; the study runs
// on its own (goldmine study).
func runStages() []string {
	return []string{"setup", "generate", "analyse", "augment", "train", "fisher", "limits", "plots"}
}

// Stages returns the names of the stage units: those of goldmine run, in
// order, and the study.
func Stages() []string { return append(runStages(), "study") }

// inCard reports whether the card has what stage st needs.
func inCard(c *cards.Card, st string) bool {
	switch st {
	case "setup":
		return !c.IsSimulator()
	case "generate":
		return c.MadGraph != nil && len(c.MadGraph.Runs) > 0
	case "analyse":
		return len(c.Samples) > 0 && !c.IsSimulator()
	case "augment":
		return c.Sampling != nil
	case "train":
		return len(c.Training) > 0
	case "fisher":
		return c.Fisher != nil
	case "limits":
		return c.Limits != nil
	case "study":
		return c.Study != nil
	}
	return true // plots
}

// RunStage runs the unit of stage st of the card (goldmine analyse, ...),
// whether or not it is up to date, and records its key, so that a
// following goldmine run skips it. It returns the unit's result.
func RunStage(ctx context.Context, e *Env, st string) (any, error) {
	u, err := NewUnit(e, st)
	if err != nil {
		return nil, err
	}
	r, err := RunUnit(ctx, e, u, true)
	if err != nil {
		return nil, err
	}
	return r.Result, nil
}

// runAs runs stage st and returns its result as a T.
func runAs[T any](e *Env, st string) (T, error) {
	var zero T
	r, err := RunStage(context.Background(), e, st)
	if err != nil {
		return zero, err
	}
	return r.(T), nil
}

// PrintRun writes a human summary.
func PrintRun(w io.Writer, r *RunResult) {
	for _, s := range r.Stages {
		fmt.Fprintf(w, "%-8s %-18s", s.Name, s.Status)
		if len(s.Outputs) > 0 {
			fmt.Fprintf(w, " %s", s.Outputs[0])
		}
		if s.Seconds > 0 {
			fmt.Fprintf(w, " (%.2fs)", s.Seconds)
		}
		fmt.Fprintln(w)
	}
}
