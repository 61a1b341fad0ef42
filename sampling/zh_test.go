// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/scigolib/hdf5"
	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/store"
)

// zhData is the MadMiner file ../shared/data/madminer/zh30k_lhe_data.h5,
// read directly with scigolib/hdf5 (independently of the store package).
type zhData struct {
	src        *MemSource
	benchmarks [][]float64
	morpher    *morphing.Morpher
}

var (
	zhOnce sync.Once
	zhVal  *zhData
	zhErr  error
)

func loadZH(t testing.TB) *zhData {
	t.Helper()
	path := filepath.Join(repotest.Shared(t, ""), "data", "madminer", "zh30k_lhe_data.h5")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("ZH data absent: %v", err)
	}
	zhOnce.Do(func() { zhVal, zhErr = readZH(path) })
	if zhErr != nil {
		t.Fatal(zhErr)
	}
	return zhVal
}

func readZH(path string) (*zhData, error) {
	f, err := hdf5.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ds := map[string]*hdf5.Dataset{}
	f.Walk(func(p string, o hdf5.Object) {
		if d, ok := o.(*hdf5.Dataset); ok {
			ds[strings.TrimPrefix(p, "/")] = d
		}
	})
	read := func(name string) []float64 {
		if err != nil {
			return nil
		}
		d, ok := ds[name]
		if !ok {
			err = os.ErrNotExist
			return nil
		}
		var v []float64
		v, err = d.Read()
		return v
	}
	obs := read("samples/observations")
	w := read("samples/weights")
	ids := read("samples/sampling_benchmarks")
	bv := read("benchmarks/values")
	comps := read("morphing/components")
	mm := read("morphing/morphing_matrix")
	if err != nil {
		return nil, err
	}
	n := len(ids)
	nObs, nW := len(obs)/n, len(w)/n
	src := &MemSource{SamplingIDs: make([]int, n)}
	for i := 0; i < n; i++ {
		src.X = append(src.X, obs[i*nObs:(i+1)*nObs])
		src.W = append(src.W, w[i*nW:(i+1)*nW])
		src.SamplingIDs[i] = int(ids[i])
	}
	d := &zhData{src: src}
	for b := 0; b < nW; b++ {
		d.benchmarks = append(d.benchmarks, bv[2*b:2*b+2])
	}
	var cs [][]int
	for c := 0; c < len(comps)/2; c++ {
		cs = append(cs, []int{int(comps[2*c]), int(comps[2*c+1])})
	}
	d.morpher, err = morphing.NewFromMatrix(cs, mat.NewDense(len(cs), nW, mm))
	return d, err
}

type zhRef struct {
	Xsecs struct {
		BenchmarksPb    []float64   `json:"benchmarks_pb"`
		BenchmarksUncPb []float64   `json:"benchmarks_unc_pb"`
		GridTheta       [][]float64 `json:"grid_theta"`
		GridPb          []float64   `json:"grid_pb"`
		GridUncPb       []float64   `json:"grid_unc_pb"`
		GradientThetas  [][]float64 `json:"gradient_thetas"`
		GradientsPb     [][]float64 `json:"gradients_pb"`
	} `json:"xsecs"`
	Dataset struct {
		PartitionBounds map[string][]*float64 `json:"partition_bounds_python_slices"`
		Weights         [][]float64           `json:"first20_benchmark_weights"`
	} `json:"dataset"`
	JRS struct {
		Theta0 []float64 `json:"theta0"`
		Train  jrsNorm   `json:"xsec_normalisation_train"`
		All    jrsNorm   `json:"xsec_normalisation_all"`
	} `json:"joint_ratio_score"`
}

type jrsNorm struct {
	Xsecs     []float64   `json:"xsecs_theta0_theta1_pb"`
	Gradients [][]float64 `json:"xsec_gradients_theta0_theta1_pb"`
	RXZ       []float64   `json:"r_xz"`
	TXZ       [][]float64 `json:"t_xz"`
}

func loadRef(t testing.TB) *zhRef {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repotest.Shared(t, ""), "reference", "zh", "reference.json"))
	if err != nil {
		t.Skipf("reference absent: %v", err)
	}
	var ref zhRef
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	return &ref
}

func relErr(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Max(math.Abs(want), 1e-300)
}

// The store adapter reads the same events as the direct HDF5 reading above
// and gives the same cross sections.
func TestEventFileSource(t *testing.T) {
	d := loadZH(t)
	ref := loadRef(t)
	ef, err := store.OpenEvents(filepath.Join(repotest.Shared(t, ""), "data", "madminer", "zh30k_lhe_data.h5"))
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	src := FromEventFile(ef)
	cfg, err := ConfigFromHeader(ef.Header())
	if err != nil {
		t.Fatal(err)
	}
	if src.NumEvents() != d.src.NumEvents() || src.NumObservables() != 7 || src.NumWeights() != 6 {
		t.Fatalf("source %d events, %d observables, %d weights", src.NumEvents(), src.NumObservables(), src.NumWeights())
	}
	xs, err := CrossSections(src, cfg, partition.All, MorphingPoints(ref.Xsecs.GridTheta))
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range xs {
		if e := relErr(x.Sigma, ref.Xsecs.GridPb[i]); e > 1e-10 {
			t.Errorf("θ=%v: σ %.17g, want %.17g", x.Theta, x.Sigma, ref.Xsecs.GridPb[i])
		}
	}
	cfg.Seed = 11
	a, _, err := Run(src, cfg, Request{Name: "l", Kind: Local, Theta: Benchmark(0), N: 500})
	if err != nil {
		t.Fatal(err)
	}
	cfg2 := zhConfig(d)
	cfg2.Seed = 11
	b, _, err := Run(d.src, cfg2, Request{Name: "l", Kind: Local, Theta: Benchmark(0), N: 500})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a[0].X {
		if a[0].X[i] != b[0].X[i] {
			t.Fatalf("x[%d] differs between store and direct reading", i)
		}
	}
	for i := range a[0].TXZ0 {
		if math.Abs(a[0].TXZ0[i]-b[0].TXZ0[i]) > 1e-12*math.Max(1, math.Abs(b[0].TXZ0[i])) {
			t.Fatalf("t_xz[%d] differs between store and direct reading", i)
		}
	}
}
