// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package corpus

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/goldmine-hep/goldmine/internal/npy"
)

// rawNPY returns a version 1.0 .npy file with the given header dict and
// data bytes.
func rawNPY(dict string, data []byte) []byte {
	b := []byte("\x93NUMPY\x01\x00")
	b = binary.LittleEndian.AppendUint16(b, uint16(len(dict)+1))
	b = append(b, dict...)
	b = append(b, '\n')
	return append(b, data...)
}

func dict(descr string, fortran bool, shape string) string {
	f := "False"
	if fortran {
		f = "True"
	}
	return fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }", descr, f, shape)
}

// values returns n little-endian float64 values (big-endian if be).
func values(n int, be bool, v func(i int) float64) []byte {
	var b []byte
	for i := range n {
		bits := math.Float64bits(v(i))
		if be {
			b = binary.BigEndian.AppendUint64(b, bits)
		} else {
			b = binary.LittleEndian.AppendUint64(b, bits)
		}
	}
	return b
}

// badArrays returns malformed .npy files for an array meant to have
// shape (n, cols), by name, with a regular expression the error must
// match besides the file name (empty: any error naming the file).
func badArrays(cols int) []struct {
	name, msg string
	b         []byte
} {
	val := func(i int) float64 { return float64(i%17) * 0.25 }
	shape := func(r, c int) string { return fmt.Sprintf("(%d, %d)", r, c) }
	return []struct {
		name, msg string
		b         []byte
	}{
		{"0-d", `shape \(\)`, rawNPY(dict("<f8", false, "()"), values(1, false, val))},
		{"1-d", `shape \(10,\)`, rawNPY(dict("<f8", false, "(10,)"), values(10, false, val))},
		{"3-d", `shape \(2, 5, 1\)`, rawNPY(dict("<f8", false, "(2, 5, 1)"), values(10, false, val))},
		{"zero-rows", `no rows`, rawNPY(dict("<f8", false, shape(0, cols)), nil)},
		{"wrong-columns", fmt.Sprintf(`shape \(10, %d\), want \(n, %d\)`, cols+1, cols), rawNPY(dict("<f8", false, shape(10, cols+1)), values(10*(cols+1), false, val))},
		{"zero-columns", `shape \(10, 0\)`, rawNPY(dict("<f8", false, shape(10, 0)), nil)},
		{"dtype-bool", `unsupported dtype "\|b1"`, rawNPY(dict("|b1", false, shape(10, cols)), make([]byte, 10*cols))},
		{"dtype-complex", `unsupported dtype "<c16"`, rawNPY(dict("<c16", false, shape(10, cols)), make([]byte, 160*cols))},
		{"dtype-unicode", `unsupported dtype "<U3"`, rawNPY(dict("<U3", false, shape(10, cols)), make([]byte, 120*cols))},
		{"fortran-order", `Fortran-order`, rawNPY(dict("<f8", true, shape(10, cols)), values(10*cols, false, val))},
		{"huge-claim", `needs 5600000000000 bytes of data`, rawNPY(dict("<f8", false, "(100000000000, 7)"), make([]byte, 1000))},
		{"truncated", `truncated`, rawNPY(dict("<f8", false, shape(10, cols)), values(10*cols-3, false, val))},
		{"trailing-bytes", `trailing bytes`, rawNPY(dict("<f8", false, shape(10, cols)), values(10*cols+3, false, val))},
		{"bad-magic", `bad magic`, append([]byte("\x93NUMPX"), rawNPY(dict("<f8", false, shape(10, cols)), values(10*cols, false, val))[6:]...)},
		{"version-9", `unsupported .npy version 9`, append([]byte("\x93NUMPY\x09\x00"), rawNPY(dict("<f8", false, shape(10, cols)), values(10*cols, false, val))[8:]...)},
		{"header-not-a-dict", `not a dict`, rawNPY("[1, 2, 3]", values(10*cols, false, val))},
		{"negative-dimension", `non-negative`, rawNPY(dict("<f8", false, "(-10, 5)"), values(10*cols, false, val))},
		{"nan-value", `is NaN`, rawNPY(dict("<f8", false, shape(10, cols)), values(10*cols, false, func(i int) float64 {
			if i == 13 {
				return math.NaN()
			}
			return val(i)
		}))},
		{"empty-file", `not a .npy file`, nil},
	}
}

// binaryCases adds the .npy and HDF5 mutations, read by evaluate, train,
// limits, fisher, inspect and augment.
func (g *gen) binaryCases() error {
	const nObs = 5 // the observables of cards/zh.yaml
	model := filepath.Join(g.work, "models", "sally")
	val := func(i int) float64 { return 10 + float64(i%23) }
	npyRE := func(p, msg string) string {
		if msg == "" {
			return regexp.QuoteMeta(p)
		}
		return regexp.QuoteMeta(p) + ".*" + msg
	}

	// goldmine evaluate --x.
	for _, a := range badArrays(nObs) {
		p, err := g.write(a.b, "binary", "evaluate-"+a.name+".npy")
		if err != nil {
			return err
		}
		g.add(Case{Name: "binary/evaluate-x-" + a.name, Kind: "binary", Want: Error, Match: npyRE(p, a.msg),
			Args: []string{"--quiet", "evaluate", model, "--x", p, "--out", p + "-out"}})
	}
	for _, be := range []bool{false, true} {
		descr, name := "<f8", "little-endian"
		if be {
			descr, name = ">f8", "big-endian"
		}
		p, err := g.write(rawNPY(dict(descr, false, fmt.Sprintf("(20, %d)", nObs)), values(20*nObs, be, val)), "binary", "evaluate-"+name+".npy")
		if err != nil {
			return err
		}
		g.add(Case{Name: "binary/evaluate-x-" + name, Kind: "binary", Want: OK, Args: []string{"--quiet", "evaluate", model, "--x", p, "--out", p + "-out"}})
	}

	// goldmine train, with one array of the sally sample replaced.
	cardPath := filepath.Join(g.dir, "base", "card.yaml")
	for _, a := range badArrays(nObs) {
		if a.name == "huge-claim" || a.name == "bad-magic" || a.name == "version-9" || a.name == "header-not-a-dict" || a.name == "dtype-unicode" {
			continue // the same reader as for evaluate
		}
		work := filepath.Join(g.dir, "binary", "train-"+a.name)
		if err := g.copyWork(work, "events.h5", "samples"); err != nil {
			return err
		}
		p := filepath.Join(work, "samples", "sally", "x_train.npy")
		if err := os.WriteFile(p, a.b, 0o644); err != nil {
			return err
		}
		g.add(Case{Name: "binary/train-x-" + a.name, Kind: "binary", Want: Error, Match: npyRE(p, a.msg),
			Args: []string{"--quiet", "--workdir", work, "train", cardPath}})
	}
	{
		// t_xz with fewer rows than x.
		work := filepath.Join(g.dir, "binary", "train-rows-disagree")
		if err := g.copyWork(work, "events.h5", "samples"); err != nil {
			return err
		}
		p := filepath.Join(work, "samples", "sally", "t_xz_train.npy")
		if err := npyFile(p, []int{10, 2}); err != nil {
			return err
		}
		g.add(Case{Name: "binary/train-rows-disagree", Kind: "binary", Want: Error, Match: npyRE(p, "has 10 rows"),
			Args: []string{"--quiet", "--workdir", work, "train", cardPath}})
	}

	// goldmine limits with observed data.
	obsCard := func(name string, b []byte) (string, string, error) {
		work := filepath.Join(g.dir, "binary", "limits-"+name)
		if err := g.copyWork(work, "events.h5", "models"); err != nil {
			return "", "", err
		}
		p := filepath.Join(work, "observed.npy")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return "", "", err
		}
		lhe := filepath.Join(g.root, "cards", "data", "zh_smeft_cHW_cHq3_5000ev.lhe.gz")
		text, err := g.cardFor(lhe, "limits:\n", "limits:\n  observed: "+p+"\n")
		if err != nil {
			return "", "", err
		}
		// One quick scan.
		text = text[:strings.Index(text, "  scans:")] + "  scans:\n    - {name: rate, mode: rate}\n"
		cp := filepath.Join(work, "card.yaml")
		return p, cp, os.WriteFile(cp, []byte(text), 0o644)
	}
	for _, a := range badArrays(nObs) {
		switch a.name {
		case "0-d", "1-d", "zero-rows", "wrong-columns", "fortran-order", "nan-value", "huge-claim", "dtype-bool":
		default:
			continue
		}
		p, cp, err := obsCard(a.name, a.b)
		if err != nil {
			return err
		}
		msg := a.msg
		switch a.name {
		case "0-d", "1-d", "zero-rows", "wrong-columns":
			msg = `observed events of shape`
		case "nan-value":
			msg = `observed event 2: .* is NaN`
		}
		g.add(Case{Name: "binary/limits-observed-" + a.name, Kind: "binary", Want: Error, Match: npyRE(p, msg),
			Args: []string{"--quiet", "--workdir", filepath.Dir(p), "limits", cp}})
	}
	{
		_, cp, err := obsCard("ok", rawNPY(dict("<f8", false, fmt.Sprintf("(30, %d)", nObs)), values(30*nObs, false, val)))
		if err != nil {
			return err
		}
		g.add(Case{Name: "binary/limits-observed-ok", Kind: "binary", Want: OK, Args: []string{"--quiet", "--workdir", filepath.Dir(cp), "limits", cp}})
	}

	// A damaged tensor of the sally model, read by evaluate.
	tensors, err := filepath.Glob(filepath.Join(model, "*.npy"))
	if err != nil || len(tensors) == 0 {
		return fmt.Errorf("corpus: no tensors in %s", model)
	}
	orig, err := os.ReadFile(tensors[0])
	if err != nil {
		return err
	}
	xok := filepath.Join(g.dir, "binary", "evaluate-little-endian.npy")
	for _, t := range []struct {
		name string
		b    []byte
	}{
		{"truncated", orig[:len(orig)-5]},
		{"wrong-shape", rawNPY(dict("<f8", false, "(3,)"), values(3, false, val))},
		{"huge-claim", rawNPY(dict("<f8", false, "(100000000, 100000)"), make([]byte, 64))},
		{"empty", nil},
	} {
		dir := filepath.Join(g.dir, "binary", "model-"+t.name)
		if err := copyTree(model, dir); err != nil {
			return err
		}
		p := filepath.Join(dir, filepath.Base(tensors[0]))
		if err := os.WriteFile(p, t.b, 0o644); err != nil {
			return err
		}
		g.add(Case{Name: "binary/model-tensor-" + t.name, Kind: "binary", Want: Error, Match: regexp.QuoteMeta(p),
			Args: []string{"--quiet", "evaluate", dir, "--x", xok, "--out", dir + "-out"}})
	}

	// A malformed first-layer weight tensor of the sally model, read by
	// fisher and limits (the evaluate cases above read the same way).
	weight := filepath.Join(model, "layers.0.weight.npy")
	wshape, wdata, err := npy.ReadFile(weight)
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	for _, a := range badArrays(wshape[1]) {
		switch a.name {
		case "0-d", "1-d", "zero-rows", "wrong-columns", "dtype-bool", "fortran-order", "nan-value":
		default:
			continue
		}
		for _, stage := range []string{"fisher", "limits"} {
			work := filepath.Join(g.dir, "binary", stage+"-tensor-"+a.name)
			if err := g.copyWork(work, "events.h5", "models"); err != nil {
				return err
			}
			p := filepath.Join(work, "models", "sally", "layers.0.weight.npy")
			if err := os.WriteFile(p, a.b, 0o644); err != nil {
				return err
			}
			g.add(Case{Name: "binary/" + stage + "-sally-tensor-" + a.name, Kind: "binary", Want: Error, Match: regexp.QuoteMeta(p),
				Args: []string{"--quiet", "--workdir", work, stage, cardPath}})
		}
	}
	{
		// The same tensor big-endian: read as written.
		work := filepath.Join(g.dir, "binary", "fisher-tensor-big-endian")
		if err := g.copyWork(work, "events.h5", "models"); err != nil {
			return err
		}
		be := rawNPY(dict(">f8", false, npy.ShapeString(wshape)), values(len(wdata), true, func(i int) float64 { return wdata[i] }))
		if err := os.WriteFile(filepath.Join(work, "models", "sally", "layers.0.weight.npy"), be, 0o644); err != nil {
			return err
		}
		g.add(Case{Name: "binary/fisher-sally-tensor-big-endian", Kind: "binary", Want: OK, Args: []string{"--quiet", "--workdir", work, "fisher", cardPath}})
	}

	// The events file: truncated, damaged, read by inspect and augment.
	events, err := os.ReadFile(filepath.Join(g.work, "events.h5"))
	if err != nil {
		return err
	}
	h5 := func(name string, b []byte, want Outcome) error {
		p, err := g.write(b, "binary", name+".h5")
		if err != nil {
			return err
		}
		g.add(Case{Name: "binary/inspect-" + name, Kind: "binary", Want: want, Match: "(store|inspect): " + regexp.QuoteMeta(p),
			Args: []string{"--quiet", "inspect", p}})
		return nil
	}
	for _, f := range []float64{0.001, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999} {
		if err := h5(fmt.Sprintf("events-cut-%g", f), events[:int(f*float64(len(events)))], Error); err != nil {
			return err
		}
	}
	zero := append([]byte(nil), events...)
	copy(zero, make([]byte, 64))
	if err := h5("events-superblock-zeroed", zero, Error); err != nil {
		return err
	}
	if err := h5("events-empty", nil, Error); err != nil {
		return err
	}
	rnd := rand.New(rand.NewPCG(21, 19))
	for i := range 10 {
		b := append([]byte(nil), events...)
		for range 1 + rnd.IntN(8) {
			b[rnd.IntN(len(b))] ^= byte(1 + rnd.IntN(255))
		}
		if err := h5(fmt.Sprintf("events-random-damage-%d", i), b, Either); err != nil {
			return err
		}
	}
	for _, f := range []float64{0.3, 0.95} {
		work := filepath.Join(g.dir, "binary", fmt.Sprintf("augment-cut-%g", f))
		if err := os.MkdirAll(work, 0o755); err != nil {
			return err
		}
		p := filepath.Join(work, "events.h5")
		if err := os.WriteFile(p, events[:int(f*float64(len(events)))], 0o644); err != nil {
			return err
		}
		g.add(Case{Name: fmt.Sprintf("binary/augment-events-cut-%g", f), Kind: "binary", Want: Error,
			Match: `augment needs the events file, which cannot be used: store: ` + regexp.QuoteMeta(p),
			Args:  []string{"--quiet", "--workdir", work, "augment", cardPath}})
	}
	{
		// A setup file where the events file should be.
		work := filepath.Join(g.dir, "binary", "augment-setup-as-events")
		if err := copyFile(filepath.Join(g.work, "setup.h5"), filepath.Join(work, "events.h5")); err != nil {
			return err
		}
		g.add(Case{Name: "binary/augment-setup-as-events", Kind: "binary", Want: Error, Match: `no events \(samples/observations missing\)`,
			Args: []string{"--quiet", "--workdir", work, "augment", cardPath}})
	}
	return nil
}

// copyWork copies the named entries of the prepared workdir into dst.
func (g *gen) copyWork(dst string, names ...string) error {
	for _, n := range names {
		src := filepath.Join(g.work, n)
		fi, err := os.Stat(src)
		if err != nil {
			return err
		}
		if fi.IsDir() {
			err = copyTree(src, filepath.Join(dst, n))
		} else {
			err = copyFile(src, filepath.Join(dst, n))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// npyFile writes an array of the given shape of ones to path.
func npyFile(path string, shape []int) error {
	n := 1
	for _, d := range shape {
		n *= d
	}
	data := make([]float64, n)
	for i := range data {
		data[i] = 1
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := npy.Write(f, shape, data, false); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
