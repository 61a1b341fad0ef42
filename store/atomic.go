// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"fmt"
	"io"
	"os"

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

// createTemp creates a hidden temporary file next to path.
func createTemp(path string) (*os.File, error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return f, nil
}

// commitTemp gives the finished temporary file the permissions of a normally
// created file and renames it to path.
func commitTemp(tmp, path string) error {
	if err := atomicfile.Commit(tmp, path, 0o644); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}
