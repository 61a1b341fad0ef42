// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workdir

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/store"
)

// WriteJSON writes v as indented JSON to the file name of the working
// directory, atomically, through Root (store.WriteJSONIn).
func (d *Dir) WriteJSON(name string, v any) error {
	root, err := d.Root()
	if err != nil {
		return err
	}
	return store.WriteJSONIn(root, name, v)
}

// Remove removes the file name of the working directory (a result an
// earlier run wrote that this one does not make); a missing file is not
// an error.
func (d *Dir) Remove(name string) error {
	root, err := d.Root()
	if err != nil {
		return err
	}
	if err := root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("workdir: %w", err)
	}
	return nil
}

// Clear removes the file or folder name of the working directory and
// everything below it; a missing one is not an error.
func (d *Dir) Clear(name string) error {
	root, err := d.Root()
	if err != nil {
		return err
	}
	if err := root.RemoveAll(name); err != nil {
		return fmt.Errorf("workdir: could not clear %s: %w", d.Path(name), err)
	}
	return nil
}

// Fresh replaces the folder name of the working directory by an empty
// one, creating its parents if needed.
func (d *Dir) Fresh(name string) error {
	if err := d.Clear(name); err != nil {
		return err
	}
	if err := d.root.MkdirAll(name, 0o755); err != nil {
		return fmt.Errorf("workdir: could not create %s: %w", d.Path(name), err)
	}
	return nil
}

// ReadParts reads the JSON files names of the working directory, each a
// part that a process wrote into its sub-folder under the sub-folder's
// lock (LockSub), through Root. It refuses a part whose sub-folder is
// locked now (SubBusy): one still being written. A missing part is an
// error that does not wrap fs.ErrNotExist: the part is wanted, not
// optional.
func ReadParts[T any](d *Dir, names []string) ([]*T, error) {
	root, err := d.Root()
	if err != nil {
		return nil, err
	}
	var out []*T
	for _, name := range names {
		if err := d.SubBusy(filepath.ToSlash(filepath.Dir(name))); err != nil {
			return nil, err
		}
		b, err := root.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("workdir: part %s: %v (run the shard that writes it first)", d.Path(name), err)
		}
		v := new(T)
		if err := json.Unmarshal(b, v); err != nil {
			return nil, fmt.Errorf("workdir: part %s: %w", d.Path(name), err)
		}
		out = append(out, v)
	}
	return out, nil
}
