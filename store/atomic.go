// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/goldmine-hep/goldmine/internal/atomicfile"
)

// WriteFileAtomic writes a file by calling write on a buffered temporary file
// in the directory of path, syncing it and renaming it to path. If write or
// any step fails, the temporary file is removed and nothing appears at path
// (an existing file at path is left untouched).
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	if err := atomicfile.Write(path, 0o644, write); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// WriteFileAtomicIn is WriteFileAtomic for the file name inside root:
// every write goes through root.
func WriteFileAtomicIn(root *os.Root, name string, write func(w io.Writer) error) error {
	if err := atomicfile.WriteIn(root, name, 0o644, write); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// dest is a file to write: name inside root. Every write of this package
// goes through a dest, so through an os.Root: the In forms take the
// caller's root, the path forms open one on the destination's directory
// (own is then set, and close closes it).
type dest struct {
	root *os.Root
	name string
	own  bool
}

// destIn is name inside the caller's root.
func destIn(root *os.Root, name string) dest { return dest{root: root, name: name} }

// destAt opens a root on the directory of path.
func destAt(path string) (dest, error) {
	r, name, err := atomicfile.OpenDir(path)
	if err != nil {
		return dest{}, fmt.Errorf("store: %w", err)
	}
	return dest{root: r, name: name, own: true}, nil
}

// path names the destination in messages.
func (d dest) path() string { return filepath.Join(d.root.Name(), d.name) }

// close closes the root if d opened it.
func (d dest) close() {
	if d.own {
		d.root.Close()
	}
}

// sibling is the destination suffix appended to d's name, in d's root.
func (d dest) sibling(suffix string) dest { return dest{root: d.root, name: d.name + suffix} }

// createTemp creates a hidden temporary file next to the destination and
// returns it with its name inside the root.
func (d dest) createTemp() (*os.File, string, error) {
	f, tmp, err := atomicfile.CreateIn(d.root, d.name)
	if err != nil {
		return nil, "", fmt.Errorf("store: %w", err)
	}
	return f, tmp, nil
}

// commitTemp gives the finished temporary file tmp the permissions of a
// normally created file and renames it to the destination.
func (d dest) commitTemp(tmp string) error {
	if err := atomicfile.CommitIn(d.root, tmp, d.name, 0o644); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// remove removes the file tmp of d's root; a missing file is no error.
func (d dest) remove(tmp string) error {
	if err := d.root.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// copySparse copies src to dst from offset 0, skipping the holes of src
// (regions never written, which read as zeros) where the system reports
// them, so that the holes stay holes; dst ends with src's size.
func copySparse(dst, src *os.File) error {
	fi, err := src.Stat()
	if err != nil {
		return err
	}
	size := fi.Size()
	buf := make([]byte, 1<<20)
	copyRange := func(from, to int64) error {
		for off := from; off < to; {
			n := int(min(int64(len(buf)), to-off))
			if _, err := src.ReadAt(buf[:n], off); err != nil {
				return err
			}
			if _, err := dst.WriteAt(buf[:n], off); err != nil {
				return err
			}
			off += int64(n)
		}
		return nil
	}
	const seekData, seekHole = 3, 4 // SEEK_DATA and SEEK_HOLE (Linux, BSD, macOS)
	for off := int64(0); off < size; {
		data, err := src.Seek(off, seekData)
		if errors.Is(err, syscall.ENXIO) {
			break // only a hole up to the end
		}
		if err != nil {
			// No hole reporting: copy everything.
			if err := copyRange(off, size); err != nil {
				return err
			}
			break
		}
		hole, err := src.Seek(data, seekHole)
		if err != nil {
			hole = size
		}
		if err := copyRange(data, min(hole, size)); err != nil {
			return err
		}
		off = hole
	}
	return dst.Truncate(size)
}
