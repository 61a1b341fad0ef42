// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package hepmc

import (
	"bufio"
	"math"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// lheWeights is a throwaway scanner of the first n events of an LHE file:
// the event weight (XWGTUP, third number of the event's first line) and
// the <wgt id=...> values, by id.
func lheWeights(t *testing.T, path string, n int) (xwgt []float64, wgts []map[string]float64) {
	t.Helper()
	zr := repotest.OpenGzip(t, path)
	re := regexp.MustCompile(`<wgt id=['"]([^'"]+)['"]\s*>\s*([^<\s]+)\s*</wgt>`)
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	inEvent, first := false, false
	for sc.Scan() && len(xwgt) <= n {
		s := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(s, "<event"):
			inEvent, first = true, true
			wgts = append(wgts, map[string]float64{})
		case s == "</event>":
			inEvent = false
		case inEvent && first:
			first = false
			f := strings.Fields(s)
			w, err := strconv.ParseFloat(f[2], 64)
			if err != nil {
				t.Fatal(err)
			}
			xwgt = append(xwgt, w)
		case inEvent:
			if m := re.FindStringSubmatch(s); m != nil {
				w, err := strconv.ParseFloat(m[2], 64)
				if err != nil {
					t.Fatal(err)
				}
				wgts[len(wgts)-1][m[1]] = w
			}
		}
	}
	return xwgt[:n], wgts[:n]
}

// TestHepMC3WeightsMatchLHE checks the Pythia 8 shower of the ZH sample:
// its named weights must be the weights of the same LHE events.
//
// Finding: Pythia 8 (LHE weighting strategy -4) writes the LHE weights
// unchanged: the nominal "Weight" equals XWGTUP and
// AUX_morphing_basis_vector_k equals <wgt id='morphing_basis_vector_k'>,
// both in pb per event, to the LHE's 8 significant digits. The
// GenCrossSection attribute carries the LHE's total cross section (pb).
func TestHepMC3WeightsMatchLHE(t *testing.T) {
	path := repotest.Shared(t, "data/hepmc/zh_pythia8_shower_10ev_5weights.hepmc3.gz")
	lhe := repotest.Shared(t, "data/lhe/zh_smeft_cHW_cHq3_5000ev.lhe.gz")
	xwgt, wgts := lheWeights(t, lhe, 10)

	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Version() != 3 {
		t.Errorf("version %d, want 3", r.Version())
	}
	names := r.WeightNames()
	want := []string{"Weight"}
	for k := 1; k <= 5; k++ {
		want = append(want, "AUX_morphing_basis_vector_"+strconv.Itoa(k))
	}
	if !slices.Equal(names, want) {
		t.Fatalf("weight names %q, want %q", names, want)
	}
	n := 0
	for r.Next() {
		ev := r.Event()
		if ev.Number != n {
			t.Errorf("event %d: number %d", n, ev.Number)
		}
		if len(ev.Weights) != 6 {
			t.Fatalf("event %d: %d weights", n, len(ev.Weights))
		}
		if !scalar.EqualWithinRel(ev.Weights[0], xwgt[n], 1e-7) {
			t.Errorf("event %d: nominal weight %v, LHE XWGTUP %v", n, ev.Weights[0], xwgt[n])
		}
		for k := 1; k <= 5; k++ {
			id := "morphing_basis_vector_" + strconv.Itoa(k)
			lw, ok := wgts[n][id]
			if !ok {
				t.Fatalf("LHE event %d has no weight %s", n, id)
			}
			got, ok := r.Weight(ev, "AUX_"+id)
			if !ok || !scalar.EqualWithinRel(got, lw, 1e-7) {
				t.Errorf("event %d: %s = %v, LHE %v", n, id, got, lw)
			}
		}
		// want: the LHE <init> cross section, 1.903100e-02 pb.
		if xs, err := strconv.ParseFloat(strings.Fields(ev.Attributes["GenCrossSection"])[0], 64); err != nil || !scalar.EqualWithinRel(xs, 1.9031e-2, 1e-6) {
			t.Errorf("event %d: GenCrossSection %q", n, ev.Attributes["GenCrossSection"])
		}
		checkParticles(t, n, ev.Particles, 1e-6)
		n++
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 10 {
		t.Errorf("read %d events, want 10", n)
	}
}

// checkParticles tests that particles are physical: E² = p² + m² for
// on-shell final-state particles, and a final state that conserves the
// momentum of the two beams.
func checkParticles(t *testing.T, n int, ps []Particle, rtol float64) {
	t.Helper()
	if len(ps) == 0 {
		t.Fatalf("event %d: no particles", n)
	}
	var sum [4]float64
	for _, p := range ps {
		if p.Status != 1 {
			continue
		}
		m2 := p.E*p.E - p.Px*p.Px - p.Py*p.Py - p.Pz*p.Pz
		if !scalar.EqualWithinAbs(m2, p.M*p.M, rtol*p.E*p.E+1e-6) {
			t.Errorf("event %d particle %d (pid %d): E²-p² = %v, m² = %v", n, p.ID, p.PID, m2, p.M*p.M)
		}
		sum[0] += p.Px
		sum[1] += p.Py
		sum[2] += p.Pz
		sum[3] += p.E
	}
	// beams: the first two status-4 particles.
	var beam [4]float64
	nb := 0
	for _, p := range ps {
		if p.Status == 4 && nb < 2 {
			beam[0] += p.Px
			beam[1] += p.Py
			beam[2] += p.Pz
			beam[3] += p.E
			nb++
		}
	}
	if nb != 2 {
		return
	}
	for k := range sum {
		if math.Abs(sum[k]-beam[k]) > 1e-6*beam[3]+1e-3 {
			t.Errorf("event %d: final state %v, beams %v", n, sum, beam)
			break
		}
	}
}

func TestHepMC2(t *testing.T) {
	for _, tc := range []struct {
		file    string
		events  int
		names   []string
		weights []float64 // every event's weights
		first   int       // first event number
		mtol    float64   // relative tolerance of E² - p² = m²
	}{
		// want: the E and N lines of the files (read by eye / grep).
		{"hepmc/pythia8_hepmc2_5ev.hepmc", 5, []string{"0"}, []float64{1}, 0, 1e-6},
		// The small file is hand-written with momenta rounded to 1 MeV (so E² - p² is only good to ~0.1%).
		{"hepmc/small_hepmc2_1ev.hepmc", 1, nil, nil, 1, 1e-3},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := repotest.Shared(t, "data/"+tc.file)
			r, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Version() != 2 {
				t.Errorf("version %d, want 2", r.Version())
			}
			n := 0
			for r.Next() {
				ev := r.Event()
				if ev.Number != tc.first+n {
					t.Errorf("event %d: number %d, want %d", n, ev.Number, tc.first+n)
				}
				if !slices.Equal(ev.Weights, tc.weights) {
					t.Errorf("event %d: weights %v, want %v", n, ev.Weights, tc.weights)
				}
				checkParticles(t, n, ev.Particles, tc.mtol)
				n++
			}
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
			if n != tc.events {
				t.Errorf("read %d events, want %d", n, tc.events)
			}
			if !slices.Equal(r.WeightNames(), tc.names) {
				t.Errorf("names %q, want %q", r.WeightNames(), tc.names)
			}
		})
	}
}

// TestHepMC2ParticlesVsFile compares the particles decoded through go-hep
// with the P lines of the file, read here with strings.Fields.
func TestHepMC2ParticlesVsFile(t *testing.T) {
	path := repotest.Shared(t, "data/hepmc/pythia8_hepmc2_5ev.hepmc")
	before := runtime.NumGoroutine()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type rec struct {
		bc, pid, status int
		px, e           float64
	}
	var events [][]rec
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "E":
			events = append(events, nil)
		case "P":
			bc, _ := strconv.Atoi(f[1])
			pid, _ := strconv.Atoi(f[2])
			px, _ := strconv.ParseFloat(f[3], 64)
			e, _ := strconv.ParseFloat(f[6], 64)
			st, _ := strconv.Atoi(f[8])
			events[len(events)-1] = append(events[len(events)-1], rec{bc, pid, st, px, e})
		}
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i := 0; r.Next(); i++ {
		want := events[i]
		slices.SortFunc(want, func(a, b rec) int { return a.bc - b.bc })
		got := r.Event().Particles
		if len(got) != len(want) {
			t.Fatalf("event %d: %d particles, file has %d", i, len(got), len(want))
		}
		for k, p := range got {
			w := want[k]
			if p.ID != w.bc || p.PID != w.pid || p.Status != w.status || p.Px != w.px || p.E != w.e {
				t.Fatalf("event %d particle %d: %+v, file %+v", i, k, p, w)
			}
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	// go-hep's per-event decoding goroutines have all ended.
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines left running, %d before", n, before)
	}
}

func TestMalformed(t *testing.T) {
	const v3 = "HepMC::Version 3.02.05\nHepMC::Asciiv3-START_EVENT_LISTING\nW a\\|b\n"
	const v2 = "HepMC::Version 2.06.09\nHepMC::IO_GenEvent-START_EVENT_LISTING\n"
	good2 := v2 + "E 1 0 0 0 0 20 -1 2 0 0 0 2 1.5 2.5\nN 2 \"nominal\" \"scale up\"\nU GEV MM\n" +
		"V -1 0 0 0 0 0 1 1 0\nP 1 2212 0 0 7000 7000 0 3 0 0 -1 0\nP 3 1 1 2 30 30.1 0 1 0 0 0 0\n" +
		"V -2 0 0 0 0 0 1 0 0\nP 2 2212 0 0 -7000 7000 0 3 0 0 0 0\n"
	good3 := v3 + "E 0 1 2\nU GEV MM\nW 1.0 2.0\nA 0 foo bar baz\nP 1 0 2212 0 0 10 10 0 4\nP 2 1 11 0 0 10 10 0 1\nV -1 0 [1]\n"
	for _, tc := range []struct {
		name, text, want string
	}{
		{"v3 ok", good3 + "HepMC::Asciiv3-END_EVENT_LISTING\n", ""},
		{"v2 ok", good2 + "HepMC::IO_GenEvent-END_EVENT_LISTING\n", ""},
		{"not hepmc", "hello\n", "t.hepmc:1: not a HepMC file"},
		{"empty", "", "no HepMC event listing"},
		{"v3 truncated", good3, "t.hepmc:10: event 0 (line 4) not terminated"},
		{"v3 bad weight", strings.Replace(good3, "W 1.0 2.0", "W 1.0 x", 1), "t.hepmc:6: bad weight"},
		{"v3 weight count", strings.Replace(good3, "W 1.0 2.0", "W 1.0", 1) + "HepMC::Asciiv3-END_EVENT_LISTING\n", "t.hepmc:4: event 0 has 1 weights but the header names 2"},
		{"v3 bad P", strings.Replace(good3, "P 2 1 11 0 0 10 10 0 1", "P 2 1 11 0 0 10", 1), "t.hepmc:9: P line has 7 fields"},
		{"v3 bad E", strings.Replace(good3, "E 0 1 2", "E x 1 2", 1), "t.hepmc:4: malformed E line"},
		{"v3 junk", strings.Replace(good3, "U GEV MM", "Q 1", 1), "t.hepmc:5: unexpected line"},
		{"v2 truncated", strings.TrimSuffix(good2, "P 2 2212 0 0 -7000 7000 0 3 0 0 0 0\n"), "t.hepmc:3: event: "},
		{"v2 bad N", strings.Replace(good2, `N 2 "nominal" "scale up"`, `N 3 "nominal" "scale up"`, 1) + "HepMC::IO_GenEvent-END_EVENT_LISTING\n", "t.hepmc:4: N line"},
		{"v2 N count", strings.Replace(good2, `N 2 "nominal" "scale up"`, `N 1 "nominal"`, 1) + "HepMC::IO_GenEvent-END_EVENT_LISTING\n", "t.hepmc:4: N line names 1 weights"},
		{"v2 bad P", strings.Replace(good2, "P 3 1 1 2 30", "P 3 1 x 2 30", 1) + "HepMC::IO_GenEvent-END_EVENT_LISTING\n", "t.hepmc:3: event"},
		{"v2 bad E", strings.Replace(good2, "E 1 0 0 0 0 20 -1 2", "E 1 0 0 0 0 20 -1 zz", 1) + "HepMC::IO_GenEvent-END_EVENT_LISTING\n", "t.hepmc:3: event"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tc.text), "t.hepmc")
			if err == nil {
				for r.Next() {
				}
				err = r.Err()
			}
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tc.want == "":
				// check the content of the good events.
				if r.Event().Line != 3 && r.Event().Line != 4 {
					t.Errorf("event line %d", r.Event().Line)
				}
			case err == nil:
				t.Fatalf("no error, want %q", tc.want)
			case !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "hepmc: t.hepmc"):
				t.Fatalf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}

	// The good files decode to what they say.
	r, err := NewReader(strings.NewReader(good2+"HepMC::IO_GenEvent-END_EVENT_LISTING\n"), "t2")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Next() {
		t.Fatal(r.Err())
	}
	ev := r.Event()
	if !slices.Equal(r.WeightNames(), []string{"nominal", "scale up"}) || !slices.Equal(ev.Weights, []float64{1.5, 2.5}) || len(ev.Particles) != 3 || ev.Particles[2].Pz != 30 {
		t.Errorf("v2: names %q, event %+v", r.WeightNames(), ev)
	}
	if r.Next() || r.Err() != nil {
		t.Errorf("v2: second event or error %v", r.Err())
	}
	r, err = NewReader(strings.NewReader(good3+"HepMC::Asciiv3-END_EVENT_LISTING\n"), "t3")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Next() {
		t.Fatal(r.Err())
	}
	ev = r.Event()
	if !slices.Equal(r.WeightNames(), []string{"a", "b"}) || !slices.Equal(ev.Weights, []float64{1, 2}) || len(ev.Particles) != 2 || ev.Attributes["foo"] != "bar baz" {
		t.Errorf("v3: names %q, event %+v", r.WeightNames(), ev)
	}
}

func TestMeVConverted(t *testing.T) {
	text := "HepMC::Version 3.02.05\nHepMC::Asciiv3-START_EVENT_LISTING\n" +
		"E 0 1 1\nU MEV MM\nP 1 0 11 1000 2000 3000 5000 500 1\nHepMC::Asciiv3-END_EVENT_LISTING\n"
	r, err := NewReader(strings.NewReader(text), "mev")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Next() {
		t.Fatal(r.Err())
	}
	p := r.Event().Particles[0]
	if p.Px != 1 || p.Py != 2 || p.Pz != 3 || p.E != 5 || p.M != 0.5 {
		t.Errorf("particle %+v, want momenta in GeV", p)
	}
}
