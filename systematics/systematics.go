// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package systematics

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/goldmine-hep/goldmine/internal/pyfmt"
	"github.com/goldmine-hep/goldmine/lhe"
	"github.com/goldmine-hep/goldmine/store"
)

// Kind is the kind of a systematic uncertainty.
type Kind string

// The kinds of systematics.
const (
	Norm  Kind = "norm"
	Scale Kind = "scale"
	PDF   Kind = "pdf"
)

// Systematic is one systematic uncertainty.
type Systematic struct {
	Name string
	Kind Kind
	// Value is the relative uncertainty of a norm systematic (0.1 for
	// 10%).
	Value float64
	// Scale is the scale a scale systematic varies: "mur", "muf", or
	// "mu" (or "") for both together; Factors are its factors (1 is
	// added if missing).
	Scale   string
	Factors []float64
	// PDF names the LHAPDF set of a pdf systematic (its weight group in
	// the LHE header), or PDFID gives the LHAPDF id of its central member;
	// Members is the number of error members.
	PDF     string
	PDFID   int
	Members int
}

// Variation is one nuisance benchmark: a varied weight of the reference
// (sampling) benchmark.
type Variation struct {
	Benchmark  string // nuisance benchmark name
	Systematic string
	Kind       Kind
	MuR, MuF   float64 // scale factors (Scale)
	Member     int     // PDF member, counted from the central member (PDF)
	Factor     float64 // weight factor (Norm)
}

// Model is what a set of systematics adds to an events file: the
// systematics as MadMiner stores them, their nuisance parameters and one
// nuisance benchmark per variation, in the order of the systematics.
type Model struct {
	Systematics []store.Systematic
	Parameters  []store.NuisanceParameter
	Variations  []Variation

	config []Systematic
}

// New derives the nuisance parameters and variations of systs. used
// reports whether a sample uses a systematic; only those are listed in
// Model.Systematics (nil used lists all).
func New(systs []Systematic, used func(name string) bool) (*Model, error) {
	m := &Model{config: slices.Clone(systs)}
	for _, sys := range systs {
		st := store.Systematic{Name: sys.Name, Type: string(sys.Kind)}
		param := func(k int) string { return fmt.Sprintf("%s_nuisance_param_%d", sys.Name, k) }
		switch sys.Kind {
		case Norm:
			st.Value = pyfmt.Float(sys.Value)
			p := param(0)
			m.Parameters = append(m.Parameters, store.NuisanceParameter{Name: p, Systematic: sys.Name, BenchmarkPositive: p + "_benchmark_0"})
			m.Variations = append(m.Variations, Variation{Benchmark: p + "_benchmark_0", Systematic: sys.Name, Kind: Norm, Factor: 1 + sys.Value})
		case Scale:
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
				m.Variations = append(m.Variations, Variation{Benchmark: np.BenchmarkPositive, Systematic: sys.Name, Kind: Scale, MuR: mur, MuF: muf})
			}
			if lo < 1 {
				b := p + "_benchmark_1"
				mur, muf := scales(lo)
				m.Variations = append(m.Variations, Variation{Benchmark: b, Systematic: sys.Name, Kind: Scale, MuR: mur, MuF: muf})
				if np.BenchmarkPositive == "" {
					np.BenchmarkPositive = b
				} else {
					np.BenchmarkNegative = b
				}
			}
			m.Parameters = append(m.Parameters, np)
		case PDF:
			st.Value = sys.PDF
			if st.Value == "" {
				st.Value = strconv.Itoa(sys.PDFID)
			}
			if sys.Members <= 0 {
				return nil, fmt.Errorf("systematics: systematic %s: give the number of PDF error members", sys.Name)
			}
			for k := 0; k < sys.Members; k++ {
				p := param(k)
				m.Parameters = append(m.Parameters, store.NuisanceParameter{Name: p, Systematic: sys.Name, BenchmarkPositive: p + "_benchmark_0"})
				m.Variations = append(m.Variations, Variation{Benchmark: p + "_benchmark_0", Systematic: sys.Name, Kind: PDF, Member: k + 1})
			}
		default:
			return nil, fmt.Errorf("systematics: systematic %s: unknown kind %q (want norm, scale or pdf)", sys.Name, sys.Kind)
		}
		if used == nil || used(sys.Name) {
			m.Systematics = append(m.Systematics, st)
		}
	}
	return m, nil
}

// Sources returns, for each variation, the index of the weight of h that
// carries it, or -1 for the nominal weight, with a factor to apply (the
// norm factor, else 1). A sample gets its nominal weight for every
// systematic it does not list in sampleSystematics. A variation the file
// lacks is an error naming it.
func (m *Model) Sources(h *lhe.Header, sampleSystematics []string) (index []int, factor []float64, err error) {
	index = make([]int, len(m.Variations))
	factor = make([]float64, len(m.Variations))
	for i, v := range m.Variations {
		index[i], factor[i] = -1, 1
		if !slices.Contains(sampleSystematics, v.Systematic) {
			continue
		}
		if v.Kind == Norm {
			factor[i] = v.Factor
			continue
		}
		j := slices.IndexFunc(m.config, func(x Systematic) bool { return x.Name == v.Systematic })
		k, err := findVariation(h, v, m.config[j])
		if err != nil {
			return nil, nil, fmt.Errorf("systematics: %w", err)
		}
		index[i] = k
	}
	return index, factor, nil
}

// centralPDF returns the LHAPDF id of the central member of a PDF
// systematic in this file: PDFID when given, else the PDF attribute of
// the first weight of the weight group named after the set.
func centralPDF(h *lhe.Header, sys Systematic) (int, error) {
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
// carries variation v.
func findVariation(h *lhe.Header, v Variation, sys Systematic) (int, error) {
	central := 0
	if v.Kind == PDF {
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
		switch v.Kind {
		case Scale:
			if mur == v.MuR && muf == v.MuF {
				// The nominal PDF: the PDF of the scale weights is the
				// central member.
				if hasPDF && !isCentralPDF(h, pdf) {
					continue
				}
				return i, nil
			}
		case PDF:
			if mur == 1 && muf == 1 && hasPDF && pdf == central+v.Member {
				return i, nil
			}
		}
	}
	if v.Kind == Scale {
		return 0, fmt.Errorf("no weight with MUR=%g MUF=%g (systematic %s)", v.MuR, v.MuF, v.Systematic)
	}
	return 0, fmt.Errorf("no weight for PDF member %d of %d (systematic %s)", v.Member, central, v.Systematic)
}

// isCentralPDF reports whether id is the PDF of the file's scale weights:
// the PDF attribute of the weight with MUR = MUF = 1 and no dynamical
// scale, or, without one, any id.
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
