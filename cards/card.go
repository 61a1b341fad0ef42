// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import "fmt"

// Card is one goldmine campaign. Field tags are the YAML keys.
type Card struct {
	// Path is the file the card was loaded from (not a YAML key).
	Path string `yaml:"-"`

	Workdir     string       `yaml:"workdir"`
	Seed        *uint64      `yaml:"seed"`
	Parameters  []Parameter  `yaml:"parameters"`
	Benchmarks  []Benchmark  `yaml:"benchmarks"`
	Morphing    Morphing     `yaml:"morphing"`
	Systematics []Systematic `yaml:"systematics"`
	MadGraph    *MadGraph    `yaml:"madgraph"`
	Shower      *Shower      `yaml:"shower"`
	Delphes     *Delphes     `yaml:"delphes"`
	Samples     []Sample     `yaml:"samples"`
	// Shuffle mixes the events of all samples in the events file with the
	// campaign seed (default true); false keeps file order.
	Shuffle      *bool        `yaml:"shuffle"`
	Acceptance   []Acceptance `yaml:"acceptance"`
	Smearing     *Smearing    `yaml:"smearing"`
	Observables  []Observable `yaml:"observables"`
	Cuts         []Cut        `yaml:"cuts"`
	Efficiencies []Efficiency `yaml:"efficiencies"`
	Sampling     *Sampling    `yaml:"sampling"`
	Training     []Training   `yaml:"training"`
	Fisher       *Fisher      `yaml:"fisher"`
	Limits       *Limits      `yaml:"limits"`
	Posterior    *Posterior   `yaml:"posterior"`
	Plots        *Plots       `yaml:"plots"`
	Study        *Study       `yaml:"study"`
	// Workflow configures goldmine workflow; no stage reads it.
	Workflow *Workflow `yaml:"workflow"`

	// Imported maps the sections the card leaves out that Load took from
	// the events file of its madminer samples (parameters, benchmarks,
	// morphing, observables) to that file (not a YAML key).
	Imported map[string]string `yaml:"-"`
}

// Parameter is one theory parameter (a Wilson coefficient).
type Parameter struct {
	Name             string     `yaml:"name"`
	LHABlock         string     `yaml:"lha_block"`
	LHAID            int        `yaml:"lha_id"`
	MorphingMaxPower int        `yaml:"morphing_max_power"`
	Range            [2]float64 `yaml:"range"`
	// ParamCardTransform maps theta to the value written into the param
	// card, as an expression in the variable theta. Empty means identity.
	ParamCardTransform string `yaml:"param_card_transform"`
}

// Benchmark is a named point in parameter space, either given explicitly
// or imported from the <initrwgt> header of an LHE file.
type Benchmark struct {
	Name   string             `yaml:"name"`
	Values map[string]float64 `yaml:"values"`

	// FromLHE imports every reweighting weight of the file's header whose
	// "set param_card BLOCK ID VALUE" lines set the card's parameters.
	FromLHE string `yaml:"from_lhe"`
	// Only restricts an import to these weight ids.
	Only []string `yaml:"only"`
}

// Morphing configures the morphing basis.
type Morphing struct {
	// MaxOverallPower limits the total degree of the components; 0 means
	// no limit beyond the per-parameter powers.
	MaxOverallPower int `yaml:"max_overall_power"`
	// Basis fixes the basis to these benchmarks. When empty, a basis is
	// searched for (Optimize), keeping the benchmarks listed in Keep.
	Basis    []string          `yaml:"basis"`
	Optimize *MorphingOptimize `yaml:"optimize"`
}

// MorphingOptimize configures the basis search.
type MorphingOptimize struct {
	Keep       []string `yaml:"keep"`
	Starts     int      `yaml:"starts"`
	TestPoints int      `yaml:"test_points"`
	// Objective is "weights" (MadMiner's mean Σw²) or "xsec" (weights
	// scaled by benchmark cross sections, MadMiner issue #120).
	Objective string `yaml:"objective"`
}

// Systematic is a source of systematic uncertainty, turned into nuisance
// parameters by the analysis.
type Systematic struct {
	Name string `yaml:"name"`
	// Type is "norm", "scale" or "pdf".
	Type string `yaml:"type"`
	// Norm: relative uncertainty of the normalisation (e.g. 0.1).
	Value float64 `yaml:"value"`
	// Scale: which scale ("mu", "mur", "muf") and the factors (e.g. [0.5, 2]).
	Scale   string    `yaml:"scale"`
	Factors []float64 `yaml:"factors"`
	// PDF: the LHAPDF set name or the LHAPDF id of the first member, and
	// the number of error members to use.
	PDF     string `yaml:"pdf"`
	PDFID   int    `yaml:"pdf_id"`
	Members int    `yaml:"members"`
}

// MadGraph configures event generation (goldmine generate).
type MadGraph struct {
	Dir               string `yaml:"dir"`
	ProcCard          string `yaml:"proc_card"`
	ParamCardTemplate string `yaml:"param_card_template"`
	RunCard           string `yaml:"run_card"`
	Pythia8Card       string `yaml:"pythia8_card"`
	ProcessDir        string `yaml:"process_dir"`
	// Python is the interpreter MG5 runs with; its folder goes first on
	// PATH for MG5's own scripts (GOLDMINE_PYTHON overrides it). Empty
	// means python3 from PATH.
	Python string `yaml:"python"`
	// UFOModel is a UFO model folder copied into MG5's models folder.
	UFOModel string `yaml:"ufo_model"`
	// CoresPerRun, if positive, is the number of cores each MG5 run uses.
	CoresPerRun int `yaml:"cores_per_run"`
	// Cluster, if set, makes MG5 submit the survey and refine jobs of
	// every run to a batch system itself (MG5's cluster mode).
	Cluster  *MadGraphCluster `yaml:"cluster" json:",omitempty"`
	Parallel int              `yaml:"parallel"`
	Timeout  string           `yaml:"timeout"`
	Runs     []MadGraphRun    `yaml:"runs"`
}

// MadGraphRun is one generation run.
type MadGraphRun struct {
	Name       string `yaml:"name"`
	Benchmark  string `yaml:"benchmark"`
	RunCard    string `yaml:"run_card"`
	Background bool   `yaml:"background"`
	Events     int    `yaml:"events"`
	Seed       int    `yaml:"seed"`
	// Jobs cuts the run into that many independent MG5 jobs of the same
	// benchmark (0 or 1: one), each with its own seed and LHE file, named
	// NAME.j0 … (JobName); Events is the total, split by SplitEvents. A
	// sample of the run reads every job's file as a sample of its own
	// (SAMPLE.j0 …), and the benchmark's cross section counts once.
	Jobs int `yaml:"jobs" json:",omitempty"`
}

// MadGraphCluster configures MG5's cluster mode: run_mode = 1 and the
// cluster settings in each run's me5_configuration.txt.
type MadGraphCluster struct {
	// Type is MG5's cluster_type: condor, ge, htcaas, htcaas2, lsf, pbs,
	// sge or slurm.
	Type string `yaml:"type"`
	// Queue is MG5's cluster_queue (the partition on Slurm); empty
	// leaves MG5's default.
	Queue string `yaml:"queue"`
	// NbCore is the number of cores MG5 compiles with; 0 leaves MG5's
	// default.
	NbCore int `yaml:"nb_core"`
}

// NJobs returns the number of MG5 jobs of the run (Jobs, at least 1).
func (r *MadGraphRun) NJobs() int { return max(r.Jobs, 1) }

// JobName returns the name of job k of n of the run or sample name: the
// name itself for one job, else NAME.jK.
func JobName(name string, k, n int) string {
	if n <= 1 {
		return name
	}
	return fmt.Sprintf("%s.j%d", name, k)
}

// ThetaChunks returns the number of augment jobs that goldmine workflow
// cuts sampling sample i into (workflow.theta_chunk): 1, or ⌈points/
// theta_chunk⌉ for a sample of more θ points (θ0 points of a ratio
// sample).
func (c *Card) ThetaChunks(i int) int {
	if c.Workflow == nil || c.Workflow.ThetaChunk <= 0 || c.Sampling == nil {
		return 1
	}
	sp := &c.Sampling.Samples[i]
	th := sp.Theta
	if th == nil {
		th = sp.Theta0
	}
	per := c.Workflow.ThetaChunk
	return max(1, (th.Len()+per-1)/per)
}

// ChunkName is the name of the augment job of chunk k of n of the
// sampling sample name: the name itself for n = 1, else NAME.t<k>.
func ChunkName(name string, k, n int) string {
	if n <= 1 {
		return name
	}
	return fmt.Sprintf("%s.t%d", name, k)
}

// SplitEvents returns the events of job k of n of a total: total/n,
// one more for each of the first total%n jobs, so that the jobs' events
// add up to the total.
func SplitEvents(total, k, n int) int {
	if n <= 1 {
		return total
	}
	e := total / n
	if k < total%n {
		e++
	}
	return e
}

// Shower configures the parton shower of the samples' LHE files with
// Pythia 8 (goldmine shower): every sample with an LHE file (its own or
// a MadGraph run's) and no HepMC or Delphes file of its own is showered
// into WORKDIR/shower/NAME.hepmc (package shower). It is for MadGraph
// installations without MG5's own Pythia 8 interface; with that
// interface, name madgraph.pythia8_card instead.
type Shower struct {
	// Program is the Pythia 8 program, called as "PROGRAM COMMANDFILE
	// OUTPUT": Pythia's example main42, or a program of the user with
	// that command line. Empty means bin/main42 of $GOLDMINE_PYTHIA8 (a
	// Pythia 8 installation folder), else main42 on PATH.
	Program string `yaml:"program"`
	// Data is the folder of Pythia's data files (PYTHIA8DATA). Empty
	// means $PYTHIA8DATA, else share/Pythia8/xmldoc beside the
	// program's bin folder.
	Data string `yaml:"data"`
	// CommandFile is a Pythia command file of the user (tune, decays,
	// ...), copied into the command file goldmine writes; it must not set
	// what goldmine sets (Beams:frameType, Beams:LHEF,
	// Main:numberOfEvents, and the random seed, which comes from the
	// card's seed).
	CommandFile string `yaml:"command_file"`
	// Settings are further Pythia settings, one a line.
	Settings []string `yaml:"settings"`
	// Timeout bounds each Pythia run ("2h"); empty means no limit.
	Timeout string `yaml:"timeout"`
}

// Delphes configures running Delphes on HepMC files: the HepMC files of
// the samples (their own, a MadGraph run's made by MG5's Pythia 8
// interface, or the shower section's) become Delphes files in
// WORKDIR/delphes, whose events are paired with the LHE events.
type Delphes struct {
	// Dir is the Delphes folder (with DelphesHepMC3, or bin/, and the
	// detector cards in cards/). Empty means $GOLDMINE_DELPHES.
	Dir string `yaml:"dir"`
	// Card is the detector card: a path relative to the goldmine card,
	// or else to Dir (cards/delphes_card_CMS.tcl).
	Card string `yaml:"card"`
	Tree string `yaml:"tree"`
}

// Sample is one input event sample.
type Sample struct {
	Name string `yaml:"name"`
	// Exactly one source: LHE, Delphes (ROOT), HepMC, Simulator or
	// MadMiner, an events file written by MadMiner or goldmine (analysed
	// already: its observables and weights are used as they are).
	MadMiner  string           `yaml:"madminer"`
	LHE       string           `yaml:"lhe"`
	Delphes   string           `yaml:"delphes"`
	HepMC     string           `yaml:"hepmc"`
	Simulator *SimulatorSource `yaml:"simulator"`
	// MadGraphRun takes the LHE file (and, unless given, the sampling
	// benchmark) of a run of the madgraph section after goldmine generate.
	MadGraphRun string `yaml:"madgraph_run"`
	// Weights for detector-level samples: "lhe" (default; from the LHE
	// file named in LHE) or "hepmc".
	Weights string `yaml:"weights"`

	SampledFrom string   `yaml:"sampled_from"`
	Background  bool     `yaml:"background"`
	KFactor     float64  `yaml:"k_factor"`
	Systematics []string `yaml:"systematics"`
	MaxEvents   int      `yaml:"max_events"`
	// EventNorm overrides the normalisation the file declares: average,
	// sum, bias or unity (see package lhe). Empty means the file's own.
	EventNorm string `yaml:"event_norm"`

	// AllowTruncated accepts an LHE file that ends without
	// </LesHouchesEvents> (an interrupted copy or run) with a warning
	// giving the number of events read; by default it is an error.
	AllowTruncated bool `yaml:"allow_truncated"`
	// DropNonFinite drops LHE events with a NaN or infinite value, with a
	// warning giving their number; by default the first is an error.
	DropNonFinite bool `yaml:"drop_non_finite"`
	// AllowDropped accepts LHE events that the shower or the detector
	// simulation dropped (a shower that failed, a matching veto), found
	// by pairing the events; they count with zero weight and a warning
	// gives their number. By default they are an error.
	AllowDropped bool `yaml:"allow_dropped"`
}

// SimulatorSource draws events from a built-in simulator.
type SimulatorSource struct {
	Name   string             `yaml:"name"`
	Config map[string]float64 `yaml:"config"`
	Points []SimulatorPoint   `yaml:"points"`
}

// SimulatorPoint is a parameter point with an event count.
type SimulatorPoint struct {
	Theta  []float64 `yaml:"theta"`
	Events int       `yaml:"events"`
}

// Acceptance is an object acceptance cut (MadMiner's set_acceptance).
type Acceptance struct {
	Object string  `yaml:"object"`
	PtMin  float64 `yaml:"pt_min"`
	EtaMax float64 `yaml:"eta_max"`
}

// Smearing configures Gaussian smearing of objects and MET.
type Smearing struct {
	Seed     *uint64       `yaml:"seed"`
	Objects  []SmearObject `yaml:"objects"`
	METNoise *Resolution   `yaml:"met_noise"`
}

// SmearObject is the resolution of one set of PDG ids.
type SmearObject struct {
	PDGIDs []int       `yaml:"pdgids"`
	Energy *Resolution `yaml:"energy"`
	Pt     *Resolution `yaml:"pt"`
	Eta    *Resolution `yaml:"eta"`
	Phi    *Resolution `yaml:"phi"`
}

// Resolution is σ = absolute + relative × value.
type Resolution struct {
	Absolute float64 `yaml:"absolute"`
	Relative float64 `yaml:"relative"`
}

// Observable is one analysis observable.
type Observable struct {
	Name string `yaml:"name"`
	Expr string `yaml:"expr"`
	// Required drops events where the observable cannot be computed;
	// otherwise Default is stored.
	Required *bool    `yaml:"required"`
	Default  *float64 `yaml:"default"`
}

// Cut keeps events for which Expr is true.
type Cut struct {
	Name string `yaml:"name"`
	Expr string `yaml:"expr"`
	// PassIfNotComputable keeps events where Expr cannot be evaluated.
	PassIfNotComputable bool `yaml:"pass_if_not_computable"`
}

// Efficiency multiplies event weights by Expr.
type Efficiency struct {
	Name    string  `yaml:"name"`
	Expr    string  `yaml:"expr"`
	Default float64 `yaml:"default"`
}

// Sampling configures goldmine augment.
type Sampling struct {
	ValidationSplit float64      `yaml:"validation_split"`
	TestSplit       float64      `yaml:"test_split"`
	Float64         bool         `yaml:"float64"`
	Samples         []SampleSpec `yaml:"samples"`
	// Compat madminer uses MadMiner's partitions (sampling.MadMinerCompat),
	// and the Fisher information's test partition follows it.
	Compat Compat `yaml:"compat"`
}

// SampleSpec is one augmented sample.
type SampleSpec struct {
	Name string `yaml:"name"`
	// Method: plain, local, density, ratio, double_ratio, test.
	Method    string     `yaml:"method"`
	Theta     *ThetaSpec `yaml:"theta"`
	Theta0    *ThetaSpec `yaml:"theta0"`
	Theta1    *ThetaSpec `yaml:"theta1"`
	Nu        *NuSpec    `yaml:"nu"`
	N         int        `yaml:"n_samples"`
	Partition string     `yaml:"partition"`
	// SampleOnlyFromClosestBenchmark as MadMiner (default true).
	SampleOnlyFromClosestBenchmark *bool   `yaml:"sample_only_from_closest_benchmark"`
	MinNEff                        float64 `yaml:"min_n_eff"`
}

// ThetaSpec is a set of parameter points.
type ThetaSpec struct {
	Benchmark  string       `yaml:"benchmark"`
	Benchmarks []string     `yaml:"benchmarks"`
	Point      []float64    `yaml:"point"`
	Points     [][]float64  `yaml:"points"`
	Random     *RandomTheta `yaml:"random"`
}

// Len is the number of points t gives.
func (t *ThetaSpec) Len() int {
	switch {
	case t == nil:
		return 0
	case t.Benchmarks != nil:
		return len(t.Benchmarks)
	case t.Points != nil:
		return len(t.Points)
	case t.Random != nil:
		return t.Random.N
	}
	return 1
}

// RandomTheta draws N points from per-parameter priors.
type RandomTheta struct {
	N      int     `yaml:"n"`
	Priors []Prior `yaml:"priors"`
}

// Prior is "flat" (Range) or "gaussian" (Mean, Std) for one parameter.
type Prior struct {
	Kind  string     `yaml:"kind"`
	Range [2]float64 `yaml:"range"`
	Mean  float64    `yaml:"mean"`
	Std   float64    `yaml:"std"`
}

// NuSpec selects nuisance parameter values: "nominal" or "random".
type NuSpec struct {
	Kind string `yaml:"kind"`
}

// Training is one estimator to train.
type Training struct {
	Name   string `yaml:"name"`
	Method string `yaml:"method"`
	Sample string `yaml:"sample"`
	// ValidationSample names a sampling sample of the same method as
	// Sample on which to validate and stop early, instead of a random
	// validation_split of Sample (MadMiner's x_val, t_xz_val, …): the
	// same validation events for every seed.
	ValidationSample string `yaml:"validation_sample"`

	Hidden          []int      `yaml:"hidden"`
	Activation      string     `yaml:"activation"`
	Optimizer       string     `yaml:"optimizer"`
	Epochs          int        `yaml:"epochs"`
	BatchSize       int        `yaml:"batch_size"`
	LearningRate    [2]float64 `yaml:"learning_rate"`
	ValidationSplit float64    `yaml:"validation_split"`
	EarlyStopping   *bool      `yaml:"early_stopping"`
	Alpha           float64    `yaml:"alpha"`
	ClipGradient    float64    `yaml:"clip_gradient"`
	Features        []string   `yaml:"features"`
	Ensemble        int        `yaml:"ensemble"`
	// NDE and SCANDAL: number of MADEs of the flow (default 5) and batch
	// normalisation between them.
	MADEs     int  `yaml:"mades"`
	BatchNorm bool `yaml:"batch_norm"`
	// Seed pins the training's seed; nil (the default) derives it from the
	// campaign seed (the card's seed or --seed) and the entry's index.
	Seed *uint64 `yaml:"seed"`
	// Precision of the network arithmetic: float64 (default) or float32
	// (MadMiner's; score and ratio methods, flows stay float64).
	Precision string `yaml:"precision"`
	// Workers is the number of training goroutines; 0 means one per core.
	// Models are reproducible for a given seed and worker count.
	Workers int `yaml:"workers"`
}

// Fisher configures goldmine fisher.
type Fisher struct {
	Luminosity float64      `yaml:"luminosity"`
	Theta      Points       `yaml:"theta"`
	Items      []FisherItem `yaml:"items"`
	Profile    []string     `yaml:"profile"`
}

// FisherItem is one Fisher information to compute.
type FisherItem struct {
	Name        string      `yaml:"name"`
	Kind        FisherKind  `yaml:"kind"`
	Observables []string    `yaml:"observables"`
	Bins        []int       `yaml:"bins"`
	Edges       [][]float64 `yaml:"edges"`
	Model       string      `yaml:"model"`
	IncludeRate *bool       `yaml:"include_rate"`
}

// FisherKind is the kind of a Fisher information item. The card loader
// accepts only the kinds below (and, for simulator campaigns, only those
// a simulator offers), so that no stage meets an unknown one.
type FisherKind string

// The kinds of Fisher information items.
const (
	FisherTruth         FisherKind = "truth"
	FisherRate          FisherKind = "rate"
	FisherHisto         FisherKind = "histo"
	FisherHisto2D       FisherKind = "histo2d"
	FisherInfoHistogram FisherKind = "info_histogram"
	FisherSally         FisherKind = "sally"
	FisherRatio         FisherKind = "ratio"
)

// FisherKinds returns the kinds of Fisher information items.
func FisherKinds() []FisherKind {
	return []FisherKind{FisherTruth, FisherRate, FisherHisto, FisherHisto2D, FisherInfoHistogram, FisherSally, FisherRatio}
}

// SimulatorFisherKinds returns the kinds a simulator campaign offers
// (the others need events with benchmark weights).
func SimulatorFisherKinds() []FisherKind { return []FisherKind{FisherTruth, FisherSally, FisherRatio} }

// ScanMode is the likelihood of a limit scan. The card loader accepts
// only the modes below, ml and exact alone for simulator campaigns.
type ScanMode string

// The modes of limit scans.
const (
	ScanRate          ScanMode = "rate"
	ScanHisto         ScanMode = "histo"
	ScanSally         ScanMode = "sally"
	ScanAdaptiveSally ScanMode = "adaptive-sally"
	ScanSallino       ScanMode = "sallino"
	ScanML            ScanMode = "ml"
	ScanExact         ScanMode = "exact"
)

// ScanModes returns the modes of limit scans.
func ScanModes() []ScanMode {
	return []ScanMode{ScanRate, ScanHisto, ScanSally, ScanAdaptiveSally, ScanSallino, ScanML, ScanExact}
}

// SimulatorScanModes returns the modes a simulator campaign offers.
func SimulatorScanModes() []ScanMode { return []ScanMode{ScanML, ScanExact} }

// Limits configures goldmine limits.
type Limits struct {
	Luminosity float64     `yaml:"luminosity"`
	ThetaTrue  Points      `yaml:"theta_true"`
	Grid       Grid        `yaml:"grid"`
	Scans      []LimitScan `yaml:"scans"`
	Toys       *Toys       `yaml:"toys"`
	Nuisance   string      `yaml:"nuisance"`
	// Observed, if set, is an .npy file of observed events (n ×
	// observables, in the order of the card's observables): the scans
	// then give observed instead of expected limits.
	Observed string `yaml:"observed"`
	// Compat madminer switches on MadMiner's conventions of the scans
	// (limits.MadMinerCompat).
	Compat Compat `yaml:"compat"`
}

// Grid is a regular parameter grid.
type Grid struct {
	Ranges      [][2]float64 `yaml:"ranges"`
	Resolutions []int        `yaml:"resolutions"`
}

// LimitScan is one p-value scan.
type LimitScan struct {
	Name        string   `yaml:"name"`
	Mode        ScanMode `yaml:"mode"`
	Observables []string `yaml:"observables"`
	Bins        []int    `yaml:"bins"`
	Model       string   `yaml:"model"`
	IncludeRate *bool    `yaml:"include_rate"`
	// Normalize (mode ml, event files) normalises a ratio model's estimate
	// at every θ on the held-out test events (limits.Normalization);
	// default true. Likelihood models (nde, scandal) are densities already
	// and are used as they are.
	Normalize *bool `yaml:"normalize"`
	// Members (modes ml and sally with an ensemble model) also scans
	// every member on the same grid and data, for the band of their
	// p-values in limits_members.json; default true.
	Members *bool `yaml:"members"`
}

// Toys configures toy calibration of q(θ).
type Toys struct {
	N      int         `yaml:"n"`
	Points [][]float64 `yaml:"points"`
	// Batches cuts the toys of each point into that many batches, each
	// with a generator of its own (limits.ToyBatchRand), which goldmine
	// workflow runs as separate jobs; goldmine run draws the same batches.
	// 0 or 1 means one batch.
	Batches int `yaml:"batches"`
}

// Workflow configures goldmine workflow: how the stages are cut into jobs
// and what the jobs ask of a batch system. It changes no result.
type Workflow struct {
	// GridChunk is the number of grid points of each limits job; 0 scans
	// each grid in one job.
	GridChunk int `yaml:"grid_chunk"`
	// ThetaChunk is the number of θ points (θ0 points of a ratio sample)
	// of each augment job; a sampling sample with more is drawn in
	// ⌈points/ThetaChunk⌉ jobs and joined. 0 draws each sample in one job.
	ThetaChunk int `yaml:"theta_chunk"`
	// Image is the container image of every job (REANA needs one).
	Image string `yaml:"image"`
	// Partition and Account are Slurm's defaults for every job.
	Partition string `yaml:"partition"`
	Account   string `yaml:"account"`
	// REANABackend is REANA's compute backend: kubernetes (default),
	// htcondorcern or slurmcern.
	REANABackend string `yaml:"reana_backend"`
	// Resources are the resources of the jobs of a stage (WorkflowStages),
	// in place of goldmine's defaults.
	Resources map[string]Resources `yaml:"resources"`
}

// Resources are what a job asks for.
type Resources struct {
	Threads int `yaml:"threads"`
	MemMB   int `yaml:"mem_mb"`
	// Minutes is the wall time; on HTCondor at CERN it selects the job
	// flavour.
	Minutes   int    `yaml:"minutes"`
	Partition string `yaml:"partition"`
	// Local runs the stage's jobs where Snakemake runs instead of
	// submitting them.
	Local *bool `yaml:"local"`
}

// WorkflowStages returns the stages whose jobs workflow.resources can
// configure.
func WorkflowStages() []string {
	return []string{"setup", "generate", "generate_merge", "shower", "analyse", "merge", "augment", "augment_merge", "train", "assemble", "fisher", "limits", "limits_merge", "posterior", "plots"}
}

// Plots configures figures.
type Plots struct {
	Formats []string `yaml:"formats"`
}

// Study configures goldmine study: the sample-efficiency study of the
// ratio estimators on a simulator with an exact likelihood (the Galton
// board), as in Mining gold (arXiv:1805.12244), or on the events of an
// events card whose observables are the whole parton-level record (the
// exact ratio is then the morphing of each event's weights; see
// cards/zh_exact.yaml).
type Study struct {
	Methods []string `yaml:"methods"`
	Sizes   []int    `yaml:"sizes"`
	Seeds   int      `yaml:"seeds"`
	Steps   int      `yaml:"steps"`
	// MinEpochs is the minimum number of epochs of every training (the
	// study trains max(steps·batch/n_train, min_epochs) epochs); 0 means
	// 300, negative means no minimum.
	MinEpochs  int        `yaml:"min_epochs"`
	Hidden     []int      `yaml:"hidden"`
	Theta0     [2]float64 `yaml:"theta0_range"`
	Theta1     float64    `yaml:"theta1"`
	GridPoints int        `yaml:"grid_points"`
	// SallyBins is the number of adaptive bins of the SALLY histogram
	// (method sally), per score component; 0 means MadMiner's default
	// (25 for one statistic, 8 per component for two).
	SallyBins int `yaml:"sally_bins"`

	// The fields below are those of the study on an events card
	// (study.RunEvents), whose truth is the morphing of every event's
	// weights: parton-level events whose observables are the whole record.

	// Theta0Ranges bounds every parameter's θ0 (training prior and
	// evaluation grid); empty means the parameters' ranges.
	Theta0Ranges [][2]float64 `yaml:"theta0_ranges"`
	// Grid is the number of evaluation points per parameter; empty means
	// 10 for the first and 5 for every other.
	Grid []int `yaml:"grid"`
	// TestEvents is the number of test events per grid point (0: 1000);
	// FisherEvents the number of test events at θ1 = SM for the Fisher
	// information (0: 20000).
	TestEvents   int `yaml:"test_events"`
	FisherEvents int `yaml:"fisher_events"`
	// Features names the observables fed to the networks; empty means all.
	Features []string `yaml:"features"`
	// Histograms are the histogram baselines.
	Histograms []StudyHistogram `yaml:"histograms"`
	// Alpha weights the score term of CASCAL, RASCAL and ALICES; 0 means 1.
	Alpha float64 `yaml:"alpha"`
	// SallyHidden lists SALLY's hidden-layer widths; empty means Hidden.
	SallyHidden []int `yaml:"sally_hidden"`
	// SallyScaledScores trains SALLY on the joint score divided, per
	// component, by its root mean square over the training sample (and
	// multiplies the estimate back), so that every component weighs alike
	// in the loss; MadMiner regresses the raw score.
	SallyScaledScores bool `yaml:"sally_scaled_scores"`
}

// StudyHistogram is a histogram baseline of the events study: the ratio of
// the histograms of some observables at θ0 and at the SM.
type StudyHistogram struct {
	Name        string   `yaml:"name"`
	Observables []string `yaml:"observables"`
	// Bins per observable; 0 means MadMiner's default (25 for one, 8 for two).
	Bins int `yaml:"bins"`
}

// IsSimulator reports whether the card's events come from built-in
// simulators rather than event files: there is then no morphing and no
// events file, and augment draws directly from the simulator.
func (c *Card) IsSimulator() bool {
	if len(c.Samples) == 0 {
		return false
	}
	for _, s := range c.Samples {
		if s.Simulator == nil {
			return false
		}
	}
	return true
}
