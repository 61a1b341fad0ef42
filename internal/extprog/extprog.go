// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package extprog runs the external programs of the simulation chain
// (Pythia 8, Delphes) on one input file each: their output goes to a log
// file, a callback may watch it line by line for progress, cancelling the
// context kills the program, and a failure is an *Error that names the
// program, the input file, the log and the log's last lines. Tail and
// Grep read the logs of these and other programs.
package extprog

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// TailLines is the number of log lines an Error shows.
const TailLines = 12

// DefaultKillDelay is how long a cancelled program has to stop after
// its interrupt signal before it is killed, unless Cmd.KillDelay says.
const DefaultKillDelay = 5 * time.Second

// Cmd is one run of an external program.
type Cmd struct {
	// Path is the executable, Args its arguments (without the program
	// name), Dir its working directory ("" is the current one).
	Path string
	Args []string
	Dir  string
	// Env is added to the environment of the current process.
	Env []string
	// Stdin is the program's standard input; nil is the null device.
	Stdin io.Reader

	// Input is the file the program works on, for error messages.
	Input string
	// Log is the log file that receives standard output and error; it
	// is created or truncated. It must be set.
	Log string
	// Watch, if not nil, is called with every line of the output (lines
	// end at '\n' or '\r'), from one goroutine at a time.
	Watch func(line string)
	// KillDelay is how long the program has to stop after the interrupt
	// when ctx is cancelled; 0 means DefaultKillDelay.
	KillDelay time.Duration
}

// Error is the failure of an external program on one input file.
type Error struct {
	Program string   // base name of the executable
	Input   string   // file it worked on
	Log     string   // its log file
	Tail    []string // last lines of the log
	// Err is the cause: an *exec.ExitError, the context's error when
	// the run was cancelled, or a check of the output that failed.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s on %s failed: %v; log %s", e.Program, e.Input, e.Err, e.Log)
	if len(e.Tail) > 0 {
		b.WriteString(" ends with:")
		for _, l := range e.Tail {
			b.WriteString("\n    ")
			b.WriteString(l)
		}
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Fail returns the *Error of program c with cause err, the log's last
// lines included. Callers use it for checks of the output made after a
// run that exited cleanly.
func (c *Cmd) Fail(err error) *Error {
	return &Error{Program: filepath.Base(c.Path), Input: c.Input, Log: c.Log, Tail: Tail(c.Log, TailLines), Err: err}
}

// Run runs the program to its end. Cancelling ctx sends the program an
// interrupt (SIGINT), then kills it after c.KillDelay. Run returns nil
// only if the program exited with status 0 and ctx was not cancelled
// meanwhile: a program that catches the interrupt and exits cleanly
// with part of its output (Delphes does) still fails. Every other
// outcome is an *Error.
func Run(ctx context.Context, c *Cmd) error {
	if c.Log == "" {
		return &Error{Program: filepath.Base(c.Path), Input: c.Input, Err: errors.New("no log file given")}
	}
	if err := ctx.Err(); err != nil {
		return &Error{Program: filepath.Base(c.Path), Input: c.Input, Log: c.Log, Err: err}
	}
	lf, err := os.Create(c.Log)
	if err != nil {
		return &Error{Program: filepath.Base(c.Path), Input: c.Input, Log: c.Log, Err: fmt.Errorf("could not create the log: %w", err)}
	}
	defer lf.Close()
	fmt.Fprintf(lf, "# goldmine: %s %s\n", c.Path, strings.Join(c.Args, " "))

	cmd := exec.CommandContext(ctx, c.Path, c.Args...)
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), c.Env...)
	cmd.Stdin = c.Stdin
	var out io.Writer = lf
	var lw *lineWriter
	if c.Watch != nil {
		lw = &lineWriter{watch: c.Watch}
		out = io.MultiWriter(lf, lw)
	}
	cmd.Stdout = out
	cmd.Stderr = out
	// Cancelling interrupts the program as Ctrl-C would, and kills it
	// if it has not stopped KillDelay later. WaitDelay also bounds the
	// wait for output copied through a pipe that a grandchild holds
	// open.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = c.KillDelay
	if cmd.WaitDelay <= 0 {
		cmd.WaitDelay = DefaultKillDelay
	}
	err = cmd.Run()
	if lw != nil {
		lw.flush()
	}
	if cerr := ctx.Err(); cerr != nil {
		err = fmt.Errorf("interrupted: %w", cerr)
	}
	if err != nil {
		lf.Sync()
		return c.Fail(err)
	}
	return nil
}

// lineWriter calls watch with each complete line written to it.
type lineWriter struct {
	watch func(string)
	buf   []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexAny(w.buf, "\r\n")
		if i < 0 {
			break
		}
		if i > 0 {
			w.watch(string(w.buf[:i]))
		}
		w.buf = w.buf[i+1:]
	}
	// A program that never ends a line must not grow the buffer
	// without bound.
	if len(w.buf) > 1<<16 {
		w.watch(string(w.buf))
		w.buf = w.buf[:0]
	}
	return len(p), nil
}

func (w *lineWriter) flush() {
	if len(w.buf) > 0 {
		w.watch(string(w.buf))
		w.buf = w.buf[:0]
	}
}

// Tail returns the last n non-empty lines of the file at path, with the
// progress bars that programs redraw with '\r' reduced to their last
// state. It reads at most the last 64 KiB.
func Tail(path string, n int) []string {
	f, err := os.Open(path)
	if err != nil {
		return []string{"(log unreadable: " + err.Error() + ")"}
	}
	defer f.Close()
	const max = 64 << 10
	if fi, err := f.Stat(); err == nil && fi.Size() > max {
		f.Seek(fi.Size()-max, io.SeekStart)
	}
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 2*max)
	for sc.Scan() {
		l := sc.Text()
		if i := strings.LastIndexByte(strings.TrimRight(l, "\r"), '\r'); i >= 0 {
			l = l[i+1:]
		}
		l = strings.TrimRight(l, " \t\r")
		if l == "" {
			continue
		}
		lines = append(lines, l)
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return lines
}

// Grep returns up to max distinct messages of the log at path, in the
// order they first appear, or nil if the log cannot be read. find returns
// the messages one line holds, usually none. Lines of up to 4 MiB are
// read whole; the scan stops at a longer one.
func Grep(path string, max int, find func(line string) []string) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	seen := make(map[string]bool)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	for sc.Scan() && len(out) < max {
		for _, m := range find(sc.Text()) {
			if !seen[m] && len(out) < max {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// Partial returns a fresh hidden file name next to path, for a program
// to write its output to before it is checked and renamed to path: an
// interrupted run leaves at most this file, which does not look like the
// output. No file of that name exists when Partial returns (some
// programs, like Delphes, refuse to overwrite one).
func Partial(path string) (string, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".partial-*")
	if err != nil {
		return "", fmt.Errorf("could not create a temporary file for %s: %w", path, err)
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return "", err
	}
	return name, nil
}

// Leftovers returns the files in dir that Partial named and a run left
// behind (a run killed before it could remove them).
func Leftovers(dir string) []string {
	ents, _ := os.ReadDir(dir)
	var out []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") && strings.Contains(e.Name(), ".partial-") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out
}
