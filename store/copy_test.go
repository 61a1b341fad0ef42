// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestCopyDirIn: the copy replaces what dst held (a stale file is gone)
// with the files of src, byte for byte; a missing src is fs.ErrNotExist
// and leaves dst alone; a folder inside src is refused.
// tempRoot returns a temporary folder opened as a root.
func tempRoot(t *testing.T) (*os.Root, string) {
	t.Helper()
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return root, dir
}

func TestCopyDirIn(t *testing.T) {
	root, dir := tempRoot(t)
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("src/x.npy", "x data")
	write("src/manifest.json", "{}")
	write("dst/stale.npy", "old")
	if err := CopyDirIn(root, "src", "dst"); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "dst"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 2 || names[0] != "manifest.json" || names[1] != "x.npy" {
		t.Errorf("dst holds %v, want [manifest.json x.npy]", names)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "dst", "x.npy")); err != nil || string(b) != "x data" {
		t.Errorf("dst/x.npy: %q, %v", b, err)
	}

	if err := CopyDirIn(root, "missing", "dst"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing src: %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "dst", "x.npy")); err != nil {
		t.Errorf("a missing src cleared dst: %v", err)
	}
	write("bad/sub/y", "y")
	if err := CopyDirIn(root, "bad", "out"); err == nil {
		t.Error("a folder inside src copied")
	}
	if err := CopyDirIn(root, "../outside", "out2"); err == nil {
		t.Error("a src outside the root copied")
	}
}

func TestWriteJSONIn(t *testing.T) {
	root, dir := tempRoot(t)
	v := map[string]any{"a": 1.5, "b": []string{"x"}}
	if err := WriteJSONIn(root, "r.json", v); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "r.json"))
	if err != nil {
		t.Fatal(err)
	}
	const want = "{\n  \"a\": 1.5,\n  \"b\": [\n    \"x\"\n  ]\n}\n"
	if string(b) != want {
		t.Errorf("wrote %q, want %q", b, want)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSONIn(root, "r2.json", func() {}); err == nil {
		t.Error("a function encoded as JSON")
	}
	if _, err := os.Stat(filepath.Join(dir, "r2.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed write left r2.json: %v", err)
	}
}
