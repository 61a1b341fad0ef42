// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package lockfile gives a folder one writer at a time: an exclusive lock
// on a lock file inside it, which records who holds it.
//
// The lock itself is flock(2) on the file, so the kernel releases it when
// its holder ends, however it ends: a crashed or killed process never
// leaves a lock that blocks. The file's content is the holder's record
// (pid, host, start time, command), used for the messages only: a second
// writer is told who holds the lock. The record is cleared when the lock is
// released, so a record found under a free lock is one a holder left when
// it died. On the same host that is a stale lock, taken over with a
// warning. A record of another host is refused, naming the host, unless
// Options.Force: flock on a network file system may not reach the other
// host, and only the user can tell whether that process still runs.
//
// On systems without flock(2) (not Unix) the record is kept but nothing
// is locked.
package lockfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Holder is the record of the process holding a lock.
type Holder struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Start   time.Time `json:"start"`
	Command string    `json:"command"`
}

func (h *Holder) String() string {
	s := fmt.Sprintf("pid %d on host %s since %s", h.PID, h.Host, h.Start.Local().Format("2006-01-02 15:04:05"))
	if h.Command != "" {
		s += fmt.Sprintf(" (%s)", h.Command)
	}
	return s
}

// HeldError is the error of Acquire when another process holds the lock,
// or when the recorded holder is on another host.
type HeldError struct {
	What   string  // what the lock guards, as Options.What
	Path   string  // the lock file
	Holder *Holder // nil if the holder left no readable record
	// OtherHost is set when the lock is free here but its record names
	// another host.
	OtherHost bool
}

func (e *HeldError) Error() string {
	folder := e.What
	switch {
	case e.OtherHost:
		return fmt.Sprintf("lockfile: %s was locked by %s, another host, and not released: if that process no longer runs, run again with --force-unlock (lock file %s)", folder, e.Holder, e.Path)
	case e.Holder == nil:
		return fmt.Sprintf("lockfile: %s is in use by another goldmine (lock file %s); wait for it to finish", folder, e.Path)
	}
	return fmt.Sprintf("lockfile: %s is in use by %s; wait for it to finish (lock file %s)", folder, e.Holder, e.Path)
}

// Options configures Acquire. A nil *Options means all defaults.
type Options struct {
	// Command is recorded as the holder's command.
	Command string
	// Force takes a free lock whose record names another host.
	Force bool
	// Warn, if not nil, receives a line when a stale lock is taken over.
	Warn io.Writer
	// What names what the lock guards in messages. Empty means the
	// folder that holds the lock file's folder (FOLDER for
	// FOLDER/.goldmine/lock).
	What string
}

// Lock is a held lock. Release it when done.
type Lock struct {
	f    *os.File
	path string
}

// Acquire takes the lock file name inside root (its folder is created if
// needed) at once, or fails: with a *HeldError naming the holder if
// another process holds it. It never waits.
func Acquire(root *os.Root, name string, o *Options) (*Lock, error) {
	var opts Options
	if o != nil {
		opts = *o
	}
	path := filepath.Join(root.Name(), name)
	what := opts.What
	if what == "" {
		what = filepath.Dir(filepath.Dir(path))
	}
	if dir := filepath.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("lockfile: could not create the folder of %s: %w", path, err)
		}
	}
	f, err := root.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lockfile: could not open %s: %w", path, err)
	}
	ok, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lockfile: could not lock %s: %w", path, err)
	}
	prev, _ := readHolder(f)
	if !ok {
		// The holder writes its record just after it takes the lock: a
		// process that lost the race by microseconds waits a little for
		// the record, so that its message names the holder.
		for i := 0; prev == nil && i < 40; i++ {
			time.Sleep(50 * time.Millisecond)
			prev, _ = readHolder(f)
		}
		f.Close()
		return nil, &HeldError{What: what, Path: path, Holder: prev}
	}
	l := &Lock{f: f, path: path}
	me := self(opts.Command)
	if prev != nil && prev.PID != 0 {
		if prev.Host != me.Host && !opts.Force {
			l.close()
			return nil, &HeldError{What: what, Path: path, Holder: prev, OtherHost: true}
		}
		if opts.Warn != nil {
			why := "which no longer runs"
			if prev.Host != me.Host {
				why = "forced (--force-unlock)"
			} else if alive(prev.PID) {
				why = "which does not hold it (its pid now belongs to another process)"
			}
			fmt.Fprintf(opts.Warn, "goldmine: warning: took over the lock of %s left by %s, %s\n", what, prev, why)
		}
	}
	if err := l.write(me); err != nil {
		l.close()
		return nil, fmt.Errorf("lockfile: could not record the holder in %s: %w", path, err)
	}
	return l, nil
}

// Probe reports whether another process holds the lock file name inside
// root now, with the holder's record (nil if it left none). A missing lock
// file is a free lock. Probe takes the lock for an instant to find out: an
// Acquire of another process at that instant fails as if the lock were
// held, so Probe is for a check before work (a merge making sure that no
// shard still writes), not for a loop.
func Probe(root *os.Root, name string) (held bool, h *Holder, err error) {
	path := filepath.Join(root.Name(), name)
	f, err := root.OpenFile(name, os.O_RDONLY, 0)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil, nil
	}
	if err != nil {
		return false, nil, fmt.Errorf("lockfile: could not open %s: %w", path, err)
	}
	defer f.Close()
	ok, err := tryLock(f)
	if err != nil {
		return false, nil, fmt.Errorf("lockfile: could not probe %s: %w", path, err)
	}
	if ok {
		return false, nil, unlock(f)
	}
	h, _ = readHolder(f)
	return true, h, nil
}

// Release clears the holder's record and releases the lock. Release of a
// nil *Lock, and a second Release, do nothing.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Truncate(0)
	if cerr := l.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("lockfile: could not release %s: %w", l.path, err)
	}
	return nil
}

// close releases the lock without clearing the record.
func (l *Lock) close() error {
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

func (l *Lock) write(h *Holder) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := l.f.Truncate(0); err != nil {
		return err
	}
	if _, err := l.f.WriteAt(append(b, '\n'), 0); err != nil {
		return err
	}
	return l.f.Sync()
}

// self is the record of this process.
func self(command string) *Holder {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	return &Holder{PID: os.Getpid(), Host: host, Start: time.Now().UTC().Truncate(time.Second), Command: command}
}

// readHolder reads the record of f; nil with no error for an empty file.
func readHolder(f *os.File) (*Holder, error) {
	b := make([]byte, 4096)
	n, err := f.ReadAt(b, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	s := strings.TrimSpace(string(b[:n]))
	if s == "" {
		return nil, nil
	}
	var h Holder
	if err := json.Unmarshal([]byte(s), &h); err != nil {
		return nil, err
	}
	return &h, nil
}
