// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/store"
)

// Manifest describes a written sample; it is saved as manifest.json next to
// the .npy files.
type Manifest struct {
	Name       string         `json:"name"`
	Kind       string         `json:"kind"`
	Partition  string         `json:"partition"`
	Seed       uint64         `json:"seed"`
	NSamples   int            `json:"n_samples"`
	NParams    int            `json:"n_parameters"`
	DType      string         `json:"dtype"`
	Files      []ManifestFile `json:"files"`
	NEffMin    float64        `json:"n_eff_min"`
	NEffMean   float64        `json:"n_eff_mean"`
	NEffMax    float64        `json:"n_eff_max"`
	NegEvents  int            `json:"negative_weight_events"`
	NegBlocks  int            `json:"negative_weight_blocks"`
	Passes     int            `json:"source_passes"`
	EventsRead int64          `json:"events_read"`
	Points     []PointReport  `json:"points"`
	// Chunk marks one unshuffled chunk of a sample (Config.Chunk).
	Chunk *ChunkInfo `json:"chunk,omitempty"`
}

// ManifestFile is one .npy file of a sample.
type ManifestFile struct {
	Name  string `json:"name"`
	Shape []int  `json:"shape"`
}

// WriteSettings configures Write. A nil *WriteSettings means all
// defaults.
type WriteSettings struct {
	// Seed and Stats are recorded in the manifest.
	Seed  uint64
	Stats Stats
	// Float64 stores the arrays as float64; the default is float32, as
	// MadMiner.
	Float64 bool
}

// Write saves res under dir with MadMiner's file names (x_SUFFIX.npy,
// theta_SUFFIX.npy or theta0_/theta1_, y_, r_xz_, t_xz_ or t_xz0_/t_xz1_),
// where SUFFIX is the partition name, plus manifest.json. Every file is
// written atomically.
func Write(dir string, res *Result, s *WriteSettings) (*Manifest, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("sampling: could not create %s: %w", dir, err)
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("sampling: could not open %s: %w", dir, err)
	}
	defer r.Close()
	return WriteIn(r, ".", res, s)
}

// WriteIn is Write into the folder dir inside root (created if needed):
// every file is written through root.
func WriteIn(root *os.Root, dir string, res *Result, s *WriteSettings) (*Manifest, error) {
	var set WriteSettings
	if s != nil {
		set = *s
	}
	seed, stats, double := set.Seed, set.Stats, set.Float64
	if err := root.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("sampling: could not create %s: %w", filepath.Join(root.Name(), dir), err)
	}
	suffix := res.Partition.String()
	man := &Manifest{
		Name: res.Name, Kind: res.Kind.String(), Partition: suffix, Seed: seed,
		NSamples: res.N, NParams: res.NParams, DType: "float32", NegEvents: res.NegativeEvents, NegBlocks: res.NegativeBlocks,
		Passes: stats.Passes, EventsRead: stats.EventsRead, Points: res.Points,
		Chunk: res.Chunk,
	}
	dt := store.Float32
	if double {
		man.DType, dt = "float64", store.Float64
	}
	man.NEffMin = math.Inf(1)
	for _, p := range res.Points {
		man.NEffMin = math.Min(man.NEffMin, p.NEff)
		man.NEffMax = math.Max(man.NEffMax, p.NEff)
		man.NEffMean += p.NEff / float64(len(res.Points))
	}
	type arr struct {
		name  string
		data  []float64
		width int
	}
	arrs := []arr{{"x", res.X, res.NObs}}
	if res.Kind == Ratio {
		arrs = append(arrs, arr{"theta0", res.Theta0, res.NTheta}, arr{"theta1", res.Theta1, res.NTheta},
			arr{"y", res.Y, 1}, arr{"r_xz", res.RXZ, 1}, arr{"t_xz0", res.TXZ0, res.NParams}, arr{"t_xz1", res.TXZ1, res.NParams})
	} else {
		arrs = append(arrs, arr{"theta", res.Theta0, res.NTheta}, arr{"t_xz", res.TXZ0, res.NScore})
	}
	for _, a := range arrs {
		if a.data == nil {
			continue
		}
		name := a.name + "_" + suffix + ".npy"
		shape := []int{res.N, a.width}
		if err := store.WriteNPYIn(root, filepath.Join(dir, name), shape, a.data, dt); err != nil {
			return nil, fmt.Errorf("sampling: %w", err)
		}
		man.Files = append(man.Files, ManifestFile{Name: name, Shape: shape})
	}
	err := store.WriteFileAtomicIn(root, filepath.Join(dir, "manifest.json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(man)
	})
	if err != nil {
		return nil, fmt.Errorf("sampling: could not write manifest: %w", err)
	}
	return man, nil
}
