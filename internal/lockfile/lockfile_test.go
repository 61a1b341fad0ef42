// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lockfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func openRoot(t *testing.T) (*os.Root, string) {
	t.Helper()
	dir := t.TempDir()
	r, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, dir
}

const name = ".goldmine/lock"

func TestAcquire(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no flock")
	}
	r, dir := openRoot(t)
	var warn bytes.Buffer
	l, err := Acquire(r, name, &Options{Command: "goldmine run card.yaml", Warn: &warn})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	var h Holder
	if err := json.Unmarshal(b, &h); err != nil || h.PID != os.Getpid() || h.Command != "goldmine run card.yaml" || h.Host == "" || h.Start.IsZero() {
		t.Fatalf("record %s (%v), want this process", b, err)
	}
	// A second writer fails at once, naming the holder.
	start := time.Now()
	_, err = Acquire(r, name, &Options{Command: "goldmine train card.yaml"})
	var he *HeldError
	if !errors.As(err, &he) || he.Holder == nil || he.Holder.PID != os.Getpid() {
		t.Fatalf("second Acquire: %v, want a HeldError naming pid %d", err, os.Getpid())
	}
	for _, want := range []string{dir, "pid " + strconv.Itoa(os.Getpid()), "goldmine run card.yaml", h.Host} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("second Acquire took %v, want at once", d)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if err := l.Release(); err != nil {
		t.Errorf("second Release: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, name)); len(b) != 0 {
		t.Errorf("record %q left after Release", b)
	}
	l, err = Acquire(r, name, &Options{Warn: &warn})
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	l.Release()
	if warn.Len() != 0 {
		t.Errorf("warnings for clean locks: %q", warn.String())
	}
}

func writeRecord(t *testing.T, dir string, h Holder) {
	t.Helper()
	b, _ := json.Marshal(h)
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestStaleAndOtherHost(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no flock")
	}
	r, dir := openRoot(t)
	if err := os.MkdirAll(filepath.Join(dir, ".goldmine"), 0o755); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	dead := deadPID(t)
	writeRecord(t, dir, Holder{PID: dead, Host: host, Start: time.Unix(1e9, 0), Command: "goldmine run old.yaml"})
	var warn bytes.Buffer
	l, err := Acquire(r, name, &Options{Warn: &warn})
	if err != nil {
		t.Fatalf("stale lock: %v", err)
	}
	l.Release()
	if w := warn.String(); !strings.Contains(w, "pid "+strconv.Itoa(dead)) || !strings.Contains(w, "no longer runs") || !strings.Contains(w, "old.yaml") {
		t.Errorf("warning %q, want one naming the dead holder", w)
	}

	writeRecord(t, dir, Holder{PID: 4242, Host: "elsewhere.example", Start: time.Unix(1e9, 0), Command: "goldmine run x.yaml"})
	_, err = Acquire(r, name, nil)
	var he *HeldError
	if !errors.As(err, &he) || !he.OtherHost || !strings.Contains(err.Error(), "elsewhere.example") || !strings.Contains(err.Error(), "--force-unlock") {
		t.Fatalf("lock of another host: %v, want a refusal naming it", err)
	}
	warn.Reset()
	l, err = Acquire(r, name, &Options{Force: true, Warn: &warn})
	if err != nil {
		t.Fatalf("forced: %v", err)
	}
	l.Release()
	if !strings.Contains(warn.String(), "elsewhere.example") {
		t.Errorf("forced take-over warning %q", warn.String())
	}
}

// deadPID returns the pid of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// TestKilledHolder: a holder killed with SIGKILL leaves a lock that the
// next Acquire takes over (the kernel released the flock), with a warning.
func TestKilledHolder(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no flock")
	}
	_, dir := openRoot(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHolder$")
	cmd.Env = append(os.Environ(), "LOCKFILE_HELPER_DIR="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		if bytes.Contains(b, []byte(`"pid":`+strconv.Itoa(cmd.Process.Pid))) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the helper did not take the lock")
		}
		time.Sleep(20 * time.Millisecond)
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := Acquire(r, name, nil); err == nil || !strings.Contains(err.Error(), "pid "+strconv.Itoa(cmd.Process.Pid)) {
		t.Fatalf("while the helper runs: %v, want a refusal naming it", err)
	}
	if held, h, err := Probe(r, name); err != nil || !held || h == nil || h.PID != cmd.Process.Pid || h.Command != "helper" {
		t.Errorf("Probe while the helper runs: held %v, holder %+v, %v", held, h, err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if held, h, err := Probe(r, name); err != nil || held {
		t.Errorf("Probe after the holder was killed: held %v, holder %+v, %v", held, h, err)
	}
	if held, _, err := Probe(r, "no/such.lock"); err != nil || held {
		t.Errorf("Probe of a missing lock file: held %v, %v", held, err)
	}
	var warn bytes.Buffer
	l, err := Acquire(r, name, &Options{Warn: &warn})
	if err != nil {
		t.Fatalf("after the holder was killed: %v", err)
	}
	l.Release()
	if !strings.Contains(warn.String(), "no longer runs") {
		t.Errorf("warning %q", warn.String())
	}
}

// TestHelperHolder holds the lock of $LOCKFILE_HELPER_DIR until killed.
func TestHelperHolder(t *testing.T) {
	dir := os.Getenv("LOCKFILE_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process of TestKilledHolder")
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(r, name, &Options{Command: "helper"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Minute)
}
