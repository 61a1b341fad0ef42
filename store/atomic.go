// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes a file by calling write on a buffered temporary file
// in the directory of path, syncing it and renaming it to path. If write or
// any step fails, the temporary file is removed and nothing appears at path
// (an existing file at path is left untouched).
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	f, err := createTemp(path)
	if err != nil {
		return err
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		return fail(fmt.Errorf("store: could not write %s: %w", path, err))
	}
	if err := bw.Flush(); err != nil {
		return fail(fmt.Errorf("store: could not write %s: %w", path, err))
	}
	if err := f.Sync(); err != nil {
		return fail(fmt.Errorf("store: could not sync %s: %w", path, err))
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: could not close %s: %w", path, err)
	}
	return commitTemp(tmp, path)
}

// createTemp creates a hidden temporary file next to path, so that the final
// rename stays within one file system.
func createTemp(path string) (*os.File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("store: could not create temporary file for %s: %w", path, err)
	}
	return f, nil
}

// commitTemp gives the finished temporary file the permissions of a normally
// created file and renames it to path.
func commitTemp(tmp, path string) error {
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: could not set permissions of %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: could not rename temporary file to %s: %w", path, err)
	}
	return nil
}
