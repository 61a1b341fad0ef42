// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package stage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// copyUnit copies its input to its output and counts its runs; fail makes
// it write half its output and fail.
type copyUnit struct {
	id, in, out string
	cfg         string
	runs        int
	fail        bool
}

func (u *copyUnit) ID() string                { return u.id }
func (u *copyUnit) Config() ([]byte, error)   { return []byte(u.cfg), nil }
func (u *copyUnit) Inputs() ([]string, error) { return []string{u.in}, nil }
func (u *copyUnit) Outputs() []string         { return []string{u.out} }

func (u *copyUnit) Run(context.Context) (any, error) {
	u.runs++
	b, err := os.ReadFile(u.in)
	if err != nil {
		return nil, err
	}
	if u.fail {
		os.WriteFile(u.out, b[:len(b)/2], 0o644)
		return nil, errors.New("interrupted")
	}
	return len(b), os.WriteFile(u.out, b, 0o644)
}

func TestRunner(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	if err := os.WriteFile(in, []byte("events 0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &Runner{Records: filepath.Join(dir, ".records"), Root: dir}
	u := &copyUnit{id: "copy/shard-1", in: in, out: filepath.Join(dir, "out.txt"), cfg: "a"}
	ctx := context.Background()
	status := func(force bool) string {
		t.Helper()
		res, err := r.Run(ctx, u, force)
		if err != nil {
			t.Fatal(err)
		}
		return res.Status
	}
	for _, tc := range []struct {
		name   string
		change func()
		force  bool
		want   string
	}{
		{"first", func() {}, false, StatusRan},
		{"again", func() {}, false, StatusUpToDate},
		{"forced", func() {}, true, StatusRan},
		{"touched", func() { now := time.Now().Add(time.Hour); os.Chtimes(in, now, now) }, false, StatusUpToDate},
		{"edited in place, same size and time", func() {
			st, _ := os.Stat(in)
			os.WriteFile(in, []byte("events 0123456788"), 0o644)
			os.Chtimes(in, st.ModTime(), st.ModTime())
		}, false, StatusRan},
		{"new configuration", func() { u.cfg = "b" }, false, StatusRan},
		{"output deleted", func() { os.Remove(u.out) }, false, StatusRan},
		{"unchanged", func() {}, false, StatusUpToDate},
	} {
		tc.change()
		if got := status(tc.force); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	if u.runs != 5 {
		t.Errorf("%d runs, want 5", u.runs)
	}
	rec := r.Record(u.ID())
	if rec == nil || rec.Inputs[0].Path != "in.txt" || rec.Outputs[0] != "out.txt" {
		t.Errorf("record %+v", rec)
	}
	if filepath.Base(r.RecordPath(u.ID())) != "copy__shard-1.json" {
		t.Errorf("record path %s", r.RecordPath(u.ID()))
	}

	// A failed (interrupted) run leaves no record behind, so the unit is
	// not taken for up to date although its output exists.
	u.fail = true
	if _, err := r.Run(ctx, u, true); err == nil {
		t.Fatal("no error")
	}
	if r.Record(u.ID()) != nil {
		t.Error("a failed unit kept its record")
	}
	u.fail = false
	if got := status(false); got != StatusRan {
		t.Errorf("after a failure: %s, want %s", got, StatusRan)
	}
}

func TestContentHash(t *testing.T) {
	dir := t.TempDir()
	if h, err := ContentHash(filepath.Join(dir, "none")); err != nil || h != absent {
		t.Errorf("missing file: %q %v", h, err)
	}
	d := filepath.Join(dir, "model")
	os.MkdirAll(filepath.Join(d, "member_0"), 0o755)
	os.WriteFile(filepath.Join(d, "member_0", "w.npy"), []byte("w"), 0o644)
	os.WriteFile(filepath.Join(d, "model.json"), []byte("{}"), 0o644)
	h1, err := ContentHash(d)
	if err != nil {
		t.Fatal(err)
	}
	// Hidden (temporary) files do not count; content and names do.
	os.WriteFile(filepath.Join(d, ".tmp-123"), []byte("partial"), 0o644)
	if h, _ := ContentHash(d); h != h1 {
		t.Error("a hidden file changed the hash")
	}
	os.WriteFile(filepath.Join(d, "member_0", "w.npy"), []byte("v"), 0o644)
	h2, _ := ContentHash(d)
	os.Rename(filepath.Join(d, "member_0", "w.npy"), filepath.Join(d, "member_0", "v.npy"))
	h3, _ := ContentHash(d)
	if h2 == h1 || h3 == h2 {
		t.Errorf("content or name changes not seen: %s %s %s", h1, h2, h3)
	}
}
