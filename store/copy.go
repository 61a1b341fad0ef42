// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/internal/atomicfile"
)

// CopyDirIn replaces the folder dst of root by a copy of the folder src
// of root, which must hold regular files only: each is streamed into an
// atomic write (WriteFileAtomicIn). A missing src is an error wrapping
// fs.ErrNotExist, and leaves dst as it was.
func CopyDirIn(root *os.Root, src, dst string) error {
	entries, err := fs.ReadDir(root.FS(), filepath.ToSlash(src))
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := root.RemoveAll(dst); err != nil {
		return fmt.Errorf("store: could not clear %s: %w", filepath.Join(root.Name(), dst), err)
	}
	if err := root.MkdirAll(dst, 0o755); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	for _, en := range entries {
		if !en.Type().IsRegular() {
			return fmt.Errorf("store: %s is not a file", filepath.Join(root.Name(), src, en.Name()))
		}
		if err := copyIn(root, filepath.Join(src, en.Name()), filepath.Join(dst, en.Name())); err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	return nil
}

// copyIn copies the file src of root to dst, streaming and atomically.
func copyIn(root *os.Root, src, dst string) error {
	in, err := root.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return atomicfile.WriteIn(root, dst, 0o644, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
