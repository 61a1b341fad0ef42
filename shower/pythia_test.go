// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package shower

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/delphes/hepmc"
	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/lhe"
)

// The tests below run the real Pythia 8 (main42 of ../shared/tools/pythia8,
// made ready by .ci/tools/setup.sh) on the bundled ZH sample.

const realEvents = 300

// pythia returns the configuration of the real main42.
func pythia(t *testing.T) Config {
	t.Helper()
	dir := repotest.Pythia8(t)
	return Config{Program: filepath.Join(dir, "bin", "main42"), Data: filepath.Join(dir, "share", "Pythia8", "xmldoc")}
}

var (
	realOnce sync.Once
	realRes  *Result
	realErr  error
	realDir  string
)

// realShower showers the first 300 ZH events once for all tests.
func realShower(t *testing.T) *Result {
	t.Helper()
	cfg := pythia(t)
	lhePath := zhLHE(t)
	realOnce.Do(func() {
		var err error
		if realDir, err = os.MkdirTemp("", "goldmine-shower-"); err != nil {
			realErr = err
			return
		}
		cfg.Events, cfg.Seed = realEvents, 12345
		start := time.Now()
		realRes, realErr = Run(context.Background(), cfg, lhePath, filepath.Join(realDir, "zh.hepmc"))
		t.Logf("Pythia 8 on %d events: %v", realEvents, time.Since(start))
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realRes
}

func TestMain(m *testing.M) {
	code := m.Run()
	if realDir != "" {
		os.RemoveAll(realDir)
	}
	os.Exit(code)
}

func TestPythia(t *testing.T) {
	res := realShower(t)
	if res.Events != realEvents || res.LHEEvents != realEvents || res.Version != 3 {
		t.Errorf("result %+v", res)
	}
	if p := res.Pairing; p.Mode != "partons" || p.Events != realEvents || p.Dropped != 0 || p.Weights != 5 {
		t.Errorf("pairing %+v", p)
	}
	log, err := os.ReadFile(res.Log)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(log, []byte("Les Houches User Process(es)")) {
		t.Errorf("log %s lacks Pythia's statistics", res.Log)
	}
}

// TestPythiaWeights checks, independently of the Pairer, that the named
// HepMC weights AUX_<id> are the LHE weights <id> of the events, in
// order, and the nominal weight the LHE event weight (MG5 writes
// IDWTUP = -4, whose weights Pythia passes through in pb).
func TestPythiaWeights(t *testing.T) {
	res := realShower(t)
	hr, err := hepmc.Open(res.Output)
	if err != nil {
		t.Fatal(err)
	}
	defer hr.Close()
	lr, err := lhe.Open(zhLHE(t))
	if err != nil {
		t.Fatal(err)
	}
	defer lr.Close()
	names := hr.WeightNames()
	if want := []string{"Weight", "AUX_morphing_basis_vector_1", "AUX_morphing_basis_vector_2", "AUX_morphing_basis_vector_3", "AUX_morphing_basis_vector_4", "AUX_morphing_basis_vector_5"}; !slices.Equal(names, want) {
		t.Fatalf("weight names %q, want %q", names, want)
	}
	n := 0
	for hr.Next() {
		if !lr.Next() {
			t.Fatalf("LHE file ends before HepMC event %d", n)
		}
		he, le := hr.Event(), lr.Event()
		if he.Number != n {
			t.Errorf("HepMC event %d has number %d", n, he.Number)
		}
		want := []float64{le.Weight}
		for _, name := range names[1:] {
			k, ok := lr.Header().WeightIndex(strings.TrimPrefix(name, "AUX_"))
			if !ok {
				t.Fatalf("LHE file has no weight %s", name)
			}
			want = append(want, le.Weights[k])
		}
		for k := range want {
			if math.Abs(he.Weights[k]-want[k]) > 1e-12*math.Abs(want[k]) {
				t.Errorf("event %d: weight %s = %v, LHE %v", n, names[k], he.Weights[k], want[k])
			}
		}
		n++
	}
	if err := hr.Err(); err != nil {
		t.Fatal(err)
	}
	if n != realEvents {
		t.Errorf("%d HepMC events, want %d", n, realEvents)
	}
}

// TestPythiaPyHepMC compares goldmine's HepMC3 reader with HepMC3's own
// (pyhepmc): the same weights and final-state particles, event by event,
// exactly (both parse the same decimal text to the nearest double).
func TestPythiaPyHepMC(t *testing.T) {
	res := realShower(t)
	py := repotest.Python(t, "pyhepmc")
	cmd := exec.Command(py, filepath.Join("testdata", "pyhepmc_dump.py"), res.Output)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dump, err := cmd.Output()
	if err != nil {
		t.Fatalf("pyhepmc_dump.py: %v\n%s", err, stderr.String())
	}
	want := parseDump(t, dump)

	hr, err := hepmc.Open(res.Output)
	if err != nil {
		t.Fatal(err)
	}
	defer hr.Close()
	if !slices.Equal(hr.WeightNames(), want.names) {
		t.Errorf("weight names %q, pyhepmc %q", hr.WeightNames(), want.names)
	}
	i, particles := 0, 0
	for hr.Next() {
		if i >= len(want.events) {
			t.Fatalf("goldmine reads more than pyhepmc's %d events", len(want.events))
		}
		ev, we := hr.Event(), want.events[i]
		if ev.Number != we.number || !slices.Equal(ev.Weights, we.weights) {
			t.Errorf("event %d: number %d weights %v, pyhepmc %d %v", i, ev.Number, ev.Weights, we.number, we.weights)
		}
		var fs []dumpParticle
		for _, p := range ev.Particles {
			if p.Status == 1 {
				fs = append(fs, dumpParticle{p.ID, p.PID, [5]float64{p.Px, p.Py, p.Pz, p.E, p.M}})
			}
		}
		if len(fs) != len(we.particles) {
			t.Errorf("event %d: %d final-state particles, pyhepmc %d", i, len(fs), len(we.particles))
		} else {
			for k := range fs {
				if fs[k] != we.particles[k] {
					t.Errorf("event %d: final-state particle %d is %+v, pyhepmc %+v", i, k, fs[k], we.particles[k])
					break
				}
			}
		}
		particles += len(fs)
		i++
	}
	if err := hr.Err(); err != nil {
		t.Fatal(err)
	}
	if i != len(want.events) || i != realEvents {
		t.Errorf("goldmine reads %d events, pyhepmc %d, want %d", i, len(want.events), realEvents)
	}
	t.Logf("%d events, %d final-state particles equal", i, particles)
	if particles < 100*realEvents {
		t.Errorf("only %d final-state particles in %d showered events", particles, i)
	}
}

type dumpParticle struct {
	id, pid int
	p       [5]float64
}

type dumpEvent struct {
	number    int
	weights   []float64
	particles []dumpParticle
}

type dumpFile struct {
	names  []string
	events []dumpEvent
}

// parseDump reads the output of pyhepmc_dump.py.
func parseDump(t *testing.T, b []byte) dumpFile {
	t.Helper()
	var d dumpFile
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<24)
	line := 0
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("dump line %d: %v", line, err)
		}
		return v
	}
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "N":
			d.names = f[1:]
		case "E":
			d.events = append(d.events, dumpEvent{number: int(num(f[1]))})
		case "W":
			ev := &d.events[len(d.events)-1]
			for _, s := range f[1:] {
				ev.weights = append(ev.weights, num(s))
			}
		case "P":
			ev := &d.events[len(d.events)-1]
			p := dumpParticle{id: int(num(f[1])), pid: int(num(f[2]))}
			for k := range p.p {
				p.p[k] = num(f[3+k])
			}
			ev.particles = append(ev.particles, p)
		default:
			t.Fatalf("dump line %d: %q", line, sc.Text())
		}
	}
	return d
}

// TestPythiaSeed checks that a run is reproducible from its seed.
func TestPythiaSeed(t *testing.T) {
	cfg := pythia(t)
	lhePath := zhLHE(t)
	dir := t.TempDir()
	cfg.Events = 10
	run := func(name string, seed int) []byte {
		cfg.Seed = seed
		res, err := Run(context.Background(), cfg, lhePath, filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(res.Output)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b, c := run("a.hepmc", 5), run("b.hepmc", 5), run("c.hepmc", 6)
	if !bytes.Equal(a, b) {
		t.Error("two runs with seed 5 differ")
	}
	if bytes.Equal(a, c) {
		t.Error("seeds 5 and 6 give the same events")
	}
}

// TestPythiaFailures runs the real Pythia into its failure modes: the
// errors name main42 and the LHE file and show the log; nothing is left
// at the output path.
func TestPythiaFailures(t *testing.T) {
	base := pythia(t)
	lhePath := zhLHE(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "zh.hepmc")
	for _, tc := range []struct {
		name string
		mod  func(*Config)
		want []string
	}{
		// main42 exits with status 0 in both cases.
		{"bad setting", func(c *Config) { c.Settings = []string{"TimeShower:pTmaxFudgy = 2"} },
			[]string{"main42 on " + lhePath + " failed: Pythia gave up: PYTHIA Abort from Pythia::init: some user settings did not make sense", "log " + out + ".log ends with:"}},
		{"no data", func(c *Config) { c.Data = filepath.Join(dir, "nowhere") },
			[]string{"main42 on " + lhePath + " failed: "}},
	} {
		cfg := base
		cfg.Events = 10
		tc.mod(&cfg)
		_, err := Run(context.Background(), cfg, lhePath, out)
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %v, want %q", tc.name, err, w)
			}
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: output written", tc.name)
		}
		noLeftovers(t, dir)
	}
}

// TestPythiaInterrupt cancels a real run once Pythia reports its first
// events, as Ctrl-C would.
func TestPythiaInterrupt(t *testing.T) {
	cfg := pythia(t)
	lhePath := zhLHE(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "zh.hepmc")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg.Events = realEvents
	cfg.Progress = writerFunc(func(p []byte) {
		if bytes.Contains(p, []byte("events")) {
			cancel()
		}
	})
	_, err := Run(ctx, cfg, lhePath, out)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "main42 on "+lhePath+" failed: interrupted") {
		t.Errorf("error %v, want an interrupt of main42", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("output written")
	}
	noLeftovers(t, dir)
}

type writerFunc func([]byte)

func (f writerFunc) Write(p []byte) (int, error) { f(p); return len(p), nil }
