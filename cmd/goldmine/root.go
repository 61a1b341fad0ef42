// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/pipeline"
)

// settings are the global options, layered by viper: flag > GOLDMINE_*
// environment variable > default. They hold no physics names, so viper's
// case folding of keys cannot merge parameters such as CWL2 and cwl2:
// cards are read by package cards, never through viper.
type settings struct {
	v *viper.Viper
}

func (s settings) quiet() bool       { return s.v.GetBool("quiet") }
func (s settings) json() bool        { return s.v.GetBool("json") }
func (s settings) workdir() string   { return s.v.GetString("workdir") }
func (s settings) strict() bool      { return s.v.GetBool("strict") }
func (s settings) forceUnlock() bool { return s.v.GetBool("force-unlock") }

func (s settings) seed() (*uint64, error) {
	str := s.v.GetString("seed")
	if str == "" {
		return nil, nil
	}
	n, err := strconv.ParseUint(str, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("--seed/GOLDMINE_SEED: want a non-negative integer, got %q", str)
	}
	return &n, nil
}

// progress is where long steps report; nil when quiet.
func (s settings) progress() io.Writer {
	if s.quiet() {
		return nil
	}
	return os.Stderr
}

func newRoot() *cobra.Command {
	v := viper.New()
	v.SetEnvPrefix("GOLDMINE")
	v.AutomaticEnv()
	s := settings{v: v}

	root := &cobra.Command{
		Use:           "goldmine",
		Short:         "Machine-learning-based inference for particle physics, from a campaign card",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.String("workdir", "", "working directory (default: the card's workdir)")
	pf.String("seed", "", "campaign seed (default: the card's seed)")
	pf.BoolP("quiet", "q", false, "no progress on stderr")
	pf.Bool("json", false, "machine-readable JSON on stdout")
	pf.Bool("strict", false, "fisher, limits: fail when an item or scan cannot be computed (default: skip it and say why)")
	pf.Bool("force-unlock", false, "take the workdir's lock even if its record names a process on another host")
	for _, name := range []string{"workdir", "seed", "quiet", "json", "strict", "force-unlock"} {
		if err := v.BindPFlag(name, pf.Lookup(name)); err != nil {
			panic(err)
		}
	}
	root.AddCommand(
		stageCmd(s, "setup", "setup", "Build the morphing setup and write WORKDIR/setup.h5 (MadMiner layout)"),
		inspectCmd(s),
		stageCmd(s, "analyse", "analyse", "Read the card's samples, compute observables, cuts and weights; write WORKDIR/events.h5", "analyze"),
		stageCmd(s, "fisher", "fisher", "Compute the card's Fisher information items; write WORKDIR/fisher.json"),
		generateCmd(s),
		stageCmd(s, "shower", "shower", "Shower the samples' LHE files with Pythia 8 (the card's shower section); write WORKDIR/shower/NAME.hepmc"),
		stageCmd(s, "augment", "augment", "Draw the card's training and test samples with joint ratios and scores; write WORKDIR/samples/"),
		stageCmd(s, "train", "train", "Train the card's estimators on the augmented samples; write WORKDIR/models/"),
		evaluateCmd(s),
		stageCmd(s, "limits", "limits", "Expected-limit p-value scans of the card; write WORKDIR/limits.json"),
		stageCmd(s, "posterior", "posterior", "Bayesian posteriors of the card's posterior section (grid and MCMC); write WORKDIR/posterior/"),
		stageCmd(s, "plot", "plots", "Draw the campaign's figures into WORKDIR/plots and write WORKDIR/report.md"),
		stageCmd(s, "study", "study", "Sample-efficiency study of the ratio estimators on the card's Galton board or, for an events card, on its events against the exact ratio; write WORKDIR/study.json and plots/study.png"),
		runCmd(s),
		mergeCmd(s),
		workflowCmd(s),
		xsecCmd(s),
	)
	return root
}

// loadEnv loads the card and the stage environment.
func loadEnv(s settings, path string) (*pipeline.Env, error) {
	c, err := cards.Load(path, pipeline.CardOptions())
	if err != nil {
		return nil, err
	}
	seed, err := s.seed()
	if err != nil {
		return nil, err
	}
	e := pipeline.NewEnv(c, s.workdir(), seed, s.progress())
	e.Strict = s.strict()
	if e.Log != nil {
		e.Report = func(r any) { printResult(e.Log, r) }
	}
	return e, nil
}

// emit writes v as JSON with --json, else calls human.
func emit(s settings, w io.Writer, v any, human func(w io.Writer)) error {
	if s.json() {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	human(w)
	return nil
}

// cardCmd is the command name CARD that loads the card, takes the
// workdir's lock and emits what f returns. With --record FILE (the jobs
// of goldmine workflow) it writes FILE once f succeeded and takes no lock:
// the workflow engine orders the jobs.
func cardCmd(s settings, name, short string, f func(ctx context.Context, env *pipeline.Env) (any, error), aliases ...string) *cobra.Command {
	cmd := &cobra.Command{
		Use:     name + " CARD",
		Aliases: aliases,
		Short:   short,
		Args:    cobra.ExactArgs(1),
	}
	record := recordFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		env, release, err := writerEnv(s, cmd, args[0], *record != "")
		if err != nil {
			return err
		}
		defer env.Close()
		defer release()
		res, err := f(cmd.Context(), env)
		if err != nil {
			return err
		}
		if err := writeRecord(*record, cmd, args[0], res); err != nil {
			return err
		}
		return emit(s, cmd.OutOrStdout(), res, func(w io.Writer) { printResult(w, res) })
	}
	return cmd
}

// writerEnv loads the card and takes the lock of its workdir for the
// command cmd, the writer (pipeline.Env.Lock), unless noLock: a job of a
// workflow writes only its own outputs, in the order of the workflow.
func writerEnv(s settings, cmd *cobra.Command, card string, noLock bool) (*pipeline.Env, func() error, error) {
	env, err := loadEnv(s, card)
	if err != nil {
		return nil, nil, err
	}
	if noLock {
		return env, func() error { return nil }, nil
	}
	release, err := env.Lock(cmd.CommandPath()+" "+card, s.forceUnlock(), os.Stderr)
	if err != nil {
		env.Close()
		return nil, nil, err
	}
	return env, release, nil
}

// stageCmd is the command name CARD that runs the unit of stage st,
// whether or not it is up to date (goldmine run skips it afterwards); for
// the sharded stages, with --shard ID, one shard of it
// (pipeline.RunShard) into WORKDIR/shards/STAGE/ID, under that folder's
// lock instead of the workdir's.
func stageCmd(s settings, name, st, short string, aliases ...string) *cobra.Command {
	var shard string
	cmd := cardCmd(s, name, short, func(ctx context.Context, env *pipeline.Env) (any, error) {
		if shard == "" {
			return pipeline.RunStage(ctx, env, st)
		}
		release, err := env.LockSub("shards/"+st+"/"+shard, "goldmine "+st+" --shard "+shard, s.forceUnlock(), os.Stderr)
		if err != nil {
			return nil, err
		}
		defer release()
		r, err := pipeline.RunShard(ctx, env, st, shard)
		if err != nil {
			return nil, err
		}
		return r.Value, nil
	}, aliases...)
	if slices.Contains(pipeline.ShardedStages(), st) {
		cmd.Flags().StringVar(&shard, "shard", "", "run one shard of the stage (see goldmine workflow): "+shardHelp[st])
	}
	return cmd
}

// shardHelp says what the shards of each sharded stage are.
var shardHelp = map[string]string{
	"generate": "a madgraph run's name, or NAME.jK for job K of a run of several jobs",
	"analyse":  "a sample's name (NAME.jK for the file of MG5 job K)",
	"augment":  "a sampling sample's name",
	"train":    "an estimator's name, or NAME.mK for member K of its ensemble",
	"limits":   "SCAN.pK.cC for chunk C of the grid at theta_true K, SCAN.pK.tJ.bB for batch B of the toys at toy point J",
}

func runCmd(s settings) *cobra.Command {
	return cardCmd(s, "run", "Run every stage of the card in order, skipping stages whose inputs did not change",
		func(ctx context.Context, env *pipeline.Env) (any, error) { return pipeline.Run(ctx, env) })
}

func inspectCmd(s settings) *cobra.Command {
	return &cobra.Command{
		Use:   "inspect FILE",
		Short: "Summarise a MadMiner-layout HDF5 file or an LHE file (header, weights, event count)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := inspect(args[0], s.progress())
			if err != nil {
				return err
			}
			return emit(s, cmd.OutOrStdout(), res, func(w io.Writer) { printInspect(w, res) })
		},
	}
}

func generateCmd(s settings) *cobra.Command {
	var onlyPrepare bool
	var shard string
	var record *string
	cmd := &cobra.Command{
		Use:   "generate CARD",
		Short: "Write the MadGraph job folder of the card and, where MG5 is installed, run it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			env, release, err := writerEnv(s, cmd, args[0], *record != "" || shard != "")
			if err != nil {
				return err
			}
			defer env.Close()
			defer release()
			if shard != "" {
				if onlyPrepare {
					return fmt.Errorf("generate: --shard runs an MG5 job; it cannot be combined with --only-prepare")
				}
				// A shard takes its own lock, not the workdir's, so
				// that the MG5 jobs of a campaign run at once.
				release, err := env.LockSub("shards/generate/"+shard, "goldmine generate --shard "+shard, s.forceUnlock(), os.Stderr)
				if err != nil {
					return err
				}
				defer release()
				r, err := pipeline.RunShard(cmd.Context(), env, "generate", shard)
				if err != nil {
					return err
				}
				if err := writeRecord(*record, cmd, args[0], r.Value); err != nil {
					return err
				}
				return emit(s, cmd.OutOrStdout(), r.Value, func(w io.Writer) { printResult(w, r.Value) })
			}
			res, err := pipeline.Generate(cmd.Context(), env, onlyPrepare)
			if err != nil {
				return err
			}
			if res.Incomplete() && *record != "" {
				return fmt.Errorf("generate: MG5 did not run (not installed, or --only-prepare): %s not written", *record)
			}
			if err := writeRecord(*record, cmd, args[0], res); err != nil {
				return err
			}
			return emit(s, cmd.OutOrStdout(), res, func(w io.Writer) { printGenerate(w, res) })
		},
	}
	cmd.Flags().BoolVar(&onlyPrepare, "only-prepare", false, "write cards and scripts without running MG5")
	cmd.Flags().StringVar(&shard, "shard", "", "run one MG5 job (see goldmine workflow): "+shardHelp["generate"])
	record = recordFlag(cmd)
	return cmd
}

func evaluateCmd(s settings) *cobra.Command {
	var xPath, out string
	var thetas []string
	cmd := &cobra.Command{
		Use:   "evaluate MODEL_DIR --x X.npy [--theta a,b]...",
		Short: "Evaluate a trained model: t̂(x), or log r̂(x|θ) and t̂(x|θ) at each --theta; write .npy files",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if xPath == "" {
				return fmt.Errorf("evaluate: --x is required")
			}
			pts, err := parseThetas("evaluate", thetas)
			if err != nil {
				return err
			}
			if out == "" {
				out = args[0] + "-evaluation"
			}
			res, err := evaluate(args[0], xPath, pts, out)
			if err != nil {
				return err
			}
			return emit(s, cmd.OutOrStdout(), res, func(w io.Writer) { printEvaluate(w, res) })
		},
	}
	cmd.Flags().StringVar(&xPath, "x", "", "observations, an .npy file of shape (n, observables)")
	cmd.Flags().StringArrayVar(&thetas, "theta", nil, "a parameter point, comma-separated; repeat for several")
	cmd.Flags().StringVar(&out, "out", "", "output directory (default MODEL_DIR-evaluation)")
	return cmd
}
