// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/goldmine-hep/goldmine/store"
)

// RunResult summarises goldmine run.
type RunResult struct {
	Stages []StageResult `json:"stages"`
}

// StageResult is one stage of a run.
type StageResult struct {
	Name    string  `json:"name"`
	Status  string  `json:"status"` // "ran", "up to date", "not in card", "not available yet"
	Seconds float64 `json:"seconds,omitempty"`
	Output  string  `json:"output,omitempty"`
}

// stageKeys records, per stage, the hash of the inputs its output was made
// from (WORKDIR/.goldmine-stages.json).
type stageKeys map[string]string

func (e *Env) loadKeys() stageKeys {
	k := make(stageKeys)
	if b, err := os.ReadFile(e.Path(".goldmine-stages.json")); err == nil {
		_ = json.Unmarshal(b, &k) // a corrupt record only means re-running
	}
	return k
}

func (e *Env) saveKeys(k stageKeys) error {
	return store.WriteFileAtomic(e.Path(".goldmine-stages.json"), func(w io.Writer) error {
		return json.NewEncoder(w).Encode(k)
	})
}

// inputKey hashes what a stage's output depends on: the card, the seed,
// the previous stage's key and the stage's input files (size and time).
func (e *Env) inputKey(stage, prev string, files ...string) (string, error) {
	h := sha256.New()
	card, err := os.ReadFile(e.Card.Path)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h, "%s\x00%d\x00%s\x00", stage, e.Seed, prev)
	h.Write(card)
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return "", fmt.Errorf("pipeline: input of stage %s: %w", stage, err)
		}
		fmt.Fprintf(h, "\x00%s\x00%d\x00%d", f, st.Size(), st.ModTime().UnixNano())
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Run runs setup → analyse → augment → train → fisher → limits → plots,
// skipping stages whose output is up to date with their inputs and stages
// the card has no section for.
func Run(e *Env) (*RunResult, error) {
	c := e.Card
	if err := os.MkdirAll(e.Workdir, 0o755); err != nil {
		return nil, err
	}
	keys := e.loadKeys()
	res := &RunResult{}
	var samples []string
	for _, s := range c.Samples {
		if s.LHE != "" {
			samples = append(samples, c.ResolvePath(s.LHE))
		}
	}
	type stage struct {
		name   string
		output string
		inCard bool
		files  []string
		run    func() error
	}
	stages := []stage{
		{"setup", "setup.h5", !c.IsSimulator(), nil, func() error { _, err := Setup(e); return err }},
		{"analyse", "events.h5", len(c.Samples) > 0 && !c.IsSimulator(), samples, func() error {
			r, err := Analyse(e)
			if err == nil && e.Log != nil {
				PrintAnalyse(e.Log, r)
			}
			return err
		}},
		{"augment", "samples", c.Sampling != nil, nil, func() error {
			r, err := Augment(e)
			if err == nil && e.Log != nil {
				PrintAugment(e.Log, r)
			}
			return err
		}},
		{"train", "models", len(c.Training) > 0, nil, func() error {
			r, err := Train(e)
			if err == nil && e.Log != nil {
				PrintTrain(e.Log, r)
			}
			return err
		}},
		{"fisher", "fisher.json", c.Fisher != nil, nil, func() error {
			r, err := Fisher(e)
			if err == nil && e.Log != nil {
				PrintFisher(e.Log, r)
			}
			return err
		}},
		{"limits", "limits.json", c.Limits != nil, nil, func() error {
			r, err := Limits(e)
			if err == nil && e.Log != nil {
				PrintLimits(e.Log, r)
			}
			return err
		}},
		{"plots", "report.md", true, nil, func() error {
			r, err := Plots(e)
			if err == nil && e.Log != nil {
				PrintPlots(e.Log, r)
			}
			return err
		}},
	}
	prev := ""
	for _, st := range stages {
		if !st.inCard {
			res.Stages = append(res.Stages, StageResult{Name: st.name, Status: "not in card"})
			continue
		}
		key, err := e.inputKey(st.name, prev, st.files...)
		if err != nil {
			return res, err
		}
		prev = key
		out := e.Path(st.output)
		if _, err := os.Stat(out); err == nil && keys[st.name] == key {
			res.Stages = append(res.Stages, StageResult{Name: st.name, Status: "up to date", Output: out})
			e.logf("%s: up to date (%s)\n", st.name, out)
			continue
		}
		e.logf("%s: running\n", st.name)
		start := time.Now()
		if err := st.run(); err != nil {
			return res, err
		}
		keys[st.name] = key
		if err := e.saveKeys(keys); err != nil {
			return res, err
		}
		res.Stages = append(res.Stages, StageResult{Name: st.name, Status: "ran", Seconds: time.Since(start).Seconds(), Output: out})
	}
	return res, nil
}

// PrintRun writes a human summary.
func PrintRun(w io.Writer, r *RunResult) {
	for _, s := range r.Stages {
		fmt.Fprintf(w, "%-8s %-18s", s.Name, s.Status)
		if s.Output != "" {
			fmt.Fprintf(w, " %s", s.Output)
		}
		if s.Seconds > 0 {
			fmt.Fprintf(w, " (%.2fs)", s.Seconds)
		}
		fmt.Fprintln(w)
	}
}
