// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workdir

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/lockfile"
)

// TestFiles: WriteJSON writes indented JSON through the root and refuses
// a symbolic link planted to a folder outside; Remove and Clear take a
// missing name; Fresh replaces a folder by an empty one.
func TestFiles(t *testing.T) {
	d := open(t, t.TempDir())
	v := map[string]any{"a": []float64{1, 2.5}}
	if err := d.WriteJSON("r.json", v); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(d.Path("r.json"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"a\": [\n    1,\n    2.5\n  ]\n}\n"; string(b) != want {
		t.Errorf("r.json = %q, want %q", b, want)
	}
	outside := t.TempDir()
	if err := os.Symlink(outside, d.Path("models")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if err := d.WriteJSON(filepath.Join("models", "r.json"), v); err == nil {
		t.Error("WriteJSON through a planted link: no error")
	}
	if _, err := os.Stat(filepath.Join(outside, "r.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file was written outside the working directory: %v", err)
	}

	if err := d.Remove("r.json"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d.Path("r.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("r.json after Remove: %v", err)
	}
	if err := d.Remove("r.json"); err != nil {
		t.Errorf("Remove of a missing file: %v", err)
	}
	if err := d.Clear("never"); err != nil {
		t.Errorf("Clear of a missing folder: %v", err)
	}

	sub := filepath.Join("shards", "s", "0")
	if err := os.MkdirAll(d.Path(sub, "deep"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.Path(sub, "deep", "old"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Fresh(sub); err != nil {
		t.Fatal(err)
	}
	if ents, err := os.ReadDir(d.Path(sub)); err != nil || len(ents) != 0 {
		t.Errorf("Fresh folder: %v entries, %v; want empty", len(ents), err)
	}
	if err := d.Fresh(filepath.Join("new", "folder")); err != nil {
		t.Errorf("Fresh of a new folder: %v", err)
	}
	if err := d.Clear("shards"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d.Path("shards")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("shards after Clear: %v", err)
	}
}

// part is what the writers of sub-folders write in TestReadParts.
type part struct{ N int }

// TestReadParts: the parts are read in order; a missing part is an error
// that does not wrap fs.ErrNotExist; a part whose sub-folder is locked is
// refused naming the holder; a damaged part is an error naming it.
func TestReadParts(t *testing.T) {
	noFlock(t)
	d := open(t, t.TempDir())
	var names []string
	for k, sub := range []string{"shards/s/0", "shards/s/1"} {
		name := filepath.Join(filepath.FromSlash(sub), "part.json")
		if err := os.MkdirAll(d.Path(filepath.FromSlash(sub)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := d.WriteJSON(name, part{N: k + 1}); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	got, err := ReadParts[part](d, names)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].N != 1 || got[1].N != 2 {
		t.Errorf("parts %v, want N 1 and 2", got)
	}

	missing := filepath.Join("shards", "s", "2", "part.json")
	if _, err := ReadParts[part](d, append(names, missing)); err == nil || errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), d.Path(missing)) {
		t.Errorf("a missing part: %v; want an error naming it, not fs.ErrNotExist", err)
	}

	other := open(t, d.Workdir)
	release, err := other.LockSub("shards/s/1", "shard 1 still writing", false, nil)
	if err != nil {
		t.Fatal(err)
	}
	var held *lockfile.HeldError
	if _, err := ReadParts[part](d, names); !errors.As(err, &held) || !strings.Contains(err.Error(), "shard 1 still writing") {
		t.Errorf("a part being written: %v", err)
	}
	release()

	if err := os.WriteFile(d.Path(names[0]), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadParts[part](d, names); err == nil || !strings.Contains(err.Error(), d.Path(names[0])) {
		t.Errorf("a damaged part: %v", err)
	}
}
