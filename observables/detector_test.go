// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// smearMany smears the particle p n times and returns the smeared copies.
func smearMany(t *testing.T, d *Detector, p Particle, n int, seed uint64) []Particle {
	t.Helper()
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	src := rand.New(rand.NewPCG(seed, 7))
	out := make([]Particle, n)
	var ev Event
	for i := range out {
		ev.Reset()
		ev.AddLHE(p.PDGID, 1, p.Px, p.Py, p.Pz, p.E)
		ev.FinishWith(d, src)
		if ev.PTruth[0].Px != p.Px || ev.PTruth[0].E != p.E {
			t.Fatalf("p_truth modified: %+v", ev.PTruth[0])
		}
		out[i] = ev.P[0]
	}
	return out
}

func meanSD(xs []float64) (float64, float64) { return stat.MeanStdDev(xs, nil) }

// checkGauss checks that xs look like draws with the given mean and standard
// deviation: the sample mean within 5 standard errors, the sample standard
// deviation within 5 of its standard errors.
func checkGauss(t *testing.T, what string, xs []float64, mean, sd float64) {
	t.Helper()
	m, s := meanSD(xs)
	n := float64(len(xs))
	if math.Abs(m-mean) > 5*sd/math.Sqrt(n) {
		t.Errorf("%s: mean %v, want %v ± %v", what, m, mean, sd/math.Sqrt(n))
	}
	if math.Abs(s-sd) > 5*sd/math.Sqrt(2*n) {
		t.Errorf("%s: sd %v, want %v ± %v", what, s, sd, sd/math.Sqrt(2*n))
	}
}

const nSmear = 20000

func TestSmearEnergyDerivedPt(t *testing.T) {
	// Electron, E smeared with σ = 1 + 0.1·E = 11 GeV, pT from the on-shell
	// condition, η and φ smeared by 0.05 and 0.02.
	var d Detector
	d.SetSmearing(Smearing{
		E:   Resolution{Abs: 1, Rel: 0.1},
		Pt:  Resolution{Derived: true},
		Eta: Resolution{Abs: 0.05},
		Phi: Resolution{Abs: 0.02},
	}, 11, -11)
	p := NewPtEtaPhiM(11, 60, 1.0, 3.1, 0)
	ps := smearMany(t, &d, p, nSmear, 1)
	dE := make([]float64, len(ps))
	dEta := make([]float64, len(ps))
	dPhi := make([]float64, len(ps))
	for i, q := range ps {
		dE[i] = q.E - p.E
		dEta[i] = q.Eta() - p.Eta()
		dPhi[i] = q.DeltaPhi(p)
		// On shell with the true (zero) mass: pT = E / cosh η.
		if !near(q.Pt(), q.E/math.Cosh(q.Eta()), 1e-12) || q.PDGID != 11 || q.Charge != -1 {
			t.Fatalf("draw %d not on shell: %+v", i, q)
		}
	}
	sdE := 1 + 0.1*p.E
	checkGauss(t, "E", dE, 0, sdE)
	checkGauss(t, "eta", dEta, 0, 0.05)
	checkGauss(t, "phi", dPhi, 0, 0.02) // wraps across ±π correctly
}

func TestSmearPtDerivedEnergy(t *testing.T) {
	// Higgs boson: pT smeared with σ = 2 + 0.05·pT, E from the true mass.
	var d Detector
	d.SetSmearing(Smearing{Pt: Resolution{Abs: 2, Rel: 0.05}, E: Resolution{Derived: true}}, 25)
	p := NewPtEtaPhiM(25, 80, -0.7, 0.4, 125)
	ps := smearMany(t, &d, p, nSmear, 2)
	dPt := make([]float64, len(ps))
	for i, q := range ps {
		dPt[i] = q.Pt() - p.Pt()
		if !near(q.M(), p.M(), 1e-9) {
			t.Fatalf("mass %v, want %v", q.M(), p.M())
		}
		if !near(q.Eta(), p.Eta(), 1e-12) || !near(q.Phi(), p.Phi(), 1e-12) {
			t.Fatalf("unsmeared angles changed: %+v", q)
		}
	}
	checkGauss(t, "pT", dPt, 0, 2+0.05*80)
}

func TestSmearBothIndependent(t *testing.T) {
	var d Detector
	d.SetSmearing(Smearing{E: Resolution{Abs: 5}, Pt: Resolution{Abs: 3}}, 21)
	p := NewPtEtaPhiM(21, 50, 0.3, -1, 0)
	ps := smearMany(t, &d, p, nSmear, 3)
	dE := make([]float64, len(ps))
	dPt := make([]float64, len(ps))
	for i, q := range ps {
		dE[i], dPt[i] = q.E-p.E, q.Pt()-p.Pt()
	}
	checkGauss(t, "E", dE, 0, 5)
	checkGauss(t, "pT", dPt, 0, 3)
	if r := stat.Correlation(dE, dPt, nil); math.Abs(r) > 5/math.Sqrt(nSmear) {
		t.Errorf("E and pT smearing correlated: %v", r)
	}
}

// Non-positive smeared energies are redrawn, so a soft particle follows a
// normal distribution truncated at 0: for true value μ and width σ its mean
// is μ + σ φ(α)/(1-Φ(α)) with α = -μ/σ.
func TestSmearTruncation(t *testing.T) {
	var d Detector
	d.SetSmearing(Smearing{E: Resolution{Abs: 2}, Pt: Resolution{Derived: true}}, 22)
	p := NewParticle(22, 1, 0, 0, 1)
	ps := smearMany(t, &d, p, nSmear, 4)
	es := make([]float64, len(ps))
	for i, q := range ps {
		if q.E <= 0 {
			t.Fatalf("smeared energy %v not positive", q.E)
		}
		es[i] = q.E
	}
	const mu, sigma = 1.0, 2.0
	alpha := -mu / sigma
	phi := math.Exp(-alpha*alpha/2) / math.Sqrt(2*math.Pi)
	cdf := 0.5 * math.Erfc(-alpha/math.Sqrt2)
	want := mu + sigma*phi/(1-cdf)
	m, s := meanSD(es)
	if math.Abs(m-want) > 5*s/math.Sqrt(nSmear) {
		t.Errorf("truncated mean %v, want %v", m, want)
	}
}

func TestMETNoise(t *testing.T) {
	// e- and e+ with HT = 70: MET noise σ = 5 + 0.1·70 = 12 per component.
	d := Detector{METNoise: Resolution{Abs: 5, Rel: 0.1}}
	src := rand.New(rand.NewPCG(5, 5))
	var ev Event
	mx := make([]float64, nSmear)
	my := make([]float64, nSmear)
	for i := range mx {
		ev.Reset()
		ev.AddLHE(11, 1, 40, 0, 10, math.Hypot(40, 10))
		ev.AddLHE(-11, 1, -18, 24, 0, 30)
		ev.FinishWith(&d, src)
		mx[i], my[i] = ev.MET.Px-(-22), ev.MET.Py-(-24)
		if !near(ev.MET.E, math.Hypot(ev.MET.Px, ev.MET.Py), 1e-14) {
			t.Fatalf("MET energy %v", ev.MET.E)
		}
	}
	checkGauss(t, "MET x", mx, 0, 12)
	checkGauss(t, "MET y", my, 0, 12)
}

func TestSmearingSelection(t *testing.T) {
	var d Detector
	d.SetSmearing(Smearing{Pt: Resolution{Rel: 0.1}, E: Resolution{Derived: true}})
	for _, id := range []int{1, -5, 6, 11, -13, 15, 21, 22, 23, -24, 25} {
		if _, ok := d.Smearing[id]; !ok {
			t.Errorf("PDG id %d not covered by SetSmearing without ids", id)
		}
	}
	for _, id := range []int{12, -14, 16, 1000022} {
		if _, ok := d.Smearing[id]; ok {
			t.Errorf("invisible PDG id %d smeared", id)
		}
	}
	// Reproducible with the same seed; particles without an entry are kept.
	run := func(seed uint64) []Particle {
		src := rand.New(rand.NewPCG(seed, 1))
		var ev Event
		buildMixed(&ev)
		ev.FinishWith(&d, src)
		return append([]Particle(nil), ev.P...)
	}
	a, b, c := run(9), run(9), run(10)
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("particle %d differs with the same seed", i)
		}
	}
	if a[0] == c[0] {
		t.Error("different seeds gave the same smearing")
	}
	var ev Event
	buildMixed(&ev)
	ev.Finish()
	for i, p := range a {
		if _, ok := d.Smearing[p.PDGID]; !ok && p != ev.P[i] {
			t.Errorf("unlisted particle %d (id %d) changed", i, p.PDGID)
		}
	}
}

func TestDetectorValidate(t *testing.T) {
	for i, d := range []Detector{
		{Smearing: map[int]Smearing{11: {E: Resolution{Derived: true}, Pt: Resolution{Derived: true}}}},
		{Smearing: map[int]Smearing{11: {E: Resolution{Abs: -1}}}},
		{Smearing: map[int]Smearing{11: {Eta: Resolution{Derived: true}}}},
		{METNoise: Resolution{Rel: -0.1}},
	} {
		if err := d.Validate(); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
	var ok Detector
	ok.SetSmearing(Smearing{E: Resolution{Abs: 1}, Pt: Resolution{Derived: true}})
	if err := ok.Validate(); err != nil {
		t.Error(err)
	}
}
