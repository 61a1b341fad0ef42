// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/scigolib/hdf5"
)

// maxStringLen is the longest string that fits a MadMiner S256 field as
// written by the HDF5 library (null-terminated).
const maxStringLen = 255

// recoverErr turns a panic inside the HDF5 library into an error.
func recoverErr(err *error, path string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("store: %s: malformed HDF5 file (reader panicked: %v)", path, r)
	}
}

// h5Writer creates MadMiner-layout datasets through the HDF5 library.
type h5Writer struct {
	fw     *hdf5.FileWriter
	path   string // final path, for messages
	groups map[string]bool
}

func newH5Writer(tmp, path string) (*h5Writer, error) {
	fw, err := hdf5.CreateForWrite(tmp, hdf5.CreateTruncate)
	if err != nil {
		return nil, fmt.Errorf("store: could not create %s: %w", path, err)
	}
	return &h5Writer{fw: fw, path: path, groups: make(map[string]bool)}, nil
}

func (w *h5Writer) ensureGroup(name string) error {
	g := name[:strings.LastIndexByte(name, '/')]
	if g == "" || w.groups[g] {
		return nil
	}
	if _, err := w.fw.CreateGroup(g); err != nil {
		return fmt.Errorf("store: %s: could not create group %s: %w", w.path, g, err)
	}
	w.groups[g] = true
	return nil
}

func (w *h5Writer) create(name string, dt hdf5.Datatype, dims []uint64, opts ...hdf5.DatasetOption) (*hdf5.DatasetWriter, error) {
	if err := w.ensureGroup(name); err != nil {
		return nil, err
	}
	ds, err := w.fw.CreateDataset(name, dt, dims, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: could not create dataset %s: %w", w.path, name, err)
	}
	return ds, nil
}

func (w *h5Writer) strings(name string, v []string) error {
	for i, s := range v {
		if len(s) > maxStringLen {
			return fmt.Errorf("store: %s: %s[%d] is %d bytes long, the S256 limit is %d (it starts %.40q)", w.path, name, i, len(s), maxStringLen, s)
		}
		for j := 0; j < len(s); j++ {
			if s[j] == 0 || s[j] >= 0x80 {
				return fmt.Errorf("store: %s: %s[%d] %q is not printable ASCII", w.path, name, i, s)
			}
		}
	}
	return w.write(name, hdf5.String, []uint64{uint64(len(v))}, v, hdf5.WithStringSize(256))
}

// stringTable writes a table of n records as one string dataset per
// column, group/cols[j] in the order of cols; row(i) returns record i's
// values, one per column.
func (w *h5Writer) stringTable(group string, cols []string, n int, row func(i int) []string) error {
	v := make([][]string, len(cols))
	for i := range n {
		for j, s := range row(i) {
			v[j] = append(v[j], s)
		}
	}
	for j, c := range cols {
		if err := w.strings(group+"/"+c, v[j]); err != nil {
			return err
		}
	}
	return nil
}

func (w *h5Writer) floats(name string, dims []uint64, v []float64) error {
	return w.write(name, hdf5.Float64, dims, v)
}

func (w *h5Writer) ints(name string, dims []uint64, v []int64) error {
	return w.write(name, hdf5.Int64, dims, v)
}

// write creates the dataset name of type dt and shape dims and writes v
// (a slice of the matching Go type) into it.
func (w *h5Writer) write(name string, dt hdf5.Datatype, dims []uint64, v any, opts ...hdf5.DatasetOption) error {
	ds, err := w.create(name, dt, dims, opts...)
	if err != nil {
		return err
	}
	if err := ds.Write(v); err != nil {
		return fmt.Errorf("store: %s: could not write %s: %w", w.path, name, err)
	}
	return nil
}

func (w *h5Writer) close() error {
	if err := w.fw.Close(); err != nil {
		return fmt.Errorf("store: could not finish %s: %w", w.path, err)
	}
	return nil
}

// dsInfo is what the library's Dataset.Info reports about a dataset.
type dsInfo struct {
	class   string // "float", "integer", "string", ...
	size    int    // element size in bytes
	shape   []int  // nil for a scalar
	scalar  bool
	contig  bool
	addr    uint64 // data address if contig
	nbytes  uint64 // data size if contig
	compact int64  // size of the data held in the header if compact, else -1
	chunk   []int  // chunk dimensions (one per dimension) if chunked
}

var (
	infoTypeRE    = regexp.MustCompile(`^Dataset: (\w+) \(size=(\d+) bytes\)`)
	infoShapeRE   = regexp.MustCompile(`(\d+)D array \[([^\]]*)\]`)
	infoContigRE  = regexp.MustCompile(`contiguous \(address=0x([0-9A-Fa-f]+), size=(\d+)\)`)
	infoCompactRE = regexp.MustCompile(`compact \(size=(\d+)\)`)
	infoChunkedRE = regexp.MustCompile(`chunked \(chunks=\[([0-9 ]*)\]\)`)
)

func parseInfo(s string) (dsInfo, error) {
	var in dsInfo
	m := infoTypeRE.FindStringSubmatch(s)
	if m == nil {
		return in, fmt.Errorf("unrecognised dataset description %q", s)
	}
	in.class = m[1]
	in.size, _ = strconv.Atoi(m[2])
	switch {
	case strings.Contains(s, ", scalar"):
		in.scalar = true
	default:
		m := infoShapeRE.FindStringSubmatch(s)
		if m == nil {
			return in, fmt.Errorf("unrecognised dataset shape in %q", s)
		}
		for _, d := range strings.Split(m[2], " x ") {
			n, err := strconv.Atoi(strings.TrimSpace(d))
			if err != nil {
				return in, fmt.Errorf("unrecognised dataset shape in %q", s)
			}
			in.shape = append(in.shape, n)
		}
		if nd, _ := strconv.Atoi(m[1]); nd != len(in.shape) {
			return in, fmt.Errorf("inconsistent dataset shape in %q", s)
		}
	}
	in.compact = -1
	switch {
	case infoContigRE.MatchString(s):
		m := infoContigRE.FindStringSubmatch(s)
		in.contig = true
		in.addr, _ = strconv.ParseUint(m[1], 16, 64)
		in.nbytes, _ = strconv.ParseUint(m[2], 10, 64)
	case infoCompactRE.MatchString(s):
		in.compact, _ = strconv.ParseInt(infoCompactRE.FindStringSubmatch(s)[1], 10, 64)
	case infoChunkedRE.MatchString(s):
		// The library lists one more chunk dimension: the element size.
		for _, f := range strings.Fields(infoChunkedRE.FindStringSubmatch(s)[1]) {
			n, err := strconv.Atoi(f)
			if err != nil || n <= 0 {
				return in, fmt.Errorf("unrecognised chunk dimensions in %q", s)
			}
			in.chunk = append(in.chunk, n)
		}
		if len(in.chunk) == len(in.shape)+1 {
			in.chunk = in.chunk[:len(in.shape)]
		}
		if len(in.chunk) != len(in.shape) {
			return in, fmt.Errorf("chunk dimensions %v do not match the shape %v", in.chunk, in.shape)
		}
	default:
		return in, fmt.Errorf("unsupported dataset layout in %q", s)
	}
	return in, nil
}

// len returns the number of elements. It is only meaningful once
// checkSize has accepted the shape.
func (in dsInfo) len() int {
	n := 1
	for _, d := range in.shape {
		n *= d
	}
	return n
}

// bytes returns the size of the data the dataspace declares, or -1 if it
// does not fit in an int64.
func (in dsInfo) bytes() int64 {
	n := uint64(max(in.size, 1))
	for _, d := range in.shape {
		if d < 0 {
			return -1
		}
		hi, lo := bits.Mul64(n, uint64(d))
		if hi != 0 || lo > math.MaxInt64 {
			return -1
		}
		n = lo
	}
	return int64(n)
}

// Limits on what a dataset may declare before its data is read.
const (
	// maxChunkBytes bounds one chunk of a chunked dataset.
	maxChunkBytes = 64 << 20
	// maxWholeRead bounds a dataset that is read in one piece (everything
	// but the samples, which are read in batches).
	maxWholeRead = 256 << 20
)

// checkSize checks the dataspace of dataset name against the bytes that
// back it, before the library is asked to read anything: contiguous data
// must lie within the file (of size fileSize), compact data within its
// message, and a chunk must be of a sensible size. The error names the
// file, the dataset and both numbers.
func (in dsInfo) checkSize(path, name string, fileSize int64) error {
	need := in.bytes()
	if need < 0 {
		return fmt.Errorf("store: %s: %s: shape %v of %d-byte values is too large", path, name, in.shape, in.size)
	}
	switch {
	case in.contig:
		if need == 0 {
			return nil
		}
		if in.addr >= uint64(fileSize) || uint64(need) > uint64(fileSize)-in.addr {
			return fmt.Errorf("store: %s: %s: shape %v of %d-byte values needs %d bytes from offset %d, the file has %d bytes (truncated, or a dataset never written?)",
				path, name, in.shape, in.size, need, in.addr, fileSize)
		}
	case in.compact >= 0:
		if need > in.compact {
			return fmt.Errorf("store: %s: %s: shape %v of %d-byte values needs %d bytes, its compact storage holds %d", path, name, in.shape, in.size, need, in.compact)
		}
	case in.chunk != nil:
		c := dsInfo{size: in.size, shape: in.chunk}
		if b := c.bytes(); b < 0 || b > maxChunkBytes {
			return fmt.Errorf("store: %s: %s: chunks of %v values of %d bytes are larger than %d bytes", path, name, in.chunk, in.size, maxChunkBytes)
		}
	}
	return nil
}

// chunksNeeded returns the number of chunks that cover the dataspace.
func (in dsInfo) chunksNeeded() int64 {
	n := int64(1)
	for i, d := range in.shape {
		k := (int64(d) + int64(in.chunk[i]) - 1) / int64(in.chunk[i])
		if k > 0 && n > math.MaxInt64/k {
			return math.MaxInt64
		}
		n *= k
	}
	return n
}

// lookup3 is Bob Jenkins' lookup3 hashlittle, which HDF5 uses for its
// metadata checksums.
func lookup3(k []byte, initval uint32) uint32 {
	a := 0xdeadbeef + uint32(len(k)) + initval
	b, c := a, a
	for len(k) > 12 {
		a += binary.LittleEndian.Uint32(k[0:])
		b += binary.LittleEndian.Uint32(k[4:])
		c += binary.LittleEndian.Uint32(k[8:])
		a, b, c = lookup3Mix(a, b, c)
		k = k[12:]
	}
	if len(k) == 0 {
		return c
	}
	var tail [12]byte
	copy(tail[:], k)
	a += binary.LittleEndian.Uint32(tail[0:])
	b += binary.LittleEndian.Uint32(tail[4:])
	c += binary.LittleEndian.Uint32(tail[8:])
	return lookup3Final(a, b, c)
}

// lookup3Mix is lookup3's mix of three 32-bit words: six rounds of
// x −= z; x ^= z <<< r; z += y, with (x, y, z) going round (a, b, c).
func lookup3Mix(a, b, c uint32) (uint32, uint32, uint32) {
	for _, r := range [...]int{4, 6, 8, 16, 19, 4} {
		a -= c
		a ^= bits.RotateLeft32(c, r)
		c += b
		a, b, c = b, c, a
	}
	return a, b, c // two full turns: back in place
}

// lookup3Final is lookup3's final mix, returning c: seven rounds of
// x ^= y; x −= y <<< r, starting with (x, y) = (c, b) and each round's x
// the next round's y.
func lookup3Final(a, b, c uint32) uint32 {
	x, y, z := c, b, a
	for _, r := range [...]int{14, 11, 25, 16, 4, 14, 24} {
		x ^= y
		x -= bits.RotateLeft32(y, r)
		x, y, z = z, x, y
	}
	return y // c, written last
}

// makeScalar rewrites the dataspace of the one-element dataset whose version-2
// object header is at addr into a scalar dataspace, recomputing the header
// checksum. It checks the existing checksum first, so a header it does not
// understand is reported rather than corrupted.
func makeScalar(f *os.File, addr uint64) error {
	return rewriteDataspace(f, addr, func(msg []byte) error {
		if len(msg) < 16 || msg[0] != 1 || msg[1] != 1 || binary.LittleEndian.Uint64(msg[8:]) != 1 {
			return fmt.Errorf("unexpected dataspace message % x", msg)
		}
		msg[1] = 0 // rank 0: scalar (version-1 dataspace)
		msg[2] = 0 // no maximum dimensions
		return nil
	})
}

// rewriteDataspace lets edit change, in place, the dataspace message of
// the dataset whose version-2 object header is at addr, and writes the
// header back with its checksum recomputed. The existing checksum is
// checked first.
func rewriteDataspace(f *os.File, addr uint64, edit func(msg []byte) error) error {
	pre := make([]byte, 64)
	if _, err := f.ReadAt(pre, int64(addr)); err != nil {
		return fmt.Errorf("could not read object header: %w", err)
	}
	if string(pre[:4]) != "OHDR" || pre[4] != 2 {
		return errors.New("object header is not version 2")
	}
	flags := pre[5]
	off := 6
	if flags&0x20 != 0 {
		off += 16
	}
	if flags&0x10 != 0 {
		off += 4
	}
	width := 1 << (flags & 3)
	var chunk uint64
	for i := 0; i < width; i++ {
		chunk |= uint64(pre[off+i]) << (8 * i)
	}
	off += width
	if chunk > 1<<20 {
		return fmt.Errorf("object header chunk size %d too large", chunk)
	}
	total := uint64(off) + chunk + 4
	buf := make([]byte, total)
	if _, err := f.ReadAt(buf, int64(addr)); err != nil {
		return fmt.Errorf("could not read object header: %w", err)
	}
	body := buf[:total-4]
	if got, want := lookup3(body, 0), binary.LittleEndian.Uint32(buf[total-4:]); got != want {
		return fmt.Errorf("object header checksum %#x, computed %#x", want, got)
	}
	p := off
	end := int(total - 4)
	for p+4 <= end {
		typ := body[p]
		size := int(binary.LittleEndian.Uint16(body[p+1:]))
		p += 4
		if flags&0x04 != 0 {
			p += 2
		}
		if p+size > end {
			return errors.New("object header message overruns its chunk")
		}
		if typ == 1 { // dataspace
			if err := edit(body[p : p+size]); err != nil {
				return err
			}
			binary.LittleEndian.PutUint32(buf[total-4:], lookup3(body, 0))
			if _, err := f.WriteAt(buf, int64(addr)); err != nil {
				return fmt.Errorf("could not write object header: %w", err)
			}
			return nil
		}
		p += size
	}
	return errors.New("object header has no dataspace message")
}

// intsFromFloats converts values the library returned as float64 back to
// int64, checking that each is integral and exactly representable.
func intsFromFloats(v []float64) ([]int64, error) {
	out := make([]int64, len(v))
	for i, x := range v {
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return nil, fmt.Errorf("element %d = %v is not an exact integer", i, x)
		}
		out[i] = int64(x)
	}
	return out, nil
}
