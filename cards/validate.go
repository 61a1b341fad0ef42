// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/goldmine-hep/goldmine/internal/quote"
	"github.com/goldmine-hep/goldmine/internal/safename"
	"github.com/goldmine-hep/goldmine/observables"
)

type validator struct {
	file  string
	lines map[string]int
	opts  Options
}

// errAt returns an error at the line of key, or of its closest recorded
// parent when the key itself is absent from the card.
func (v *validator) errAt(key, format string, args ...any) error {
	line := 0
	for k := key; ; {
		if l, ok := v.lines[k]; ok {
			line = l
			break
		}
		i := strings.LastIndexAny(k, ".[")
		if i <= 0 {
			break
		}
		k = k[:i]
	}
	return &Error{File: v.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

// unique checks that names are given and used once; what names the list.
func (v *validator) unique(what string, n int, name func(int) string) error {
	return v.uniqueNames(what, n, name, false)
}

// fileNames is unique for names that become file or folder names: they
// also follow CheckName.
func (v *validator) fileNames(what string, n int, name func(int) string) error {
	return v.uniqueNames(what, n, name, true)
}

func (v *validator) uniqueNames(what string, n int, name func(int) string, file bool) error {
	seen := make(map[string]int)
	for i := 0; i < n; i++ {
		key := fmt.Sprintf("%s[%d].name", what, i)
		s := name(i)
		if s == "" {
			return v.errAt(key, "name is missing")
		}
		if file {
			if err := v.name(key, s); err != nil {
				return err
			}
		}
		if j, dup := seen[s]; dup {
			return v.errAt(key, "name %q is used twice (also %s[%d])", s, what, j)
		}
		seen[s] = i
	}
	return nil
}

// CheckName checks a name that goldmine turns into a file or folder name
// (a sample, training model, Fisher item, limit scan, benchmark,
// systematic, MadGraph run, ...): ASCII letters, digits, '_', '.' and '-',
// not starting with '.' or '-', at most MaxNameLen bytes. The card loader
// applies it to every such name of a card; stages apply it to names read
// from files (benchmarks imported from an LHE header, names in a MadMiner
// file), naming the file. The error says what is wrong, without a prefix,
// for the caller to place ("name \"../x\" starts with '.'").
func CheckName(name string) error {
	var e *safename.Error
	if err := safename.Check(name); errors.As(err, &e) {
		return fmt.Errorf("name %q %s", e.Name, e.Reason)
	}
	return nil
}

// MaxNameLen is the longest name CheckName allows, in bytes.
const MaxNameLen = safename.MaxLen

// name checks name against CheckName at key.
func (v *validator) name(key, name string) error {
	if err := CheckName(name); err != nil {
		return v.errAt(key, "%v (a name becomes a file name)", err)
	}
	return nil
}

func (v *validator) card(c *Card) error {
	if len(c.Parameters) == 0 {
		return v.errAt("parameters", "at least one parameter is needed (here or in the file of a madminer sample)")
	}
	if err := v.parameters(c); err != nil {
		return err
	}
	if err := v.benchmarks(c); err != nil {
		return err
	}
	if err := v.morphing(c); err != nil {
		return err
	}
	if err := v.systematics(c); err != nil {
		return err
	}
	if err := v.study(c); err != nil {
		return err
	}
	if err := v.madgraph(c); err != nil {
		return err
	}
	if err := v.shower(c); err != nil {
		return err
	}
	if err := v.samples(c); err != nil {
		return err
	}
	if err := v.analysis(c); err != nil {
		return err
	}
	if err := v.sampling(c); err != nil {
		return err
	}
	if err := v.training(c); err != nil {
		return err
	}
	if err := v.fisher(c); err != nil {
		return err
	}
	if err := v.limits(c); err != nil {
		return err
	}
	if err := v.plots(c); err != nil {
		return err
	}
	if err := v.workflow(c); err != nil {
		return err
	}
	return v.posterior(c)
}

// workflow checks the numbers of the workflow section; its names and
// image are checked where they reach a file (package workflow).
func (v *validator) workflow(c *Card) error {
	w := c.Workflow
	if w == nil {
		return nil
	}
	if w.GridChunk < 0 {
		return v.errAt("workflow.grid_chunk", "must not be negative, got %d", w.GridChunk)
	}
	if w.ThetaChunk < 0 {
		return v.errAt("workflow.theta_chunk", "must not be negative, got %d", w.ThetaChunk)
	}
	if c.Sampling != nil {
		// A chunk's job shares its name (and folder) with no other
		// sample's.
		seen := map[string]int{}
		for i, sp := range c.Sampling.Samples {
			seen[sp.Name] = i
		}
		for i, sp := range c.Sampling.Samples {
			n := c.ThetaChunks(i)
			for k := range n {
				if j, ok := seen[ChunkName(sp.Name, k, n)]; ok && j != i && n > 1 {
					return v.errAt(fmt.Sprintf("sampling.samples[%d].name", j), "sample %q is the name of augment job %d of sample %q (workflow.theta_chunk: %d): rename one", c.Sampling.Samples[j].Name, k, sp.Name, w.ThetaChunk)
				}
			}
		}
	}
	switch w.REANABackend {
	case "", "kubernetes", "htcondorcern", "slurmcern":
	default:
		return v.errAt("workflow.reana_backend", "want kubernetes, htcondorcern or slurmcern, got %q", w.REANABackend)
	}
	stages := WorkflowStages()
	keys := slices.Sorted(maps.Keys(w.Resources))
	for _, st := range keys {
		r := w.Resources[st]
		key := "workflow.resources." + st
		if !slices.Contains(stages, st) {
			return v.errAt(key, "unknown stage (want one of %s)", strings.Join(stages, ", "))
		}
		if r.Threads < 0 || r.MemMB < 0 || r.Minutes < 0 {
			return v.errAt(key, "threads, mem_mb and minutes must not be negative")
		}
	}
	return nil
}

// plots checks the figure formats, which become file extensions.
func (v *validator) plots(c *Card) error {
	if c.Plots == nil {
		return nil
	}
	for i, f := range c.Plots.Formats {
		key := fmt.Sprintf("plots.formats[%d]", i)
		if f != "png" && f != "pdf" {
			return v.errAt(key, "want png or pdf, got %q", f)
		}
		if j := slices.Index(c.Plots.Formats, f); j != i {
			return v.errAt(key, "format %s is listed twice", f)
		}
	}
	return nil
}

func (v *validator) parameters(c *Card) error {
	if err := v.unique("parameters", len(c.Parameters), func(i int) string { return c.Parameters[i].Name }); err != nil {
		return err
	}
	for i, p := range c.Parameters {
		key := fmt.Sprintf("parameters[%d]", i)
		if p.LHABlock == "" && !c.IsSimulator() {
			return v.errAt(key+".lha_block", "lha_block is missing")
		}
		if p.LHABlock != "" && !safename.Word(p.LHABlock, "") {
			return v.errAt(key+".lha_block", "block %q is not an LHA block name (letters, digits and '_'): it becomes a word of MG5's param and reweight cards", p.LHABlock)
		}
		if p.LHAID <= 0 && !c.IsSimulator() {
			return v.errAt(key+".lha_id", "lha_id must be a positive integer, got %d", p.LHAID)
		}
		if p.MorphingMaxPower < 1 {
			return v.errAt(key+".morphing_max_power", "morphing_max_power must be at least 1, got %d", p.MorphingMaxPower)
		}
		if !(p.Range[0] < p.Range[1]) {
			return v.errAt(key+".range", "min %g is not below max %g", p.Range[0], p.Range[1])
		}
		if p.ParamCardTransform != "" {
			if _, err := CompileTransform(p.ParamCardTransform); err != nil {
				return v.errAt(key+".param_card_transform", "%v", err)
			}
		}
	}
	return nil
}

func (v *validator) benchmarks(c *Card) error {
	// Imports get their names from the LHE file, so only explicit
	// benchmarks need a name here.
	seen := make(map[string]int)
	for i, b := range c.Benchmarks {
		key := fmt.Sprintf("benchmarks[%d]", i)
		if b.FromLHE != "" {
			if b.Name != "" || b.Values != nil {
				return v.errAt(key+".from_lhe", "from_lhe imports names and values; do not also give name or values")
			}
			continue
		}
		if b.Only != nil {
			return v.errAt(key+".only", "only goes with from_lhe")
		}
		if b.Name == "" {
			return v.errAt(key+".name", "name is missing")
		}
		if err := v.name(key+".name", b.Name); err != nil {
			return err
		}
		if j, dup := seen[b.Name]; dup {
			return v.errAt(key+".name", "name %q is used twice (also benchmarks[%d])", b.Name, j)
		}
		seen[b.Name] = i
		for name := range b.Values {
			if _, ok := c.ParameterIndex(name); !ok {
				return v.errAt(key+".values."+name, "unknown parameter %q", name)
			}
		}
		for _, p := range c.Parameters {
			x, ok := b.Values[p.Name]
			if !ok {
				return v.errAt(key+".values", "no value for parameter %q", p.Name)
			}
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return v.errAt(key+".values."+p.Name, "value must be finite, got %g", x)
			}
		}
	}
	return nil
}

// benchmarkKnown reports whether name is an explicit benchmark; with
// imports present, any name may still come from an LHE header, so the
// check is deferred to the stage that resolves the imports.
func benchmarkKnown(c *Card, name string) bool {
	if _, ok := c.BenchmarkIndex(name); ok {
		return true
	}
	if len(c.Benchmarks) == 0 && c.HasMadMinerSamples() {
		return true // the benchmarks of a madminer sample's file, read at setup
	}
	for _, b := range c.Benchmarks {
		if b.FromLHE != "" {
			return true
		}
	}
	return false
}

func (v *validator) morphing(c *Card) error {
	m := c.Morphing
	if m.MaxOverallPower < 0 {
		return v.errAt("morphing.max_overall_power", "must not be negative, got %d", m.MaxOverallPower)
	}
	if len(m.Basis) > 0 && m.Optimize != nil {
		return v.errAt("morphing.optimize", "give either a fixed basis or optimize settings, not both")
	}
	for i, name := range m.Basis {
		if !benchmarkKnown(c, name) {
			return v.errAt(fmt.Sprintf("morphing.basis[%d]", i), "unknown benchmark %q", name)
		}
		if j := slices.Index(m.Basis, name); j != i {
			return v.errAt(fmt.Sprintf("morphing.basis[%d]", i), "benchmark %q is listed twice", name)
		}
	}
	if o := m.Optimize; o != nil {
		for i, name := range o.Keep {
			if !benchmarkKnown(c, name) {
				return v.errAt(fmt.Sprintf("morphing.optimize.keep[%d]", i), "unknown benchmark %q", name)
			}
		}
		if o.Starts < 1 {
			return v.errAt("morphing.optimize.starts", "must be positive, got %d", o.Starts)
		}
		if o.TestPoints < 1 {
			return v.errAt("morphing.optimize.test_points", "must be positive, got %d", o.TestPoints)
		}
		if o.Objective != "weights" && o.Objective != "xsec" {
			return v.errAt("morphing.optimize.objective", "want weights or xsec, got %q", o.Objective)
		}
	}
	return nil
}

func (v *validator) systematics(c *Card) error {
	if err := v.fileNames("systematics", len(c.Systematics), func(i int) string { return c.Systematics[i].Name }); err != nil {
		return err
	}
	for i, s := range c.Systematics {
		key := fmt.Sprintf("systematics[%d]", i)
		switch s.Type {
		case "norm":
			if !(s.Value > 0) {
				return v.errAt(key+".value", "a norm systematic needs a positive relative uncertainty, got %g", s.Value)
			}
		case "scale":
			switch s.Scale {
			case "mu", "mur", "muf":
			default:
				return v.errAt(key+".scale", "want mu, mur or muf, got %q", s.Scale)
			}
			if len(s.Factors) == 0 {
				return v.errAt(key+".factors", "a scale systematic needs factors, e.g. [0.5, 2]")
			}
			for j, f := range s.Factors {
				if !(f > 0) {
					return v.errAt(fmt.Sprintf("%s.factors[%d]", key, j), "factor must be positive, got %g", f)
				}
			}
		case "pdf":
			if s.PDF == "" && s.PDFID == 0 {
				return v.errAt(key, "a pdf systematic needs pdf (LHAPDF set name) or pdf_id")
			}
			if s.PDF != "" && !safename.Word(s.PDF, ".+-@") {
				return v.errAt(key+".pdf", "%q is not an LHAPDF set name (letters, digits, '_', '.', '+', '-', '@'): it becomes a word of MG5's run card", s.PDF)
			}
		case "":
			return v.errAt(key+".type", "type is missing (norm, scale or pdf)")
		default:
			return v.errAt(key+".type", "want norm, scale or pdf, got %q", s.Type)
		}
	}
	return nil
}

func (v *validator) samples(c *Card) error {
	for i := range c.Samples {
		s := &c.Samples[i]
		if s.Name == "" {
			s.Name = fmt.Sprintf("sample%d", i)
		}
	}
	if err := v.fileNames("samples", len(c.Samples), func(i int) string { return c.Samples[i].Name }); err != nil {
		return err
	}
	for i, s := range c.Samples {
		key := fmt.Sprintf("samples[%d]", i)
		n := 0
		if s.MadMiner != "" {
			if err := v.madMinerSample(c, key); err != nil {
				return err
			}
			continue
		}
		if s.MadGraphRun != "" {
			if s.LHE != "" || c.MadGraph == nil || !slices.ContainsFunc(c.MadGraph.Runs, func(r MadGraphRun) bool { return r.Name == s.MadGraphRun }) {
				return v.errAt(key+".madgraph_run", "madgraph_run %q must name a run of the madgraph section (and replaces lhe)", s.MadGraphRun)
			}
			continue
		}
		for _, src := range []bool{s.LHE != "", s.Delphes != "", s.HepMC != "", s.Simulator != nil} {
			if src {
				n++
			}
		}
		if n == 0 {
			return v.errAt(key, "a sample needs a source: lhe, delphes, hepmc, simulator, madgraph_run or madminer")
		}
		if s.Simulator != nil && n > 1 {
			return v.errAt(key+".simulator", "a simulator sample has no files")
		}
		if s.Delphes == "" && s.HepMC != "" && s.LHE != "" && c.Delphes == nil {
			return v.errAt(key+".hepmc", "give lhe or hepmc for a parton-level sample, not both (or add a delphes section to simulate the detector on the HepMC file)")
		}
		switch s.Weights {
		case "lhe":
			if s.LHE == "" && s.Simulator == nil {
				return v.errAt(key+".weights", "weights from lhe need the sample's lhe file")
			}
		case "hepmc":
			if s.HepMC == "" {
				return v.errAt(key+".weights", "weights from hepmc need the sample's hepmc file")
			}
		case "delphes":
			if s.Delphes == "" || !s.Background {
				return v.errAt(key+".weights", "the Delphes event weight serves only background samples with a delphes file")
			}
		default:
			return v.errAt(key+".weights", "want lhe, hepmc or delphes, got %q", s.Weights)
		}
		if s.Background {
			if s.SampledFrom != "" {
				return v.errAt(key+".sampled_from", "a background sample has no sampling benchmark")
			}
		} else if s.Simulator == nil {
			if s.SampledFrom == "" {
				return v.errAt(key+".sampled_from", "sampled_from is missing (the benchmark the events were generated at)")
			}
			if !benchmarkKnown(c, s.SampledFrom) {
				return v.errAt(key+".sampled_from", "unknown benchmark %q", s.SampledFrom)
			}
		}
		if !(s.KFactor > 0) {
			return v.errAt(key+".k_factor", "must be positive, got %g", s.KFactor)
		}
		if s.MaxEvents < 0 {
			return v.errAt(key+".max_events", "must not be negative, got %d", s.MaxEvents)
		}
		switch s.EventNorm {
		case "", "average", "sum", "bias", "unity":
		default:
			return v.errAt(key+".event_norm", "want average, sum, bias or unity, got %q", s.EventNorm)
		}
		for j, name := range s.Systematics {
			if !slices.ContainsFunc(c.Systematics, func(x Systematic) bool { return x.Name == name }) {
				return v.errAt(fmt.Sprintf("%s.systematics[%d]", key, j), "unknown systematic %q", name)
			}
		}
		if sim := s.Simulator; sim != nil {
			if sim.Name == "" {
				return v.errAt(key+".simulator.name", "simulator name is missing")
			}
			for j, p := range sim.Points {
				if len(p.Theta) != len(c.Parameters) {
					return v.errAt(fmt.Sprintf("%s.simulator.points[%d].theta", key, j), "want %d values, got %d", len(c.Parameters), len(p.Theta))
				}
				if p.Events <= 0 {
					return v.errAt(fmt.Sprintf("%s.simulator.points[%d].events", key, j), "must be positive, got %d", p.Events)
				}
			}
		}
	}
	return nil
}

func (v *validator) madgraph(c *Card) error {
	mg := c.MadGraph
	if mg == nil {
		return nil
	}
	if mg.ProcCard == "" {
		return v.errAt("madgraph.proc_card", "proc_card is missing")
	}
	if mg.ParamCardTemplate == "" {
		return v.errAt("madgraph.param_card_template", "param_card_template is missing")
	}
	if mg.Timeout != "" {
		if _, err := time.ParseDuration(mg.Timeout); err != nil {
			return v.errAt("madgraph.timeout", "want a duration such as 2h or 90m: %v", err)
		}
	}
	if mg.Parallel < 0 {
		return v.errAt("madgraph.parallel", "must not be negative, got %d", mg.Parallel)
	}
	if mg.CoresPerRun < 0 {
		return v.errAt("madgraph.cores_per_run", "must not be negative, got %d", mg.CoresPerRun)
	}
	for i := range mg.Runs {
		r := &mg.Runs[i]
		key := fmt.Sprintf("madgraph.runs[%d]", i)
		if r.Name == "" {
			r.Name = fmt.Sprintf("run_%02d", i)
		}
		if r.Background {
			if r.Benchmark != "" {
				return v.errAt(key+".benchmark", "a background run has no sampling benchmark")
			}
		} else if !benchmarkKnown(c, r.Benchmark) {
			return v.errAt(key+".benchmark", "unknown benchmark %q", r.Benchmark)
		}
		if r.Events < 0 {
			return v.errAt(key+".events", "must not be negative, got %d", r.Events)
		}
		if r.Jobs < 0 {
			return v.errAt(key+".jobs", "must not be negative, got %d", r.Jobs)
		}
		if r.Jobs > 1 && r.Events < r.Jobs {
			return v.errAt(key+".events", "a run of %d jobs needs events, the total number of events split between the jobs (at least one a job), got %d", r.Jobs, r.Events)
		}
	}
	if cl := mg.Cluster; cl != nil {
		if !slices.Contains(madgraphClusterTypes, cl.Type) {
			return v.errAt("madgraph.cluster.type", "want one of %s, got %q", strings.Join(madgraphClusterTypes, ", "), cl.Type)
		}
		if cl.Queue != "" {
			if _, err := quote.MG5Config("cluster_queue", cl.Queue); err != nil {
				return v.errAt("madgraph.cluster.queue", "%v", strings.TrimPrefix(err.Error(), "quote: "))
			}
		}
		if cl.NbCore < 0 {
			return v.errAt("madgraph.cluster.nb_core", "must not be negative, got %d", cl.NbCore)
		}
		if mg.CoresPerRun > 0 {
			return v.errAt("madgraph.cluster", "cluster mode and cores_per_run (MG5's multicore mode) exclude each other")
		}
	}
	if err := v.fileNames("madgraph.runs", len(mg.Runs), func(i int) string { return mg.Runs[i].Name }); err != nil {
		return err
	}
	// The jobs of a run are MG5 runs of their own: their names must not
	// be another run's.
	seen := map[string]int{}
	for i := range mg.Runs {
		seen[mg.Runs[i].Name] = i
	}
	for i := range mg.Runs {
		r := &mg.Runs[i]
		if r.NJobs() == 1 {
			continue
		}
		for k := range r.NJobs() {
			if j, ok := seen[JobName(r.Name, k, r.NJobs())]; ok && j != i {
				return v.errAt(fmt.Sprintf("madgraph.runs[%d].name", j), "run %q is the name of job %d of run %q (jobs: %d): rename one", mg.Runs[j].Name, k, r.Name, r.Jobs)
			}
		}
	}
	// So are the samples that read the jobs' files.
	samples := map[string]int{}
	for i, s := range c.Samples {
		samples[s.Name] = i
	}
	for i, s := range c.Samples {
		k := slices.IndexFunc(mg.Runs, func(r MadGraphRun) bool { return r.Name == s.MadGraphRun })
		if s.MadGraphRun == "" || k < 0 || mg.Runs[k].NJobs() == 1 {
			continue
		}
		n := mg.Runs[k].NJobs()
		for j := range n {
			if o, ok := samples[JobName(s.Name, j, n)]; ok && o != i {
				return v.errAt(fmt.Sprintf("samples[%d].name", o), "sample %q is the name of the file of job %d of sample %q (madgraph run %q has %d jobs): rename one", c.Samples[o].Name, j, s.Name, s.MadGraphRun, n)
			}
		}
	}
	return nil
}

// madgraphClusterTypes are the batch systems of MG5's cluster mode
// (madgraph.ClusterTypes; cards does not import madgraph).
var madgraphClusterTypes = []string{"condor", "ge", "htcaas", "htcaas2", "lsf", "pbs", "sge", "slurm"}

func (v *validator) checkExpr(key, src string, known []string) error {
	if strings.TrimSpace(src) == "" {
		return v.errAt(key, "expression is missing")
	}
	var err error
	if v.opts.CheckExpr != nil {
		err = v.opts.CheckExpr(src, known)
	} else {
		_, err = parser.Parse(src)
	}
	if err != nil {
		msg := strings.ReplaceAll(err.Error(), "\n", " ")
		return v.errAt(key, "expression %q does not compile: %s", src, msg)
	}
	return nil
}

func (v *validator) analysis(c *Card) error {
	for i, a := range c.Acceptance {
		key := fmt.Sprintf("acceptance[%d]", i)
		switch a.Object {
		case "e", "mu", "a", "j", "tau":
		default:
			return v.errAt(key+".object", "want e, mu, a, j or tau, got %q", a.Object)
		}
		if a.PtMin < 0 || a.EtaMax < 0 {
			return v.errAt(key, "pt_min and eta_max must not be negative")
		}
	}
	if err := v.unique("observables", len(c.Observables), func(i int) string { return c.Observables[i].Name }); err != nil {
		return err
	}
	if c.HasMadMinerSamples() {
		return nil // observables of the analysed events (importSetup), never evaluated
	}
	var known []string
	for i, o := range c.Observables {
		key := fmt.Sprintf("observables[%d]", i)
		var ne *observables.NameError
		if err := observables.CheckName(o.Name); errors.As(err, &ne) {
			return v.errAt(key+".name", "name %q %s", o.Name, ne.Reason)
		}
		if err := v.name(key+".name", o.Name); err != nil {
			return err
		}
		if err := v.checkExpr(key+".expr", o.Expr, nil); err != nil {
			return err
		}
		known = append(known, o.Name)
	}
	for i, cut := range c.Cuts {
		if err := v.checkExpr(fmt.Sprintf("cuts[%d].expr", i), cut.Expr, known); err != nil {
			return err
		}
	}
	for i, e := range c.Efficiencies {
		if err := v.checkExpr(fmt.Sprintf("efficiencies[%d].expr", i), e.Expr, known); err != nil {
			return err
		}
	}
	if s := c.Smearing; s != nil {
		for i, o := range s.Objects {
			key := fmt.Sprintf("smearing.objects[%d]", i)
			if len(o.PDGIDs) == 0 {
				return v.errAt(key+".pdgids", "pdgids is missing")
			}
			for name, r := range map[string]*Resolution{"energy": o.Energy, "pt": o.Pt, "eta": o.Eta, "phi": o.Phi} {
				if r != nil && (r.Absolute < 0 || r.Relative < 0) {
					return v.errAt(key+"."+name, "resolutions must not be negative")
				}
			}
		}
	}
	return nil
}

func (v *validator) theta(c *Card, key string, t *ThetaSpec) error {
	if t == nil {
		return v.errAt(key, "missing")
	}
	n := 0
	if t.Benchmark != "" {
		n++
		if !benchmarkKnown(c, t.Benchmark) {
			return v.errAt(key+".benchmark", "unknown benchmark %q", t.Benchmark)
		}
	}
	if t.Benchmarks != nil {
		n++
		for i, b := range t.Benchmarks {
			if !benchmarkKnown(c, b) {
				return v.errAt(fmt.Sprintf("%s.benchmarks[%d]", key, i), "unknown benchmark %q", b)
			}
		}
	}
	if t.Point != nil {
		n++
		if len(t.Point) != len(c.Parameters) {
			return v.errAt(key+".point", "want %d values, got %d", len(c.Parameters), len(t.Point))
		}
	}
	if t.Points != nil {
		n++
		for i, p := range t.Points {
			if len(p) != len(c.Parameters) {
				return v.errAt(fmt.Sprintf("%s.points[%d]", key, i), "want %d values, got %d", len(c.Parameters), len(p))
			}
		}
	}
	if r := t.Random; r != nil {
		n++
		if r.N <= 0 {
			return v.errAt(key+".random.n", "must be positive, got %d", r.N)
		}
		if len(r.Priors) != len(c.Parameters) {
			return v.errAt(key+".random.priors", "want one prior per parameter (%d), got %d", len(c.Parameters), len(r.Priors))
		}
		for i, p := range r.Priors {
			pk := fmt.Sprintf("%s.random.priors[%d]", key, i)
			switch p.Kind {
			case "flat":
				if !(p.Range[0] < p.Range[1]) {
					return v.errAt(pk+".range", "min %g is not below max %g", p.Range[0], p.Range[1])
				}
			case "gaussian":
				if !(p.Std > 0) {
					return v.errAt(pk+".std", "must be positive, got %g", p.Std)
				}
			default:
				return v.errAt(pk+".kind", "want flat or gaussian, got %q", p.Kind)
			}
		}
	}
	if n != 1 {
		return v.errAt(key, "give exactly one of benchmark, benchmarks, point, points, random")
	}
	return nil
}

// Sampling methods and the θ specifications each needs.
var samplingMethods = map[string][]string{
	"plain":        {"theta"},
	"local":        {"theta"},
	"density":      {"theta"},
	"test":         {"theta"},
	"ratio":        {"theta0", "theta1"},
	"double_ratio": {"theta0", "theta1"},
}

func (v *validator) sampling(c *Card) error {
	s := c.Sampling
	if s == nil {
		return nil
	}
	if s.ValidationSplit < 0 || s.TestSplit < 0 || s.ValidationSplit+s.TestSplit >= 1 {
		return v.errAt("sampling", "validation_split %g and test_split %g must be non-negative and sum to less than 1", s.ValidationSplit, s.TestSplit)
	}
	if err := v.compat("sampling.compat", s.Compat); err != nil {
		return err
	}
	if err := v.fileNames("sampling.samples", len(s.Samples), func(i int) string { return s.Samples[i].Name }); err != nil {
		return err
	}
	for i := range s.Samples {
		sp := &s.Samples[i]
		key := fmt.Sprintf("sampling.samples[%d]", i)
		need, ok := samplingMethods[sp.Method]
		if !ok {
			return v.errAt(key+".method", "want one of plain, local, density, ratio, double_ratio, test; got %q", sp.Method)
		}
		specs := map[string]*ThetaSpec{"theta": sp.Theta, "theta0": sp.Theta0, "theta1": sp.Theta1}
		for name, t := range specs {
			if t != nil && !slices.Contains(need, name) {
				return v.errAt(key+"."+name, "method %s takes %s, not %s", sp.Method, strings.Join(need, " and "), name)
			}
		}
		for _, name := range need {
			if err := v.theta(c, key+"."+name, specs[name]); err != nil {
				return err
			}
		}
		if sp.N <= 0 {
			return v.errAt(key+".n_samples", "must be positive, got %d", sp.N)
		}
		switch sp.Partition {
		case "train", "validation", "test", "all":
		default:
			return v.errAt(key+".partition", "want train, validation, test or all, got %q", sp.Partition)
		}
		if nu := sp.Nu; nu != nil && nu.Kind != "nominal" && nu.Kind != "random" {
			return v.errAt(key+".nu.kind", "want nominal or random, got %q", nu.Kind)
		}
	}
	return nil
}

// Training methods and the sampling methods whose samples they read.
var trainingMethods = map[string][]string{
	"sally": {"local"}, "sallino": {"local"},
	"carl": {"ratio"}, "rolr": {"ratio"}, "alice": {"ratio"}, "cascal": {"ratio"}, "rascal": {"ratio"}, "alices": {"ratio"},
	"carl2": {"double_ratio"}, "rolr2": {"double_ratio"}, "alice2": {"double_ratio"}, "cascal2": {"double_ratio"}, "rascal2": {"double_ratio"}, "alices2": {"double_ratio"},
	"nde": {"density", "plain"}, "scandal": {"density"},
}

func (v *validator) training(c *Card) error {
	if err := v.fileNames("training", len(c.Training), func(i int) string { return c.Training[i].Name }); err != nil {
		return err
	}
	for i, t := range c.Training {
		key := fmt.Sprintf("training[%d]", i)
		methods, ok := trainingMethods[t.Method]
		if !ok {
			names := slices.Sorted(maps.Keys(trainingMethods))
			return v.errAt(key+".method", "unknown method %q (want one of %s)", t.Method, strings.Join(names, ", "))
		}
		if c.Sampling == nil {
			return v.errAt(key+".sample", "training needs a sampling section")
		}
		j := slices.IndexFunc(c.Sampling.Samples, func(s SampleSpec) bool { return s.Name == t.Sample })
		if j < 0 {
			return v.errAt(key+".sample", "unknown sample %q", t.Sample)
		}
		if m := c.Sampling.Samples[j].Method; !slices.Contains(methods, m) {
			return v.errAt(key+".sample", "method %s needs a %s sample, %q is %s", t.Method, strings.Join(methods, " or "), t.Sample, m)
		}
		if vs := t.ValidationSample; vs != "" {
			k := slices.IndexFunc(c.Sampling.Samples, func(s SampleSpec) bool { return s.Name == vs })
			switch {
			case k < 0:
				return v.errAt(key+".validation_sample", "unknown sample %q", vs)
			case k == j:
				return v.errAt(key+".validation_sample", "%q is the training sample itself", vs)
			case c.Sampling.Samples[k].Method != c.Sampling.Samples[j].Method:
				return v.errAt(key+".validation_sample", "%q is a %s sample, the training sample %q %s", vs, c.Sampling.Samples[k].Method, t.Sample, c.Sampling.Samples[j].Method)
			case t.ValidationSplit != 0:
				return v.errAt(key+".validation_split", "validation_split and validation_sample exclude each other")
			}
		}
		if err := v.hidden(key+".hidden", t.Hidden); err != nil {
			return err
		}
		switch t.Activation {
		case "tanh", "relu", "sigmoid", "softplus", "elu", "lrelu":
		default:
			return v.errAt(key+".activation", "want tanh, relu, sigmoid, softplus, elu or lrelu, got %q", t.Activation)
		}
		switch t.Optimizer {
		case "amsgrad", "adam", "sgd":
		default:
			return v.errAt(key+".optimizer", "want amsgrad, adam or sgd, got %q", t.Optimizer)
		}
		if t.Epochs <= 0 || t.BatchSize <= 0 {
			return v.errAt(key, "epochs and batch_size must be positive")
		}
		if !(t.LearningRate[0] > 0 && t.LearningRate[1] > 0) {
			return v.errAt(key+".learning_rate", "rates must be positive, got %v", t.LearningRate)
		}
		if !(t.ValidationSplit >= 0 && t.ValidationSplit < 1) {
			return v.errAt(key+".validation_split", "must be in [0, 1), got %g", t.ValidationSplit)
		}
		if t.Alpha < 0 {
			return v.errAt(key+".alpha", "must not be negative, got %g", t.Alpha)
		}
		if t.MADEs < 0 {
			return v.errAt(key+".mades", "must not be negative, got %d", t.MADEs)
		}
		if (t.MADEs != 0 || t.BatchNorm) && t.Method != "nde" && t.Method != "scandal" {
			return v.errAt(key, "mades and batch_norm configure the flow of nde and scandal, not %s", t.Method)
		}
		if t.Ensemble < 1 {
			return v.errAt(key+".ensemble", "must be at least 1, got %d", t.Ensemble)
		}
		if t.Precision != "float64" && t.Precision != "float32" {
			return v.errAt(key+".precision", "want float64 or float32, got %q", t.Precision)
		}
		if t.Workers < 0 {
			return v.errAt(key+".workers", "must not be negative, got %d", t.Workers)
		}
		for j, f := range t.Features {
			if !slices.ContainsFunc(c.Observables, func(o Observable) bool { return o.Name == f }) {
				return v.errAt(fmt.Sprintf("%s.features[%d]", key, j), "unknown observable %q", f)
			}
		}
	}
	return nil
}

func (v *validator) observablesKnown(key string, c *Card, names []string) error {
	for j, o := range names {
		if !slices.ContainsFunc(c.Observables, func(x Observable) bool { return x.Name == o }) {
			return v.errAt(fmt.Sprintf("%s.observables[%d]", key, j), "unknown observable %q", o)
		}
	}
	return nil
}

func (v *validator) model(key string, c *Card, name string, methods ...string) error {
	j := slices.IndexFunc(c.Training, func(t Training) bool { return t.Name == name })
	if j < 0 {
		return v.errAt(key+".model", "unknown model %q (no training entry of that name)", name)
	}
	if len(methods) > 0 && !slices.Contains(methods, c.Training[j].Method) {
		return v.errAt(key+".model", "model %q is %s, want %s", name, c.Training[j].Method, strings.Join(methods, " or "))
	}
	return nil
}

func (v *validator) fisher(c *Card) error {
	f := c.Fisher
	if f == nil {
		return nil
	}
	if !(f.Luminosity > 0) {
		return v.errAt("fisher.luminosity", "must be positive, got %g", f.Luminosity)
	}
	if err := v.points("fisher.theta", f.Theta, len(c.Parameters)); err != nil {
		return err
	}
	if err := v.fileNames("fisher.items", len(f.Items), func(i int) string { return f.Items[i].Name }); err != nil {
		return err
	}
	for i, it := range f.Items {
		key := fmt.Sprintf("fisher.items[%d]", i)
		if c.IsSimulator() && slices.Contains(FisherKinds(), it.Kind) && !slices.Contains(SimulatorFisherKinds(), it.Kind) {
			return v.errAt(key+".kind", "%s needs events with benchmark weights; a simulator campaign offers %v", it.Kind, SimulatorFisherKinds())
		}
		switch it.Kind {
		case "truth", "rate":
		case "histo", "histo2d", "info_histogram":
			want := 1
			if it.Kind == "histo2d" {
				want = 2
			}
			if len(it.Observables) != want {
				return v.errAt(key+".observables", "%s needs %d observable(s), got %d", it.Kind, want, len(it.Observables))
			}
			if err := v.observablesKnown(key, c, it.Observables); err != nil {
				return err
			}
			if err := v.binning(key, it.Bins, it.Edges, want); err != nil {
				return err
			}
		case "sally":
			if err := v.model(key, c, it.Model, "sally", "sallino"); err != nil {
				return err
			}
		case "ratio":
			if err := v.model(key, c, it.Model, "carl", "rolr", "alice", "cascal", "rascal", "alices"); err != nil {
				return err
			}
		default:
			return v.errAt(key+".kind", "want truth, rate, histo, histo2d, info_histogram, sally or ratio, got %q", it.Kind)
		}
	}
	for i, p := range f.Profile {
		if _, ok := c.ParameterIndex(p); !ok {
			return v.errAt(fmt.Sprintf("fisher.profile[%d]", i), "unknown parameter %q", p)
		}
	}
	return nil
}

// Sizes a card may ask for, so that a typo cannot ask for more memory than
// any machine has: hidden layers of at most maxLayer units and maxWeights
// weights in all, at most maxGridPoints points in a limits grid and
// maxBins cells in a histogram.
const (
	maxLayer      = 1 << 14
	maxWeights    = 1 << 26
	maxGridPoints = 10_000_000
	maxBins       = 1_000_000
)

func (v *validator) binning(key string, bins []int, edges [][]float64, n int) error {
	if bins != nil && edges != nil {
		return v.errAt(key+".edges", "give bins or edges, not both")
	}
	if bins != nil && len(bins) != n {
		return v.errAt(key+".bins", "want %d bin counts, got %d", n, len(bins))
	}
	cells := 1
	for j, b := range bins {
		if b < 1 {
			return v.errAt(fmt.Sprintf("%s.bins[%d]", key, j), "must be positive, got %d", b)
		}
		if cells *= min(b, maxBins+1); cells > maxBins {
			return v.errAt(key+".bins", "the bins %v make more than %d cells", bins, maxBins)
		}
	}
	if edges != nil && len(edges) != n {
		return v.errAt(key+".edges", "want %d edge lists, got %d", n, len(edges))
	}
	for j, e := range edges {
		if len(e) < 1 || !slices.IsSorted(e) {
			return v.errAt(fmt.Sprintf("%s.edges[%d]", key, j), "edges must be non-empty and increasing")
		}
	}
	return nil
}

func (v *validator) limits(c *Card) error {
	l := c.Limits
	if l == nil {
		return nil
	}
	np := len(c.Parameters)
	if !(l.Luminosity > 0) {
		return v.errAt("limits.luminosity", "must be positive, got %g", l.Luminosity)
	}
	if err := v.points("limits.theta_true", l.ThetaTrue, np); err != nil {
		return err
	}
	if err := v.compat("limits.compat", l.Compat); err != nil {
		return err
	}
	if l.Observed != "" && len(l.ThetaTrue) > 1 {
		return v.errAt("limits.theta_true", "observed data replace the Asimov data of θ_true: give one θ_true (or none) with observed")
	}
	if len(l.Grid.Ranges) != np {
		return v.errAt("limits.grid.ranges", "want %d ranges, got %d", np, len(l.Grid.Ranges))
	}
	for i, r := range l.Grid.Ranges {
		if !(r[0] < r[1]) {
			return v.errAt(fmt.Sprintf("limits.grid.ranges[%d]", i), "min %g is not below max %g", r[0], r[1])
		}
	}
	if len(l.Grid.Resolutions) != np {
		return v.errAt("limits.grid.resolutions", "want 1 or %d resolutions, got %d", np, len(l.Grid.Resolutions))
	}
	points := 1
	for i, r := range l.Grid.Resolutions {
		if r < 2 {
			return v.errAt(fmt.Sprintf("limits.grid.resolutions[%d]", i), "need at least 2 points, got %d", r)
		}
		if points *= min(r, maxGridPoints+1); points > maxGridPoints {
			return v.errAt("limits.grid.resolutions", "the grid %v has more than %d points", l.Grid.Resolutions, maxGridPoints)
		}
	}
	if l.Nuisance != "profile" && l.Nuisance != "fix" {
		return v.errAt("limits.nuisance", "want profile or fix, got %q", l.Nuisance)
	}
	if err := v.fileNames("limits.scans", len(l.Scans), func(i int) string { return l.Scans[i].Name }); err != nil {
		return err
	}
	for i, s := range l.Scans {
		key := fmt.Sprintf("limits.scans[%d]", i)
		if c.IsSimulator() && slices.Contains(ScanModes(), s.Mode) && !slices.Contains(SimulatorScanModes(), s.Mode) {
			return v.errAt(key+".mode", "%s needs events with benchmark weights; a simulator campaign offers %v", s.Mode, SimulatorScanModes())
		}
		if s.Normalize != nil && *s.Normalize && (s.Mode != "ml" || c.IsSimulator()) {
			return v.errAt(key+".normalize", "normalisation applies to mode ml on event files only (mode %s)", s.Mode)
		}
		switch s.Mode {
		case "rate":
		case "histo":
			if len(s.Observables) < 1 || len(s.Observables) > 3 {
				return v.errAt(key+".observables", "histo takes 1 to 3 observables, got %d", len(s.Observables))
			}
			if err := v.observablesKnown(key, c, s.Observables); err != nil {
				return err
			}
			if err := v.binning(key, s.Bins, nil, len(s.Observables)); s.Bins != nil && err != nil {
				return err
			}
		case "sally", "adaptive-sally", "sallino":
			if err := v.model(key, c, s.Model, "sally", "sallino"); err != nil {
				return err
			}
		case "ml":
			if err := v.model(key, c, s.Model); err != nil {
				return err
			}
		case "exact":
			if !c.IsSimulator() {
				return v.errAt(key+".mode", "mode exact needs a simulator with a known likelihood")
			}
		default:
			return v.errAt(key+".mode", "want rate, histo, sally, adaptive-sally, sallino, ml or exact, got %q", s.Mode)
		}
	}
	if t := l.Toys; t != nil {
		if t.N <= 0 {
			return v.errAt("limits.toys.n", "must be positive, got %d", t.N)
		}
		for i, p := range t.Points {
			if len(p) != np {
				return v.errAt(fmt.Sprintf("limits.toys.points[%d]", i), "want %d values, got %d", np, len(p))
			}
		}
		if t.Batches < 0 || t.Batches > t.N {
			return v.errAt("limits.toys.batches", "want 0 to n = %d batches, got %d", t.N, t.Batches)
		}
	}
	return nil
}

// CompileTransform compiles a param_card_transform expression in theta.
func CompileTransform(src string) (*vm.Program, error) {
	p, err := expr.Compile(src, expr.Env(map[string]any{"theta": 0.0}), expr.AsFloat64())
	if err != nil {
		return nil, err
	}
	if _, err := expr.Run(p, map[string]any{"theta": 0.5}); err != nil {
		return nil, err
	}
	return p, nil
}

// Transform applies a compiled param_card_transform to theta.
func Transform(p *vm.Program, theta float64) (float64, error) {
	out, err := expr.Run(p, map[string]any{"theta": theta})
	if err != nil {
		return 0, err
	}
	return out.(float64), nil
}

func (v *validator) study(c *Card) error {
	st := c.Study
	if st == nil {
		return nil
	}
	if c.IsSimulator() && c.Samples[0].Simulator.Name != "galton" {
		return v.errAt("study", "the sample-efficiency study needs the galton simulator or events (exact likelihood ratio)")
	}
	if !c.IsSimulator() {
		if err := v.eventStudy(c); err != nil {
			return err
		}
	}
	for i, m := range st.Methods {
		switch m {
		case "carl", "rolr", "alice", "cascal", "rascal", "alices", "sally":
		default:
			return v.errAt(fmt.Sprintf("study.methods[%d]", i), "want a ratio method (carl, rolr, alice, cascal, rascal, alices) or sally (+ histogram), got %q", m)
		}
	}
	if st.SallyBins < 0 {
		return v.errAt("study.sally_bins", "%d bins", st.SallyBins)
	}
	if err := v.hidden("study.hidden", st.Hidden); err != nil {
		return err
	}
	if err := v.hidden("study.sally_hidden", st.SallyHidden); err != nil {
		return err
	}
	if c.IsSimulator() && (st.SallyHidden != nil || st.SallyScaledScores) {
		return v.errAt("study", "sally_hidden and sally_scaled_scores belong to the study on events")
	}
	for i, n := range st.Sizes {
		if n < 10 {
			return v.errAt(fmt.Sprintf("study.sizes[%d]", i), "training size %d is too small", n)
		}
	}
	if st.Seeds < 0 || st.GridPoints < 0 {
		return v.errAt("study", "seeds and grid_points must not be negative")
	}
	if st.Theta0 != [2]float64{} && !(st.Theta0[0] < st.Theta0[1]) {
		return v.errAt("study.theta0_range", "min %g is not below max %g", st.Theta0[0], st.Theta0[1])
	}
	return nil
}

// hidden checks the hidden-layer widths at key: each positive and at most
// maxLayer, all together at most maxWeights weights.
func (v *validator) hidden(key string, layers []int) error {
	weights, prev := 0, 1
	for j, h := range layers {
		if h <= 0 {
			return v.errAt(fmt.Sprintf("%s[%d]", key, j), "layer size must be positive, got %d", h)
		}
		if h > maxLayer {
			return v.errAt(fmt.Sprintf("%s[%d]", key, j), "layer size %d is larger than %d", h, maxLayer)
		}
		if weights += prev * h; weights > maxWeights {
			return v.errAt(key, "the hidden layers %v hold more than %d weights", layers, maxWeights)
		}
		prev = h
	}
	return nil
}

// eventStudy checks the fields of the study on an events card.
func (v *validator) eventStudy(c *Card) error {
	st := c.Study
	np := len(c.Parameters)
	obs := map[string]bool{}
	for _, o := range c.Observables {
		obs[o.Name] = true
	}
	if len(st.Theta0Ranges) != 0 && len(st.Theta0Ranges) != np {
		return v.errAt("study.theta0_ranges", "%d ranges for %d parameters", len(st.Theta0Ranges), np)
	}
	for i, r := range st.Theta0Ranges {
		if !(r[0] < r[1]) {
			return v.errAt(fmt.Sprintf("study.theta0_ranges[%d]", i), "min %g is not below max %g", r[0], r[1])
		}
	}
	if len(st.Grid) != 0 && len(st.Grid) != np {
		return v.errAt("study.grid", "%d grid sizes for %d parameters", len(st.Grid), np)
	}
	for i, k := range st.Grid {
		if k < 1 {
			return v.errAt(fmt.Sprintf("study.grid[%d]", i), "%d points", k)
		}
	}
	if st.TestEvents < 0 || st.FisherEvents < 0 || st.Alpha < 0 {
		return v.errAt("study", "test_events, fisher_events and alpha must not be negative")
	}
	for i, f := range st.Features {
		if !obs[f] {
			return v.errAt(fmt.Sprintf("study.features[%d]", i), "unknown observable %q", f)
		}
	}
	for i, h := range st.Histograms {
		at := fmt.Sprintf("study.histograms[%d]", i)
		if h.Name == "" || len(h.Observables) == 0 || h.Bins < 0 {
			return v.errAt(at, "a histogram needs a name, observables and bins ≥ 0")
		}
		for _, o := range h.Observables {
			if !obs[o] {
				return v.errAt(at, "unknown observable %q", o)
			}
		}
	}
	return nil
}
