// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package stage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/goldmine-hep/goldmine/internal/atomicfile"
)

// A Unit is one step of a workflow.
type Unit interface {
	// ID names the unit, for example "analyse" or, for a shard,
	// "analyse/zh-3".
	ID() string
	// Config returns the configuration the outputs depend on besides
	// the inputs, in a canonical encoding.
	Config() ([]byte, error)
	// Inputs lists the files and directories the unit reads.
	Inputs() ([]string, error)
	// Outputs lists the files and directories it writes.
	Outputs() []string
	// Run runs the unit and returns its result.
	Run(ctx context.Context) (any, error)
}

// Incomplete is implemented by results of runs that finished without
// making the unit's outputs (a job folder prepared for a program that is
// not installed): such a run is not recorded.
type Incomplete interface{ Incomplete() bool }

// Input is the content hash of one input of a unit.
type Input struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Record is what a Runner keeps of a finished unit.
type Record struct {
	Unit     string    `json:"unit"`
	Key      string    `json:"key"`
	Inputs   []Input   `json:"inputs"`
	Outputs  []string  `json:"outputs"`
	Finished time.Time `json:"finished"`
}

// Result is the outcome of Runner.Run.
type Result struct {
	Name    string   `json:"name"`
	Status  string   `json:"status"` // StatusRan, StatusUpToDate or StatusIncomplete
	Seconds float64  `json:"seconds,omitempty"`
	Outputs []string `json:"outputs,omitempty"`
	Key     string   `json:"key,omitempty"`
	// Value is the unit's result when it ran.
	Value any `json:"-"`
}

// The statuses of a Result.
const (
	StatusRan        = "ran"
	StatusUpToDate   = "up to date"
	StatusIncomplete = "incomplete"
)

// Runner runs units and keeps their records.
type Runner struct {
	// Records is the directory of the records.
	Records string
	// Root names inputs and outputs relative to it in records and keys
	// (so that a working directory can move); "" keeps them as given.
	Root string
	// Dir, if not nil, is the folder of the records opened as an os.Root:
	// Records is then a folder inside it, and records are read, written
	// and removed only through it.
	Dir *os.Root
	// Log, if not nil, receives a line per unit.
	Log io.Writer
}

// keyVersion changes whenever the key's layout does.
const keyVersion = "goldmine unit key 1"

// Key returns the key of u and the content hashes of its inputs.
func (r *Runner) Key(u Unit) (string, []Input, error) {
	cfg, err := u.Config()
	if err != nil {
		return "", nil, err
	}
	ins, err := u.Inputs()
	if err != nil {
		return "", nil, err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00", keyVersion, u.ID(), len(cfg))
	h.Write(cfg)
	var hashes []Input
	for _, p := range ins {
		ch, err := ContentHash(p)
		if err != nil {
			return "", nil, fmt.Errorf("stage: input of %s: %w", u.ID(), err)
		}
		name := r.relative(p)
		fmt.Fprintf(h, "\x00%s\x00%s", name, ch)
		hashes = append(hashes, Input{Path: name, SHA256: ch})
	}
	return hex.EncodeToString(h.Sum(nil)), hashes, nil
}

// relative names a file by its path below Root, or as it is.
func (r *Runner) relative(p string) string {
	if r.Root == "" {
		return p
	}
	if rel, err := filepath.Rel(r.Root, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(rel)
	}
	return p
}

// RecordPath is the record file of the unit id.
func (r *Runner) RecordPath(id string) string {
	if r.Dir != nil {
		return filepath.Join(r.Dir.Name(), r.recordName(id))
	}
	return r.recordName(id)
}

// recordName is the record file of the unit id: inside Dir if set.
func (r *Runner) recordName(id string) string {
	return filepath.Join(r.Records, strings.ReplaceAll(id, "/", "__")+".json")
}

// Record returns the record of the unit id, or nil if there is none (or
// it cannot be read: that only means running again).
func (r *Runner) Record(id string) *Record {
	var b []byte
	var err error
	if r.Dir != nil {
		b, err = r.Dir.ReadFile(r.recordName(id))
	} else {
		b, err = os.ReadFile(r.recordName(id))
	}
	if err != nil {
		return nil
	}
	var rec Record
	if json.Unmarshal(b, &rec) != nil {
		return nil
	}
	return &rec
}

// Run runs u unless it is up to date (force runs it anyway) and records
// its key when it finished. The record is removed before the unit runs.
func (r *Runner) Run(ctx context.Context, u Unit, force bool) (*Result, error) {
	key, inputs, err := r.Key(u)
	if err != nil {
		return nil, err
	}
	outs := u.Outputs()
	res := &Result{Name: u.ID(), Outputs: outs, Key: key}
	if !force {
		if rec := r.Record(u.ID()); rec != nil && rec.Key == key && allExist(outs) {
			res.Status = StatusUpToDate
			r.logf("%s: up to date\n", u.ID())
			return res, nil
		}
	}
	if err := r.remove(r.recordName(u.ID())); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("stage: could not clear the record of %s: %w", u.ID(), err)
	}
	r.logf("%s: running\n", u.ID())
	start := time.Now()
	v, err := u.Run(ctx)
	if err != nil {
		return nil, err
	}
	res.Value, res.Seconds, res.Status = v, time.Since(start).Seconds(), StatusRan
	if inc, ok := v.(Incomplete); ok && inc.Incomplete() {
		res.Status = StatusIncomplete
		return res, nil
	}
	rec := Record{Unit: u.ID(), Key: key, Inputs: inputs, Finished: time.Now().UTC()}
	for _, o := range outs {
		rec.Outputs = append(rec.Outputs, r.relative(o))
	}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := r.write(r.recordName(u.ID()), append(b, '\n')); err != nil {
		return nil, fmt.Errorf("stage: could not record %s: %w", u.ID(), err)
	}
	return res, nil
}

func (r *Runner) remove(name string) error {
	if r.Dir != nil {
		return r.Dir.Remove(name)
	}
	return os.Remove(name)
}

// write writes a record, creating its folder.
func (r *Runner) write(name string, data []byte) error {
	if r.Dir != nil {
		if err := r.Dir.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		return atomicfile.WriteFileIn(r.Dir, name, data, 0o644)
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(name, data, 0o644)
}

func (r *Runner) logf(format string, args ...any) {
	if r.Log != nil {
		fmt.Fprintf(r.Log, format, args...)
	}
}

func allExist(paths []string) bool {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return false
		}
	}
	return true
}

// absent is the content hash of a missing input.
const absent = "absent"

// ContentHash returns the SHA-256 of a file's content; for a directory,
// "dir:" and the SHA-256 of its files' slash-separated names and content
// hashes, sorted by name, hidden files and directories left out; for a
// missing path, "absent".
func ContentHash(path string) (string, error) {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return absent, nil
	}
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		return fileHash(path)
	}
	var names []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != path {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	h := sha256.New()
	for _, p := range names {
		fh, err := fileHash(p)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(path, p)
		fmt.Fprintf(h, "%s\x00%s\x00", filepath.ToSlash(rel), fh)
	}
	return "dir:" + hex.EncodeToString(h.Sum(nil)), nil
}

// fileHash streams a file through SHA-256.
func fileHash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.CopyBuffer(h, f, make([]byte, 1<<20)); err != nil {
		return "", fmt.Errorf("could not read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
