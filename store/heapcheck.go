// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// checkLocalHeaps checks, before the HDF5 library sees the file, that
// every local heap of the file at path (size bytes) claims a data segment
// within the file. The library allocates the segment at the size the heap
// header claims before it reads it, so a header with a flipped bit (8 GB
// for a 4 kB heap, found by FuzzHDF5) would exhaust memory or take the
// process down.
//
// A local heap header is "HEAP", version 0, three zero bytes, the data
// segment's size, the free list's offset (lengths) and the segment's
// address (an offset), with the sizes of lengths and offsets from the
// superblock. The file is read once in blocks, whatever its size, looking
// for such headers; bytes that merely spell "HEAP" in data are not one
// (version and reserved bytes differ), except by a chance of 2⁻³².
func checkLocalHeaps(path string, size int64) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer f.Close()
	var sb [16]byte
	if _, err := f.ReadAt(sb[:], 0); err != nil || string(sb[:8]) != "\x89HDF\r\n\x1a\n" {
		return nil // not an HDF5 file at byte 0: the library says so
	}
	offSize, lenSize := int(sb[13]), int(sb[14])
	if sb[8] >= 2 {
		offSize, lenSize = int(sb[9]), int(sb[10])
	}
	if (offSize != 2 && offSize != 4 && offSize != 8) || (lenSize != 2 && lenSize != 4 && lenSize != 8) {
		return nil // the library refuses the superblock
	}
	word := func(b []byte, n int) uint64 {
		switch n {
		case 2:
			return uint64(binary.LittleEndian.Uint16(b))
		case 4:
			return uint64(binary.LittleEndian.Uint32(b))
		}
		return binary.LittleEndian.Uint64(b)
	}
	head := 8 + 2*lenSize + offSize
	const block = 1 << 16
	buf := make([]byte, block+head)
	var base int64 // file offset of buf[0]
	n := 0         // bytes in buf
	for {
		m, err := io.ReadFull(f, buf[n:])
		n += m
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return fmt.Errorf("store: %s: %w", path, err)
		}
		eof := err != nil
		// Headers that start before limit are whole in buf (or cut by
		// the end of the file).
		limit := n - head + 1
		if eof {
			limit = n
		}
		for i := 0; i < limit; {
			j := bytes.Index(buf[i:n], []byte("HEAP\x00\x00\x00\x00"))
			if j < 0 || i+j >= limit {
				break
			}
			p := i + j
			i = p + 1
			if p+head > n {
				return fmt.Errorf("store: %s: local heap at byte %d: its header is cut by the end of the file (%d bytes)", path, base+int64(p), size)
			}
			seg := word(buf[p+8:], lenSize)
			addr := word(buf[p+8+2*lenSize:], offSize)
			if seg > uint64(size) || addr > uint64(size) || seg > uint64(size)-addr {
				return fmt.Errorf("store: %s: local heap at byte %d claims %d bytes of data at byte %d, beyond the file's %d bytes", path, base+int64(p), seg, addr, size)
			}
		}
		if eof {
			return nil
		}
		// Keep the bytes from which a header could still start.
		keep := n - limit
		copy(buf, buf[limit:n])
		base += int64(limit)
		n = keep
	}
}
