// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go-hep.org/x/hep/groot/riofs"
	"gonum.org/v1/gonum/floats/scalar"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

const cmsFile = "data/root/delphes_cms_ttH_10ev.root"

// sizes reads the plain <name>_size branches with groot's own rtree
// reader, independently of this package's TClonesArray decoding.
func sizes(t *testing.T, path string, names ...string) [][]int {
	t.Helper()
	var branches []string
	for _, n := range names {
		branches = append(branches, n+"_size")
	}
	out := make([][]int, len(names))
	err := ScanFlat(path, "Delphes", branches, func(entry int64, row [][]float64) error {
		for i, v := range row {
			if len(v) != 1 {
				t.Fatalf("entry %d: %s has %d values", entry, branches[i], len(v))
			}
			out[i] = append(out[i], int(v[0]))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCMSCountsMatchSizeBranches(t *testing.T) {
	path := repotest.Shared(t, cmsFile)
	names := []string{"Electron", "Muon", "Photon", "Jet", "MissingET", "ScalarHT", "Particle", "GenJet", "GenMissingET", "Weight", "Event"}
	want := sizes(t, path, names...)

	r, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := r.Collections(); !slices.Equal(got, collectionNames) {
		t.Errorf("collections: got %v, want all of %v", got, collectionNames)
	}
	n := 0
	for r.Next() {
		ev := r.Event()
		i := int(ev.Entry)
		if i != n {
			t.Fatalf("entry %d, want %d", i, n)
		}
		got := []int{len(ev.Electrons), len(ev.Muons), len(ev.Photons), len(ev.Jets), len(ev.MissingET),
			len(ev.ScalarHT), len(ev.Particles), len(ev.GenJets), len(ev.GenMissingET), len(ev.Weights), 1}
		for k, name := range names {
			if got[k] != want[k][i] {
				t.Errorf("entry %d: %d %s objects, %s_size says %d", i, got[k], name, name, want[k][i])
			}
		}
		if len(ev.MissingET) != 1 {
			t.Errorf("entry %d: %d MissingET objects, want 1", i, len(ev.MissingET))
		}
		for _, jets := range [][]Jet{ev.Jets, ev.GenJets} {
			if !slices.IsSortedFunc(jets, func(a, b Jet) int { return -cmpFloat(a.PT, b.PT) }) {
				t.Errorf("entry %d: jets not ordered in pT", i)
			}
		}
		for _, j := range ev.Jets {
			if j.BTag > 0xff || j.TauTag > 0xff || j.PT <= 0 || math.Abs(j.Eta) > 6 || math.Abs(j.Phi) > math.Pi+1e-6 {
				t.Errorf("entry %d: implausible jet %+v", i, j)
			}
		}
		// Columns are aligned: each particle's PT, Eta and E agree with
		// its Px, Py, Pz (float32 precision).
		for k, p := range ev.Particles {
			pt := math.Hypot(p.Px, p.Py)
			if !scalar.EqualWithinAbsOrRel(pt, p.PT, 1e-3, 1e-5) {
				t.Fatalf("entry %d particle %d: PT %v, hypot(Px,Py) %v", i, k, p.PT, pt)
			}
			if pt > 1e-3 {
				eta := math.Asinh(p.Pz / pt)
				if !scalar.EqualWithinAbsOrRel(eta, p.Eta, 1e-3, 1e-4) {
					t.Fatalf("entry %d particle %d: Eta %v, from momentum %v", i, k, p.Eta, eta)
				}
			}
			e := math.Sqrt(p.Px*p.Px + p.Py*p.Py + p.Pz*p.Pz + p.Mass*p.Mass)
			if !scalar.EqualWithinAbsOrRel(e, p.E, 1e-2, 1e-4) {
				t.Fatalf("entry %d particle %d: E %v, from momentum and mass %v", i, k, p.E, e)
			}
			if p.M1 < -1 || p.M1 >= len(ev.Particles) || p.D1 < -1 || p.D1 >= len(ev.Particles) {
				t.Fatalf("entry %d particle %d: mother/daughter index out of range: %+v", i, k, p)
			}
		}
		n++
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 10 || r.Entries() != 10 {
		t.Errorf("read %d events, file has %d, want 10", n, r.Entries())
	}
	// Close is idempotent.
	if err := r.Close(); err != nil {
		t.Error(err)
	}
	if err := r.Close(); err != nil {
		t.Error(err)
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestCMSValues pins values of the first events. want: uproot 5.3 on the
// same file, as recorded in ../shared/README.md (an implementation
// independent of groot and of this package).
func TestCMSValues(t *testing.T) {
	path := repotest.Shared(t, cmsFile)
	r, err := Open(path, Options{Collections: []string{"Jet", "Electron", "Muon", "MissingET"}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got, want := r.Collections(), []string{"Event", "Electron", "Muon", "Jet", "MissingET"}; !slices.Equal(got, want) {
		t.Errorf("collections: got %v, want %v", got, want)
	}
	for _, tc := range []struct {
		weight float64 // Event.Weight, NaN if not pinned
		njets  int     // -1 if not pinned
		jetPT  []float64
		met    float64
		nlep   int // electrons+muons, -1 if not pinned
	}{
		{weight: 0.573798, njets: 10, jetPT: []float64{152.45778, 118.33699, 85.76566}, met: 14.869381, nlep: 0},
		{weight: math.NaN(), njets: -1, jetPT: []float64{104.798615}, met: 36.826237, nlep: -1},
		{weight: math.NaN(), njets: 7, jetPT: []float64{38.581448}, met: 4.8888035, nlep: -1},
	} {
		if !r.Next() {
			t.Fatalf("no event: %v", r.Err())
		}
		ev := r.Event()
		i := ev.Entry
		if !math.IsNaN(tc.weight) && !scalar.EqualWithinRel(ev.Weight, tc.weight, 1e-6) {
			t.Errorf("event %d: weight %v, want %v", i, ev.Weight, tc.weight)
		}
		if tc.njets >= 0 && len(ev.Jets) != tc.njets {
			t.Errorf("event %d: %d jets, want %d", i, len(ev.Jets), tc.njets)
		}
		for k, pt := range tc.jetPT {
			if !scalar.EqualWithinRel(ev.Jets[k].PT, pt, 1e-6) {
				t.Errorf("event %d: jet %d pT %v, want %v", i, k, ev.Jets[k].PT, pt)
			}
		}
		if !scalar.EqualWithinRel(ev.MissingET[0].MET, tc.met, 1e-6) {
			t.Errorf("event %d: MET %v, want %v", i, ev.MissingET[0].MET, tc.met)
		}
		if tc.nlep >= 0 && len(ev.Electrons)+len(ev.Muons) != tc.nlep {
			t.Errorf("event %d: %d leptons, want %d", i, len(ev.Electrons)+len(ev.Muons), tc.nlep)
		}
		if ev.Particles != nil || ev.GenJets != nil || ev.Photons != nil {
			t.Errorf("event %d: collections that were not requested were filled", i)
		}
	}
}

func TestEICTruthOnly(t *testing.T) {
	path := repotest.Shared(t, "data/root/delphes_eic_protongun_1000ev.root")
	r, err := Open(path, Options{Collections: []string{"Particle"}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := sizes(t, path, "Particle")[0]
	n := 0
	for r.Next() {
		ev := r.Event()
		if len(ev.Particles) != want[n] {
			t.Errorf("event %d: %d particles, Particle_size says %d", n, len(ev.Particles), want[n])
		}
		if ev.Number != int64(n+1) {
			t.Errorf("event %d: Event.Number %d, want %d", n, ev.Number, n+1)
		}
		for _, p := range ev.Particles {
			if p.PID == 2212 && !scalar.EqualWithinAbs(p.Mass, 0.938272, 1e-5) {
				t.Errorf("event %d: proton mass %v", n, p.Mass)
			}
		}
		n++
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 1000 {
		t.Errorf("read %d events, want 1000", n)
	}

	for _, c := range []string{"Jet", "MissingET", "Electron"} {
		_, err := Open(path, Options{Collections: []string{"Particle", c}})
		if err == nil {
			t.Fatalf("collection %s: no error for a file without it", c)
		}
		for _, s := range []string{"delphes: ", path, `"` + c + `"`} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error %q does not name %q", err, s)
			}
		}
	}
	if _, err := Open(path, Options{Collections: []string{"Jets"}}); err == nil || !strings.Contains(err.Error(), "unknown collection") {
		t.Errorf("unknown collection: error %v", err)
	}
}

func TestWrongTreeAndBranch(t *testing.T) {
	path := repotest.Shared(t, cmsFile)
	_, err := Open(path, Options{Tree: "Events"})
	if err == nil || !strings.Contains(err.Error(), `no tree "Events"`) || !strings.Contains(err.Error(), "Delphes") || !strings.Contains(err.Error(), path) {
		t.Errorf("wrong tree: error %v", err)
	}
	tr, err := OpenTree(path, "Delphes")
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	for _, tc := range []struct {
		branch  string
		members []string
		want    string
	}{
		{"FatJets", nil, `no branch "FatJets"`},
		{"Jet", []string{"PT", "Pt"}, `no branch "Jet.Pt"`},
		{"Jet_size", nil, `"Jet_size" is not a split TClonesArray`},
		{"Jet", []string{"TrimmedP4[5]"}, `"Jet.TrimmedP4[5]"`},
	} {
		_, err := tr.Clones(tc.branch, tc.members...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Clones(%q, %q): error %v, want it to mention %s", tc.branch, tc.members, err, tc.want)
		}
	}
}

// TestCorruptFiles checks that truncated or damaged copies of a Delphes
// file give errors naming the file, never a panic.
func TestCorruptFiles(t *testing.T) {
	path := repotest.Shared(t, cmsFile)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	readAll := func(p string) error {
		r, err := Open(p, Options{})
		if err != nil {
			return err
		}
		defer r.Close()
		for r.Next() {
		}
		return r.Err()
	}
	for _, n := range []int{0, 50, 400, 2000, 500000, 877496, 890000, len(orig) - 10} {
		p := filepath.Join(dir, "truncated.root")
		if err := os.WriteFile(p, orig[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		err := readAll(p)
		if err == nil {
			t.Errorf("truncated to %d bytes: no error", n)
			continue
		}
		t.Logf("truncated to %d bytes: %v", n, err)
		if !strings.HasPrefix(err.Error(), "delphes: "+p) {
			t.Errorf("truncated to %d bytes: error %q does not start with the file name", n, err)
		}
	}

	// Damage the header of the Jet.PT basket. (Its payload is stored
	// uncompressed, and ROOT keeps no checksum of it: damage there cannot
	// be detected by any reader.)
	tr, err := OpenTree(path, "Delphes")
	if err != nil {
		t.Fatal(err)
	}
	seek := tr.meta.find("Jet").find("Jet.PT").BasketSeek[0]
	tr.Close()
	for _, off := range []int64{seek + 4, seek + 60} {
		bad := slices.Clone(orig)
		for k := off; k < off+16; k++ {
			bad[k] ^= 0x5a
		}
		p := filepath.Join(dir, "damaged.root")
		if err := os.WriteFile(p, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		err := readAll(p)
		if err == nil {
			t.Errorf("damaged at %d: no error", off)
			continue
		}
		t.Logf("damaged at %d: %v", off, err)
		if !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), `"Jet.PT"`) {
			t.Errorf("damaged at %d: error %q does not name file and branch", off, err)
		}
	}

	// Damage the tree's own (compressed) record: the latest cycle of
	// "Delphes".
	f, err := riofs.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var treeSeek int64
	cycle := 0
	for _, k := range f.Keys() {
		if k.Name() == "Delphes" && k.Cycle() > cycle {
			treeSeek, cycle = k.SeekKey(), k.Cycle()
		}
	}
	f.Close()
	for _, off := range []int64{treeSeek + 100, treeSeek + 200, treeSeek + 5000, treeSeek + 20000} {
		bad := slices.Clone(orig)
		for k := off; k < off+16; k++ {
			bad[k] ^= 0x5a
		}
		p := filepath.Join(dir, "damagedtree.root")
		if err := os.WriteFile(p, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		err := readAll(p)
		if err == nil {
			t.Errorf("tree damaged at %d: no error", off)
			continue
		}
		t.Logf("tree damaged at %d: %v", off, err)
		if !strings.HasPrefix(err.Error(), "delphes: "+p) {
			t.Errorf("tree damaged at %d: error %q does not name the file", off, err)
		}
	}
}

// TestExRootLHEFRwgt reads the reweighting weights that ExRootLHEFConverter
// stores as a split TClonesArray of TRootWeight.
func TestExRootLHEFRwgt(t *testing.T) {
	path := repotest.Shared(t, "data/root/exrootlhef_ppZZ_100ev.root")
	var want []int
	err := ScanFlat(path, "LHEF", []string{"Rwgt_size"}, func(_ int64, row [][]float64) error {
		want = append(want, int(row[0][0]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := OpenTree(path, "LHEF")
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	rw, err := tr.Clones("Rwgt", "Weight")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := tr.Clones("Event", "Number", "Weight")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Entries() != 100 || len(want) != 100 {
		t.Fatalf("%d entries, %d sizes, want 100", tr.Entries(), len(want))
	}
	for i := range tr.Entries() {
		n, err := rw.Read(i)
		if err != nil {
			t.Fatal(err)
		}
		if n != want[i] {
			t.Errorf("entry %d: %d weights, Rwgt_size says %d", i, n, want[i])
		}
		if _, err := ev.Read(i); err != nil {
			t.Fatal(err)
		}
		if ev.Int64(0, 0) != i+1 {
			t.Errorf("entry %d: Event.Number %d", i, ev.Int64(0, 0))
		}
		for j := range n {
			if w := rw.Float64(0, j); !(w > 0) || math.IsInf(w, 0) {
				t.Errorf("entry %d: weight %d = %v", i, j, w)
			}
		}
	}
}

func TestScanFlat(t *testing.T) {
	path := repotest.Shared(t, "data/root/hzz_flat_2421ev.root")
	n := 0
	err := ScanFlat(path, "events", []string{"NJet", "Jet_Px", "Jet_Py", "EventWeight"}, func(entry int64, row [][]float64) error {
		if entry != int64(n) {
			t.Fatalf("entry %d, want %d", entry, n)
		}
		nj := int(row[0][0])
		if len(row[1]) != nj || len(row[2]) != nj || len(row[3]) != 1 {
			t.Fatalf("entry %d: NJet %d but %d/%d jet momenta", entry, nj, len(row[1]), len(row[2]))
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2421 {
		t.Errorf("read %d entries, want 2421", n)
	}
	err = ScanFlat(path, "events", []string{"NoSuchBranch"}, func(int64, [][]float64) error { return nil })
	if err == nil || !strings.Contains(err.Error(), `"NoSuchBranch"`) {
		t.Errorf("missing branch: error %v", err)
	}
	err = ScanFlat(path, "tree", []string{"NJet"}, func(int64, [][]float64) error { return nil })
	if err == nil || !strings.Contains(err.Error(), `"tree"`) {
		t.Errorf("missing tree: error %v", err)
	}
}

// TestRandomDamageNeverPanics flips random bytes of a Delphes file and
// reads every collection: any outcome but a panic is acceptable (ROOT
// keeps no checksum of uncompressed baskets, so some damage is invisible).
func TestRandomDamageNeverPanics(t *testing.T) {
	path := repotest.Shared(t, cmsFile)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "random.root")
	rnd := rand.New(rand.NewPCG(1, 2))
	runs := 200
	if testing.Short() {
		runs = 40
	}
	nerr := 0
	for run := range runs {
		bad := slices.Clone(orig)
		for range 8 {
			bad[rnd.IntN(len(bad))] ^= byte(1 + rnd.IntN(255))
		}
		if err := os.WriteFile(p, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		func() {
			defer func() {
				if e := recover(); e != nil {
					t.Fatalf("run %d: panic: %v", run, e)
				}
			}()
			r, err := Open(p, Options{})
			if err != nil {
				nerr++
				return
			}
			defer r.Close()
			for r.Next() {
			}
			if r.Err() != nil {
				nerr++
			}
		}()
	}
	t.Logf("%d of %d damaged files gave an error", nerr, runs)
}

func TestCollectionsFor(t *testing.T) {
	for _, tc := range []struct {
		objs []string
		want []string
	}{
		{nil, []string{}},
		{[]string{"j", "met"}, []string{"Jet", "MissingET"}},
		{[]string{"met", "l", "e"}, []string{"Electron", "Muon", "MissingET"}},
		{[]string{"all"}, []string{"Electron", "Muon", "Photon", "Jet", "MissingET"}},
		{[]string{"visible", "p"}, []string{"Electron", "Muon", "Photon", "Jet", "Particle"}},
	} {
		got, err := CollectionsFor(tc.objs...)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("CollectionsFor(%q) = %q, %v; want %q", tc.objs, got, err, tc.want)
		}
	}
	if _, err := CollectionsFor("j", "tau"); err == nil || !strings.Contains(err.Error(), `"tau"`) {
		t.Errorf("unknown object: error %v", err)
	}
	// The result opens the CMS file.
	cs, err := CollectionsFor("all")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(repotest.Shared(t, cmsFile), Options{Collections: cs})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
}

func TestBranchOverride(t *testing.T) {
	path := repotest.Shared(t, cmsFile)
	want := sizes(t, path, "FatJet", "GenMissingET")
	r, err := Open(path, Options{
		Collections: []string{"Jet", "MissingET"},
		Branches:    map[string]string{"Jet": "FatJet", "MissingET": "GenMissingET"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	gen, err := Open(path, Options{Collections: []string{"GenMissingET"}})
	if err != nil {
		t.Fatal(err)
	}
	defer gen.Close()
	for r.Next() {
		if !gen.Next() {
			t.Fatal(gen.Err())
		}
		ev, i := r.Event(), r.Event().Entry
		if len(ev.Jets) != want[0][i] || len(ev.MissingET) != want[1][i] {
			t.Errorf("entry %d: %d jets and %d MET from FatJet and GenMissingET, sizes %d and %d", i, len(ev.Jets), len(ev.MissingET), want[0][i], want[1][i])
		}
		if ev.MissingET[0] != gen.Event().GenMissingET[0] {
			t.Errorf("entry %d: MissingET from GenMissingET %v, GenMissingET %v", i, ev.MissingET[0], gen.Event().GenMissingET[0])
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Collections: []string{"Jet"}, Branches: map[string]string{"Jet": "JetPUPPI"}}, `collection "Jet" requested but tree "Delphes" has no branch "JetPUPPI"`},
		{Options{Branches: map[string]string{"Jets": "Jet"}}, `unknown collection "Jets" in Branches`},
		{Options{Collections: []string{"Jet"}, Branches: map[string]string{"Jet": "Jet_size"}}, `"Jet_size" is not a split TClonesArray`},
	} {
		if _, err := Open(path, tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.opts, err, tc.want)
		}
	}
}
