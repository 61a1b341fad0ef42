// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Command galtonstudy runs the sample-efficiency study of package
// study on the Galton board, writes its table as JSON and optionally
// draws it:
//
//	galtonstudy -out study.json -seeds 5 -sizes 1000,3000,10000,30000,100000 -plot study.png
//
// With -replot it reads a table written earlier and only draws it:
//
//	galtonstudy -replot study.json -plot study.png
//
// and with -events the table of an events study (goldmine study on an
// events card, study.RunEvents), with bands for the spread over seeds:
//
//	galtonstudy -replot studies/zh_exact/study.json -events -title "..." -plot study.png
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/goldmine-hep/goldmine/internal/atomicfile"
	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/study"
)

func main() {
	out := flag.String("out", "galton_study.json", "output JSON file")
	seeds := flag.Int("seeds", 3, "seeds per training size")
	sizes := flag.String("sizes", "1000,3000,10000,30000,100000", "comma-separated training sizes")
	methods := flag.String("methods", "carl,rolr,alice,rascal,alices,sally", "comma-separated methods (ratio methods; sally: SALLY + histogram)")
	bins := flag.Int("sally-bins", 0, "bins of the SALLY histogram (0: 25)")
	lo := flag.Float64("theta-lo", -0.5, "lower edge of the θ0 range")
	hi := flag.Float64("theta-hi", 0.5, "upper edge of the θ0 range")
	theta1 := flag.Float64("theta1", 0, "reference hypothesis θ1")
	steps := flag.Int("steps", 0, "optimizer steps per training (0: study default, <0: -epochs for all sizes)")
	minEpochs := flag.Int("min-epochs", 0, "minimum epochs per training (0: study default 300, <0: none)")
	workers := flag.Int("workers", 0, "workers per training (0: GOMAXPROCS; results are reproducible for a given count)")
	epochs := flag.Int("epochs", 0, "epochs (0: ml default)")
	fig := flag.String("plot", "", "also draw the table into this figure (.png or .pdf)")
	replot := flag.String("replot", "", "draw the table of this JSON file instead of running the study (needs -plot)")
	events := flag.Bool("events", false, "with -replot: the table is an events study's (goldmine study on an events card)")
	title := flag.String("title", "", "with -replot -events: the figure's title")
	flag.Parse()
	if *events {
		if err := replotEvents(*replot, *fig, *title); err != nil {
			fmt.Fprintln(os.Stderr, "galtonstudy:", err)
			os.Exit(1)
		}
		return
	}

	var (
		res *study.Result
		err error
	)
	if *replot != "" {
		if *fig == "" {
			err = fmt.Errorf("-replot needs -plot")
		} else {
			res, err = readTable(*replot)
		}
	} else {
		res, err = run(*out, *seeds, *sizes, *methods, *lo, *hi, *theta1, *steps, *minEpochs, *epochs, *workers, *bins)
	}
	if err == nil && *fig != "" {
		err = draw(res, *fig)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "galtonstudy:", err)
		os.Exit(1)
	}
	res.WriteTable(os.Stderr)
}

func run(out string, seeds int, sizes, methods string, lo, hi, theta1 float64, steps, minEpochs, epochs, workers, bins int) (*study.Result, error) {
	cfg := &study.Config{Seeds: seeds, Theta0Lo: lo, Theta0Hi: hi, Theta1: theta1, Steps: steps, MinEpochs: minEpochs,
		Settings: &ml.Settings{Epochs: epochs, Workers: workers}, SallyBins: bins, Log: os.Stderr}
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("bad size %q: %w", s, err)
		}
		cfg.Sizes = append(cfg.Sizes, n)
	}
	for _, m := range strings.Split(methods, ",") {
		cfg.Methods = append(cfg.Methods, ml.Method(strings.TrimSpace(m)))
	}
	res, err := study.Run(cfg)
	if err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return nil, err
	}
	return res, atomicfile.WriteFile(out, append(b, '\n'), 0o644)
}

func readTable(path string) (*study.Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var res study.Result
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(res.Table) == 0 {
		return nil, fmt.Errorf("%s: no study table", path)
	}
	return &res, nil
}

func draw(res *study.Result, path string) error {
	f, err := study.Figure(res)
	if err != nil {
		return err
	}
	return f.Save(path)
}

func replotEvents(in, out, title string) error {
	if in == "" || out == "" {
		return fmt.Errorf("-events needs -replot and -plot")
	}
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var res study.EventResult
	if err := json.Unmarshal(b, &res); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if len(res.Table) == 0 {
		return fmt.Errorf("%s: no study table", in)
	}
	f, err := study.EventFigure(&res, title)
	if err != nil {
		return err
	}
	res.WriteTable(os.Stderr)
	return f.Save(out)
}
