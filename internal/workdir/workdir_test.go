// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workdir

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// open returns a working directory that does not exist yet, closed at the
// end of the test.
func open(t *testing.T, path string) *Dir {
	t.Helper()
	d := New(path)
	t.Cleanup(func() { d.Close() })
	return d
}

// noFlock skips a test of locks where nothing is locked.
func noFlock(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no flock")
	}
}

// TestRoot: Root creates the folder and opens it once; another Workdir
// opens another root; Close is idempotent and Root opens again after it;
// Path joins below Workdir.
func TestRoot(t *testing.T) {
	path := filepath.Join(t.TempDir(), "work", "a")
	d := open(t, path)
	r, err := d.Root()
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		t.Fatalf("Root did not create the folder: %v", err)
	}
	if r2, err := d.Root(); err != nil || r2 != r {
		t.Errorf("second Root: %p, %v; want the same root %p", r2, err, r)
	}
	d.Workdir = filepath.Join(filepath.Dir(path), "b")
	r3, err := d.Root()
	if err != nil {
		t.Fatal(err)
	}
	if r3 == r || r3.Name() != d.Workdir {
		t.Errorf("Root after Workdir changed: %s, want a new root on %s", r3.Name(), d.Workdir)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := d.Root(); err != nil {
		t.Errorf("Root after Close: %v", err)
	}
	if got, want := d.Path("models", "m"), filepath.Join(d.Workdir, "models", "m"); got != want {
		t.Errorf("Path = %s, want %s", got, want)
	}
	// A file where the folder should be.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := open(t, file).Root(); err == nil {
		t.Error("Root on a file: no error")
	}
}

// unit writes its output, in its working directory.
type unit struct {
	d    *Dir
	runs int
}

func (u *unit) ID() string                { return "analyse/zh" }
func (u *unit) Config() ([]byte, error)   { return []byte("cfg"), nil }
func (u *unit) Inputs() ([]string, error) { return []string{u.d.Path("in.txt")}, nil }
func (u *unit) Outputs() []string         { return []string{u.d.Path("out.txt")} }
func (u *unit) Run(context.Context) (any, error) {
	u.runs++
	return nil, u.d.WriteJSON("out.txt", u.runs)
}

// TestRunner: the runner keeps the records in UnitsDir of the working
// directory with inputs and outputs named relative to it, so that a unit
// is up to date in the folder moved elsewhere.
func TestRunner(t *testing.T) {
	base := t.TempDir()
	d := open(t, filepath.Join(base, "a"))
	if err := os.MkdirAll(d.Workdir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.Path("in.txt"), []byte("events"), 0o644); err != nil {
		t.Fatal(err)
	}
	u := &unit{d: d}
	r := d.Runner(nil)
	if _, err := r.Run(context.Background(), u, false); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(d.Workdir, filepath.FromSlash(UnitsDir), "analyse__zh.json"))
	if err != nil {
		t.Fatalf("no record in UnitsDir: %v", err)
	}
	var rec struct {
		Inputs []struct {
			Path string `json:"path"`
		} `json:"inputs"`
		Outputs []string `json:"outputs"`
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.Inputs) != 1 || rec.Inputs[0].Path != "in.txt" || len(rec.Outputs) != 1 || rec.Outputs[0] != "out.txt" {
		t.Errorf("record names %+v and %v, want in.txt and out.txt relative to the folder", rec.Inputs, rec.Outputs)
	}
	d.Close()
	moved := filepath.Join(base, "b")
	if err := os.Rename(d.Workdir, moved); err != nil {
		t.Fatal(err)
	}
	d2 := open(t, moved)
	u.d = d2
	res, err := d2.Runner(nil).Run(context.Background(), u, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "up to date" || u.runs != 1 {
		t.Errorf("in the moved folder: %s after %d runs, want up to date after 1", res.Status, u.runs)
	}
}
