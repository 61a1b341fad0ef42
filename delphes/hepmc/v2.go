// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package hepmc

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"sort"
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

	var buf bytes.Buffer
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
		buf.WriteString(s)
		buf.WriteByte('\n')
		nlines++
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
	bcs := make([]int, 0, len(gev.Particles))
	for bc := range gev.Particles {
		bcs = append(bcs, bc)
	}
	sort.Ints(bcs)
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
