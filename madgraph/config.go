// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package madgraph

import (
	"context"
	"io"
	"time"
)

// Parameter is one theory parameter as it enters the MG5 param card.
type Parameter struct {
	// Name identifies the parameter in Benchmark.Values.
	Name string
	// Block is the LHA block of the param card entry (e.g. "smeft").
	// Blocks are matched case-insensitively; "decay" selects a DECAY line.
	Block string
	// ID is the LHA id inside the block.
	ID int
	// Transform is an expression in theta giving the value written to the
	// cards (MadMiner's param_card_transform, e.g. "1.0*theta" or
	// "theta**2"). An empty Transform writes theta itself.
	Transform string
}

// Benchmark is a named point in parameter space.
type Benchmark struct {
	Name string
	// Values holds the parameter values, keyed by Parameter.Name.
	Values map[string]float64
}

// Setup lists the parameters and benchmarks of a study. The order of
// Benchmarks is the order of the launch blocks in the reweight cards.
type Setup struct {
	Parameters []Parameter
	Benchmarks []Benchmark
}

// Systematic types.
const (
	SystematicScale = "scale" // renormalisation and/or factorisation scale
	SystematicPDF   = "pdf"   // PDF variations
	SystematicNorm  = "norm"  // normalisation; needs nothing from MG5
)

// Systematic is one nuisance parameter, as far as MG5 needs to know it.
type Systematic struct {
	Name string
	// Type is SystematicScale, SystematicPDF or SystematicNorm.
	Type string
	// Scale is "mu" (renormalisation and factorisation scale together),
	// "mur" or "muf"; only for SystematicScale. Empty means "mu".
	Scale string
	// Variations are the scale factors, e.g. 0.5, 1, 2; only for
	// SystematicScale. Empty means 0.5, 1, 2.
	Variations []float64
	// PDF is the LHAPDF set (name or id) whose members give the
	// variations, e.g. "CT10"; only for SystematicPDF.
	PDF string
}

// Setting is one "VALUE = KEY" entry of a run card.
type Setting struct {
	Key   string
	Value string
}

// Run is one MG5 event-generation run.
type Run struct {
	// Name is unique in the campaign; it names the folders, scripts and
	// log. Letters, digits, '_', '-' and '.' only.
	Name string
	// SampleBenchmark names the benchmark whose values go into the param
	// card. Empty means the template is used as it is (background).
	SampleBenchmark string
	// Background runs are not reweighted (MadMiner's is_background).
	Background bool
	// RunCard is the run card template; empty means Config.RunCard.
	RunCard string
	// RunCardSettings change entries of the run card template (for example
	// nevents and iseed); keys missing from the template are appended.
	RunCardSettings []Setting
	// Pythia8Card, if not empty, switches the Pythia 8 shower on with this
	// card.
	Pythia8Card string
	// DelphesCard, if not empty, switches the Delphes detector simulation
	// on with this card.
	DelphesCard string
	// MadSpinCard, if not empty, switches MadSpin on with this card.
	MadSpinCard string
}

// Config describes a campaign of MG5 runs.
type Config struct {
	// MG5 is the mg5_aMC executable or the MG5_aMC installation folder.
	// The environment variable MG5_AMC overrides it; empty means mg5_aMC
	// from PATH.
	MG5 string
	// Python, if not empty, is the interpreter that runs mg5_aMC
	// (MadMiner's python_executable); GOLDMINE_PYTHON overrides it. Its
	// folder goes first on PATH for the scripts, so that MG5's own
	// "#!/usr/bin/env python3" scripts, the reweighting among them, use it
	// too. Empty means python3 from PATH.
	Python string
	// InitialCommand is shell code run before MG5 in every script (for
	// example "source /opt/env.sh").
	InitialCommand string

	// UFOModel, if not empty, is a UFO model folder copied into the MG5
	// installation's models folder (unless a model of that name is there
	// already) before the process is generated, as MadMiner does.
	UFOModel string

	// ProcCard is the MG5 process card (import model, generate, ...). The
	// "output" line is added by goldmine.
	ProcCard string
	// ParamCardTemplate is the param card into which the benchmark values
	// are written.
	ParamCardTemplate string
	// RunCard is the default run card template.
	RunCard string

	Setup       Setup
	Systematics []Systematic
	Runs        []Run

	// WorkDir is the job folder. It is created if needed.
	WorkDir string
	// Parallel is the number of runs that go at the same time; 0 means 1.
	Parallel int
	// CoresPerRun, if positive, sets MG5's multicore mode with that many
	// cores in each run's Cards/me5_configuration.txt, so that parallel
	// runs do not each take every core. 0 leaves MG5's configuration.
	CoresPerRun int
	// Cluster, if not nil, makes MG5 submit the survey and refine jobs
	// of every run to a batch system itself (its cluster mode, run_mode
	// 1), in place of running them on the machine of the run.
	Cluster *Cluster
	// Timeout bounds each MG5 invocation; 0 means no limit.
	Timeout time.Duration
	// OnlyPrepare writes cards and scripts without running anything.
	OnlyPrepare bool
	// Force re-runs runs whose output is already complete.
	Force bool
	// KeepGoing lets the other runs go on after one failed; by default the
	// first failure cancels the runs still going.
	KeepGoing bool
	// Only, if not empty, names the runs that Generate runs; the others
	// are prepared only. It is how one job of a workflow runs one MG5 run
	// of a job folder that other jobs share.
	Only []string
	// ProcessLock, if not nil, is held while Generate writes the job
	// folder and makes the process folder, so that Generate calls in
	// processes of their own (the jobs of a workflow, each with its own
	// Only) that share the job folder write it one at a time and make the
	// process folder once. It returns the function that releases it.
	ProcessLock func(ctx context.Context) (release func(), err error)
	// Log receives progress messages; nil means silent.
	Log io.Writer
}

// The batch systems of MG5's cluster mode (madgraph/various/cluster.py of
// MG5_aMC 3.5: cluster_type).
var clusterTypes = []string{"condor", "ge", "htcaas", "htcaas2", "lsf", "pbs", "sge", "slurm"}

// ClusterTypes returns the batch systems MG5's cluster mode knows.
func ClusterTypes() []string { return append([]string(nil), clusterTypes...) }

// Cluster configures MG5's cluster mode: the settings written into each
// run's Cards/me5_configuration.txt.
type Cluster struct {
	// Type is MG5's cluster_type, one of ClusterTypes.
	Type string
	// Queue is the queue (the partition on Slurm, cluster_queue); empty
	// leaves MG5's default.
	Queue string
	// NbCore is the number of cores MG5 compiles with in cluster mode
	// (nb_core); 0 leaves MG5's default.
	NbCore int
}
