// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"fmt"
	"reflect"

	"go-hep.org/x/hep/groot/riofs"
	"go-hep.org/x/hep/groot/rtree"
)

// ScanFlat reads the named branches of a plain (flat) TTree with groot's
// rtree and calls fn once per entry, in order. Each branch value is given
// as a []float64: scalars have length 1, variable-length arrays their
// entry's length. The slices are reused between calls. An error returned
// by fn stops the scan and is returned.
//
// ScanFlat is for ntuples of basic types; split TClonesArray branches
// (Delphes) are read with Open or Tree.Clones.
func ScanFlat(path, tree string, branches []string, fn func(entry int64, row [][]float64) error) (err error) {
	var cur string // branch being set up, for panic messages
	defer func() {
		if e := recover(); e != nil {
			if cur != "" {
				err = fmt.Errorf("delphes: %s: tree %q: branch %q: %v", path, tree, cur, e)
			} else {
				err = fmt.Errorf("delphes: %s: tree %q: %v", path, tree, e)
			}
		}
	}()
	f, err := riofs.Open(path)
	if err != nil {
		return fmt.Errorf("delphes: %s: could not open file: %w", path, err)
	}
	defer f.Close()
	obj, err := riofs.Dir(f).Get(tree)
	if err != nil {
		return fmt.Errorf("delphes: %s: no tree %q: %w", path, tree, err)
	}
	t, ok := obj.(rtree.Tree)
	if !ok {
		return fmt.Errorf("delphes: %s: %q is a %s, not a tree", path, tree, obj.Class())
	}
	all := rtree.NewReadVars(t)
	vars := make([]rtree.ReadVar, 0, len(branches))
	for _, name := range branches {
		cur = name
		found := false
		for _, v := range all {
			if v.Name == name {
				vars = append(vars, v)
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("delphes: %s: tree %q has no plain branch %q", path, tree, name)
		}
	}
	cur = ""
	r, err := rtree.NewReader(t, vars)
	if err != nil {
		return fmt.Errorf("delphes: %s: tree %q: %w", path, tree, err)
	}
	defer r.Close()
	row := make([][]float64, len(vars))
	err = r.Read(func(ctx rtree.RCtx) error {
		for i, v := range vars {
			row[i], err = appendFloats(row[i][:0], reflect.ValueOf(v.Value).Elem())
			if err != nil {
				return fmt.Errorf("branch %q: %w", v.Name, err)
			}
		}
		if err := fn(ctx.Entry, row); err != nil {
			return fmt.Errorf("entry %d: %w", ctx.Entry, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delphes: %s: tree %q: %w", path, tree, err)
	}
	return nil
}

// appendFloats appends the numeric content of v (a number, bool, or an
// array or slice of them) to dst.
func appendFloats(dst []float64, v reflect.Value) ([]float64, error) {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		return append(dst, v.Float()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return append(dst, float64(v.Int())), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return append(dst, float64(v.Uint())), nil
	case reflect.Bool:
		if v.Bool() {
			return append(dst, 1), nil
		}
		return append(dst, 0), nil
	case reflect.Slice, reflect.Array:
		var err error
		for i := range v.Len() {
			if dst, err = appendFloats(dst, v.Index(i)); err != nil {
				return dst, err
			}
		}
		return dst, nil
	}
	return dst, fmt.Errorf("unsupported type %s", v.Type())
}
