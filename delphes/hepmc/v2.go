// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package hepmc

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	gohepmc "go-hep.org/x/hep/hepmc"
)

// next2 reads one HepMC2 IO_GenEvent event. The lines of the event are
// collected here (which gives line numbers for errors and the N line,
// whose quoted names may contain spaces) and decoded by go-hep's hepmc
// decoder.
func (r *Reader) next2() (bool, error) {
	ev := &r.ev
	ev.Weights = ev.Weights[:0]
	ev.Particles = ev.Particles[:0]
	ev.Attributes = nil

	var (
		buf    bytes.Buffer
		counts counts2
	)
	for {
		s, ok := r.next()
		if !ok {
			if err := r.scanErr(); err != nil {
				return false, err
			}
			if ev.Line > 0 {
				return false, nil // see the note on missing END lines below.
			}
			return false, r.errorf(r.line, "no event before the end of the file")
		}
		t := strings.TrimSpace(s)
		if t == "" {
			continue
		}
		if t == endV2 {
			return false, nil
		}
		if s[0] != 'E' {
			return false, r.errorf(r.line, "expected an E line, got %q", truncate(s))
		}
		ev.Line = r.line
		if err := counts.line(r.line, strings.Fields(s)); err != nil {
			return false, r.errorf(r.line, "%v", err)
		}
		for _, h := range r.v2header {
			buf.WriteString(h)
			buf.WriteByte('\n')
		}
		buf.WriteString(s)
		buf.WriteByte('\n')
		break
	}
	var (
		nline  string
		nlnum  int
		hasU   bool
		nlines int
	)

	for {
		s, ok := r.next()
		if !ok {
			if err := r.scanErr(); err != nil {
				return false, err
			}
			// Files written by an interrupted job lack the END line: the
			// last event is kept if it decodes completely (go-hep checks
			// its vertex and particle counts).
			break
		}
		t := strings.TrimSpace(s)
		if t == "" {
			continue
		}
		if t == endV2 || s[0] == 'E' {
			r.unread(s)
			break
		}
		switch s[0] {
		case 'N':
			nline, nlnum = s, r.line
			continue
		case 'U':
			hasU = true
		}
		if err := counts.line(r.line, strings.Fields(s)); err != nil {
			return false, r.errorf(r.line, "%v", err)
		}
		buf.WriteString(s)
		buf.WriteByte('\n')
		nlines++
	}

	if err := counts.check(); err != nil {
		return false, r.errorf(ev.Line, "event: %v", err)
	}
	var gev gohepmc.Event
	if err := decode2(buf.Bytes(), nlines, &gev); err != nil {
		return false, r.errorf(ev.Line, "event: %v (truncated or malformed)", err)
	}
	ev.Number = gev.EventNumber
	ev.Weights = append(ev.Weights, gev.Weights.Slice...)
	if nline != "" {
		names, err := parseNLine(nline)
		if err != nil {
			return false, r.errorf(nlnum, "N line: %v", err)
		}
		switch {
		case len(names) != len(ev.Weights):
			return false, r.errorf(nlnum, "N line names %d weights, the E line at line %d has %d", len(names), ev.Line, len(ev.Weights))
		case r.names == nil:
			r.names = names
		case !slices.Equal(r.names, names):
			return false, r.errorf(nlnum, "weight names differ from those of the first event")
		}
	} else if len(r.names) > 0 && len(r.names) != len(ev.Weights) {
		return false, r.errorf(ev.Line, "event %d has %d weights, earlier events named %d", ev.Number, len(ev.Weights), len(r.names))
	}

	scale := 1.0
	if hasU && gev.MomentumUnit == gohepmc.MEV {
		scale = 1e-3
	}
	bcs := slices.AppendSeq(make([]int, 0, len(gev.Particles)), maps.Keys(gev.Particles))
	slices.Sort(bcs)
	for _, bc := range bcs {
		p := gev.Particles[bc]
		ev.Particles = append(ev.Particles, Particle{
			ID: p.Barcode, PID: int(p.PdgID), Status: p.Status,
			Px: p.Momentum.Px() * scale, Py: p.Momentum.Py() * scale,
			Pz: p.Momentum.Pz() * scale, E: p.Momentum.E() * scale,
			M: p.GeneratedMass * scale,
		})
	}
	return true, nil
}

// decode2 decodes one event with go-hep's decoder. Panics inside go-hep
// become errors. go-hep's decoder reads lines in a goroutine that ends
// only once it has handed over the end of its input, so the decoder is
// drained in the background; that goroutine never blocks the caller.
func decode2(text []byte, nlines int, gev *gohepmc.Event) (err error) {
	dec := gohepmc.NewDecoder(bytes.NewReader(text))
	defer func() {
		if e := recover(); e != nil {
			err = fmt.Errorf("go-hep hepmc: %v", e)
		}
		go func() {
			// Each Decode call consumes at least one line.
			for range nlines + 4 {
				var tmp gohepmc.Event
				if safeDecode(dec, &tmp) == io.EOF {
					return
				}
			}
		}()
	}()
	if err := dec.Decode(gev); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	return nil
}

func safeDecode(dec *gohepmc.Decoder, ev *gohepmc.Event) (err error) {
	defer func() {
		if e := recover(); e != nil {
			err = fmt.Errorf("%v", e)
		}
	}()
	return dec.Decode(ev)
}

// counts2 checks the counts that HepMC2 E, V and P lines declare against
// what the event holds, before go-hep's decoder allocates from them: the
// random states and weights of a line must be on the line, the vertices
// and the particles of the vertices must be lines of the event.
type counts2 struct {
	vertices  int   // declared by the E line
	particles int64 // declared by the V lines (orphans + outgoing)
	vLines    int
	pLines    int
	eLine     int
}

// line records the tokens f of one line of the event (at line number ln).
func (c *counts2) line(ln int, f []string) error {
	if len(f) == 0 {
		return nil
	}
	count := func(i int) (int, bool) {
		if i >= len(f) {
			return 0, false
		}
		n, err := strconv.Atoi(f[i])
		return n, err == nil
	}
	switch f[0] {
	case "E":
		// E evt mpi scale aqcd aqed proc bc nvtx bp1 bp2 nrndm rndm... nw w...
		c.eLine = ln
		nv, ok := count(8)
		if !ok {
			return nil // go-hep reports the malformed line
		}
		if nv < 0 {
			return fmt.Errorf("the E line declares %d vertices", nv)
		}
		c.vertices = nv
		nr, ok := count(11)
		if !ok {
			return nil
		}
		if nr < 0 || 12+nr >= len(f) {
			return fmt.Errorf("the E line declares %d random states, the line holds %d fields", nr, len(f))
		}
		if nw, ok := count(12 + nr); ok && (nw < 0 || 13+nr+nw > len(f)) {
			return fmt.Errorf("the E line declares %d weights, the line holds %d fields", nw, len(f))
		}
	case "V":
		// V bc id x y z t orphans nout nw w...
		c.vLines++
		no, ok1 := count(7)
		nout, ok2 := count(8)
		nw, ok3 := count(9)
		if !ok1 || !ok2 || !ok3 {
			return nil
		}
		if no < 0 || nout < 0 || nw < 0 || 10+nw > len(f) {
			return fmt.Errorf("the V line declares %d orphans, %d outgoing particles and %d weights (the line holds %d fields)", no, nout, nw, len(f))
		}
		c.particles += int64(no) + int64(nout)
	case "P":
		// P bc pid px py pz e m status theta phi endvtx nflow flow...
		c.pLines++
		if nf, ok := count(12); ok && (nf < 0 || 13+2*nf > len(f)) {
			return fmt.Errorf("the P line declares %d flow entries, the line holds %d fields", nf, len(f))
		}
	}
	return nil
}

// check compares the declared vertices and particles with the lines.
func (c *counts2) check() error {
	if c.vertices > c.vLines {
		return fmt.Errorf("the E line (line %d) declares %d vertices, the event has %d V lines (truncated or malformed)", c.eLine, c.vertices, c.vLines)
	}
	if c.particles > int64(c.pLines) {
		return fmt.Errorf("the V lines declare %d particles, the event has %d P lines (truncated or malformed)", c.particles, c.pLines)
	}
	return nil
}
