// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/store"
)

// Read reads back from dir the arrays Write wrote for a sample of kind k
// in partition p that training uses: x and, by kind, t_xz (Local), θ
// (Plain), θ and t_xz (Density), or θ0, θ1, y, r_xz, t_xz0 and t_xz1
// (Ratio). Shapes are checked before the data is used: x has nObs columns
// (any number if nObs < 0), y and r_xz one, the others nParams, and every
// array has the rows of x. The Result's NObs, NParams, NTheta and NScore
// are set from the columns read.
func Read(dir string, k Kind, p partition.Partition, nObs, nParams int) (*Result, error) {
	res := &Result{Kind: k, Partition: p, N: -1, NParams: nParams, NTheta: nParams, NScore: nParams}
	xPath := filepath.Join(dir, "x_"+p.String()+".npy")
	load := func(dst *[]float64, name string, cols int) error {
		path := filepath.Join(dir, name+"_"+p.String()+".npy")
		m, err := store.ReadMatrix(path, cols)
		if err != nil {
			return err
		}
		r, c := m.Dims()
		switch {
		case res.N < 0:
			res.N, res.NObs = r, c
		case r != res.N:
			return fmt.Errorf("sampling: %s has %d rows, %s of the same sample has %d", path, r, xPath, res.N)
		}
		*dst = m.RawMatrix().Data
		return nil
	}
	type array struct {
		dst  *[]float64
		name string
		cols int
	}
	files := []array{{&res.X, "x", nObs}}
	switch k {
	case Local:
		files = append(files, array{&res.TXZ0, "t_xz", nParams})
	case Plain:
		files = append(files, array{&res.Theta0, "theta", nParams})
	case Density:
		files = append(files, array{&res.Theta0, "theta", nParams}, array{&res.TXZ0, "t_xz", nParams})
	case Ratio:
		files = append(files, array{&res.Theta0, "theta0", nParams}, array{&res.Theta1, "theta1", nParams}, array{&res.Y, "y", 1},
			array{&res.RXZ, "r_xz", 1}, array{&res.TXZ0, "t_xz0", nParams}, array{&res.TXZ1, "t_xz1", nParams})
	}
	for _, f := range files {
		if err := load(f.dst, f.name, f.cols); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// ReadWritten reads back from dir everything Write wrote there: the
// manifest and every array it lists, each checked against the shape the
// manifest gives (and the rows against its number of samples) before it is
// used. The Result carries the manifest's points, negative-weight counts
// and chunk mark, so that chunks written by separate jobs can be joined.
func ReadWritten(dir string) (*Result, *Manifest, error) {
	path := filepath.Join(dir, "manifest.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("sampling: %w", err)
	}
	var man Manifest
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&man); err != nil {
		return nil, nil, fmt.Errorf("sampling: %s: %w", path, err)
	}
	kind, ok := kindNames[man.Kind]
	if !ok {
		return nil, nil, fmt.Errorf("sampling: %s: unknown kind %q", path, man.Kind)
	}
	part, err := partition.Parse(man.Partition)
	if err != nil {
		return nil, nil, fmt.Errorf("sampling: %s: %w", path, err)
	}
	res := &Result{
		Name: man.Name, Kind: kind, Partition: part, N: man.NSamples, NParams: man.NParams,
		NTheta: man.NParams, NScore: man.NParams, Points: man.Points,
		NegativeEvents: man.NegEvents, NegativeBlocks: man.NegBlocks, Chunk: man.Chunk,
	}
	arrays := map[string]struct {
		dst   *[]float64
		width *int
	}{
		"x": {&res.X, &res.NObs}, "theta": {&res.Theta0, &res.NTheta}, "theta0": {&res.Theta0, &res.NTheta},
		"theta1": {&res.Theta1, &res.NTheta}, "y": {&res.Y, nil}, "r_xz": {&res.RXZ, nil},
		"t_xz": {&res.TXZ0, &res.NScore}, "t_xz0": {&res.TXZ0, &res.NScore}, "t_xz1": {&res.TXZ1, nil},
	}
	suffix := "_" + man.Partition + ".npy"
	for _, f := range man.Files {
		a, ok := arrays[strings.TrimSuffix(f.Name, suffix)]
		if !ok || !strings.HasSuffix(f.Name, suffix) || len(f.Shape) != 2 || f.Shape[0] != man.NSamples || f.Shape[1] < 1 {
			return nil, nil, fmt.Errorf("sampling: %s: unexpected file %s of shape %v", path, f.Name, f.Shape)
		}
		fp := filepath.Join(dir, f.Name)
		m, err := store.ReadMatrix(fp, f.Shape[1])
		if err != nil {
			return nil, nil, err
		}
		if r, _ := m.Dims(); r != man.NSamples {
			return nil, nil, fmt.Errorf("sampling: %s has %d rows, its manifest %d", fp, r, man.NSamples)
		}
		*a.dst = m.RawMatrix().Data
		if a.width != nil {
			*a.width = f.Shape[1]
		}
	}
	if res.X == nil {
		return nil, nil, fmt.Errorf("sampling: %s lists no x file", path)
	}
	return res, &man, nil
}

// kindNames maps Kind.String back to the kind.
var kindNames = func() map[string]Kind {
	m := make(map[string]Kind)
	for _, k := range []Kind{Plain, Local, Density, Ratio, TestSample} {
		m[k.String()] = k
	}
	return m
}()

// JoinWritten reads the chunks of one sample that separate jobs wrote into
// dirs (ReadWritten) and joins them (Join). It returns the joined sample
// and the reading statistics of the jobs summed.
func JoinWritten(dirs ...string) (*Result, Stats, error) {
	var parts []*Result
	var stats Stats
	for _, dir := range dirs {
		r, man, err := ReadWritten(dir)
		if err != nil {
			return nil, Stats{}, err
		}
		parts = append(parts, r)
		stats.Passes += man.Passes
		stats.EventsRead += man.EventsRead
	}
	res, err := Join(parts...)
	if err != nil {
		return nil, Stats{}, err
	}
	return res, stats, nil
}
