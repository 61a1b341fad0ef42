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
// test cleanly on a machine without the data. With the environment
// variable GOLDMINE_REQUIRE_SHARED=1 (set by .ci/run) a missing file fails
// the test instead, so that CI cannot pass by skipping.
//
// Tests that need only some real LHE file use BundledZH, the sample
// shipped in cards/data, and run everywhere.
//
// (The package is not called testdata because the go command ignores
// directories of that name in patterns such as ./..., which would keep it
// out of go vet ./... and go test ./....)
package repotest

import (
	"compress/gzip"
	"image"
	"image/png"
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

// RequireSharedEnv is the environment variable that turns a missing
// shared file from a skip into a failure when it is "1".
const RequireSharedEnv = "GOLDMINE_REQUIRE_SHARED"

// Shared returns the path root/../shared/rel, rel being slash-separated
// (rel "" or "." names the shared folder itself). When that file or
// directory does not exist it skips the test, naming the missing path, or
// fails it if GOLDMINE_REQUIRE_SHARED is 1.
func Shared(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(Root(tb), "..", "shared", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		if os.Getenv(RequireSharedEnv) == "1" {
			tb.Fatalf("shared data %s not available (%s=1): %v", p, RequireSharedEnv, err)
		} else {
			tb.Skipf("shared data %s not available: %v", p, err)
		}
	}
	return p
}

// BundledZH returns the path of the ZH sample shipped with the
// repository, cards/data/zh_smeft_cHW_cHq3_5000ev.lhe.gz (a copy of the
// shared file of that name: 5000 MG5 events of p p > Z h with five
// reweighted benchmarks). It fails the test if the file is missing.
func BundledZH(tb testing.TB) string {
	tb.Helper()
	p := filepath.Join(Root(tb), "cards", "data", "zh_smeft_cHW_cHq3_5000ev.lhe.gz")
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("repotest: bundled sample: %v", err)
	}
	return p
}

// OpenGzip returns a reader of the decompressed content of the gzip file
// at path, closed when the test ends.
func OpenGzip(tb testing.TB, path string) io.Reader {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatalf("repotest: %s: %v", path, err)
	}
	return zr
}

// ReadGzip returns the decompressed content of the gzip file at path.
func ReadGzip(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := io.ReadAll(OpenGzip(tb, path))
	if err != nil {
		tb.Fatalf("repotest: %s: %v", path, err)
	}
	return b
}

// DecodePNG returns the image of the PNG file at path.
func DecodePNG(tb testing.TB, path string) image.Image {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		tb.Fatalf("repotest: %s: %v", path, err)
	}
	return img
}

// DirNames returns the names of the entries of dir, sorted, for tests that
// check what a write left behind. It fails the test if dir cannot be read.
func DirNames(tb testing.TB, dir string) []string {
	tb.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}
