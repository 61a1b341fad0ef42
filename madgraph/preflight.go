// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package madgraph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ErrPreflight reports that the machine lacks something MG5 needs; the
// message says in one line what to install or set.
var ErrPreflight = errors.New("madgraph: preflight")

// preflightTimeout bounds each check (an interpreter's start-up).
const preflightTimeout = 30 * time.Second

// Preflight checks, before any MG5 work, what the campaign of the plan
// needs: that mg5_aMC starts, that the Python MG5 will use (Plan.Python,
// and the python3 its "#!/usr/bin/env python3" scripts find first on the
// scripts' PATH) is Python 3.7 or later and imports numpy and numpy.f2py
// when a run is reweighted, that an f2py for it is on PATH, and that
// gfortran is there to compile the process. A failure wraps ErrPreflight
// with one line saying what to install or set.
//
// The tool checks are made only for an MG5_aMC installation (an
// mg5_aMC whose folder above holds the madgraph package); a wrapper or
// stand-in elsewhere gets only the start-up check.
func (p *Plan) Preflight(ctx context.Context) error {
	mg5Dir := filepath.Dir(filepath.Dir(p.MG5))
	real := isDir(filepath.Join(mg5Dir, "madgraph"))
	env := p.env()
	if real {
		reweight := false
		for _, pr := range p.Runs {
			reweight = reweight || !pr.Background
		}
		if err := p.checkPython(ctx, env, reweight); err != nil {
			return err
		}
		if _, err := lookPathIn("gfortran", env); err != nil {
			return fmt.Errorf("%w: gfortran not found on PATH: MG5 compiles every process with it (Debian: apt-get install gfortran)", ErrPreflight)
		}
	}
	// Does mg5_aMC start? Its option parser answers --help before it loads
	// anything heavy.
	args := []string{p.MG5, "--help"}
	if p.Python != "" {
		args = append([]string{p.Python}, args...)
	}
	out, err := run(ctx, env, args...)
	if ctx.Err() != nil {
		// Cancelled or out of time: not a fault of the installation.
		return fmt.Errorf("madgraph: preflight: %w", ctx.Err())
	}
	if err != nil || !bytes.Contains(out, []byte("mg5_aMC")) {
		return fmt.Errorf("%w: %s does not start (%s): %s", ErrPreflight, strings.Join(args, " "), errText(err), firstLine(out))
	}
	return nil
}

// pythonCheck prints the interpreter's version and imports what MG5's
// reweighting needs.
const pythonCheck = `import sys
print("%d.%d %s" % (sys.version_info[0], sys.version_info[1], sys.executable))
if sys.version_info < (3, 7):
    sys.exit("Python %d.%d is too old for MG5_aMC 3 (3.7 or later)" % sys.version_info[:2])
if len(sys.argv) > 1:
    import numpy, numpy.f2py
`

// checkPython checks the interpreter that runs mg5_aMC and the python3
// MG5's own scripts find on PATH.
func (p *Plan) checkPython(ctx context.Context, env []string, reweight bool) error {
	type interp struct{ path, role string }
	var pys []interp
	if p.Python != "" {
		pys = append(pys, interp{p.Python, "the Python that runs mg5_aMC (madgraph.python / GOLDMINE_PYTHON)"})
	}
	py3, err := lookPathIn("python3", env)
	if err != nil {
		return fmt.Errorf("%w: no python3 on PATH for MG5's \"#!/usr/bin/env python3\" scripts: install Python 3 with numpy, or set madgraph.python / GOLDMINE_PYTHON", ErrPreflight)
	}
	if p.Python == "" || !sameExecutable(py3, p.Python) {
		pys = append(pys, interp{py3, "the python3 found first on PATH, which MG5's own scripts (the reweighting among them) run with"})
	}
	args := []string{"-c", pythonCheck}
	if reweight {
		args = append(args, "reweight")
	}
	for _, py := range pys {
		out, err := run(ctx, env, append([]string{py.path}, args...)...)
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			return fmt.Errorf("madgraph: preflight: %w", ctx.Err())
		}
		msg := lastLine(out)
		switch {
		case strings.Contains(msg, "numpy"):
			return fmt.Errorf("%w: %s is %s and cannot import numpy, which MG5's reweighting needs (%s): install numpy for it, or set madgraph.python / GOLDMINE_PYTHON to a Python 3 with numpy (Debian: /usr/bin/python3 with apt-get install python3-numpy)", ErrPreflight, py.path, py.role, msg)
		case msg != "":
			return fmt.Errorf("%w: %s is %s and fails: %s; set madgraph.python / GOLDMINE_PYTHON to a Python 3.7 or later with numpy", ErrPreflight, py.path, py.role, msg)
		default:
			return fmt.Errorf("%w: %s is %s and does not run (%s); set madgraph.python / GOLDMINE_PYTHON to a Python 3 with numpy", ErrPreflight, py.path, py.role, errText(err))
		}
	}
	if reweight {
		// MG5 compiles the reweighting module with f2py<major>.<minor>,
		// f2py<major> or f2py, whichever it finds first on PATH.
		found := false
		for _, name := range []string{"f2py3", "f2py"} {
			if _, err := lookPathIn(name, env); err == nil {
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("%w: no f2py on PATH: MG5's reweighting compiles with numpy's f2py (Debian: apt-get install python3-numpy; else put the folder of numpy's f2py on PATH)", ErrPreflight)
		}
	}
	return nil
}

// run runs a command with env and returns its combined output.
func run(ctx context.Context, env []string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, preflightTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = env
	cmd.Stdin = nil
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("no answer within %v", preflightTimeout)
	}
	return out.Bytes(), err
}

// lookPathIn finds an executable on the PATH of env.
func lookPathIn(name string, env []string) (string, error) {
	path := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v // the last one counts, as in exec
		}
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		f := filepath.Join(dir, name)
		if fi, err := os.Stat(f); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return f, nil
		}
	}
	return "", exec.ErrNotFound
}

// sameExecutable reports whether a and b are the same file (after
// symbolic links). A venv's python3 is a link to the base interpreter
// but runs with the venv's packages, so links are compared by name first.
func sameExecutable(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	if filepath.Dir(a) != filepath.Dir(b) {
		return false
	}
	ra, err1 := filepath.EvalSymlinks(a)
	rb, err2 := filepath.EvalSymlinks(b)
	return err1 == nil && err2 == nil && ra == rb
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func errText(err error) string {
	if err == nil {
		return "no usage text"
	}
	return err.Error()
}

func firstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

func lastLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}
