// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package repotest locates the repository root and the shared real-data
// folder for the tests of the goldmine packages.
//
// The shared folder lives next to the repository: it is root/../shared,
// where root is the directory holding go.mod, found by walking up from the
// test's working directory. Tests that need a file from it call Shared,
// which skips the test when the file is absent, so that the packages still
// test cleanly on a machine without the data.
//
// (The package is not called testdata because the go command ignores
// directories of that name in patterns such as ./..., which would keep it
// out of go vet ./... and go test ./....)
package repotest

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// Root returns the repository root: the nearest directory at or above the
// working directory that holds go.mod. It fails the test if there is none.
func Root(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatalf("repotest: working directory: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatalf("repotest: no go.mod at or above the working directory")
		}
		dir = parent
	}
}

// Shared returns the path root/../shared/rel, rel being slash-separated
// (rel "" or "." names the shared folder itself). It skips the test, naming
// the missing path, when that file or directory does not exist.
func Shared(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(Root(tb), "..", "shared", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data %s not available: %v", p, err)
	}
	return p
}

// ReadGzip returns the decompressed content of the gzip file at path.
func ReadGzip(tb testing.TB, path string) []byte {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatalf("repotest: %s: %v", path, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatalf("repotest: %s: %v", path, err)
	}
	return b
}
