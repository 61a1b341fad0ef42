// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Command galtonstudy runs the sample-efficiency study of package
// simulators on the Galton board and writes its table as JSON.
//
//	galtonstudy -out study.json -seeds 5 -sizes 1000,3000,10000,30000,100000
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/simulators"
)

func main() {
	out := flag.String("out", "galton_study.json", "output JSON file")
	seeds := flag.Int("seeds", 3, "seeds per training size")
	sizes := flag.String("sizes", "1000,3000,10000,30000,100000", "comma-separated training sizes")
	methods := flag.String("methods", "carl,rolr,alice,rascal,alices", "comma-separated ratio methods")
	lo := flag.Float64("theta-lo", -0.5, "lower edge of the θ0 range")
	hi := flag.Float64("theta-hi", 0.5, "upper edge of the θ0 range")
	theta1 := flag.Float64("theta1", 0, "reference hypothesis θ1")
	steps := flag.Int("steps", 0, "optimizer steps per training (0: study default, <0: -epochs for all sizes)")
	epochs := flag.Int("epochs", 0, "epochs (0: ml default)")
	flag.Parse()
	if err := run(*out, *seeds, *sizes, *methods, *lo, *hi, *theta1, *steps, *epochs); err != nil {
		fmt.Fprintln(os.Stderr, "galtonstudy:", err)
		os.Exit(1)
	}
}

func run(out string, seeds int, sizes, methods string, lo, hi, theta1 float64, steps, epochs int) error {
	cfg := &simulators.StudyConfig{Seeds: seeds, Theta0Lo: lo, Theta0Hi: hi, Theta1: theta1,
		Steps: steps, Settings: &ml.Settings{Epochs: epochs}, Log: os.Stderr}
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("bad size %q: %w", s, err)
		}
		cfg.Sizes = append(cfg.Sizes, n)
	}
	for _, m := range strings.Split(methods, ",") {
		cfg.Methods = append(cfg.Methods, ml.Method(strings.TrimSpace(m)))
	}
	res, err := simulators.Study(cfg)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".galtonstudy-*")
	if err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	fmt.Fprintf(os.Stderr, "trivial MSE (log r̂ = 0): %.4f\n%-7s", res.TrivialMSE, "size")
	for _, n := range res.Sizes {
		fmt.Fprintf(os.Stderr, " %16d", n)
	}
	fmt.Fprintln(os.Stderr)
	for _, m := range res.Methods {
		fmt.Fprintf(os.Stderr, "%-7s", m)
		for _, r := range res.Table {
			if r.Method == m {
				fmt.Fprintf(os.Stderr, "  %7.4f ± %6.4f", r.Mean, r.Std)
			}
		}
		fmt.Fprintln(os.Stderr)
	}
	return nil
}
