// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package atomicfile writes files so that an interrupted run never leaves a
// half-written file that looks complete: the content goes to a hidden
// temporary file in the destination's directory, which is synced and then
// renamed into place. Every output of goldmine is written this way.
//
// The In forms write through an os.Root: the temporary file is created,
// and renamed, inside the root, so that no name and no symbolic link can
// lead the write outside the root's folder. goldmine opens one root on the
// working directory and writes every file there through it. The path forms
// open a root on the destination's directory, which is then the only
// folder the write may reach.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// CreateIn creates a hidden temporary file next to name inside root (in
// name's directory, so that the final rename stays within one file
// system), open for reading and writing. It returns the file and the
// temporary file's name inside root. Finish it with CommitIn, or remove
// it with root.Remove.
func CreateIn(root *os.Root, name string) (*os.File, string, error) {
	dir, base := filepath.Split(name)
	for try := 0; ; try++ {
		tmp := dir + "." + base + ".tmp-" + strconv.FormatUint(rand.Uint64()%1e10, 10)
		f, err := root.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) && try < 100 {
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("could not create a temporary file for %s: %w", where(root, name), err)
		}
		return f, tmp, nil
	}
}

// CommitIn gives the closed temporary file tmp inside root the permissions
// perm and renames it to name. On failure it removes tmp.
func CommitIn(root *os.Root, tmp, name string, perm os.FileMode) error {
	if err := root.Chmod(tmp, perm); err != nil {
		root.Remove(tmp)
		return fmt.Errorf("could not set the permissions of %s: %w", where(root, name), err)
	}
	if err := root.Rename(tmp, name); err != nil {
		root.Remove(tmp)
		return fmt.Errorf("could not rename the temporary file to %s: %w", where(root, name), err)
	}
	return nil
}

// WriteIn writes the file name inside root by calling write on a buffered
// temporary file, syncing it and committing it with permissions perm. If
// write or any step fails, the temporary file is removed and nothing
// appears at name (an existing file there is left untouched); the error
// names the file and wraps the cause.
func WriteIn(root *os.Root, name string, perm os.FileMode, write func(w io.Writer) error) error {
	f, tmp, err := CreateIn(root, name)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		f.Close()
		root.Remove(tmp)
		return fmt.Errorf("could not write %s: %w", where(root, name), err)
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
		root.Remove(tmp)
		return fmt.Errorf("could not write %s: %w", where(root, name), err)
	}
	return CommitIn(root, tmp, name, perm)
}

// WriteFileIn writes data to name inside root atomically with permissions
// perm.
func WriteFileIn(root *os.Root, name string, data []byte, perm os.FileMode) error {
	return WriteIn(root, name, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// where is the path of name inside root, for messages.
func where(root *os.Root, name string) string { return filepath.Join(root.Name(), name) }

// OpenDir opens the directory of path as a root and returns it with
// path's name inside it.
func OpenDir(path string) (*os.Root, string, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, "", fmt.Errorf("could not open the folder of %s: %w", path, err)
	}
	return r, base, nil
}

// Write writes the file at path as WriteIn does, through a root opened on
// path's directory.
func Write(path string, perm os.FileMode, write func(w io.Writer) error) error {
	r, name, err := OpenDir(path)
	if err != nil {
		return fmt.Errorf("could not write %s: %w", path, err)
	}
	defer r.Close()
	return WriteIn(r, name, perm, write)
}

// WriteFile writes data to path atomically with permissions perm, as
// os.WriteFile does non-atomically.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
