// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/pyfmt"
	"github.com/goldmine-hep/goldmine/lhe"
	"github.com/goldmine-hep/goldmine/store"
)

// variation is one nuisance benchmark: a varied weight of the reference
// (sampling) benchmark.
type variation struct {
	benchmark  string // nuisance benchmark name
	systematic string
	// What to look for in an LHE header.
	kind     string  // "scale", "pdf" or "norm"
	mur, muf float64 // scale factors (scale)
	member   int     // PDF member offset from the central set (pdf)
	factor   float64 // weight factor (norm)
}

// nuisanceSetup is what the card's systematics add to an events file.
type nuisanceSetup struct {
	systematics []store.Systematic
	params      []store.NuisanceParameter
	variations  []variation
}

// buildNuisance derives the nuisance parameters of the card's systematics,
// following MadMiner's naming: parameter NAME_nuisance_param_K with
// benchmarks NAME_nuisance_param_K_benchmark_0 (positive) and _1
// (negative). A scale systematic gives one parameter whose positive
// variation is the largest factor and whose negative one is the smallest
// (MUR and MUF varied together for "mu"); a PDF systematic one parameter per
// error member; a norm systematic one parameter whose positive variation
// scales the weights by 1 + value.
func buildNuisance(c *cards.Card) (*nuisanceSetup, error) {
	ns := &nuisanceSetup{}
	used := make(map[string]bool)
	for _, s := range c.Samples {
		for _, name := range s.Systematics {
			used[name] = true
		}
	}
	for _, sys := range c.Systematics {
		st := store.Systematic{Name: sys.Name, Type: sys.Type}
		param := func(k int) string { return fmt.Sprintf("%s_nuisance_param_%d", sys.Name, k) }
		switch sys.Type {
		case "norm":
			st.Value = pyfmt.Float(sys.Value)
			p := param(0)
			ns.params = append(ns.params, store.NuisanceParameter{Name: p, Systematic: sys.Name, BenchmarkPositive: p + "_benchmark_0"})
			ns.variations = append(ns.variations, variation{benchmark: p + "_benchmark_0", systematic: sys.Name, kind: "norm", factor: 1 + sys.Value})
		case "scale":
			f := slices.Clone(sys.Factors)
			if !slices.Contains(f, 1) {
				f = append(f, 1)
			}
			slices.Sort(f)
			vals := make([]string, len(f))
			for i, x := range f {
				vals[i] = pyfmt.Float(x)
			}
			st.Value, st.Scale = strings.Join(vals, ","), sys.Scale
			lo, hi := f[0], f[len(f)-1]
			scales := func(x float64) (float64, float64) {
				switch sys.Scale {
				case "mur":
					return x, 1
				case "muf":
					return 1, x
				}
				return x, x
			}
			p := param(0)
			np := store.NuisanceParameter{Name: p, Systematic: sys.Name}
			if hi > 1 {
				np.BenchmarkPositive = p + "_benchmark_0"
				mur, muf := scales(hi)
				ns.variations = append(ns.variations, variation{benchmark: np.BenchmarkPositive, systematic: sys.Name, kind: "scale", mur: mur, muf: muf})
			}
			if lo < 1 {
				b := p + "_benchmark_1"
				mur, muf := scales(lo)
				ns.variations = append(ns.variations, variation{benchmark: b, systematic: sys.Name, kind: "scale", mur: mur, muf: muf})
				if np.BenchmarkPositive == "" {
					np.BenchmarkPositive = b
				} else {
					np.BenchmarkNegative = b
				}
			}
			ns.params = append(ns.params, np)
		case "pdf":
			st.Value = sys.PDF
			if st.Value == "" {
				st.Value = strconv.Itoa(sys.PDFID)
			}
			if sys.Members <= 0 {
				return nil, fmt.Errorf("pipeline: %s: systematic %s: give the number of PDF error members (members)", c.Path, sys.Name)
			}
			for k := 0; k < sys.Members; k++ {
				p := param(k)
				ns.params = append(ns.params, store.NuisanceParameter{Name: p, Systematic: sys.Name, BenchmarkPositive: p + "_benchmark_0"})
				ns.variations = append(ns.variations, variation{benchmark: p + "_benchmark_0", systematic: sys.Name, kind: "pdf", member: k + 1})
			}
		}
		if used[sys.Name] || len(c.Samples) == 0 {
			ns.systematics = append(ns.systematics, st)
		}
	}
	return ns, nil
}

// centralPDF returns the LHAPDF id of the central member of the card's PDF
// systematic in this file: pdf_id when given, else the PDF attribute of the
// first weight of the weight group named after the set.
func centralPDF(h *lhe.Header, sys cards.Systematic) (int, error) {
	if sys.PDFID != 0 {
		return sys.PDFID, nil
	}
	for _, w := range h.Weights {
		if strings.EqualFold(strings.TrimSpace(w.Group), sys.PDF) {
			if id, ok := w.PDF(); ok {
				return id, nil
			}
		}
	}
	return 0, fmt.Errorf("no weight group %q with PDF attributes", sys.PDF)
}

// findVariation returns the index in Header.Weights of the weight that
// carries variation v: MG5 systematics weights are matched on their MUR,
// MUF and PDF attributes; dynamical-scale alternatives (DYN_SCALE other
// than -1) are never taken.
func findVariation(h *lhe.Header, v variation, sys cards.Systematic) (int, error) {
	central := 0
	if v.kind == "pdf" {
		var err error
		if central, err = centralPDF(h, sys); err != nil {
			return 0, err
		}
	}
	for i := range h.Weights {
		w := &h.Weights[i]
		if d, ok := w.DynScale(); ok && d != -1 {
			continue
		}
		mur, muf, ok := w.Scales()
		if !ok {
			continue
		}
		pdf, hasPDF := w.PDF()
		switch v.kind {
		case "scale":
			if mur == v.mur && muf == v.muf {
				// The nominal PDF: the lowest PDF id among the scale
				// weights is the central member.
				if hasPDF && !isCentralPDF(h, pdf) {
					continue
				}
				return i, nil
			}
		case "pdf":
			if mur == 1 && muf == 1 && hasPDF && pdf == central+v.member {
				return i, nil
			}
		}
	}
	if v.kind == "scale" {
		return 0, fmt.Errorf("no weight with MUR=%g MUF=%g (systematic %s)", v.mur, v.muf, v.systematic)
	}
	return 0, fmt.Errorf("no weight for PDF member %d of %d (systematic %s)", v.member, central, v.systematic)
}

// isCentralPDF reports whether id is the PDF of the file's scale weights:
// the PDF attribute of the weight with MUR = MUF = 1 and no dynamical scale,
// or, without one, any id.
func isCentralPDF(h *lhe.Header, id int) bool {
	for i := range h.Weights {
		w := &h.Weights[i]
		if d, ok := w.DynScale(); ok && d != -1 {
			continue
		}
		mur, muf, _ := w.Scales()
		if pdf, ok := w.PDF(); ok && mur == 1 && muf == 1 {
			return pdf == id
		}
	}
	return true
}

// variationSources returns, for each variation, the index of its weight in
// the file (or -1: use the nominal weight, times the norm factor). Samples
// that do not list a systematic get its nominal weight.
func variationSources(c *cards.Card, s cards.Sample, h *lhe.Header, path string, ns *nuisanceSetup) ([]int, []float64, error) {
	src := make([]int, len(ns.variations))
	fac := make([]float64, len(ns.variations))
	for i, v := range ns.variations {
		src[i], fac[i] = -1, 1
		if !slices.Contains(s.Systematics, v.systematic) {
			continue
		}
		j := slices.IndexFunc(c.Systematics, func(x cards.Systematic) bool { return x.Name == v.systematic })
		if v.kind == "norm" {
			fac[i] = v.factor
			continue
		}
		k, err := findVariation(h, v, c.Systematics[j])
		if err != nil {
			return nil, nil, fmt.Errorf("pipeline: %s: sample %s: %w", path, s.Name, err)
		}
		src[i] = k
	}
	return src, fac, nil
}

// finite reports whether x is a usable weight.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
