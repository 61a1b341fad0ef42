// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workflow

import (
	"fmt"
	"strings"

	"github.com/goldmine-hep/goldmine/internal/quote"
)

// pieceKind is what a piece of an argument stands for.
type pieceKind int

const (
	pieceText pieceKind = iota
	pieceInput
	pieceShardInput
	pieceShardValue
	pieceOutput
	pieceShardID
	pieceThreads
)

// Piece is part of a command argument: literal text, or a reference to the
// job's files, shard or threads.
type Piece struct {
	kind  pieceKind
	text  string
	index int
}

// Text is literal text.
func Text(s string) Piece { return Piece{kind: pieceText, text: s} }

// In stands for the rule's input k: one file, or, for a gather, every
// shard's file (then it must be a whole argument, and becomes one
// argument per file).
func In(k int) Piece { return Piece{kind: pieceInput, index: k} }

// ShardIn stands for input k of the job's shard (Shard.Inputs; for a rule
// with shards from a checkpoint, ShardIn(0) is the shard's file in the
// checkpoint's directory).
func ShardIn(k int) Piece { return Piece{kind: pieceShardInput, index: k} }

// ShardValue stands for value k of the job's shard (Shard.Values).
func ShardValue(k int) Piece { return Piece{kind: pieceShardValue, index: k} }

// Out stands for the job's output k.
func Out(k int) Piece { return Piece{kind: pieceOutput, index: k} }

// ShardID stands for the job's shard id.
var ShardID = Piece{kind: pieceShardID}

// Threads stands for the number of threads Snakemake gives the job (the
// rule's Threads, or fewer when Snakemake has fewer cores).
var Threads = Piece{kind: pieceThreads}

// Arg is one command argument: its pieces, concatenated.
type Arg struct{ pieces []Piece }

// Join returns the argument made of the pieces, concatenated.
func Join(pieces ...Piece) Arg { return Arg{pieces: append([]Piece(nil), pieces...)} }

// Cmd returns a command from its arguments, each a string (literal text),
// a Piece or an Arg. It panics on any other type.
func Cmd(args ...any) []Arg {
	out := make([]Arg, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case string:
			out[i] = Join(Text(a))
		case Piece:
			out[i] = Join(a)
		case Arg:
			out[i] = a
		default:
			panic(fmt.Sprintf("workflow: Cmd argument %d is %T, want string, Piece or Arg", i, a))
		}
	}
	return out
}

// checkCommand checks the references of r's command.
func checkCommand(r *Rule) error {
	for i, a := range r.Command {
		if len(a.pieces) == 0 {
			return fmt.Errorf("workflow: rule %s: command argument %d is empty", r.Name, i)
		}
		for _, p := range a.pieces {
			bad := func(format string, args ...any) error {
				return fmt.Errorf("workflow: rule %s: command argument %d: "+format, append([]any{r.Name, i}, args...)...)
			}
			switch p.kind {
			case pieceText:
				if err := checkValue("rule "+r.Name+": command text", p.text); err != nil {
					return err
				}
			case pieceInput:
				if p.index < 0 || p.index >= len(r.Inputs) {
					return bad("no input %d", p.index)
				}
			case pieceOutput:
				if p.index < 0 || p.index >= len(r.Outputs) {
					return bad("no output %d", p.index)
				}
			case pieceShardID:
				if !r.sharded() {
					return bad("the rule has no shards")
				}
			case pieceShardInput:
				if r.ShardsFrom != "" {
					if p.index != 0 {
						return bad("a rule with shards from a checkpoint has one shard input, its file")
					}
					continue
				}
				if !r.sharded() {
					return bad("the rule has no shards")
				}
				for _, s := range r.Shards {
					if p.index < 0 || p.index >= len(s.Inputs) {
						return bad("shard %s has no input %d", s.ID, p.index)
					}
				}
			case pieceShardValue:
				if r.ShardsFrom != "" || !r.sharded() {
					return bad("shard values need listed shards")
				}
				for _, s := range r.Shards {
					if p.index < 0 || p.index >= len(s.Values) {
						return bad("shard %s has no value %d", s.ID, p.index)
					}
				}
			}
		}
	}
	return nil
}

// segment is a part of a rendered command: quoted shell text, or a
// reference that Snakemake fills in at run time (config.yaml writes it as
// a one-key mapping, the Snakefile's _command joins the parts).
type segment struct {
	text   string // quoted shell text, when ref == ""
	ref    string // "threads", "shard", "output", "shard_input", "gather"
	idx    int
	gather gatherMarker
}

// job is what one job of a rule needs, with every static reference
// resolved.
type job struct {
	inputs  []any // strings, or gather/shard_file markers for dynamic rules
	outputs []string
	shard   *Shard
	id      string
}

// resolved is a piece turned into words: static text (possibly several
// words for a gather) or a run-time reference.
type resolved struct {
	words  []string
	ref    string
	idx    int
	gather gatherMarker
}

// render turns the command of r for job j into segments. Static pieces
// are resolved and quoted here; only what Snakemake knows alone (the
// threads; for rules with shards from a checkpoint also the shard id and
// the files) is left as a reference.
func (w *writer) render(r *Rule, j *job) ([]segment, error) {
	var segs []segment
	add := func(s segment) {
		if s.ref == "" && len(segs) > 0 && segs[len(segs)-1].ref == "" {
			segs[len(segs)-1].text += s.text
			return
		}
		segs = append(segs, s)
	}
	for i, a := range r.Command {
		if i > 0 {
			add(segment{text: " "})
		}
		var parts []resolved
		for _, p := range a.pieces {
			rp, err := w.resolve(r, j, p)
			if err != nil {
				return nil, fmt.Errorf("workflow: rule %s: command argument %d: %w", r.Name, i, err)
			}
			parts = append(parts, rp)
		}
		if len(parts) == 1 && parts[0].ref == "gather" {
			add(segment{ref: "gather", gather: parts[0].gather})
			continue
		}
		if len(parts) == 1 && parts[0].ref == "" {
			// One piece, possibly several words (a gather).
			if len(parts[0].words) == 0 {
				return nil, fmt.Errorf("workflow: rule %s: command argument %d expands to nothing", r.Name, i)
			}
			add(segment{text: quote.ShellJoin(parts[0].words)})
			continue
		}
		// Concatenated pieces: static runs are quoted as one word each,
		// references stand between them.
		var run strings.Builder
		open := false
		flush := func() {
			if open {
				add(segment{text: quote.Shell(run.String())})
				run.Reset()
				open = false
			}
		}
		for _, rp := range parts {
			if rp.ref == "gather" {
				return nil, fmt.Errorf("workflow: rule %s: command argument %d: the outputs of rule %s, known only at run time, must be an argument of their own", r.Name, i, rp.gather.Rule)
			}
			if rp.ref != "" {
				flush()
				add(segment{ref: rp.ref, idx: rp.idx})
				continue
			}
			if len(rp.words) != 1 {
				return nil, fmt.Errorf("workflow: rule %s: command argument %d: a gather of %d files must be an argument of its own", r.Name, i, len(rp.words))
			}
			run.WriteString(rp.words[0])
			open = true
		}
		flush()
	}
	return segs, nil
}

// resolve resolves one piece for job j of rule r.
func (w *writer) resolve(r *Rule, j *job, p Piece) (resolved, error) {
	dynamic := r.ShardsFrom != ""
	switch p.kind {
	case pieceText:
		return resolved{words: []string{p.text}}, nil
	case pieceThreads:
		return resolved{ref: "threads"}, nil
	case pieceShardID:
		if dynamic {
			return resolved{ref: "shard"}, nil
		}
		return resolved{words: []string{j.id}}, nil
	case pieceOutput:
		if dynamic {
			return resolved{ref: "output", idx: p.index}, nil
		}
		return resolved{words: []string{j.outputs[p.index]}}, nil
	case pieceShardInput:
		if dynamic {
			return resolved{ref: "shard_input"}, nil
		}
		return resolved{words: []string{j.shard.Inputs[p.index]}}, nil
	case pieceShardValue:
		return resolved{words: []string{j.shard.Values[p.index]}}, nil
	case pieceInput:
		files, err := w.inputFiles(r, j, r.Inputs[p.index])
		if err != nil {
			return resolved{}, err
		}
		if g, ok := files[0].(gatherMarker); ok {
			return resolved{ref: "gather", gather: g}, nil
		}
		words := make([]string, len(files))
		for k, f := range files {
			words[k] = f.(string)
		}
		return resolved{words: words}, nil
	}
	return resolved{}, fmt.Errorf("unknown piece")
}

// inputFiles resolves one input of rule r for job j: file names, or a
// gather marker for the outputs of a rule whose shards come from a
// checkpoint.
func (w *writer) inputFiles(r *Rule, j *job, in Input) ([]any, error) {
	if in.File != "" {
		return []any{in.File}, nil
	}
	src := w.rules[in.Rule]
	pattern := src.Outputs[in.Output]
	switch {
	case !src.sharded():
		return []any{pattern}, nil
	case sameShards(r, src):
		return []any{strings.ReplaceAll(pattern, "{shard}", j.id)}, nil
	case src.ShardsFrom != "":
		return []any{gatherMarker{Rule: src.Name, Output: in.Output}}, nil
	}
	files := make([]any, len(src.Shards))
	for k, s := range src.Shards {
		files[k] = strings.ReplaceAll(pattern, "{shard}", s.ID)
	}
	return files, nil
}

// gatherMarker stands in config.yaml for every output k of a rule whose
// shards come from a checkpoint.
type gatherMarker struct {
	Rule   string
	Output int
}
