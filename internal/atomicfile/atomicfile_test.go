// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.sh")
	if err := WriteFile(path, []byte("first"), 0o755); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o755 {
		t.Fatalf("stat %v, %v: want mode 0755", fi, err)
	}
	boom := errors.New("boom")
	err := Write(path, 0o644, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return boom
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v, want boom naming %s", err, path)
	}
	if b, _ := os.ReadFile(path); string(b) != "first" {
		t.Errorf("a failed write changed the existing file to %q", b)
	}
	if got := repotest.DirNames(t, dir); len(got) != 1 {
		t.Errorf("directory holds %v after a failed write, want only run.sh", got)
	}
	if err := WriteFile(filepath.Join(dir, "no", "such", "dir.txt"), nil, 0o644); err == nil {
		t.Error("write into a missing directory succeeded")
	}
	// A rename onto a directory fails and leaves no temporary file.
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(sub, []byte("x"), 0o644); err == nil {
		t.Error("write over a non-empty directory succeeded")
	}
	if got := repotest.DirNames(t, dir); len(got) != 2 {
		t.Errorf("directory holds %v after a failed rename, want run.sh and sub", got)
	}
}

// TestWriteInConfined: writes through a root stay inside it, whatever the
// name or a symbolic link planted in the folder says.
func TestWriteInConfined(t *testing.T) {
	top := t.TempDir()
	work, outside := filepath.Join(top, "work"), filepath.Join(top, "outside")
	for _, d := range []string{work, outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(work, "models")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "f"), filepath.Join(work, "dangling")); err != nil {
		t.Fatal(err)
	}
	r, err := os.OpenRoot(work)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := WriteFileIn(r, "inside.txt", []byte("ok"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(work, "inside.txt")); err != nil || string(b) != "ok" {
		t.Fatalf("inside.txt: %q, %v", b, err)
	}
	for _, name := range []string{"../escaped", "models/m.json", "/abs", "dangling"} {
		err := WriteFileIn(r, name, []byte("x"), 0o644)
		if err == nil && name == "dangling" {
			// The rename replaced the link itself, inside the folder.
			if fi, err := os.Lstat(filepath.Join(work, "dangling")); err != nil || fi.Mode()&os.ModeSymlink != 0 {
				t.Errorf("dangling: %v %v", fi, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("WriteFileIn(%q) wrote through the root", name)
		}
	}
	if got := repotest.DirNames(t, outside); len(got) != 0 {
		t.Errorf("files appeared outside the root: %v", got)
	}
	if got := repotest.DirNames(t, top); len(got) != 2 {
		t.Errorf("files appeared beside the root: %v", got)
	}
}
