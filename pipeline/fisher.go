// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/limits/fisher"
	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/store"
)

// batchSize is the number of events a stage holds at once.
const batchSize = 4096

// FisherResult is the content of fisher.json.
type FisherResult struct {
	File    string          `json:"file"`
	Events  int             `json:"events"`
	Results []fisher.Result `json:"results"`
	// InfoHistograms holds the histograms of information.
	InfoHistograms []InfoHistogram `json:"info_histograms,omitempty"`
	// Skipped lists items that need a stage not yet run or built.
	Skipped []string `json:"skipped,omitempty"`
}

// InfoHistogram is the truth-level Fisher information contained in each
// bin of an observable, with the cross section per bin (MadMiner's
// histogram_of_information). Bins include the under- and overflow: bin 0
// is below Edges[0], bin k between Edges[k-1] and Edges[k].
type InfoHistogram struct {
	Name        string        `json:"name"`
	Observable  string        `json:"observable"`
	Edges       []float64     `json:"edges"`
	Range       [2]float64    `json:"observed_range"`
	XSecPB      []float64     `json:"xsec_pb"`
	Information [][][]float64 `json:"information"`
}

// eventsMorpher opens the events file and its morpher.
func eventsMorpher(e *Env) (*store.EventFile, *morphing.Morpher, error) {
	f, err := store.OpenEvents(e.Path("events.h5"))
	if err != nil {
		return nil, nil, inputErr(err, "this stage needs the events file", "analyse")
	}
	h := f.Header()
	if h.MorphingMatrix == nil {
		f.Close()
		return nil, nil, fmt.Errorf("pipeline: %s has no morphing setup", e.Path("events.h5"))
	}
	m, err := morphing.NewFromMatrix(h.Components, h.MorphingMatrix)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("pipeline: %s: %w", e.Path("events.h5"), err)
	}
	return f, m, nil
}

// Fisher computes the Fisher information items of the card from the events
// file and writes WORKDIR/fisher.json. Truth, rate and histogram items
// stream the events in batches; equal-cross-section binning keeps one
// column of observable values per binned axis.
func Fisher(e *Env) (*FisherResult, error) {
	c := e.Card
	if c.Fisher == nil {
		return nil, fmt.Errorf("pipeline: %s: no fisher section", c.Path)
	}
	if c.IsSimulator() {
		return fisherSimulator(e)
	}
	f, m, err := eventsMorpher(e)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := f.Header()
	fc := c.Fisher
	theta, lumi := fc.Theta, fc.Luminosity
	params := make([]string, len(c.Parameters))
	for i, p := range c.Parameters {
		params[i] = p.Name
	}
	nObs := len(h.ObservableNames)
	obsIndex := func(name string) (int, error) {
		i := slices.Index(h.ObservableNames, name)
		if i < 0 {
			return 0, fmt.Errorf("pipeline: observable %q is not in %s (has %v)", name, e.Path("events.h5"), h.ObservableNames)
		}
		return i, nil
	}
	out := &FisherResult{File: e.Path("fisher.json"), Events: f.N()}

	// Binnings that need the distribution at θ (equal-σ edges) are found
	// in a first pass over the columns they use.
	type histItem struct {
		idx  int
		axes []int
		h    *fisher.Histogram
	}
	var hists []histItem
	need := make(map[int]bool)
	for i, it := range fc.Items {
		if it.Kind != "histo" && it.Kind != "histo2d" && it.Kind != "info_histogram" {
			continue
		}
		hi := histItem{idx: i}
		for _, name := range it.Observables {
			k, err := obsIndex(name)
			if err != nil {
				return nil, err
			}
			hi.axes = append(hi.axes, k)
			if it.Edges == nil {
				need[k] = true
			}
		}
		hists = append(hists, hi)
	}
	cols := make(map[int][]float64)
	var wTheta []float64
	wb := m.WeightsTo(nil, theta)
	nb := m.NumBasis()
	nW := len(h.Benchmarks)
	if len(need) > 0 {
		err := f.Read(0, -1, batchSize, func(b *store.Batch) error {
			for i := 0; i < b.N; i++ {
				for k := range need {
					cols[k] = append(cols[k], b.X[i*nObs+k])
				}
				var s float64
				for j := 0; j < nb; j++ {
					s += wb[j] * b.Weights[i*nW+j]
				}
				wTheta = append(wTheta, s)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for j := range hists {
		it := fc.Items[hists[j].idx]
		var edges [][]float64
		for a, k := range hists[j].axes {
			if it.Edges != nil {
				edges = append(edges, it.Edges[a])
				continue
			}
			ed, err := fisher.EqualXsecEdges(cols[k], wTheta, it.Bins[a])
			if err != nil {
				return nil, fmt.Errorf("pipeline: fisher item %s: %w", it.Name, err)
			}
			edges = append(edges, ed)
		}
		hh, err := fisher.NewHistogram(nb, edges...)
		if err != nil {
			return nil, fmt.Errorf("pipeline: fisher item %s: %w", it.Name, err)
		}
		hists[j].h = hh
	}

	// Histograms of information: one truth accumulator per bin.
	type infoHist struct {
		hist   int // index into hists
		truth  []*fisher.Truth
		xsec   []float64
		lo, hi float64
	}
	var infos []infoHist
	for j, hi := range hists {
		if fc.Items[hi.idx].Kind != "info_histogram" {
			continue
		}
		ih := infoHist{hist: j, lo: math.Inf(1), hi: math.Inf(-1)}
		for k := 0; k < hi.h.NumBins(); k++ {
			ih.truth = append(ih.truth, fisher.NewTruth(m, theta, lumi, 0, false))
		}
		ih.xsec = make([]float64, hi.h.NumBins())
		infos = append(infos, ih)
	}

	// One streamed pass fills every accumulator. The rate histogram is
	// always filled: SALLY items add its information.
	var truth *fisher.Truth
	rate, err := fisher.NewHistogram(nb)
	if err != nil {
		return nil, err
	}
	for _, it := range fc.Items {
		if it.Kind == "truth" && truth == nil {
			truth = fisher.NewTruth(m, theta, lumi, 0, true)
		}
	}
	vals := make([][]float64, 3)
	err = f.Read(0, -1, batchSize, func(b *store.Batch) error {
		if truth != nil {
			if err := truth.Add(b.N, b.Weights, nil, nil); err != nil {
				return err
			}
		}
		if err := rate.Add(b.N, nil, b.Weights, nil); err != nil {
			return err
		}
		for k := range infos {
			ih := &infos[k]
			hi := hists[ih.hist]
			col := hi.axes[0]
			for i := 0; i < b.N; i++ {
				x := b.X[i*nObs+col]
				ih.lo, ih.hi = math.Min(ih.lo, x), math.Max(ih.hi, x)
				bin := hi.h.Bin([]float64{x})
				row := b.Weights[i*nW : (i+1)*nW]
				if err := ih.truth[bin].Add(1, row, nil, nil); err != nil {
					return fmt.Errorf("event %d: %w", b.Start+i, err)
				}
				for j := 0; j < nb; j++ {
					ih.xsec[bin] += wb[j] * row[j]
				}
			}
		}
		for _, hi := range hists {
			if fc.Items[hi.idx].Kind == "info_histogram" {
				continue
			}
			v := vals[:len(hi.axes)]
			for a, k := range hi.axes {
				v[a] = v[a][:0]
				for i := 0; i < b.N; i++ {
					v[a] = append(v[a], b.X[i*nObs+k])
				}
			}
			if err := hi.h.Add(b.N, v, b.Weights, nil); err != nil {
				return fmt.Errorf("events %d–%d: %w", b.Start, b.Start+b.N, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pipeline: fisher: %w", err)
	}

	for i, it := range fc.Items {
		var in *fisher.Information
		var edges [][]float64
		switch it.Kind {
		case "truth":
			in, err = truth.Information()
		case "rate":
			in, err = rate.Information(m, theta, lumi)
		case "histo", "histo2d":
			j := slices.IndexFunc(hists, func(h histItem) bool { return h.idx == i })
			in, err = hists[j].h.Information(m, theta, lumi)
			edges = hists[j].h.Edges()
		case "info_histogram":
			for _, ih := range infos {
				if hists[ih.hist].idx != i {
					continue
				}
				out.InfoHistograms = append(out.InfoHistograms, infoHistogram(it.Name, it.Observables[0], hists[ih.hist].h.Edges()[0], ih.lo, ih.hi, ih.xsec, ih.truth, m.NumParams()))
			}
			continue
		case "ratio":
			in, err = ratioInformation(e, f, m, it.Model, theta, lumi, rate)
			if err == nil && *it.IncludeRate {
				var ri *fisher.Information
				if ri, err = rate.Information(m, theta, lumi); err == nil {
					in.Add(ri)
				}
			}
		case "sally":
			in, err = sallyInformation(e, f, m, it.Model, theta, lumi, rate)
			if err == nil && *it.IncludeRate {
				var ri *fisher.Information
				if ri, err = rate.Information(m, theta, lumi); err == nil {
					in.Add(ri)
				}
			}
		default:
			out.Skipped = append(out.Skipped, fmt.Sprintf("%s (%s: not wired yet)", it.Name, it.Kind))
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("pipeline: fisher item %s: %w", it.Name, err)
		}
		r := fisher.NewResult(it.Name, it.Kind, params, theta, lumi, in)
		r.Edges = edges
		out.Results = append(out.Results, r)
	}
	if err := store.WriteFileAtomic(out.File, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// PrintFisher writes a human summary.
func PrintFisher(w io.Writer, r *FisherResult) {
	fmt.Fprintf(w, "wrote %s (%d events)\n", r.File, r.Events)
	for _, res := range r.Results {
		fmt.Fprintf(w, "%-14s %-8s det(I)^(1/n) = %-12.5g I = %v\n", res.Name, res.Kind, res.DetRoot, res.Information)
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(w, "skipped: %s\n", s)
	}
}

// sallyInformation is the kinematic Fisher information L σ(θ) E[t̂ t̂ᵀ] of
// a SALLY model (or ensemble), with the expectation over the test
// partition of the sampling split (events the model was not trained on)
// and σ(θ) from all events.
func sallyInformation(e *Env, f *store.EventFile, m *morphing.Morpher, model string, theta []float64, lumi float64, rate *fisher.Histogram) (*fisher.Information, error) {
	_, ests, err := scorers(e, model)
	if err != nil {
		return nil, err
	}
	start, end, err := e.testPartition(f.N())
	if err != nil {
		return nil, err
	}
	h := f.Header()
	nObs := len(h.ObservableNames)
	nScore := ests[0].NParameters
	acc := fisher.NewSally(m, theta, lumi, len(ests), nScore)
	scores := make([][]float64, len(ests))
	err = f.Read(start, end, batchSize, func(b *store.Batch) error {
		for k, est := range ests {
			t, err := est.ScoreRows(nil, b.X[:b.N*nObs])
			if err != nil {
				return err
			}
			scores[k] = t
		}
		return acc.Add(b.N, b.Weights, scores)
	})
	if err != nil {
		return nil, fmt.Errorf("pipeline: SALLY information of %s: %w", model, err)
	}
	var sigma float64
	for _, s := range rate.Sigma(m, theta) {
		sigma += s
	}
	return acc.Kinematic(sigma)
}

// infoHistogram packs the per-bin truth information.
func infoHistogram(name, obs string, edges []float64, lo, hi float64, xsec []float64, truth []*fisher.Truth, np int) InfoHistogram {
	ih := InfoHistogram{Name: name, Observable: obs, Edges: edges, Range: [2]float64{lo, hi}, XSecPB: xsec}
	for _, tr := range truth {
		in, err := tr.Information()
		if err != nil { // an empty bin holds no information
			in = &fisher.Information{N: np, Matrix: make([]float64, np*np)}
		}
		ih.Information = append(ih.Information, in.Dense())
	}
	return ih
}

// testPartition returns the event range of the sampling split's test
// partition (events no model was trained on).
func (e *Env) testPartition(n int) (start, end int, err error) {
	split := partition.Default()
	if sc := e.Card.Sampling; sc != nil {
		split = partition.Split{Validation: sc.ValidationSplit, Test: sc.TestSplit}
	}
	return partition.Bounds(n, partition.Test, split)
}

// ratioInformation is the kinematic Fisher information of a parameterised
// ratio model, L σ(θ) E[t̂ t̂ᵀ] with t̂ = ∂ log r̂/∂θ, over the test
// partition (held in memory: observables and one weight per event).
func ratioInformation(e *Env, f *store.EventFile, m *morphing.Morpher, model string, theta []float64, lumi float64, rate *fisher.Histogram) (*fisher.Information, error) {
	est, err := ml.Load(e.Path("models", model))
	if err != nil {
		return nil, inputErr(err, "model "+model, "train")
	}
	r, ok := est.(*ml.ParameterizedRatioEstimator)
	if !ok {
		return nil, fmt.Errorf("pipeline: model %s is a %T, want a parameterised ratio estimator", model, est)
	}
	start, end, err := e.testPartition(f.N())
	if err != nil {
		return nil, err
	}
	h := f.Header()
	nObs, nW, nb := len(h.ObservableNames), len(h.Benchmarks), m.NumBasis()
	wb := m.WeightsTo(nil, theta)
	var x, w []float64
	err = f.Read(start, end, batchSize, func(b *store.Batch) error {
		x = append(x, b.X[:b.N*nObs]...)
		for i := 0; i < b.N; i++ {
			var s float64
			for j := 0; j < nb; j++ {
				s += wb[j] * b.Weights[i*nW+j]
			}
			w = append(w, s)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var sigma float64
	for _, s := range rate.Sigma(m, theta) {
		sigma += s
	}
	sym, err := r.FisherInformation(mat.NewDense(len(w), nObs, x), theta, w, lumi*sigma)
	if err != nil {
		return nil, fmt.Errorf("pipeline: Fisher information of %s: %w", model, err)
	}
	n := sym.SymmetricDim()
	in := &fisher.Information{N: n, Matrix: make([]float64, n*n)}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			in.Matrix[i*n+j] = sym.At(i, j)
		}
	}
	return in, nil
}
