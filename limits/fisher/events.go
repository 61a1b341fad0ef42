// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package fisher

import (
	"fmt"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// EventReader reads the rows of a weighted event file in batches. It is
// implemented by *store.EventFile.
type EventReader interface {
	// Shape returns the number of events, observables and weights per
	// event.
	Shape() (events, observables, weights int)
	// ReadRows calls fn for consecutive batches of the rows [start, end)
	// (end < 0: all): n rows from row first, with their observables x and
	// weights w, row-major.
	ReadRows(start, end int, fn func(first, n int, x, w []float64) error) error
}

// Scorer gives the estimated score t̂(x) of events (row-major rows of
// observables). *ml.ScoreEstimator implements it.
type Scorer interface {
	ScoreRows(dst, x []float64) ([]float64, error)
}

// RatioInformer gives the kinematic information nEvents·Σ w t̂ t̂ᵀ/Σ w of
// a parameterised ratio estimator at θ, t̂ = ∇_θ log r̂(x|θ).
// *ml.ParameterizedRatioEstimator implements it.
type RatioInformer interface {
	FisherInformation(x mat.Matrix, theta []float64, w []float64, nEvents float64) (*mat.SymDense, error)
}

// Kind is the kind of an Item.
type Kind string

// The kinds of Fisher information of an event file.
const (
	KindTruth         Kind = "truth"          // parton level
	KindRate          Kind = "rate"           // the total rate only
	KindHisto         Kind = "histo"          // a histogram of one observable
	KindHisto2D       Kind = "histo2d"        // a histogram of two observables
	KindInfoHistogram Kind = "info_histogram" // the truth information per bin of one observable
	KindSally         Kind = "sally"          // estimated scores (SALLY), plus the rate optionally
	KindRatio         Kind = "ratio"          // the score of a parameterised ratio estimator
)

// Kinds returns the kinds of FromEvents.
func Kinds() []Kind {
	return []Kind{KindTruth, KindRate, KindHisto, KindHisto2D, KindInfoHistogram, KindSally, KindRatio}
}

// Item is one Fisher information to compute from an event file.
type Item struct {
	Name string
	Kind Kind
	// Columns are the observables (indices into the file's) of a
	// histogram, one per axis, and Observables their names.
	Columns     []int
	Observables []string
	// Edges gives the inner edges of each axis; without them, Bins[a]
	// bins of equal cross section at θ are placed on axis a.
	Edges [][]float64
	Bins  []int
	// Scorers are the members of a SALLY model (KindSally); Ratio is the
	// ratio model (KindRatio), Ratios instead the members of an ensemble
	// of ratio models, whose information is the members' mean with the
	// covariance of their informations over the members. Their expectations run over the test rows
	// of Settings, σ(θ) over all events.
	Scorers []Scorer
	Ratio   RatioInformer
	Ratios  []RatioInformer
	// IncludeRate adds the rate information to a SALLY or ratio item.
	IncludeRate bool
}

// Settings configures FromEvents.
type Settings struct {
	Theta      []float64
	Luminosity float64 // pb⁻¹; 0 means DefaultLuminosity
	// Parameters names the parameters in the results.
	Parameters []string
	// TestStart and TestEnd bound the rows no model was trained on, over
	// which the expectations of SALLY and ratio items run.
	TestStart, TestEnd int
}

// InfoHistogramResult is a histogram of information as written to
// fisher.json: the truth-level information in each bin of an observable
// and the cross section per bin (MadMiner's histogram_of_information).
// Bins include the under- and overflow: bin 0 is below Edges[0], bin k
// between Edges[k-1] and Edges[k].
type InfoHistogramResult struct {
	Name        string        `json:"name"`
	Observable  string        `json:"observable"`
	Edges       []float64     `json:"edges"`
	Range       [2]float64    `json:"observed_range"`
	XSecPB      []float64     `json:"xsec_pb"`
	Information [][][]float64 `json:"information"`
}

// Output holds the results of FromEvents, in the order of the items.
type Output struct {
	Results        []Result
	InfoHistograms []InfoHistogramResult
}

// histItem is a histogram (or histogram of information) of an item.
type histItem struct {
	item  int
	h     *Histogram
	info  *InfoHistogram
	axes  []int
	value [][]float64
}

// FromEvents computes the items from the events of r in two streamed
// passes at most: a first over the columns that need equal-cross-section
// binning, a second that fills every accumulator. SALLY and ratio items
// read the test rows once more.
func FromEvents(r EventReader, m Morpher, items []Item, s Settings) (*Output, error) {
	lumi := s.Luminosity
	if lumi == 0 {
		lumi = DefaultLuminosity
	}
	theta := s.Theta
	_, nObs, nW := r.Shape()
	nb := m.NumBasis()
	wb := m.WeightsTo(nil, theta)

	// Binnings that need the distribution at θ are found in a first pass
	// over the columns they use.
	need := make(map[int]bool)
	for _, it := range items {
		if it.Kind != KindHisto && it.Kind != KindHisto2D && it.Kind != KindInfoHistogram {
			continue
		}
		for a, k := range it.Columns {
			if k < 0 || k >= nObs {
				return nil, fmt.Errorf("fisher: item %s: observable index %d out of range (file has %d)", it.Name, k, nObs)
			}
			if it.Edges == nil && a < len(it.Bins) {
				need[k] = true
			}
		}
	}
	cols := make(map[int][]float64)
	var wTheta []float64
	if len(need) > 0 {
		err := r.ReadRows(0, -1, func(_, n int, x, w []float64) error {
			for i := 0; i < n; i++ {
				for k := range need {
					cols[k] = append(cols[k], x[i*nObs+k])
				}
				wTheta = append(wTheta, morphed(wb, w[i*nW:i*nW+nb]))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var hists []histItem
	for i, it := range items {
		if it.Kind != KindHisto && it.Kind != KindHisto2D && it.Kind != KindInfoHistogram {
			continue
		}
		var edges [][]float64
		for a, k := range it.Columns {
			if it.Edges != nil {
				edges = append(edges, it.Edges[a])
				continue
			}
			ed, err := EqualXsecEdges(cols[k], wTheta, it.Bins[a])
			if err != nil {
				return nil, fmt.Errorf("fisher: item %s: %w", it.Name, err)
			}
			edges = append(edges, ed)
		}
		hi := histItem{item: i, axes: it.Columns, value: make([][]float64, len(it.Columns))}
		var err error
		if it.Kind == KindInfoHistogram {
			if len(edges) != 1 {
				return nil, fmt.Errorf("fisher: item %s: a histogram of information has one axis, not %d", it.Name, len(edges))
			}
			hi.info, err = NewInfoHistogram(m, theta, lumi, edges[0])
		} else {
			hi.h, err = NewHistogram(nb, edges...)
		}
		if err != nil {
			return nil, fmt.Errorf("fisher: item %s: %w", it.Name, err)
		}
		hists = append(hists, hi)
	}
	cols, wTheta = nil, nil

	// One streamed pass fills every accumulator. The rate histogram is
	// always filled: SALLY and ratio items need σ(θ) and may add its
	// information.
	var truth *Truth
	if slices.ContainsFunc(items, func(it Item) bool { return it.Kind == KindTruth }) {
		truth = NewTruth(m, theta, &TruthSettings{Luminosity: lumi, Covariance: true})
	}
	rate := NewRate(nb)
	err := r.ReadRows(0, -1, func(first, n int, x, w []float64) error {
		if truth != nil {
			if err := truth.Add(n, w, nil, nil); err != nil {
				return err
			}
		}
		if err := rate.Add(n, nil, w, nil); err != nil {
			return err
		}
		for _, hi := range hists {
			for a, k := range hi.axes {
				hi.value[a] = hi.value[a][:0]
				for i := 0; i < n; i++ {
					hi.value[a] = append(hi.value[a], x[i*nObs+k])
				}
			}
			var err error
			if hi.info != nil {
				err = hi.info.Add(n, hi.value[0], w, nil)
			} else {
				err = hi.h.Add(n, hi.value, w, nil)
			}
			if err != nil {
				return fmt.Errorf("events %d–%d: %w", first, first+n, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var sigma float64
	for _, v := range rate.Sigma(m, theta) {
		sigma += v
	}

	out := &Output{}
	for i, it := range items {
		var in *Information
		var edges [][]float64
		switch it.Kind {
		case KindTruth:
			in, err = truth.Information()
		case KindRate:
			in, err = rate.Information(m, theta, lumi)
		case KindHisto, KindHisto2D:
			j := slices.IndexFunc(hists, func(h histItem) bool { return h.item == i })
			in, err = hists[j].h.Information(m, theta, lumi)
			edges = hists[j].h.Edges()
		case KindInfoHistogram:
			j := slices.IndexFunc(hists, func(h histItem) bool { return h.item == i })
			var ih InfoHistogramResult
			if ih, err = infoHistogramResult(it, hists[j].info, m.NumParams()); err != nil {
				return nil, fmt.Errorf("fisher: item %s: %w", it.Name, err)
			}
			out.InfoHistograms = append(out.InfoHistograms, ih)
			continue
		case KindSally:
			in, err = sallyInformation(r, m, it.Scorers, s.TestStart, s.TestEnd, theta, lumi, sigma)
		case KindRatio:
			ratios := it.Ratios
			if it.Ratio != nil {
				ratios = append([]RatioInformer{it.Ratio}, ratios...)
			}
			in, err = ratioInformation(r, m, ratios, s.TestStart, s.TestEnd, theta, lumi*sigma)
		default:
			return nil, fmt.Errorf("fisher: item %s: unknown kind %q", it.Name, it.Kind)
		}
		if err == nil && it.IncludeRate && (it.Kind == KindSally || it.Kind == KindRatio) {
			var ri *Information
			if ri, err = rate.Information(m, theta, lumi); err == nil {
				in.Add(ri)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("fisher: item %s: %w", it.Name, err)
		}
		res := NewResult(it.Name, string(it.Kind), s.Parameters, theta, lumi, in)
		res.Edges = edges
		out.Results = append(out.Results, res)
	}
	return out, nil
}

// infoHistogramResult packs the per-bin truth information; an empty bin
// holds no information.
func infoHistogramResult(it Item, ih *InfoHistogram, np int) (InfoHistogramResult, error) {
	edges, sigma, _, full, err := ih.Result()
	if err != nil {
		return InfoHistogramResult{}, err
	}
	r := InfoHistogramResult{Name: it.Name, Edges: edges, Range: ih.Range(), XSecPB: sigma}
	if len(it.Observables) > 0 {
		r.Observable = it.Observables[0]
	}
	for _, in := range full {
		r.Information = append(r.Information, in.Dense())
	}
	return r, nil
}

// sallyInformation is the kinematic information L σ(θ) E[t̂ t̂ᵀ] of a SALLY
// model (or ensemble) over the rows [start, end).
func sallyInformation(r EventReader, m Morpher, members []Scorer, start, end int, theta []float64, lumi, sigma float64) (*Information, error) {
	if len(members) == 0 {
		return nil, fmt.Errorf("no score estimator")
	}
	var acc *Sally
	scores := make([][]float64, len(members))
	err := r.ReadRows(start, end, func(first, n int, x, w []float64) error {
		for k, est := range members {
			t, err := est.ScoreRows(nil, x)
			if err != nil {
				return fmt.Errorf("events %d–%d: %w", first, first+n, err)
			}
			scores[k] = t
		}
		if acc == nil {
			acc = NewSally(m, theta, lumi, len(members), len(scores[0])/n)
		}
		return acc.Add(n, w, scores)
	})
	if err != nil {
		return nil, err
	}
	if acc == nil {
		return nil, ErrNoEvents
	}
	return acc.Kinematic(sigma)
}

// ratioInformation is the kinematic information nEvents E[t̂ t̂ᵀ] of a
// parameterised ratio model, t̂ = ∂ log r̂/∂θ, over the rows [start, end)
// (held in memory: observables and one weight per event); for several
// models (an ensemble's members) the mean of their informations with the
// covariance over the members (M − 1 normalisation).
func ratioInformation(r EventReader, m Morpher, ratios []RatioInformer, start, end int, theta []float64, nEvents float64) (*Information, error) {
	if len(ratios) == 0 {
		return nil, fmt.Errorf("no ratio estimator")
	}
	_, nObs, nW := r.Shape()
	nb := m.NumBasis()
	wb := m.WeightsTo(nil, theta)
	var x, w []float64
	err := r.ReadRows(start, end, func(_, n int, xb, wt []float64) error {
		x = append(x, xb[:n*nObs]...)
		for i := 0; i < n; i++ {
			w = append(w, morphed(wb, wt[i*nW:i*nW+nb]))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(w) == 0 {
		return nil, ErrNoEvents
	}
	xm := mat.NewDense(len(w), nObs, x)
	var members [][]float64
	var d int
	for _, ratio := range ratios {
		sym, err := ratio.FisherInformation(xm, theta, w, nEvents)
		if err != nil {
			return nil, err
		}
		if len(ratios) == 1 {
			return &Information{Matrix: sym}, nil
		}
		d = sym.SymmetricDim()
		flat := make([]float64, d*d)
		for a := range d {
			for b := range d {
				flat[a*d+b] = sym.At(a, b)
			}
		}
		members = append(members, flat)
	}
	mu := make([]float64, d*d)
	for _, f := range members {
		for k, v := range f {
			mu[k] += v / float64(len(members))
		}
	}
	cov := make([]float64, d*d*d*d)
	for _, f := range members {
		for a := range d * d {
			for b := range d * d {
				cov[a*d*d+b] += (f[a] - mu[a]) * (f[b] - mu[b]) / float64(len(members)-1)
			}
		}
	}
	return newInformation(d, mu, cov), nil
}

// morphed is the weight Σ_b wb[b] w[b] of an event with benchmark weights
// w at the point of morphing weights wb.
func morphed(wb, w []float64) float64 {
	var v float64
	for j, x := range wb {
		v += x * w[j]
	}
	return v
}
