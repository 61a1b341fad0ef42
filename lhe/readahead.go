// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import "io"

// readAhead reads from src in its own goroutine, chunk by chunk, so that
// decompression overlaps with parsing. Chunks are recycled through free.
type readAhead struct {
	full chan chunk
	free chan []byte
	done chan struct{} // closed by stop
	exit chan struct{} // closed when run returns
	cur  chunk
	off  int
	err  error
}

type chunk struct {
	b   []byte
	err error
}

const chunkSize = 256 << 10

func newReadAhead(src io.Reader, n int) *readAhead {
	ra := &readAhead{
		full: make(chan chunk, n),
		free: make(chan []byte, n+2),
		done: make(chan struct{}),
		exit: make(chan struct{}),
	}
	for i := 0; i < n+2; i++ {
		ra.free <- make([]byte, chunkSize)
	}
	go ra.run(src)
	return ra
}

func (ra *readAhead) run(src io.Reader) {
	defer close(ra.exit)
	defer close(ra.full)
	for {
		var b []byte
		select {
		case b = <-ra.free:
		case <-ra.done:
			return
		}
		n, err := fillChunk(src, b)
		select {
		case ra.full <- chunk{b: b[:n], err: err}:
		case <-ra.done:
			return
		}
		if err != nil {
			return
		}
	}
}

// Read implements io.Reader.
func (ra *readAhead) Read(p []byte) (int, error) {
	for ra.off == len(ra.cur.b) {
		if ra.cur.err != nil {
			return 0, ra.cur.err
		}
		if ra.err != nil {
			return 0, ra.err
		}
		if ra.cur.b != nil {
			ra.free <- ra.cur.b[:cap(ra.cur.b)]
		}
		c, ok := <-ra.full
		if !ok {
			ra.err = io.EOF
			ra.cur = chunk{}
			return 0, io.EOF
		}
		ra.cur, ra.off = c, 0
	}
	n := copy(p, ra.cur.b[ra.off:])
	ra.off += n
	return n, nil
}

// stop ends the reading goroutine and waits for it, so that the source
// can be closed safely afterwards. A Read of the source in progress is
// waited for.
func (ra *readAhead) stop() {
	close(ra.done)
	<-ra.exit
}

// fillChunk reads into b until it is full or src fails. Unlike
// io.ReadFull it passes src's error through unchanged, so that a truncated
// gzip stream (io.ErrUnexpectedEOF) stays distinct from a clean end.
func fillChunk(src io.Reader, b []byte) (int, error) {
	n := 0
	empty := 0
	for n < len(b) {
		m, err := src.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
		if m == 0 {
			empty++
			if empty > 100 {
				return n, io.ErrNoProgress
			}
		}
	}
	return n, nil
}
