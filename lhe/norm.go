// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Norm is a rule that turns the event weights of a sample into cross
// sections. See the package documentation for which generator writes what.
type Norm string

// The normalisation rules.
const (
	// NormAverage: each weight is a cross section in pb and their mean is
	// the sample's cross section, σ = Σw/N (IDWTUP ±1 and ±4, MG5's
	// event_norm = average).
	NormAverage Norm = "average"
	// NormSum: the weights sum to the cross section in pb, σ = Σw (MG5's
	// event_norm = sum).
	NormSum Norm = "sum"
	// NormBias: MG5_aMC's biased generation (event_norm = bias). The
	// weights carry the inverse of the bias and are normalised like
	// NormAverage, as MG5's own reweighting module does.
	NormBias Norm = "bias"
	// NormHeader: the weights are relative. Each process has the cross
	// section XSECUP of the <init> block, shared among its events in
	// proportion to their weights (IDWTUP ±2 and ±3, MG5's event_norm =
	// unity).
	NormHeader Norm = "header"
)

// ParseNorm parses a rule name: average, sum, bias, header, or MG5's
// unity (also unit), which is NormHeader. Case and surrounding space do
// not matter.
func ParseNorm(s string) (Norm, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "average":
		return NormAverage, nil
	case "sum":
		return NormSum, nil
	case "bias":
		return NormBias, nil
	case "header", "unity", "unit":
		return NormHeader, nil
	}
	return "", fmt.Errorf("lhe: unknown event normalisation %q (average, sum, bias, unity or header)", s)
}

// Declaration is what a sample's file says about the normalisation of
// its weights. Header.Declaration fills it for an LHE file; other formats
// (HepMC) fill Processes and Default.
type Declaration struct {
	// WeightMode is IDWTUP (±1..±4); 0 for formats without one.
	WeightMode int
	// EventNorm is the event_norm of the MG5 run card in the banner, ""
	// if the file has no run card or the card does not set it.
	EventNorm string
	// Processes are the cross sections the file declares (XSECUP ±
	// XERRUP in pb, by LPRUP). XSECUP ≤ 0 in every process means that
	// the file states no cross section (POWHEG writes -1).
	Processes []Process
	// Default is the rule when there is neither WeightMode nor EventNorm;
	// "" means NormAverage. DefaultSource says where it comes from, for
	// Normalization.Reason (e.g. "HepMC3 GenCrossSection").
	Default       Norm
	DefaultSource string
}

// Declaration returns what the header declares about the normalisation:
// IDWTUP, the run card's event_norm and the <init> cross sections.
func (h *Header) Declaration() Declaration {
	d := Declaration{WeightMode: h.Init.WeightMode, Processes: h.Init.Processes}
	if v, ok := h.RunCard["event_norm"]; ok {
		d.EventNorm = strings.TrimSpace(v)
	}
	return d
}

// Tally accumulates the weights of one sample, event by event, and then
// decides how they are normalised (Result). The zero value is not usable;
// use NewTally.
type Tally struct {
	file     string
	decl     Declaration
	override Norm
	rule     Norm   // the declared rule
	reason   string // why
	fromMode bool   // rule taken from IDWTUP (may be corrected by evidence)

	n              int
	sum, sum2      float64
	minAbs, maxAbs float64
	procs          map[int]*procTally
	order          []int // process ids in order of first appearance
}

type procTally struct {
	n   int
	sum float64
}

// NewTally starts the tally of a sample read from file (which names the
// sample in reasons and warnings) with what the file declares. A non-empty
// override (a card's samples[].event_norm) wins over the declaration. An
// unknown rule name in override or in the run card is an error.
func NewTally(file string, d Declaration, override string) (*Tally, error) {
	t := &Tally{file: file, decl: d, procs: make(map[int]*procTally), minAbs: math.Inf(1)}
	switch {
	case strings.TrimSpace(override) != "":
		r, err := ParseNorm(override)
		if err != nil {
			return nil, fmt.Errorf("lhe: %s: event_norm override: %s", file, unprefix(err))
		}
		t.override, t.rule, t.reason = r, r, "event_norm "+string(r)+" set in the card"
	case d.EventNorm != "":
		r, err := ParseNorm(d.EventNorm)
		if err != nil {
			return nil, fmt.Errorf("lhe: %s: the MG5 run card in the banner has event_norm = %q; set samples[].event_norm to average, sum, bias or unity", file, d.EventNorm)
		}
		t.rule, t.reason = r, "MG5 run card event_norm = "+strings.ToLower(d.EventNorm)
	case d.WeightMode != 0:
		t.fromMode = true
		switch abs(d.WeightMode) {
		case 1, 4:
			t.rule = NormAverage
			t.reason = fmt.Sprintf("IDWTUP = %d: weights in pb that average to the cross section", d.WeightMode)
		case 2:
			t.rule = NormHeader
			t.reason = fmt.Sprintf("IDWTUP = %d: relative weights, cross sections from <init>", d.WeightMode)
		case 3:
			t.rule = NormHeader
			t.reason = fmt.Sprintf("IDWTUP = %d: unit weights, cross sections from <init>", d.WeightMode)
		default:
			t.rule = NormAverage
			t.reason = fmt.Sprintf("IDWTUP = %d is no Les Houches weighting strategy; taken as average", d.WeightMode)
		}
	default:
		t.rule = d.Default
		if t.rule == "" {
			t.rule = NormAverage
		}
		t.reason = string(t.rule)
		if d.DefaultSource != "" {
			t.reason = d.DefaultSource + ": " + t.reason
		}
	}
	return t, nil
}

func unprefix(err error) string { return strings.TrimPrefix(err.Error(), "lhe: ") }

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// Add adds the weight w of an event of process procID (IDPRUP).
func (t *Tally) Add(procID int, w float64) {
	t.n++
	t.sum += w
	t.sum2 += w * w
	a := math.Abs(w)
	t.minAbs = math.Min(t.minAbs, a)
	t.maxAbs = math.Max(t.maxAbs, a)
	p := t.procs[procID]
	if p == nil {
		p = &procTally{}
		t.procs[procID] = p
		t.order = append(t.order, procID)
	}
	p.n++
	p.sum += w
}

// SetProcesses replaces the declared cross sections, for formats that
// give them with the events (HepMC3 updates GenCrossSection with every
// event). Call it before Result.
func (t *Tally) SetProcesses(ps []Process) { t.decl.Processes = ps }

// Events returns the number of weights added.
func (t *Tally) Events() int { return t.n }

// Normalization is the outcome of a Tally: the rule applied, why, the
// sample's cross section and the factors that turn each event's weight
// into its cross section in pb.
type Normalization struct {
	// Rule is the rule applied; Reason says why (the declaration, the
	// card, or the evidence that overrode the declaration).
	Rule   Norm
	Reason string
	// Events is the number of events; SumW the sum of their weights.
	Events int
	SumW   float64
	// XSec is the sample's total cross section in pb under Rule, XSecErr
	// its statistical error: the Monte Carlo error of the weights for
	// average, bias and sum (or the header's XERRUP where it is larger and
	// the header agrees: unweighted events have equal weights), the
	// header's error for header.
	XSec, XSecErr float64
	// HeaderXSec and HeaderErr are the cross section the file states (the
	// sum of XSECUP, the errors added in quadrature); HasHeader is false
	// when it states none.
	HeaderXSec, HeaderErr float64
	HasHeader             bool
	// Warnings name the file and the evidence wherever the declaration,
	// the header and the weights disagree.
	Warnings []string

	scale     float64
	procScale map[int]float64
}

// Scale returns the factor that turns the weight of an event of process
// procID into its cross section in pb (so that the scaled weights sum to
// XSec).
func (n *Normalization) Scale(procID int) float64 {
	if n.procScale != nil {
		if s, ok := n.procScale[procID]; ok {
			return s
		}
	}
	return n.scale
}

// Uniform reports whether every process has the same scale factor.
func (n *Normalization) Uniform() bool { return n.procScale == nil }

// agreeSigmas is how many combined standard errors a cross section may
// lie from the header's before the two are said to disagree; relRound is
// the relative rounding of the printed numbers that is always allowed.
const (
	agreeSigmas = 3.0
	relRound    = 1e-4
)

// estimate is a cross-section estimate with its error.
type estimate struct{ x, err float64 }

// Result decides the normalisation. It fails only for a sample without
// events.
func (t *Tally) Result() (*Normalization, error) {
	if t.n == 0 {
		return nil, fmt.Errorf("lhe: %s: no events to normalise", t.file)
	}
	res := &Normalization{Rule: t.rule, Reason: t.reason, Events: t.n, SumW: t.sum}
	for _, p := range t.decl.Processes {
		res.HeaderXSec += p.XSec
		res.HeaderErr += p.XErr * p.XErr
	}
	res.HeaderErr = math.Sqrt(res.HeaderErr)
	res.HasHeader = res.HeaderXSec > 0
	hdr := estimate{res.HeaderXSec, res.HeaderErr}

	avg, sum := t.average(), t.total()
	agrees := func(e estimate) bool {
		tol := agreeSigmas*math.Hypot(e.err, hdr.err) + relRound*math.Abs(hdr.x)
		return math.Abs(e.x-hdr.x) <= tol
	}
	warnf := func(format string, args ...any) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s: ", t.file)+fmt.Sprintf(format, args...))
	}
	hdrText := fmt.Sprintf("%.6g ± %.2g pb", hdr.x, hdr.err)
	const hint = "set samples[].event_norm to choose"

	switch t.rule {
	case NormHeader:
		unit := t.maxAbs > 0 && math.Abs(t.maxAbs-1) < 1e-6 && math.Abs(t.minAbs-1) < 1e-6
		switch {
		case !res.HasHeader && !t.fromMode && t.override == "" && t.decl.EventNorm == "":
			// Another format's default rule (HepMC3 without a cross
			// section): the weights are the cross sections.
			res.Rule, res.Reason = NormAverage, res.Reason+"; no cross section given, so average"
		case !res.HasHeader:
			warnf("%s, but <init> states no cross section (XSECUP %s): taking the weights as cross sections per event (average); %s",
				res.Reason, xsecList(t.decl.Processes), hint)
			res.Rule, res.Reason = NormAverage, res.Reason+"; no cross section in <init>, so average"
		case t.fromMode && abs(t.decl.WeightMode) == 3 && !unit && !agrees(avg) && !agrees(sum):
			// Unit weights declared, but the weights have a normalisation
			// of their own that the header contradicts (Sherpa writes
			// <init> before it knows the cross section).
			warnf("IDWTUP = %d declares unit weights and <init> gives %s, but the weights are not 1 (mean %.6g, sum %.6g) and neither their mean nor their sum agrees with <init>: taking the weights as cross sections per event (average); %s",
				t.decl.WeightMode, hdrText, avg.x, sum.x, hint)
			res.Rule, res.Reason = NormAverage, res.Reason+"; weights are not unit and contradict <init>, so average"
		}
	case NormAverage, NormBias, NormSum:
		got, other, otherRule := avg, sum, NormSum
		if t.rule == NormSum {
			got, other, otherRule = sum, avg, NormAverage
		}
		if res.HasHeader && !agrees(got) {
			if t.fromMode && agrees(other) {
				warnf("%s, but the weights %s to the cross section of <init> (%s), not %s to it (%.6g pb): using %s; %s",
					res.Reason, verb(otherRule), hdrText, verb(t.rule), got.x, otherRule, hint)
				res.Rule, res.Reason = otherRule, res.Reason+"; the weights "+verb(otherRule)+" to <init>'s cross section, so "+string(otherRule)
			} else {
				warnf("%s gives %.6g ± %.2g pb, but <init> states %s (more than %g combined standard errors apart); %s",
					res.Reason, got.x, got.err, hdrText, agreeSigmas, hint)
			}
		}
	}

	switch res.Rule {
	case NormAverage, NormBias:
		res.XSec, res.XSecErr = avg.x, avg.err
		res.scale = 1 / float64(t.n)
	case NormSum:
		res.XSec, res.XSecErr = sum.x, sum.err
		res.scale = 1
	case NormHeader:
		res.XSec, res.XSecErr = hdr.x, hdr.err
		t.headerScales(res, warnf)
	}
	if res.Rule != NormHeader && res.HasHeader && agrees(estimate{res.XSec, res.XSecErr}) {
		// Unweighted events carry their statistical error only in the
		// header: their weights are all equal.
		res.XSecErr = math.Max(res.XSecErr, hdr.err)
	}
	if t.sum == 0 && res.Rule != NormHeader {
		warnf("the weights sum to zero")
	}
	return res, nil
}

func verb(r Norm) string {
	if r == NormSum {
		return "sum"
	}
	return "average"
}

// headerScales sets the factors of the header rule: per process
// XSECUP/Σw, or, when a process of the events is not declared or its
// weights sum to zero, one factor σ/Σw for all.
func (t *Tally) headerScales(res *Normalization, warnf func(string, ...any)) {
	declared := make(map[int]Process, len(t.decl.Processes))
	for _, p := range t.decl.Processes {
		declared[p.ID] = p
	}
	perProcess := len(t.decl.Processes) > 1
	for _, id := range t.order {
		if _, ok := declared[id]; !ok || t.procs[id].sum == 0 {
			if perProcess {
				warnf("events of process %d have no cross section in <init> or weights that sum to zero: one factor for all processes", id)
			}
			perProcess = false
			break
		}
	}
	if perProcess {
		res.procScale = make(map[int]float64, len(t.order))
		for _, id := range t.order {
			res.procScale[id] = declared[id].XSec / t.procs[id].sum
		}
		// Declared processes without events contribute nothing.
		res.XSec = 0
		for _, id := range t.order {
			res.XSec += declared[id].XSec
		}
		res.scale = res.procScale[t.order[0]]
		if len(res.procScale) == 1 {
			res.procScale = nil
		}
		return
	}
	if t.sum != 0 {
		res.scale = res.HeaderXSec / t.sum
	} else {
		warnf("the weights sum to zero: the events carry no cross section")
	}
}

// average is the mean weight with its standard error.
func (t *Tally) average() estimate {
	n := float64(t.n)
	m := t.sum / n
	return estimate{m, math.Sqrt(t.variance() / n)}
}

// total is the sum of the weights with its standard error.
func (t *Tally) total() estimate {
	return estimate{t.sum, math.Sqrt(t.variance() * float64(t.n))}
}

// variance is the sample variance of the weights (0 for one event).
func (t *Tally) variance() float64 {
	if t.n < 2 {
		return 0
	}
	n := float64(t.n)
	m := t.sum / n
	v := (t.sum2 - n*m*m) / (n - 1)
	return math.Max(v, 0)
}

func xsecList(ps []Process) string {
	if len(ps) == 0 {
		return "none"
	}
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = strconv.FormatFloat(p.XSec, 'g', 6, 64)
	}
	return strings.Join(s, ", ")
}

// NominalWeight returns the index in h.Weights of the declared weight that
// repeats the event weight XWGTUP at the central scales and PDF, if there
// is one: a weight named or described as "default", "nominal" or
// "central" (or the first of a weight group of that name), else the first
// weight with MUR = MUF = 1 (attributes, muR=/muF= text, POWHEG's
// renscfact/facscfact, or an id of the form MUR1_MUF1_PDFn) at the PDF of
// <init> (PDFSUP, MG5's lhaid) or else the lowest PDF id among such weights, without a dynamical-scale alternative
// and without parameter changes. Scale and PDF variations are relative to
// this weight (see the package documentation).
func (h *Header) NominalWeight() (int, bool) {
	isName := func(s string) bool {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "default", "nominal", "central":
			return true
		}
		return false
	}
	for i := range h.Weights {
		w := &h.Weights[i]
		if isName(w.ID) || isName(w.Text) || isName(w.Group) {
			return i, true
		}
	}
	best, bestPDF := -1, 0
	for i := range h.Weights {
		w := &h.Weights[i]
		if len(w.ParamSets) > 0 {
			continue
		}
		if d, ok := w.DynScale(); ok && d != -1 {
			continue
		}
		mur, muf, ok := w.Scales()
		pdf, hasPDF := w.PDF()
		if !ok {
			mur, muf, pdf, hasPDF, ok = scalesFromID(w.ID)
		}
		if !ok || mur != 1 || muf != 1 {
			continue
		}
		if hasPDF && pdf > 0 && pdf == h.Init.PDFSets[0] {
			return i, true // the PDF of the events themselves
		}
		if best < 0 || (hasPDF && pdf < bestPDF) {
			best, bestPDF = i, pdf
			if !hasPDF {
				bestPDF = math.MinInt
			}
		}
	}
	return best, best >= 0
}

// scalesFromID reads ids such as MUR1.0_MUF2.0_PDF99208082 (POWHEG-BOX-V2,
// Sherpa): the scale factors and the PDF id.
func scalesFromID(id string) (mur, muf float64, pdf int, hasPDF, ok bool) {
	var okR, okF bool
	for _, part := range strings.Split(id, "_") {
		up := strings.ToUpper(part)
		switch {
		case strings.HasPrefix(up, "MUR"):
			mur, okR = parseFloat([]byte(part[3:]))
		case strings.HasPrefix(up, "MUF"):
			muf, okF = parseFloat([]byte(part[3:]))
		case strings.HasPrefix(up, "PDF"):
			pdf, hasPDF = parseInt([]byte(part[3:]))
		}
	}
	return mur, muf, pdf, hasPDF, okR && okF
}

// SumW returns the sum of the weights added so far.
func (t *Tally) SumW() float64 { return t.sum }
