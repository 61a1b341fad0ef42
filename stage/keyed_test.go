// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package stage

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestKeyed: a file is made once per key; another key, a failed make or
// a file removed behind the key's back make it again, and a failed make
// leaves no key that would pass a partial file off as made.
func TestKeyed(t *testing.T) {
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	const name = "delphes/s.root"
	runs := 0
	mk := func(content string) func() error {
		return func() error {
			runs++
			return os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
		}
	}
	check := func(step string, made bool, err error, wantMade bool, wantRuns int) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if made != wantMade || runs != wantRuns {
			t.Errorf("%s: made %v after %d runs, want %v after %d", step, made, runs, wantMade, wantRuns)
		}
	}
	made, err := Keyed(root, name, "k1", mk("a"))
	check("first", made, err, true, 1)
	made, err = Keyed(root, name, "k1", mk("b"))
	check("same key", made, err, false, 1)
	if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != "a" {
		t.Errorf("the file of the same key was replaced: %q", b)
	}
	made, err = Keyed(root, name, "k2", mk("c"))
	check("another key", made, err, true, 2)

	boom := errors.New("boom")
	if _, err := Keyed(root, name, "k3", func() error { runs++; return boom }); !errors.Is(err, boom) {
		t.Errorf("a failed make: %v, want boom", err)
	}
	if _, err := os.Stat(filepath.Join(dir, name+".key")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed make left the key: %v", err)
	}
	made, err = Keyed(root, name, "k2", mk("d"))
	check("after a failure", made, err, true, 4)

	if err := os.Remove(filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
	made, err = Keyed(root, name, "k2", mk("e"))
	check("file removed", made, err, true, 5)
	if b, _ := os.ReadFile(filepath.Join(dir, name+".key")); string(b) != "k2" {
		t.Errorf("key file holds %q, want k2", b)
	}
}
