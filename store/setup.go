// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/scigolib/hdf5"
	"gonum.org/v1/gonum/mat"
)

// Parameter is one theory parameter, as in MadMiner's parameters/ group.
type Parameter struct {
	Name      string
	LHABlock  string
	LHAID     int
	MaxPower  int
	Range     [2]float64
	Transform string // param-card transform such as "1.0*theta"; "" for none
}

// Benchmark is a named parameter point, as in MadMiner's benchmarks/ group.
type Benchmark struct {
	Name        string
	Values      []float64 // one value per parameter
	IsNuisance  bool
	IsReference bool
}

// Systematic is one source of systematic uncertainty, as in MadMiner's
// systematics/{names,types,values,scales}. Type is "norm", "scale" or "pdf";
// Value is the norm uncertainty, the comma-separated scale factors or the PDF
// set name; Scale is "mu", "mur" or "muf" for scale systematics, "" otherwise.
type Systematic struct {
	Name, Type, Value, Scale string
}

// NuisanceParameter links a nuisance parameter to its systematic and to the
// benchmarks that carry its up and down variations. BenchmarkNegative is ""
// when there is none.
type NuisanceParameter struct {
	Name, Systematic, BenchmarkPositive, BenchmarkNegative string
}

// Setup is the content of a MadMiner setup file.
type Setup struct {
	Parameters []Parameter
	Benchmarks []Benchmark

	// Components[c][p] is the power of parameter p in morphing component c;
	// nil when there is no morphing.
	Components [][]int

	// MorphingMatrix is morphing/morphing_matrix exactly as MadMiner stores
	// it: n_components rows and n_basis columns, M[c][b], so that
	// w_b(θ) = Σ_c M[c][b] ∏_p θ_p^Components[c][p]. The basis benchmarks are
	// the first n_basis entries of Benchmarks. nil when there is no morphing.
	MorphingMatrix *mat.Dense

	Systematics []Systematic
}

// clone returns a deep copy of s.
func (s *Setup) clone() Setup {
	c := Setup{
		Parameters:  append([]Parameter(nil), s.Parameters...),
		Systematics: append([]Systematic(nil), s.Systematics...),
	}
	for _, b := range s.Benchmarks {
		b.Values = append([]float64(nil), b.Values...)
		c.Benchmarks = append(c.Benchmarks, b)
	}
	if s.Components != nil {
		for _, row := range s.Components {
			c.Components = append(c.Components, append([]int(nil), row...))
		}
	}
	if s.MorphingMatrix != nil {
		c.MorphingMatrix = mat.DenseCopyOf(s.MorphingMatrix)
	}
	return c
}

// encodeNone maps "" to MadMiner's "None" for optional strings.
func encodeNone(s string) string {
	if s == "" {
		return "None"
	}
	return s
}

// decodeNone maps MadMiner's "None" (and the older "") to "".
func decodeNone(s string) string {
	if s == "None" {
		return ""
	}
	return s
}

// validate checks the internal consistency of s.
func (s *Setup) validate() error {
	np := len(s.Parameters)
	if np == 0 {
		return errors.New("setup has no parameters")
	}
	if len(s.Benchmarks) == 0 {
		return errors.New("setup has no benchmarks")
	}
	seen := make(map[string]bool)
	for i, p := range s.Parameters {
		if p.Name == "" {
			return fmt.Errorf("parameter %d has no name", i)
		}
		if seen[p.Name] {
			return fmt.Errorf("parameter %d: duplicate name %q", i, p.Name)
		}
		seen[p.Name] = true
	}
	seen = make(map[string]bool)
	for i, b := range s.Benchmarks {
		if b.Name == "" {
			return fmt.Errorf("benchmark %d has no name", i)
		}
		if seen[b.Name] {
			return fmt.Errorf("benchmark %d: duplicate name %q", i, b.Name)
		}
		seen[b.Name] = true
		if len(b.Values) != np {
			return fmt.Errorf("benchmark %d (%s) has %d values, want %d (one per parameter)", i, b.Name, len(b.Values), np)
		}
	}
	if (s.Components == nil) != (s.MorphingMatrix == nil) {
		return errors.New("components and morphing matrix must both be set or both be nil")
	}
	if s.Components != nil {
		if len(s.Components) == 0 {
			return errors.New("morphing has no components")
		}
		for c, row := range s.Components {
			if len(row) != np {
				return fmt.Errorf("morphing component %d has %d powers, want %d", c, len(row), np)
			}
		}
		r, c := s.MorphingMatrix.Dims()
		if r != len(s.Components) {
			return fmt.Errorf("morphing matrix has %d rows, want %d (one per component)", r, len(s.Components))
		}
		if c > len(s.Benchmarks) {
			return fmt.Errorf("morphing matrix has %d columns but there are only %d benchmarks", c, len(s.Benchmarks))
		}
	}
	for i, sys := range s.Systematics {
		if sys.Name == "" {
			return fmt.Errorf("systematic %d has no name", i)
		}
	}
	return nil
}

// writeSetup writes the datasets of s.
func writeSetup(w *h5Writer, s *Setup) error {
	np := len(s.Parameters)
	var names, blocks, transforms []string
	var ids, powers []int64
	var ranges []float64
	for _, p := range s.Parameters {
		names = append(names, p.Name)
		blocks = append(blocks, p.LHABlock)
		transforms = append(transforms, encodeNone(p.Transform))
		ids = append(ids, int64(p.LHAID))
		powers = append(powers, int64(p.MaxPower))
		ranges = append(ranges, p.Range[0], p.Range[1])
	}
	n := uint64(np)
	if err := w.strings("/parameters/names", names); err != nil {
		return err
	}
	if err := w.strings("/parameters/lha_blocks", blocks); err != nil {
		return err
	}
	if err := w.ints("/parameters/lha_ids", []uint64{n}, ids); err != nil {
		return err
	}
	if err := w.ints("/parameters/max_power", []uint64{n}, powers); err != nil {
		return err
	}
	if err := w.strings("/parameters/transforms", transforms); err != nil {
		return err
	}
	if err := w.floats("/parameters/val_ranges", []uint64{n, 2}, ranges); err != nil {
		return err
	}

	nb := uint64(len(s.Benchmarks))
	names = names[:0]
	var values []float64
	var nuis, ref []int64
	for _, b := range s.Benchmarks {
		names = append(names, b.Name)
		values = append(values, b.Values...)
		nuis = append(nuis, b2i(b.IsNuisance))
		ref = append(ref, b2i(b.IsReference))
	}
	if err := w.strings("/benchmarks/names", names); err != nil {
		return err
	}
	if err := w.floats("/benchmarks/values", []uint64{nb, n}, values); err != nil {
		return err
	}
	if err := w.ints("/benchmarks/is_nuisance", []uint64{nb}, nuis); err != nil {
		return err
	}
	if err := w.ints("/benchmarks/is_reference", []uint64{nb}, ref); err != nil {
		return err
	}

	if s.Components != nil {
		var comps []int64
		for _, row := range s.Components {
			for _, v := range row {
				comps = append(comps, int64(v))
			}
		}
		if err := w.ints("/morphing/components", []uint64{uint64(len(s.Components)), n}, comps); err != nil {
			return err
		}
		r, c := s.MorphingMatrix.Dims()
		m := make([]float64, 0, r*c)
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				m = append(m, s.MorphingMatrix.At(i, j))
			}
		}
		if err := w.floats("/morphing/morphing_matrix", []uint64{uint64(r), uint64(c)}, m); err != nil {
			return err
		}
	}

	if sys := s.Systematics; len(sys) > 0 {
		return w.stringTable("/systematics", []string{"names", "types", "values", "scales"}, len(sys), func(i int) []string {
			return []string{sys[i].Name, sys[i].Type, sys[i].Value, encodeNone(sys[i].Scale)}
		})
	}
	return nil
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// WriteSetup writes s as a MadMiner setup file at path, atomically.
func WriteSetup(path string, s *Setup) error {
	d, err := destAt(path)
	if err != nil {
		return err
	}
	defer d.close()
	return writeSetupTo(d, s)
}

// WriteSetupIn writes s as a MadMiner setup file name inside root,
// atomically; every write goes through root.
func WriteSetupIn(root *os.Root, name string, s *Setup) error {
	return writeSetupTo(destIn(root, name), s)
}

func writeSetupTo(d dest, s *Setup) error {
	if err := s.validate(); err != nil {
		return fmt.Errorf("store: %s: %w", d.path(), err)
	}
	return writeH5Atomic(d, func(w *h5Writer) error { return writeSetup(w, s) }, nil)
}

// writeH5Atomic builds an HDF5 file for d: fill creates the datasets
// through the library, then post, if not nil, may patch the file in place
// through f (lib is the library's own copy, to read the layout from). The
// result is synced and renamed to d.
//
// The HDF5 library writes only to a path. It writes into a file in a
// private temporary folder (of os.TempDir), which is then copied, its
// holes skipped, into a temporary file created through d's root: the file
// that ends up in the destination's folder is written only through the
// root. The library's file holds the metadata and the allocated, unwritten
// (sparse) space of the datasets that post fills, so the copy is small.
func writeH5Atomic(d dest, fill func(w *h5Writer) error, post func(lib string, f *os.File) error) (err error) {
	priv, err := os.MkdirTemp("", "goldmine-h5-")
	if err != nil {
		return fmt.Errorf("store: could not create a temporary folder for %s: %w", d.path(), err)
	}
	defer os.RemoveAll(priv)
	lib := filepath.Join(priv, "new.h5")
	w, err := newH5Writer(lib, d.path())
	if err != nil {
		return err
	}
	if err := fill(w); err != nil {
		w.fw.Close()
		return err
	}
	if err := w.close(); err != nil {
		return err
	}
	src, err := os.Open(lib)
	if err != nil {
		return fmt.Errorf("store: could not reopen %s: %w", d.path(), err)
	}
	defer src.Close()
	f, tmp, err := d.createTemp()
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			d.remove(tmp)
		}
	}()
	if err := copySparse(f, src); err != nil {
		f.Close()
		return fmt.Errorf("store: could not copy the new %s into place: %w", d.path(), err)
	}
	if post != nil {
		if err := post(lib, f); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("store: could not sync %s: %w", d.path(), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("store: could not close %s: %w", d.path(), err)
	}
	return d.commitTemp(tmp)
}

// h5Reader gives access to the datasets of an open file by path.
type h5Reader struct {
	f    *hdf5.File
	path string
	size int64 // file size in bytes
	ds   map[string]*hdf5.Dataset
}

func openH5(path string) (r *h5Reader, err error) {
	var f *hdf5.File
	defer func() {
		// Runs after recoverErr, so a panic in Walk also closes the file.
		if err != nil && f != nil {
			f.Close()
			r = nil
		}
	}()
	defer recoverErr(&err, path)
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := checkLocalHeaps(path, fi.Size()); err != nil {
		return nil, err
	}
	f, err = hdf5.Open(path)
	if err != nil {
		f = nil
		return nil, fmt.Errorf("store: %s: could not open HDF5 file: %w", path, err)
	}
	r = &h5Reader{f: f, path: path, size: fi.Size(), ds: make(map[string]*hdf5.Dataset)}
	f.Walk(func(p string, o hdf5.Object) {
		if d, ok := o.(*hdf5.Dataset); ok {
			r.ds[strings.TrimPrefix(p, "/")] = d
		}
	})
	if len(r.ds) == 0 {
		return nil, fmt.Errorf("store: %s: HDF5 file holds no datasets", path)
	}
	return r, nil
}

func (r *h5Reader) close() error { return r.f.Close() }

func (r *h5Reader) has(name string) bool { _, ok := r.ds[name]; return ok }

func (r *h5Reader) info(name string) (in dsInfo, err error) {
	defer recoverErr(&err, r.path)
	d, ok := r.ds[name]
	if !ok {
		return in, fmt.Errorf("store: %s: no dataset %s", r.path, name)
	}
	s, err := d.Info()
	if err != nil {
		return in, fmt.Errorf("store: %s: %s: %w", r.path, name, err)
	}
	in, err = parseInfo(s)
	if err != nil {
		return in, fmt.Errorf("store: %s: %s: %w", r.path, name, err)
	}
	if err := in.checkSize(r.path, name, r.size); err != nil {
		return in, err
	}
	return in, nil
}

// checkChunks checks that every chunk of the chunked dataset name is
// stored: the library reads a missing chunk as zeros, which for a file
// that was never completely written would be silently wrong data.
func (r *h5Reader) checkChunks(name string, in dsInfo) (err error) {
	if in.chunk == nil {
		return nil
	}
	need := in.chunksNeeded()
	if need == 0 {
		return nil
	}
	defer recoverErr(&err, r.path)
	it, err := r.ds[name].ChunkIterator()
	if err != nil {
		return fmt.Errorf("store: %s: %s: chunked dataset of shape %v has no readable chunk index (never written?): %v", r.path, name, in.shape, err)
	}
	var n int64
	for it.Next() {
		n++
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("store: %s: %s: could not list chunks: %w", r.path, name, err)
	}
	if n < need {
		return fmt.Errorf("store: %s: %s: shape %v in chunks of %v needs %d chunks, the file stores %d (the rest was never written)", r.path, name, in.shape, in.chunk, need, n)
	}
	return nil
}

// wholeInfo returns the description of dataset name, which is about to be
// read in one piece: it must be small and, if chunked, completely stored.
func (r *h5Reader) wholeInfo(name string) (dsInfo, error) {
	in, err := r.info(name)
	if err != nil {
		return in, err
	}
	if b := in.bytes(); b > maxWholeRead {
		return in, fmt.Errorf("store: %s: %s: shape %v of %d-byte values is %d bytes, more than the %d bytes a metadata dataset may hold", r.path, name, in.shape, in.size, b, maxWholeRead)
	}
	return in, r.checkChunks(name, in)
}

// strings reads a 1-D string dataset.
func (r *h5Reader) strings(name string) (v []string, err error) {
	in, err := r.wholeInfo(name)
	if err != nil {
		return nil, err
	}
	if in.class != "string" || len(in.shape) != 1 {
		return nil, fmt.Errorf("store: %s: %s is %s of shape %v, want a 1-D string array", r.path, name, in.class, in.shape)
	}
	defer recoverErr(&err, r.path)
	v, err = r.ds[name].ReadStrings()
	if err != nil {
		return nil, fmt.Errorf("store: %s: could not read %s: %w", r.path, name, err)
	}
	if len(v) != in.shape[0] {
		return nil, fmt.Errorf("store: %s: %s has %d strings, want %d", r.path, name, len(v), in.shape[0])
	}
	for i := range v {
		v[i] = strings.TrimRight(v[i], "\x00")
	}
	return v, nil
}

// numbers reads a numeric dataset and returns its values (row-major) and shape.
func (r *h5Reader) numbers(name string) (v []float64, in dsInfo, err error) {
	in, err = r.wholeInfo(name)
	if err != nil {
		return nil, in, err
	}
	if in.class != "float" && in.class != "integer" {
		return nil, in, fmt.Errorf("store: %s: %s is %s, want numbers", r.path, name, in.class)
	}
	defer recoverErr(&err, r.path)
	v, err = r.ds[name].Read()
	if err != nil {
		return nil, in, fmt.Errorf("store: %s: could not read %s: %w", r.path, name, err)
	}
	if len(v) != in.len() {
		return nil, in, fmt.Errorf("store: %s: %s has %d values, want %d for shape %v", r.path, name, len(v), in.len(), in.shape)
	}
	return v, in, nil
}

// ints reads an integer dataset exactly.
func (r *h5Reader) ints(name string) ([]int64, dsInfo, error) {
	v, in, err := r.numbers(name)
	if err != nil {
		return nil, in, err
	}
	if in.class != "integer" {
		return nil, in, fmt.Errorf("store: %s: %s is %s, want integers", r.path, name, in.class)
	}
	out, err := intsFromFloats(v)
	if err != nil {
		return nil, in, fmt.Errorf("store: %s: %s: %w", r.path, name, err)
	}
	return out, in, nil
}

func (r *h5Reader) shapeErr(name string, got []int, want ...int) error {
	return fmt.Errorf("store: %s: %s has shape %v, want %v", r.path, name, got, want)
}

func sameShape(got []int, want ...int) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// ReadSetup reads the setup part of a MadMiner setup or events file: the
// parameters, benchmarks, morphing and systematics. Groups it does not know
// are ignored.
func ReadSetup(path string) (*Setup, error) {
	r, err := openH5(path)
	if err != nil {
		return nil, err
	}
	defer r.close()
	return r.setup()
}

func (r *h5Reader) setup() (*Setup, error) {
	s := new(Setup)
	names, err := r.strings("parameters/names")
	if err != nil {
		return nil, err
	}
	np := len(names)
	if np == 0 {
		return nil, fmt.Errorf("store: %s: no parameters", r.path)
	}
	blocks, err := r.strings("parameters/lha_blocks")
	if err != nil {
		return nil, err
	}
	transforms, err := r.strings("parameters/transforms")
	if err != nil {
		return nil, err
	}
	ids, in, err := r.ints("parameters/lha_ids")
	if err != nil {
		return nil, err
	}
	if !sameShape(in.shape, np) {
		return nil, r.shapeErr("parameters/lha_ids", in.shape, np)
	}
	powers, in, err := r.ints("parameters/max_power")
	if err != nil {
		return nil, err
	}
	// MadMiner before 2020 stored max_power with shape [n_parameters, 1].
	if !sameShape(in.shape, np) && !sameShape(in.shape, np, 1) {
		return nil, r.shapeErr("parameters/max_power", in.shape, np)
	}
	rangeName := "parameters/val_ranges"
	if !r.has(rangeName) && r.has("parameters/ranges") {
		rangeName = "parameters/ranges" // MadMiner before 2020
	}
	ranges, in, err := r.numbers(rangeName)
	if err != nil {
		return nil, err
	}
	if !sameShape(in.shape, np, 2) {
		return nil, r.shapeErr(rangeName, in.shape, np, 2)
	}
	if len(blocks) != np || len(transforms) != np {
		return nil, fmt.Errorf("store: %s: %d parameter names but %d LHA blocks and %d transforms", r.path, np, len(blocks), len(transforms))
	}
	for i := range names {
		s.Parameters = append(s.Parameters, Parameter{
			Name:      names[i],
			LHABlock:  blocks[i],
			LHAID:     int(ids[i]),
			MaxPower:  int(powers[i]),
			Range:     [2]float64{ranges[2*i], ranges[2*i+1]},
			Transform: decodeNone(transforms[i]),
		})
	}

	bnames, err := r.strings("benchmarks/names")
	if err != nil {
		return nil, err
	}
	nb := len(bnames)
	values, in, err := r.numbers("benchmarks/values")
	if err != nil {
		return nil, err
	}
	if !sameShape(in.shape, nb, np) {
		return nil, r.shapeErr("benchmarks/values", in.shape, nb, np)
	}
	flags := func(name string) ([]int64, error) {
		if !r.has(name) {
			return make([]int64, nb), nil
		}
		v, in, err := r.ints(name)
		if err != nil {
			return nil, err
		}
		if !sameShape(in.shape, nb) {
			return nil, r.shapeErr(name, in.shape, nb)
		}
		return v, nil
	}
	nuis, err := flags("benchmarks/is_nuisance")
	if err != nil {
		return nil, err
	}
	ref, err := flags("benchmarks/is_reference")
	if err != nil {
		return nil, err
	}
	for i, name := range bnames {
		s.Benchmarks = append(s.Benchmarks, Benchmark{
			Name:        name,
			Values:      append([]float64(nil), values[i*np:(i+1)*np]...),
			IsNuisance:  nuis[i] != 0,
			IsReference: ref[i] != 0,
		})
	}

	if r.has("morphing/components") || r.has("morphing/morphing_matrix") {
		comps, in, err := r.ints("morphing/components")
		if err != nil {
			return nil, err
		}
		if len(in.shape) != 2 || in.shape[1] != np {
			return nil, r.shapeErr("morphing/components", in.shape, -1, np)
		}
		nc := in.shape[0]
		for c := 0; c < nc; c++ {
			row := make([]int, np)
			for p := range row {
				row[p] = int(comps[c*np+p])
			}
			s.Components = append(s.Components, row)
		}
		m, in, err := r.numbers("morphing/morphing_matrix")
		if err != nil {
			return nil, err
		}
		if len(in.shape) != 2 || in.shape[0] != nc || in.shape[1] > nb || in.shape[1] == 0 {
			return nil, r.shapeErr("morphing/morphing_matrix", in.shape, nc, nc)
		}
		s.MorphingMatrix = mat.NewDense(in.shape[0], in.shape[1], m)
	}

	if r.has("systematics/names") {
		var cols [4][]string
		for i, name := range []string{"names", "types", "values", "scales"} {
			v, err := r.strings("systematics/" + name)
			if err != nil {
				return nil, err
			}
			cols[i] = v
		}
		for i := 1; i < 4; i++ {
			if len(cols[i]) != len(cols[0]) {
				return nil, fmt.Errorf("store: %s: systematics datasets have different lengths", r.path)
			}
		}
		for i := range cols[0] {
			s.Systematics = append(s.Systematics, Systematic{
				Name:  cols[0][i],
				Type:  cols[1][i],
				Value: cols[2][i],
				Scale: decodeNone(cols[3][i]),
			})
		}
	}
	return s, nil
}
