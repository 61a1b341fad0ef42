// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package atomicfile writes files so that an interrupted run never leaves a
// half-written file that looks complete: the content goes to a hidden
// temporary file in the destination's directory, which is synced and then
// renamed into place. Every output of goldmine is written this way.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Create creates a hidden temporary file next to path, so that the final
// rename stays within one file system. Finish it with Commit, or remove it.
func Create(path string) (*os.File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("could not create a temporary file for %s: %w", path, err)
	}
	return f, nil
}

// Commit gives the closed temporary file tmp the permissions perm and
// renames it to path. On failure it removes tmp.
func Commit(tmp, path string, perm os.FileMode) error {
	if err := os.Chmod(tmp, perm); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("could not set the permissions of %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("could not rename the temporary file to %s: %w", path, err)
	}
	return nil
}

// Write writes the file at path by calling write on a buffered temporary
// file, syncing it and committing it with permissions perm. If write or any
// step fails, the temporary file is removed and nothing appears at path (an
// existing file there is left untouched); the error names path and wraps
// the cause.
func Write(path string, perm os.FileMode, write func(w io.Writer) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("could not write %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		return fail(err)
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("could not write %s: %w", path, err)
	}
	return Commit(tmp, path, perm)
}

// WriteFile writes data to path atomically with permissions perm, as
// os.WriteFile does non-atomically.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
