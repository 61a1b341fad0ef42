// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/delphes"
	"github.com/goldmine-hep/goldmine/observables/delphescnv"
	"github.com/goldmine-hep/goldmine/stage"
)

// collectionsFor returns the Delphes collections the card's observables,
// cuts and efficiencies need.
func collectionsFor(c *cards.Card) ([]string, error) {
	var exprs []string
	for _, o := range c.Observables {
		exprs = append(exprs, o.Expr)
	}
	for _, x := range c.Cuts {
		exprs = append(exprs, x.Expr)
	}
	for _, x := range c.Efficiencies {
		exprs = append(exprs, x.Expr)
	}
	return delphescnv.Collections(exprs...)
}

// delphesFile returns the Delphes file of the sample, running Delphes on
// its HepMC file first when the card has a delphes section and the sample
// names no ROOT file.
func delphesFile(ctx context.Context, e *Env, c *cards.Card, s cards.Sample) (string, error) {
	if s.Delphes != "" {
		return c.ResolvePath(s.Delphes), nil
	}
	d := c.Delphes
	cfg, err := delphesConfig(e, c, s.Name)
	if err != nil {
		return "", err
	}
	name := filepath.Join("delphes", s.Name+".root")
	// The file made before is reused only if it was made from the same
	// HepMC content and Delphes configuration (stage.Keyed); otherwise a
	// HepMC file edited in place would leave a stale one.
	hepmcHash, err := stage.ContentHash(c.ResolvePath(s.HepMC))
	if err != nil {
		return "", fmt.Errorf("pipeline: sample %s: %w", s.Name, err)
	}
	key := fmt.Sprintf("%s\n%s\n%s\n%s\nseed %d\n", hepmcHash, cfg.Dir, cfg.Card, d.Tree, cfg.Seed)
	// Delphes writes its file by path: its folders are made through the
	// root, which refuses a symbolic link leading out of the working
	// directory.
	root, err := e.Root()
	if err != nil {
		return "", err
	}
	out := e.Path(name)
	_, err = stage.Keyed(root, name, key, func() error {
		if err := root.MkdirAll("logs", 0o755); err != nil {
			return err
		}
		e.logf("delphes: sample %s: %s with %s, seed %d (log %s)\n", s.Name, s.HepMC, cfg.Card, cfg.Seed, cfg.LogFile)
		start := time.Now()
		if err := delphes.Run(ctx, cfg, c.ResolvePath(s.HepMC), out); err != nil {
			return err
		}
		e.logf("delphes: sample %s: done after %.1fs\n", s.Name, time.Since(start).Seconds())
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("pipeline: sample %s: %w", s.Name, err)
	}
	return out, nil
}

// delphesConfig maps the delphes section to the Delphes run of sample
// name: the Delphes folder (delphes.dir, else $GOLDMINE_DELPHES), the
// detector card (relative to the goldmine card if it is there, else to
// the Delphes folder), the log file and the seed, from the campaign seed
// ("delphes/NAME").
func delphesConfig(e *Env, c *cards.Card, name string) (delphes.RunConfig, error) {
	d := c.Delphes
	cfg := delphes.RunConfig{Dir: c.ResolvePath(d.Dir), Card: d.Card, LogFile: e.Path("logs", "delphes_"+name+".log"), Progress: e.Log}
	if cfg.Dir == "" {
		cfg.Dir = os.Getenv("GOLDMINE_DELPHES")
	}
	if cfg.Dir == "" {
		return cfg, fmt.Errorf("pipeline: %s: delphes.dir is not set, nor GOLDMINE_DELPHES: where is Delphes?", c.Path)
	}
	if p := c.ResolvePath(d.Card); p != "" {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			cfg.Card = p
		}
	}
	cfg.Seed = 1 + e.rng("delphes/"+name).Int64N(delphes.MaxSeed)
	return cfg, nil
}
