// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package madgraph

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// ErrNoEvents reports an MG5 run that left no usable event file.
var ErrNoEvents = errors.New("madgraph: no events")

// Output is the event output of one MG5 run (one Events/run_XX folder).
type Output struct {
	// Run is the goldmine run name (the folder name under WORKDIR/runs).
	Run string
	// ProcessDir is the MG5 process folder the events are in.
	ProcessDir string
	// MGRun is MG5's run name, e.g. "run_01".
	MGRun string
	// LHE is Events/MGRun/unweighted_events.lhe.gz ("" if absent).
	LHE string
	// HepMC lists the shower outputs (*.hepmc, *.hepmc.gz).
	HepMC []string
	// Delphes lists the detector outputs (*.root).
	Delphes []string

	// SampleBenchmark, Background and Weights describe the run as it was
	// prepared (from WORKDIR/runs.json); they are empty for folders
	// goldmine did not prepare.
	SampleBenchmark string
	Background      bool
	Weights         []string
	// Complete reports whether the run finished from its current cards
	// (see Resume in the package documentation). A run that was
	// interrupted, failed or whose cards changed is not complete, even if
	// it left an event file; folders goldmine did not prepare count as
	// complete.
	Complete bool
}

// manifestName is the file in the job folder that describes the runs.
const manifestName = "runs.json"

type manifestRun struct {
	Name            string   `json:"name"`
	SampleBenchmark string   `json:"sample_benchmark"`
	Background      bool     `json:"background"`
	Weights         []string `json:"weights"`
}

type manifest struct {
	Runs []manifestRun `json:"runs"`
}

func writeManifest(p *Plan) error {
	var m manifest
	for _, pr := range p.Runs {
		m.Runs = append(m.Runs, manifestRun{Name: pr.Name, SampleBenchmark: pr.SampleBenchmark, Background: pr.Background, Weights: pr.Weights})
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("madgraph: %w", err)
	}
	return writeFileAtomic(filepath.Join(p.WorkDir, manifestName), append(b, '\n'), 0o644)
}

func readManifest(workDir string) (map[string]manifestRun, error) {
	path := filepath.Join(workDir, manifestName)
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("madgraph: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("madgraph: %s: %w", path, err)
	}
	runs := make(map[string]manifestRun)
	for _, r := range m.Runs {
		runs[r.Name] = r
	}
	return runs, nil
}

// Outputs lists the event outputs of the runs in the job folder workDir,
// sorted by run name and MG5 run, so that a card's samples can point at
// them: each with its sampling benchmark, background flag and weight names
// as prepared. Folders without any event file are left out.
func Outputs(workDir string) ([]Output, error) {
	entries, err := os.ReadDir(filepath.Join(workDir, "runs"))
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("madgraph: could not list runs: %w", err)
	}
	man, err := readManifest(workDir)
	if err != nil {
		return nil, err
	}
	var outs []Output
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		o, err := ProcessOutputs(filepath.Join(workDir, "runs", e.Name()))
		if err != nil {
			return nil, err
		}
		mr, prepared := man[e.Name()]
		complete := !prepared || sameFile(filepath.Join(workDir, "cards", e.Name(), "fingerprint"), filepath.Join(workDir, "runs", e.Name(), "goldmine.fingerprint"))
		for i := range o {
			o[i].Run = e.Name()
			o[i].SampleBenchmark = mr.SampleBenchmark
			o[i].Background = mr.Background
			o[i].Weights = mr.Weights
			o[i].Complete = complete
		}
		outs = append(outs, o...)
	}
	return outs, nil
}

var mgRunName = regexp.MustCompile(`^run_(\d+)`)

// ProcessOutputs lists the event outputs in the Events folder of any MG5
// process folder (for example one MadMiner wrote), ordered by MG5 run
// number. Run is left empty.
func ProcessOutputs(processDir string) ([]Output, error) {
	events := filepath.Join(processDir, "Events")
	entries, err := os.ReadDir(events)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("madgraph: could not list events: %w", err)
	}
	var outs []Output
	for _, e := range entries {
		if !e.IsDir() || !mgRunName.MatchString(e.Name()) {
			continue
		}
		dir := filepath.Join(events, e.Name())
		files, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("madgraph: could not list events: %w", err)
		}
		o := Output{ProcessDir: processDir, MGRun: e.Name(), Complete: true}
		for _, f := range files {
			name := f.Name()
			switch {
			case name == "unweighted_events.lhe.gz":
				o.LHE = filepath.Join(dir, name)
			case strings.HasSuffix(name, ".hepmc") || strings.HasSuffix(name, ".hepmc.gz"):
				o.HepMC = append(o.HepMC, filepath.Join(dir, name))
			case strings.HasSuffix(name, ".root"):
				o.Delphes = append(o.Delphes, filepath.Join(dir, name))
			}
		}
		if o.LHE != "" || len(o.HepMC) > 0 || len(o.Delphes) > 0 {
			outs = append(outs, o)
		}
	}
	sort.Slice(outs, func(i, j int) bool { return runNumber(outs[i].MGRun) < runNumber(outs[j].MGRun) })
	return outs, nil
}

func runNumber(name string) int {
	m := mgRunName.FindStringSubmatch(name)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// lastLHE returns the unweighted_events.lhe.gz of the highest-numbered
// MG5 run in processDir, or "".
func lastLHE(processDir string) string {
	outs, err := ProcessOutputs(processDir)
	if err != nil {
		return ""
	}
	for i := len(outs) - 1; i >= 0; i-- {
		if outs[i].LHE != "" {
			return outs[i].LHE
		}
	}
	return ""
}

var weightID = regexp.MustCompile(`<weight\s[^>]*\bid\s*=\s*['"]([^'"]+)['"]`)

// CheckLHE checks that the (optionally gzipped) LHE file at path holds at
// least one event and that its header declares a weight for every name in
// weights. It reads the header and the start of the first event only.
// A failed check wraps ErrNoEvents.
func CheckLHE(path string, weights []string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNoEvents, err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrNoEvents, path, err)
		}
		defer zr.Close()
		r = zr
	}
	declared := make(map[string]bool)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	line, events, lhef := 0, false, false
	for sc.Scan() {
		line++
		s := sc.Text()
		if strings.Contains(s, "<LesHouchesEvents") {
			lhef = true
		}
		for _, m := range weightID.FindAllStringSubmatch(s, -1) {
			declared[m[1]] = true
		}
		if strings.Contains(s, "<event>") || strings.Contains(s, "<event ") {
			events = true
			break
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%w: %s:%d: %v", ErrNoEvents, path, line, err)
	}
	if !lhef {
		return fmt.Errorf("%w: %s is not a Les Houches event file", ErrNoEvents, path)
	}
	if !events {
		return fmt.Errorf("%w: %s holds no event", ErrNoEvents, path)
	}
	var missing []string
	for _, w := range weights {
		if !declared[w] {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s lacks the reweighting weights %s (did the reweighting fail?)", ErrNoEvents, path, strings.Join(missing, ", "))
	}
	return nil
}
