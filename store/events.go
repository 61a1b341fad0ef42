// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/scigolib/hdf5"
)

// ErrNoEvents is the error of OpenEvents for a file without
// samples/observations, such as a setup file.
var ErrNoEvents = errors.New("no events (samples/observations missing)")

// EventsHeader is everything in a MadMiner events file except the events.
type EventsHeader struct {
	Setup
	ObservableNames, ObservableDefinitions []string
	NuisanceParameters                     []NuisanceParameter

	// SignalEvents[b] is the number of events sampled at benchmark b, as
	// sample_summary/signal_events. MadMiner counts only the benchmarks
	// that existed before nuisance benchmarks were appended, so it may be
	// shorter than Benchmarks. When writing, nil means: count them from the
	// sampling ids passed to Write (over the benchmarks before the trailing
	// nuisance benchmarks, as MadMiner does).
	SignalEvents []int64
	// BackgroundEvents is the number of background events (sampling id -1),
	// as sample_summary/background_events. When writing with SignalEvents
	// nil, it is counted too.
	BackgroundEvents int64

	// Part, if not nil, marks a partial events file: one shard of one
	// sample, to be merged with MergeEvents. It is stored in the group
	// goldmine_part, which MadMiner does not read.
	Part *Part
}

// clone returns a deep copy of h.
func (h *EventsHeader) clone() EventsHeader {
	c := *h
	c.Setup = h.Setup.clone()
	c.ObservableNames = append([]string(nil), h.ObservableNames...)
	c.ObservableDefinitions = append([]string(nil), h.ObservableDefinitions...)
	c.NuisanceParameters = append([]NuisanceParameter(nil), h.NuisanceParameters...)
	if h.SignalEvents != nil {
		c.SignalEvents = append([]int64(nil), h.SignalEvents...)
	}
	if h.Part != nil {
		p := *h.Part
		c.Part = &p
	}
	return c
}

func (h *EventsHeader) validate() error {
	if err := h.Setup.validate(); err != nil {
		return err
	}
	if len(h.ObservableNames) == 0 {
		return errors.New("events header has no observables")
	}
	if len(h.ObservableDefinitions) != len(h.ObservableNames) {
		return fmt.Errorf("%d observable names but %d definitions", len(h.ObservableNames), len(h.ObservableDefinitions))
	}
	if h.SignalEvents != nil && (len(h.SignalEvents) == 0 || len(h.SignalEvents) > len(h.Benchmarks)) {
		return fmt.Errorf("%d signal event counts for %d benchmarks", len(h.SignalEvents), len(h.Benchmarks))
	}
	if h.Part != nil {
		if err := h.Part.validate(); err != nil {
			return err
		}
	}
	bench := make(map[string]bool)
	for _, b := range h.Benchmarks {
		bench[b.Name] = true
	}
	for i, np := range h.NuisanceParameters {
		if np.Name == "" {
			return fmt.Errorf("nuisance parameter %d has no name", i)
		}
		if !bench[np.BenchmarkPositive] {
			return fmt.Errorf("nuisance parameter %s: positive benchmark %q is not a benchmark", np.Name, np.BenchmarkPositive)
		}
		if np.BenchmarkNegative != "" && !bench[np.BenchmarkNegative] {
			return fmt.Errorf("nuisance parameter %s: negative benchmark %q is not a benchmark", np.Name, np.BenchmarkNegative)
		}
	}
	return nil
}

// spillRows is the number of rows copied per slab when the spilled events
// are moved into the HDF5 file.
const spillRows = 8192

// EventWriter writes a MadMiner events file. Rows passed to Write are
// spilled to a temporary file (memory stays bounded); Close lays out the
// HDF5 file next to the destination, copies the rows into it and renames it
// into place. Nothing appears at the destination before Close succeeds.
// During Close the destination directory holds the spilled rows and the new
// file, about twice the final size.
type EventWriter struct {
	d      dest
	path   string // for messages
	h      EventsHeader
	nObs   int
	nW     int
	spill  *os.File
	sname  string // the spill file's name in d's root
	bw     *bufio.Writer
	row    []byte
	n      int
	counts []int64 // events per sampling benchmark
	nBkg   int64
	err    error // sticky
	done   bool
}

// CreateEvents starts an events file at path with header h (which is
// copied). The weights of each event are one per benchmark of h, nuisance
// benchmarks included, in the order of h.Benchmarks. If h marks no
// benchmark as the reference, the file marks the first physics (not
// nuisance) benchmark, as MadMiner's LHE and Delphes readers do by default.
func CreateEvents(path string, h *EventsHeader) (*EventWriter, error) {
	d, err := destAt(path)
	if err != nil {
		return nil, err
	}
	w, err := createEvents(d, h)
	if err != nil {
		d.close()
	}
	return w, err
}

// CreateEventsIn is CreateEvents for the file name inside root: the
// spilled rows, the new file and its rename all go through root.
func CreateEventsIn(root *os.Root, name string, h *EventsHeader) (*EventWriter, error) {
	return createEvents(destIn(root, name), h)
}

func createEvents(d dest, h *EventsHeader) (*EventWriter, error) {
	if err := h.validate(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", d.path(), err)
	}
	spill, sname, err := d.sibling(".rows").createTemp()
	if err != nil {
		return nil, err
	}
	hc := h.clone()
	markReference(&hc.Setup)
	w := &EventWriter{
		d:      d,
		path:   d.path(),
		sname:  sname,
		h:      hc,
		nObs:   len(h.ObservableNames),
		nW:     len(h.Benchmarks),
		spill:  spill,
		bw:     bufio.NewWriterSize(spill, 1<<20),
		counts: make([]int64, len(h.Benchmarks)),
	}
	w.row = make([]byte, 8*(w.nObs+w.nW+1))
	return w, nil
}

// Write appends one event: its observables x (one per observable), its
// weights (one per benchmark) and the index of the benchmark it was sampled
// from (-1 for background). The slices are copied.
func (w *EventWriter) Write(x, weights []float64, samplingBenchmark int) error {
	if w.err != nil {
		return w.err
	}
	if w.done {
		return fmt.Errorf("store: %s: write after close", w.path)
	}
	if len(x) != w.nObs {
		return fmt.Errorf("store: %s: event %d has %d observables, want %d", w.path, w.n, len(x), w.nObs)
	}
	if len(weights) != w.nW {
		return fmt.Errorf("store: %s: event %d has %d weights, want %d (one per benchmark)", w.path, w.n, len(weights), w.nW)
	}
	if samplingBenchmark < -1 || samplingBenchmark >= w.nW {
		return fmt.Errorf("store: %s: event %d has sampling benchmark %d, want -1 or 0..%d", w.path, w.n, samplingBenchmark, w.nW-1)
	}
	b := w.row
	for i, v := range x {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	b = b[8*w.nObs:]
	for i, v := range weights {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	binary.LittleEndian.PutUint64(b[8*w.nW:], uint64(int64(samplingBenchmark)))
	if _, err := w.bw.Write(w.row); err != nil {
		w.err = fmt.Errorf("store: %s: could not spill event %d: %w", w.path, w.n, err)
		return w.err
	}
	if samplingBenchmark < 0 {
		w.nBkg++
	} else {
		w.counts[samplingBenchmark]++
	}
	w.n++
	return nil
}

// WriteBatch appends n = len(samplingBenchmarks) events given as row-major
// blocks: x holds n×n_observables values and weights n×n_benchmarks.
func (w *EventWriter) WriteBatch(x, weights []float64, samplingBenchmarks []int) error {
	n := len(samplingBenchmarks)
	if len(x) != n*w.nObs || len(weights) != n*w.nW {
		return fmt.Errorf("store: %s: batch at event %d: %d observables and %d weights for %d events, want %d and %d",
			w.path, w.n, len(x), len(weights), n, n*w.nObs, n*w.nW)
	}
	for i, id := range samplingBenchmarks {
		if err := w.Write(x[i*w.nObs:(i+1)*w.nObs], weights[i*w.nW:(i+1)*w.nW], id); err != nil {
			return err
		}
	}
	return nil
}

// N returns the number of events written so far.
func (w *EventWriter) N() int { return w.n }

// Abort discards everything written; nothing is left at the destination or
// in its directory. Abort after Close is a no-op.
func (w *EventWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	return w.removeSpill()
}

// removeSpill removes the spilled rows; it is the last step of Close and
// Abort, and closes the root a path form opened.
func (w *EventWriter) removeSpill() error {
	defer w.d.close()
	w.spill.Close()
	if err := w.d.remove(w.sname); err != nil {
		return fmt.Errorf("store: %s: could not remove temporary file: %w", w.path, err)
	}
	return nil
}

// Close writes the HDF5 file and renames it to the destination. On error
// nothing is left behind. Close after Close or Abort is a no-op.
func (w *EventWriter) Close() error {
	if w.done {
		return w.err
	}
	if w.err != nil {
		w.Abort()
		return w.err
	}
	w.done = true
	defer w.removeSpill()
	if w.n == 0 {
		w.err = fmt.Errorf("store: %s: no events written (MadMiner files need at least one)", w.path)
		return w.err
	}
	if err := w.bw.Flush(); err != nil {
		w.err = fmt.Errorf("store: %s: could not spill events: %w", w.path, err)
		return w.err
	}
	h := &w.h
	signal, bkg := h.SignalEvents, h.BackgroundEvents
	if signal == nil {
		signal, bkg = w.counts, w.nBkg
		// Drop trailing nuisance benchmarks nobody was sampled from.
		for len(signal) > 1 && h.Benchmarks[len(signal)-1].IsNuisance && signal[len(signal)-1] == 0 {
			signal = signal[:len(signal)-1]
		}
	}
	n := uint64(w.n)
	fill := func(hw *h5Writer) error {
		if err := writeSetup(hw, &h.Setup); err != nil {
			return err
		}
		if err := writeEventsMeta(hw, h); err != nil {
			return err
		}
		if err := hw.ints("/sample_summary/signal_events", []uint64{uint64(len(signal))}, signal); err != nil {
			return err
		}
		if err := hw.ints("/sample_summary/background_events", []uint64{1}, []int64{bkg}); err != nil {
			return err
		}
		// Allocated here, filled from the spill file after the library is done.
		if _, err := hw.create("/samples/observations", hdf5.Float64, []uint64{n, uint64(w.nObs)}); err != nil {
			return err
		}
		if _, err := hw.create("/samples/weights", hdf5.Float64, []uint64{n, uint64(w.nW)}); err != nil {
			return err
		}
		if _, err := hw.create("/samples/sampling_benchmarks", hdf5.Int64, []uint64{n}); err != nil {
			return err
		}
		return nil
	}
	w.err = writeH5Atomic(w.d, fill, w.fillSamples)
	return w.err
}

// fillSamples copies the spilled rows into the sample datasets of the
// finished HDF5 file f, whose layout it reads from the library's copy lib,
// and turns background_events into a scalar.
func (w *EventWriter) fillSamples(lib string, f *os.File) error {
	r, err := openH5(lib)
	if err != nil {
		return fmt.Errorf("store: %s: could not reopen the new file: %w", w.path, err)
	}
	defer r.close()
	var addr [3]uint64
	for i, c := range []struct {
		name  string
		class string
		shape []int
	}{
		{"samples/observations", "float", []int{w.n, w.nObs}},
		{"samples/weights", "float", []int{w.n, w.nW}},
		{"samples/sampling_benchmarks", "integer", []int{w.n}},
	} {
		in, err := r.info(c.name)
		if err != nil {
			return err
		}
		if !in.contig || in.class != c.class || in.size != 8 || !sameShape(in.shape, c.shape...) || in.nbytes != uint64(8*in.len()) {
			return fmt.Errorf("store: %s: unexpected layout of new dataset %s: %+v", w.path, c.name, in)
		}
		addr[i] = in.addr
	}
	d, ok := r.ds["sample_summary/background_events"]
	if !ok {
		return fmt.Errorf("store: %s: background_events missing from the new file", w.path)
	}
	if err := makeScalar(f, d.Address()); err != nil {
		return fmt.Errorf("store: %s: could not make background_events a scalar: %w", w.path, err)
	}

	if _, err := w.spill.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("store: %s: could not rewind spilled events: %w", w.path, err)
	}
	rs := bufio.NewReaderSize(w.spill, 1<<20)
	rowLen := len(w.row)
	in := make([]byte, spillRows*rowLen)
	obs := make([]byte, spillRows*8*w.nObs)
	wts := make([]byte, spillRows*8*w.nW)
	ids := make([]byte, spillRows*8)
	for done := 0; done < w.n; {
		k := min(spillRows, w.n-done)
		if _, err := io.ReadFull(rs, in[:k*rowLen]); err != nil {
			return fmt.Errorf("store: %s: could not read spilled events: %w", w.path, err)
		}
		for j := 0; j < k; j++ {
			row := in[j*rowLen:]
			copy(obs[j*8*w.nObs:], row[:8*w.nObs])
			copy(wts[j*8*w.nW:], row[8*w.nObs:8*(w.nObs+w.nW)])
			copy(ids[j*8:], row[8*(w.nObs+w.nW):rowLen])
		}
		for i, b := range [][]byte{obs[:k*8*w.nObs], wts[:k*8*w.nW], ids[:k*8]} {
			off := addr[i] + uint64(done)*uint64(len(b)/k)
			if _, err := f.WriteAt(b, int64(off)); err != nil {
				return fmt.Errorf("store: %s: could not write events: %w", w.path, err)
			}
		}
		done += k
	}
	return nil
}

func writeEventsMeta(w *h5Writer, h *EventsHeader) error {
	if err := w.strings("/observables/names", h.ObservableNames); err != nil {
		return err
	}
	if err := w.strings("/observables/definitions", h.ObservableDefinitions); err != nil {
		return err
	}
	if err := writePart(w, h.Part); err != nil {
		return err
	}
	if nps := h.NuisanceParameters; len(nps) > 0 {
		return w.stringTable("/nuisance_parameters", []string{"names", "systematics", "benchmark_positive", "benchmark_negative"}, len(nps), func(i int) []string {
			return []string{nps[i].Name, nps[i].Systematic, nps[i].BenchmarkPositive, encodeNone(nps[i].BenchmarkNegative)}
		})
	}
	return nil
}

// Batch is a block of consecutive events.
type Batch struct {
	Start, N           int       // rows [Start, Start+N) of the file
	X                  []float64 // observables, row-major N×n_observables
	Weights            []float64 // weights, row-major N×n_benchmarks
	SamplingBenchmarks []int     // benchmark each event was sampled from, -1 for background or unknown
}

// column is one sample dataset: read directly from contiguous storage when
// possible, through the library otherwise.
type column struct {
	name   string
	ds     *hdf5.Dataset
	width  int // values per row
	contig bool
	addr   uint64
	float  bool
}

// EventFile reads a MadMiner events file in batches. It is not safe for
// concurrent use; open the file once per goroutine instead.
type EventFile struct {
	path   string
	r      *h5Reader
	raw    *os.File
	h      *EventsHeader
	n      int
	obs    column
	wts    column
	ids    *column // nil in files without samples/sampling_benchmarks
	buf    []byte
	closed bool
}

// OpenEvents opens the events file at path and reads its header.
func OpenEvents(path string) (ef *EventFile, err error) {
	r, err := openH5(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			r.close()
		}
	}()
	if !r.has("samples/observations") {
		return nil, fmt.Errorf("store: %s: %w: a setup file?", path, ErrNoEvents)
	}
	s, err := r.setup()
	if err != nil {
		return nil, err
	}
	h := &EventsHeader{Setup: *s}
	if h.ObservableNames, err = r.strings("observables/names"); err != nil {
		return nil, err
	}
	if h.ObservableDefinitions, err = r.strings("observables/definitions"); err != nil {
		return nil, err
	}
	if len(h.ObservableDefinitions) != len(h.ObservableNames) {
		return nil, fmt.Errorf("store: %s: %d observable names but %d definitions", path, len(h.ObservableNames), len(h.ObservableDefinitions))
	}
	if r.has("nuisance_parameters/names") {
		var cols [4][]string
		for i, name := range []string{"names", "systematics", "benchmark_positive", "benchmark_negative"} {
			if cols[i], err = r.strings("nuisance_parameters/" + name); err != nil {
				return nil, err
			}
			if len(cols[i]) != len(cols[0]) {
				return nil, fmt.Errorf("store: %s: nuisance_parameters datasets have different lengths", path)
			}
		}
		for i := range cols[0] {
			h.NuisanceParameters = append(h.NuisanceParameters, NuisanceParameter{
				Name:              cols[0][i],
				Systematic:        cols[1][i],
				BenchmarkPositive: decodeNone(cols[2][i]),
				BenchmarkNegative: decodeNone(cols[3][i]),
			})
		}
	}
	if r.has("sample_summary/signal_events") {
		v, in, err := r.ints("sample_summary/signal_events")
		if err != nil {
			return nil, err
		}
		if len(in.shape) != 1 {
			return nil, r.shapeErr("sample_summary/signal_events", in.shape, len(h.Benchmarks))
		}
		h.SignalEvents = v
		b, in, err := r.ints("sample_summary/background_events")
		if err != nil {
			return nil, err
		}
		if len(b) != 1 {
			return nil, r.shapeErr("sample_summary/background_events", in.shape)
		}
		h.BackgroundEvents = b[0]
	}

	if h.Part, err = readPart(r); err != nil {
		return nil, err
	}

	ef = &EventFile{path: path, r: r, h: h}
	if ef.n, err = sampleRows(r); err != nil {
		return nil, err
	}
	nObs, nW := len(h.ObservableNames), len(h.Benchmarks)
	if _, err := ef.column(&ef.obs, "samples/observations", "float", nObs); err != nil {
		return nil, err
	}
	if _, err := ef.column(&ef.wts, "samples/weights", "float", nW); err != nil {
		return nil, err
	}
	if r.has("samples/sampling_benchmarks") {
		ef.ids = new(column)
		if _, err := ef.column(ef.ids, "samples/sampling_benchmarks", "integer", 0); err != nil {
			return nil, err
		}
	}
	// The extents of contiguous columns were checked against the file
	// size by info.
	if ef.raw, err = os.Open(path); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if ef.n > 0 {
		if err := ef.check(); err != nil {
			ef.raw.Close()
			return nil, err
		}
	}
	return ef, nil
}

// sampleRows returns the number of events of an events file: the rows of
// samples/observations, which samples/weights and, if present,
// samples/sampling_benchmarks must share. They are compared before
// anything is read, and a disagreement names every dataset.
func sampleRows(r *h5Reader) (int, error) {
	names := []string{"samples/observations", "samples/weights"}
	if r.has("samples/sampling_benchmarks") {
		names = append(names, "samples/sampling_benchmarks")
	}
	rows := make([]int, len(names))
	for i, name := range names {
		in, err := r.info(name)
		if err != nil {
			return 0, err
		}
		if len(in.shape) == 0 {
			return 0, fmt.Errorf("store: %s: %s is a scalar, want one row per event", r.path, name)
		}
		rows[i] = in.shape[0]
	}
	for i := range rows {
		if rows[i] != rows[0] {
			var b strings.Builder
			for k, name := range names {
				if k > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "%s has %d", name, rows[k])
			}
			return 0, fmt.Errorf("store: %s: the sample datasets disagree on the number of events: %s rows", r.path, b.String())
		}
	}
	return rows[0], nil
}

// column sets up c for the dataset name, which must hold ef.n rows of
// width values (width 0: a 1-D dataset) of the given class. A chunked
// dataset must have all its chunks stored.
func (ef *EventFile) column(c *column, name, class string, width int) (dsInfo, error) {
	in, err := ef.r.info(name)
	if err != nil {
		return in, err
	}
	if in.class != class || in.size != 8 {
		return in, fmt.Errorf("store: %s: %s is %s of %d bytes, want 8-byte %s", ef.path, name, in.class, in.size, class)
	}
	want := []int{ef.n, width}
	if width == 0 {
		want = want[:1]
	}
	if !sameShape(in.shape, want...) {
		return in, ef.r.shapeErr(name, in.shape, want...)
	}
	if err := ef.r.checkChunks(name, in); err != nil {
		return in, err
	}
	*c = column{name: name, ds: ef.r.ds[name], width: max(width, 1), float: class == "float"}
	if in.contig && in.nbytes == uint64(8*in.len()) {
		c.contig, c.addr = true, in.addr
	}
	return in, nil
}

// check compares the first row read directly with the library's own read,
// which guards the direct path against layouts it does not understand (byte
// order, address).
func (ef *EventFile) check() error {
	var b Batch
	if err := ef.readRows(&b, 0, 1, true); err != nil {
		return err
	}
	var lib Batch
	if err := ef.readRows(&lib, 0, 1, false); err != nil {
		return err
	}
	same := func(a, b []float64) bool {
		for i := range a {
			if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
				return false
			}
		}
		return len(a) == len(b)
	}
	if !same(b.X, lib.X) || !same(b.Weights, lib.Weights) {
		return fmt.Errorf("store: %s: direct and library reads of event 0 differ (unsupported layout)", ef.path)
	}
	for i := range b.SamplingBenchmarks {
		if b.SamplingBenchmarks[i] != lib.SamplingBenchmarks[i] {
			return fmt.Errorf("store: %s: direct and library reads of event 0 differ (unsupported layout)", ef.path)
		}
	}
	return nil
}

// Header returns the file's header. It must not be modified.
func (ef *EventFile) Header() *EventsHeader { return ef.h }

// N returns the number of events in the file.
func (ef *EventFile) N() int { return ef.n }

// HasSamplingBenchmarks reports whether the file records the benchmark each
// event was sampled from (files from MadMiner before 2020 do not).
func (ef *EventFile) HasSamplingBenchmarks() bool { return ef.ids != nil }

// Close closes the file. It is idempotent.
func (ef *EventFile) Close() error {
	if ef.closed {
		return nil
	}
	ef.closed = true
	err1 := ef.raw.Close()
	err2 := ef.r.close()
	if err1 != nil {
		return fmt.Errorf("store: %s: %w", ef.path, err1)
	}
	if err2 != nil {
		return fmt.Errorf("store: %s: %w", ef.path, err2)
	}
	return nil
}

// Read calls fn for consecutive batches of at most batch events covering rows
// [start, end) of the file; end < 0 means N. The batch passed to fn is reused
// between calls: copy what must outlive the call. An error from fn stops the
// loop and is returned.
func (ef *EventFile) Read(start, end, batch int, fn func(b *Batch) error) error {
	if ef.closed {
		return fmt.Errorf("store: %s: read after close", ef.path)
	}
	if end < 0 {
		end = ef.n
	}
	if start < 0 || start > end || end > ef.n {
		return fmt.Errorf("store: %s: bad row range [%d, %d) for %d events", ef.path, start, end, ef.n)
	}
	if batch <= 0 {
		return fmt.Errorf("store: %s: batch size %d, want > 0", ef.path, batch)
	}
	var b Batch
	for i := start; i < end; i += batch {
		k := min(batch, end-i)
		if err := ef.readRows(&b, i, k, true); err != nil {
			return err
		}
		if err := fn(&b); err != nil {
			return err
		}
	}
	return nil
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// readRows fills b with rows [start, start+k), directly from the file when
// direct is true and the dataset is contiguous, through the library otherwise.
func (ef *EventFile) readRows(b *Batch, start, k int, direct bool) error {
	b.Start, b.N = start, k
	nObs, nW := ef.obs.width, ef.wts.width
	b.X = grow(b.X, k*nObs)
	b.Weights = grow(b.Weights, k*nW)
	if cap(b.SamplingBenchmarks) < k {
		b.SamplingBenchmarks = make([]int, k)
	}
	b.SamplingBenchmarks = b.SamplingBenchmarks[:k]
	if err := ef.readColumn(&ef.obs, b.X, start, k, direct); err != nil {
		return err
	}
	if err := ef.readColumn(&ef.wts, b.Weights, start, k, direct); err != nil {
		return err
	}
	if ef.ids == nil {
		for i := range b.SamplingBenchmarks {
			b.SamplingBenchmarks[i] = -1
		}
		return nil
	}
	c := ef.ids
	if direct && c.contig {
		buf := ef.bytes(8 * k)
		if _, err := ef.raw.ReadAt(buf, int64(c.addr)+int64(8*start)); err != nil {
			return fmt.Errorf("store: %s: could not read %s rows %d-%d: %w", ef.path, c.name, start, start+k, err)
		}
		for i := range b.SamplingBenchmarks {
			b.SamplingBenchmarks[i] = int(int64(binary.LittleEndian.Uint64(buf[8*i:])))
		}
		return nil
	}
	v, err := ef.slice(c, start, k)
	if err != nil {
		return err
	}
	for i, x := range v {
		b.SamplingBenchmarks[i] = int(x)
	}
	return nil
}

func (ef *EventFile) bytes(n int) []byte {
	if cap(ef.buf) < n {
		ef.buf = make([]byte, n)
	}
	return ef.buf[:n]
}

func (ef *EventFile) readColumn(c *column, dst []float64, start, k int, direct bool) error {
	if direct && c.contig {
		buf := ef.bytes(8 * len(dst))
		if _, err := ef.raw.ReadAt(buf, int64(c.addr)+int64(8*start*c.width)); err != nil {
			return fmt.Errorf("store: %s: could not read %s rows %d-%d: %w", ef.path, c.name, start, start+k, err)
		}
		for i := range dst {
			dst[i] = math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:]))
		}
		return nil
	}
	v, err := ef.slice(c, start, k)
	if err != nil {
		return err
	}
	copy(dst, v)
	return nil
}

// slice reads rows through the library's hyperslab reader.
func (ef *EventFile) slice(c *column, start, k int) (v []float64, err error) {
	defer recoverErr(&err, ef.path)
	var res interface{}
	if c == ef.ids {
		res, err = c.ds.ReadSlice([]uint64{uint64(start)}, []uint64{uint64(k)})
	} else {
		res, err = c.ds.ReadSlice([]uint64{uint64(start), 0}, []uint64{uint64(k), uint64(c.width)})
	}
	if err != nil {
		return nil, fmt.Errorf("store: %s: could not read %s rows %d-%d: %w", ef.path, c.name, start, start+k, err)
	}
	v, ok := res.([]float64)
	if !ok || len(v) != k*c.width {
		return nil, fmt.Errorf("store: %s: %s rows %d-%d: library returned %T of unexpected size", ef.path, c.name, start, start+k, res)
	}
	return v, nil
}

// ReadEventsHeader reads the header of the events file at path.
func ReadEventsHeader(path string) (*EventsHeader, error) {
	f, err := OpenEvents(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Header(), nil
}

// markReference marks the first physics benchmark of s as the reference
// unless a benchmark is marked already (MadMiner's
// analyse_samples(reference_benchmark=None)).
func markReference(s *Setup) {
	for _, b := range s.Benchmarks {
		if b.IsReference {
			return
		}
	}
	for i := range s.Benchmarks {
		if !s.Benchmarks[i].IsNuisance {
			s.Benchmarks[i].IsReference = true
			return
		}
	}
}
