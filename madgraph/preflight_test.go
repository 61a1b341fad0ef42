// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package madgraph

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeInstall lays out a stand-in MG5_aMC installation (bin/mg5_aMC, the
// stand-in, and a madgraph folder, so that every preflight check applies)
// and returns its mg5_aMC and a file the stand-in creates when it runs a
// command file.
func fakeInstall(t *testing.T) (mg5, started string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "MG5_aMC_v3_5_7")
	for _, d := range []string{"bin", "madgraph", "models"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	started = filepath.Join(dir, "started")
	src, err := os.ReadFile(fakeMG5(t))
	if err != nil {
		t.Fatal(err)
	}
	// Mark every real start (a command file), not the --help check.
	text := strings.Replace(string(src), "# --- invoked as mg5_aMC COMMANDFILE", "[ \"${1:-}\" = --help ] || touch "+started+"\n# --- invoked as mg5_aMC COMMANDFILE", 1)
	mg5 = filepath.Join(dir, "bin", "mg5_aMC")
	if err := os.WriteFile(mg5, []byte(text), 0o755); err != nil {
		t.Fatal(err)
	}
	return mg5, started
}

// fakeTools writes executables into a new folder: name → shell script body.
func fakeTools(t *testing.T, tools map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range tools {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Stand-in interpreters: "-c CHECK [reweight]" is the preflight's check;
// anything else is the (bash) stand-in mg5_aMC with its arguments.
const (
	goodPython  = `[ "$1" = -c ] || exec bash "$@"; echo "3.11 $0"`
	noNumPy     = `[ "$1" = -c ] || exec bash "$@"; echo "3.11 $0"; if [ $# -gt 2 ]; then echo "Traceback (most recent call last):"; echo "ModuleNotFoundError: No module named 'numpy'"; exit 1; fi`
	fakeFortran = `exit 0`
)

func TestPreflight(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("the stand-in MG5 needs bash")
	}
	sysPath := os.Getenv("PATH")
	for _, tc := range []struct {
		name   string
		tools  map[string]string // on PATH, first
		python string            // madgraph.python: a tool name, or ""
		bare   bool              // PATH holds only the tools (no gfortran, f2py, ...)
		bkg    bool              // background runs only (no reweighting)
		want   []string          // substrings of the one-line error; nil: passes
	}{
		{"python without numpy", map[string]string{"python3": noNumPy, "f2py3": fakeFortran, "gfortran": fakeFortran}, "python3", false, false,
			[]string{"cannot import numpy", "madgraph.python / GOLDMINE_PYTHON", "python3-numpy", "runs mg5_aMC"}},
		{"python3 on PATH without numpy", map[string]string{"python3": noNumPy, "f2py3": fakeFortran, "gfortran": fakeFortran}, "", false, false,
			[]string{"cannot import numpy", "found first on PATH", "madgraph.python / GOLDMINE_PYTHON"}},
		{"no numpy needed without reweighting", map[string]string{"python3": noNumPy, "gfortran": fakeFortran}, "python3", false, true, nil},
		{"no gfortran", map[string]string{"python3": goodPython, "f2py3": fakeFortran}, "python3", true, false,
			[]string{"gfortran not found", "apt-get install gfortran"}},
		{"no f2py", map[string]string{"python3": goodPython, "gfortran": fakeFortran}, "python3", true, false,
			[]string{"no f2py"}},
		{"too old", map[string]string{"python3": `echo "2.7 $0"; echo "Python 2.7 is too old for MG5_aMC 3 (3.7 or later)"; exit 1`, "gfortran": fakeFortran}, "python3", false, true,
			[]string{"too old", "3.7 or later"}},
		{"all there", map[string]string{"python3": goodPython, "f2py3": fakeFortran, "gfortran": fakeFortran}, "python3", false, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t, t.TempDir())
			mg5, started := fakeInstall(t)
			cfg.MG5 = mg5
			cfg.Timeout = 30 * time.Second
			if tc.bkg {
				cfg.Runs = []Run{{Name: "bkg", Background: true}}
			} else {
				cfg.Runs = cfg.Runs[:1]
			}
			dir := fakeTools(t, tc.tools)
			if tc.python != "" {
				cfg.Python = filepath.Join(dir, tc.python)
			}
			path := dir + string(os.PathListSeparator) + sysPath
			if tc.bare {
				path = dir
			}
			t.Setenv("PATH", path)
			start := time.Now()
			res, err := Generate(context.Background(), cfg)
			d := time.Since(start)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("preflight failed: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrPreflight) {
				t.Fatalf("err = %v, want ErrPreflight", err)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans lines:\n%s", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q: %s", w, msg)
				}
			}
			// The bound for a Python without numpy; the other
			// checks only need to be quick on a loaded machine.
			limit := 10 * time.Second
			if strings.Contains(msg, "numpy") {
				limit = time.Second
			}
			if d > limit {
				t.Errorf("preflight took %v, want under %v", d, limit)
			}
			// Nothing of MG5 ran.
			if _, err := os.Stat(started); err == nil {
				t.Error("MG5 was started before the preflight failed")
			}
			if _, err := os.Stat(res.Plan.GenerateLog); err == nil {
				t.Error("the process generation ran before the preflight failed")
			}
		})
	}
}

// TestPreflightRealPython gives MG5 a real Python without numpy: a fresh
// virtual environment of the system's python3.
func TestPreflightRealPython(t *testing.T) {
	base, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	venv := filepath.Join(t.TempDir(), "venv")
	if out, err := exec.Command(base, "-m", "venv", "--without-pip", venv).CombinedOutput(); err != nil {
		t.Skipf("could not make a virtual environment: %v\n%s", err, out)
	}
	py := filepath.Join(venv, "bin", "python3")
	if exec.Command(py, "-c", "import numpy").Run() == nil {
		t.Skip("the virtual environment sees numpy")
	}
	cfg := testConfig(t, t.TempDir())
	mg5, started := fakeInstall(t)
	cfg.MG5, cfg.Python = mg5, py
	cfg.Runs = cfg.Runs[:1]
	start := time.Now()
	_, err = Generate(context.Background(), cfg)
	d := time.Since(start)
	if !errors.Is(err, ErrPreflight) || !strings.Contains(err.Error(), py) || !strings.Contains(err.Error(), "No module named 'numpy'") {
		t.Fatalf("err = %v, want a preflight error naming %s and numpy", err, py)
	}
	if d > time.Second {
		t.Errorf("preflight took %v, want under a second", d)
	}
	if _, err := os.Stat(started); err == nil {
		t.Error("MG5 was started")
	}
	t.Logf("%v: %v", d, err)
}
