// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workdir

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/internal/lockfile"
	"github.com/goldmine-hep/goldmine/stage"
)

// The files of the working directory's own, slash-separated.
const (
	// LockFile is the lock of the working directory.
	LockFile = ".goldmine/lock"
	// SubLockDir is the folder of the sub-folder locks: the lock of
	// WORKDIR/SUB is SubLockDir/SUB.lock.
	SubLockDir = lockfile.SubDir
	// UnitsDir is the folder of the unit records (stage.Runner.Records).
	UnitsDir = ".goldmine/units"
)

// Dir is a working directory. Its zero value, with Workdir set, is ready
// to use; Close closes the root that Root opened.
type Dir struct {
	// Workdir is the folder's path.
	Workdir string

	root    *os.Root // the folder, opened by Root
	rootDir string   // the Workdir root was opened on
}

// New returns the working directory at path.
func New(path string) *Dir { return &Dir{Workdir: path} }

// Root returns the working directory opened as an os.Root, creating the
// folder if needed. Every write into the folder goes through it, so that
// neither a name nor a symbolic link planted in the folder can lead a
// write outside it: a link to a folder elsewhere, planted as
// WORKDIR/models, makes a write into models fail instead of writing
// there. The root is opened once per Workdir; Close closes it.
func (d *Dir) Root() (*os.Root, error) {
	if d.root != nil && d.rootDir == d.Workdir {
		return d.root, nil
	}
	if err := os.MkdirAll(d.Workdir, 0o755); err != nil {
		return nil, fmt.Errorf("workdir: could not create the working directory: %w", err)
	}
	r, err := os.OpenRoot(d.Workdir)
	if err != nil {
		return nil, fmt.Errorf("workdir: could not open the working directory: %w", err)
	}
	if d.root != nil {
		d.root.Close()
	}
	d.root, d.rootDir = r, d.Workdir
	return r, nil
}

// Close closes the root opened by Root. It is idempotent.
func (d *Dir) Close() error {
	r := d.root
	d.root = nil
	if r == nil {
		return nil
	}
	return r.Close()
}

// Path returns the path of a file in the working directory.
func (d *Dir) Path(name ...string) string {
	return filepath.Join(append([]string{d.Workdir}, name...)...)
}

// Runner returns the runner of the units whose files are in the working
// directory: their records are in UnitsDir, read and written through
// Root, and their inputs and outputs are named relative to the folder, so
// that it can move. log, if not nil, receives a line per unit.
func (d *Dir) Runner(log io.Writer) *stage.Runner {
	r := &stage.Runner{Records: d.Path(filepath.FromSlash(UnitsDir)), Root: d.Workdir, Log: log}
	if root, err := d.Root(); err == nil {
		r.Dir, r.Records = root, filepath.FromSlash(UnitsDir)
	}
	return r
}
