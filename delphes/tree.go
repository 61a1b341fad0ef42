// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strings"

	"go-hep.org/x/hep/groot/rbytes"
	"go-hep.org/x/hep/groot/riofs"
	"go-hep.org/x/hep/groot/rmeta"
)

// Tree gives access to the split TClonesArray branches of one TTree in a
// ROOT file.
type Tree struct {
	path string
	f    *riofs.File
	meta *treeMeta
	size int64 // file size in bytes
}

// OpenTree opens the tree called name in the ROOT file at path.
func OpenTree(path, name string) (t *Tree, err error) {
	defer func() {
		if e := recover(); e != nil {
			t = nil
			err = fmt.Errorf("delphes: %s: could not open tree %q: %v", path, name, e)
		}
	}()
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("delphes: %w", err)
	}
	f, err := riofs.Open(path)
	if err != nil {
		return nil, fmt.Errorf("delphes: %s: could not open file: %w", path, err)
	}
	var (
		key   *riofs.Key
		trees []string
		keys  = f.Keys()
	)
	for i := range keys {
		k := &keys[i]
		if k.ClassName() != "TTree" {
			continue
		}
		trees = append(trees, k.Name())
		if k.Name() == name && (key == nil || k.Cycle() > key.Cycle()) {
			key = k
		}
	}
	if key == nil {
		f.Close()
		return nil, fmt.Errorf("delphes: %s: no tree %q in file (trees: %s)", path, name, strings.Join(uniq(trees), ", "))
	}
	meta, err := readTreeMeta(f, key)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("delphes: %s: %w", path, err)
	}
	return &Tree{path: path, f: f, meta: meta, size: fi.Size()}, nil
}

func uniq(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// Entries returns the number of entries in the tree.
func (t *Tree) Entries() int64 { return t.meta.Entries }

// Branches returns the names of the tree's top-level branches.
func (t *Tree) Branches() []string {
	out := make([]string, len(t.meta.Branches))
	for i, b := range t.meta.Branches {
		out[i] = b.Name
	}
	return out
}

// Close closes the underlying file. It is safe to call more than once.
func (t *Tree) Close() error {
	if t.f == nil {
		return nil
	}
	err := t.f.Close()
	t.f = nil
	if err != nil {
		return fmt.Errorf("delphes: %s: %w", t.path, err)
	}
	return nil
}

// Clones reads members of one split TClonesArray branch.
type Clones struct {
	name    string
	counter *column
	members []*column
	n       int
}

// Clones prepares reading the given members of the split TClonesArray
// branch name, e.g. t.Clones("Jet", "PT", "Eta"). Only the named member
// branches are ever read.
func (t *Tree) Clones(name string, members ...string) (*Clones, error) {
	top := t.meta.find(name)
	if top == nil {
		return nil, fmt.Errorf("delphes: %s: tree %q has no branch %q (branches: %s)", t.path, t.meta.Name, name, strings.Join(t.Branches(), ", "))
	}
	if top.Class != "TBranchElement" || top.Type != 3 {
		return nil, fmt.Errorf("delphes: %s: branch %q is not a split TClonesArray (class %s, type %d)", t.path, name, top.Class, top.Type)
	}
	c := &Clones{name: name}
	var err error
	c.counter, err = t.newColumn(top, rmeta.Int)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		full := name + "." + m
		b := top.find(full)
		if b == nil {
			return nil, fmt.Errorf("delphes: %s: tree %q has no branch %q", t.path, t.meta.Name, full)
		}
		if b.Type != 31 {
			return nil, fmt.Errorf("delphes: %s: branch %q is not a TClonesArray member (type %d)", t.path, full, b.Type)
		}
		col, err := t.newColumn(b, rmeta.Enum(b.StreamerType))
		if err != nil {
			return nil, err
		}
		c.members = append(c.members, col)
	}
	return c, nil
}

// optionalClones is Clones with further members read only if the branch
// has every one of them, after members (Clones.has says whether).
func (t *Tree) optionalClones(name string, members, optional []string) (*Clones, error) {
	if top := t.meta.find(name); top != nil && len(optional) > 0 {
		all := true
		for _, m := range optional {
			all = all && top.find(name+"."+m) != nil
		}
		if all {
			members = append(slices.Clip(members), optional...)
		}
	}
	return t.Clones(name, members...)
}

// Read loads entry i and returns the number of objects it holds.
// Entries are best read in increasing order: each column keeps one
// basket in memory.
func (c *Clones) Read(i int64) (n int, err error) {
	defer func() {
		// Decoding damaged data must not crash the caller.
		if e := recover(); e != nil {
			n, err = 0, c.counter.errorf(i, "could not decode: %v", e)
		}
	}()
	c.n = 0
	raw, err := c.counter.entry(i, 1, nil)
	if err != nil {
		return 0, err
	}
	n = int(int32(binary.BigEndian.Uint32(raw)))
	if n < 0 {
		return 0, c.counter.errorf(i, "negative object count %d", n)
	}
	for _, m := range c.members {
		if _, err := m.entry(i, n, c.counter); err != nil {
			return 0, err
		}
	}
	c.n = n
	return n, nil
}

// has reports whether member m was read (optionalClones reads
// optional members only where the branch has them).
func (c *Clones) has(m int) bool { return m < len(c.members) }

// Len returns the number of objects of the last entry read.
func (c *Clones) Len() int { return c.n }

// Float64 returns member m (index into the members given to Tree.Clones)
// of object j of the last entry read.
func (c *Clones) Float64(m, j int) float64 {
	return c.members[m].float64(j)
}

// Int64 returns member m of object j of the last entry read, which must
// be of an integer type.
func (c *Clones) Int64(m, j int) int64 {
	return c.members[m].int64(j)
}

// column reads the per-entry payload of one branch, basket by basket.
type column struct {
	t    *Tree
	b    *branchMeta
	kind rmeta.Enum
	size int

	ib     int   // loaded basket, -1 if none
	first  int64 // first entry of the loaded basket
	end    int64 // one past its last entry
	data   []byte
	offs   []int32 // entry offsets into data, nil if the basket has none
	raw    []byte
	cur    []byte // payload of the last entry read
	keylen int

	// noOffsets makes the column ignore entry offset arrays, as for
	// baskets written without them (ROOT's generated offset maps); set by
	// tests to exercise that path on files that have them.
	noOffsets bool
}

func (t *Tree) newColumn(b *branchMeta, kind rmeta.Enum) (*column, error) {
	size := basicSize(kind)
	if size == 0 {
		return nil, fmt.Errorf("delphes: %s: branch %q has unsupported type code %d", t.path, b.Name, kind)
	}
	if b.Embedded > 0 {
		return nil, fmt.Errorf("delphes: %s: branch %q has %d baskets stored inside the tree (file not closed properly?): unsupported", t.path, b.Name, b.Embedded)
	}
	if b.Entries != t.meta.Entries {
		return nil, fmt.Errorf("delphes: %s: branch %q has %d entries, tree has %d", t.path, b.Name, b.Entries, t.meta.Entries)
	}
	return &column{t: t, b: b, kind: kind, size: size, ib: -1}, nil
}

func (c *column) errorf(entry int64, format string, args ...any) error {
	return fmt.Errorf("delphes: %s: branch %q: entry %d: %s", c.t.path, c.b.Name, entry, fmt.Sprintf(format, args...))
}

// basketOf returns the index of the basket holding entry.
func (c *column) basketOf(entry int64) int {
	nb := int(c.b.WriteBasket)
	// first basket whose first entry is > entry, minus one.
	k := sort.Search(nb, func(i int) bool { return c.b.BasketEntry[i] > entry })
	return k - 1
}

// load reads and decompresses basket ib.
func (c *column) load(ib int, entry int64) error {
	b := c.b
	seek, nbytes := b.BasketSeek[ib], int(b.BasketBytes[ib])
	first := b.BasketEntry[ib]
	end := b.Entries
	if ib+1 < int(b.WriteBasket) {
		end = b.BasketEntry[ib+1]
	}
	if nbytes <= 0 || seek <= 0 || end <= first {
		return c.errorf(entry, "corrupt basket table (basket %d: seek=%d bytes=%d entries [%d,%d))", ib, seek, nbytes, first, end)
	}
	if size := c.t.size; seek >= size || int64(nbytes) > size-seek {
		return c.errorf(entry, "basket %d of %d bytes at offset %d lies beyond the end of the file (%d bytes; truncated?)", ib, nbytes, seek, size)
	}
	// Only the key header is needed here; the payload is read by Key.Bytes.
	hdrLen := min(nbytes, 1024)
	if cap(c.raw) < hdrLen {
		c.raw = make([]byte, hdrLen)
	}
	raw := c.raw[:hdrLen]
	n, err := c.t.f.ReadAt(raw[:hdrLen], seek)
	if n < hdrLen {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return c.errorf(entry, "could not read basket %d at offset %d (file truncated?): %v", ib, seek, err)
	}
	var key riofs.Key
	r := rbytes.NewRBuffer(raw[:hdrLen], nil, 0, nil)
	if err := key.UnmarshalROOT(r); err != nil {
		return c.errorf(entry, "could not decode basket %d key: %v", ib, err)
	}
	_ = r.ReadI16() // TBasket version
	_ = r.ReadI32() // buffer size
	_ = r.ReadI32() // nev buffer size
	nevbuf := r.ReadI32()
	last := int(r.ReadI32())
	_ = r.ReadU8() // flag
	if err := r.Err(); err != nil {
		return c.errorf(entry, "could not decode basket %d header: %v", ib, err)
	}
	keylen := int(key.KeyLen())
	switch {
	case key.ClassName() != "TBasket" || key.Name() != b.Name:
		return c.errorf(entry, "basket %d at offset %d is a %s %q, not a TBasket of this branch", ib, seek, key.ClassName(), key.Name())
	case key.SeekKey() != seek || int(key.Nbytes()) != nbytes:
		return c.errorf(entry, "basket %d key (seek=%d, bytes=%d) disagrees with the branch (seek=%d, bytes=%d)", ib, key.SeekKey(), key.Nbytes(), seek, nbytes)
	case int64(nevbuf) != end-first:
		return c.errorf(entry, "basket %d holds %d entries, branch expects %d", ib, nevbuf, end-first)
	case r.Pos() != int64(keylen):
		return c.errorf(entry, "basket %d key header length %d, decoded %d", ib, keylen, r.Pos())
	}
	if err := checkObjLen(&key); err != nil {
		return c.errorf(entry, "basket %d: %v", ib, err)
	}
	key.SetFile(c.t.f)
	payload, err := loadKey(&key, c.data)
	if err != nil {
		return c.errorf(entry, "could not read basket %d: %v", ib, err)
	}
	dlen := last - keylen
	if dlen < 0 || dlen > len(payload) {
		return c.errorf(entry, "basket %d: data length %d outside payload of %d bytes", ib, dlen, len(payload))
	}
	c.data = payload
	c.offs = c.offs[:0]
	if rest := payload[dlen:]; len(rest) >= 4 && !c.noOffsets {
		// entry offset array: Int_t count, then count offsets counted
		// from the start of the key. ROOT writes one more slot than
		// there are entries.
		cnt := int(int32(binary.BigEndian.Uint32(rest)))
		if (cnt != int(nevbuf) && cnt != int(nevbuf)+1) || len(rest) < 4+4*cnt {
			return c.errorf(entry, "basket %d: corrupt entry offset array (%d offsets for %d entries)", ib, cnt, nevbuf)
		}
		for k := range int(nevbuf) {
			off := int(int32(binary.BigEndian.Uint32(rest[4+4*k:]))) - keylen
			if off < 0 || off > dlen || (k > 0 && int32(off) < c.offs[k-1]) {
				return c.errorf(entry, "basket %d: entry offset %d out of range", ib, off)
			}
			c.offs = append(c.offs, int32(off))
		}
	} else {
		c.offs = nil
	}
	c.data = payload[:dlen]
	c.ib, c.first, c.end, c.keylen = ib, first, end, keylen
	return nil
}

// maxObjLen bounds the uncompressed size of a key's payload (a basket or
// the tree's metadata) and maxRatio the compression ratio a key may claim:
// the size is read from the key header, before decompressing allocates it.
const (
	maxObjLen = 256 << 20
	maxRatio  = 1000
)

// checkObjLen checks the uncompressed size a key declares.
func checkObjLen(k *riofs.Key) error {
	stored := int64(k.Nbytes()) - int64(k.KeyLen())
	obj := int64(k.ObjLen())
	if obj < 0 || obj > maxObjLen || stored < 0 || obj > max(maxRatio*stored, 1<<20) {
		return fmt.Errorf("key %q declares %d bytes of payload stored in %d bytes (at most %d, and a compression ratio of at most %d)", k.Name(), obj, stored, maxObjLen, maxRatio)
	}
	return nil
}

// loadKey decompresses a key's payload, turning groot panics into errors.
func loadKey(k *riofs.Key, buf []byte) (out []byte, err error) {
	defer func() {
		if e := recover(); e != nil {
			out, err = nil, fmt.Errorf("%v", e)
		}
	}()
	return k.Load(buf[:0])
}

// entry loads the payload of entry i, which holds n elements. For member
// branches without an entry offset array, counter gives the element
// counts of the preceding entries of the basket.
func (c *column) entry(i int64, n int, counter *column) ([]byte, error) {
	if i < 0 || i >= c.b.Entries {
		return nil, c.errorf(i, "out of range [0, %d)", c.b.Entries)
	}
	if c.ib < 0 || i < c.first || i >= c.end {
		ib := c.basketOf(i)
		if ib < 0 {
			return nil, c.errorf(i, "no basket holds this entry")
		}
		if err := c.load(ib, i); err != nil {
			return nil, err
		}
		if i < c.first || i >= c.end {
			return nil, c.errorf(i, "basket %d covers entries [%d,%d)", ib, c.first, c.end)
		}
	}
	k := int(i - c.first)
	want := n * c.size
	var beg, end int
	switch {
	case c.offs != nil:
		beg = int(c.offs[k])
		end = len(c.data)
		if k+1 < len(c.offs) {
			end = int(c.offs[k+1])
		}
	case counter == nil:
		// fixed-size entries.
		beg = k * want
		end = beg + want
	default:
		var before int64
		for j := c.first; j < i; j++ {
			raw, err := counter.entry(j, 1, nil)
			if err != nil {
				return nil, err
			}
			before += int64(int32(binary.BigEndian.Uint32(raw)))
		}
		beg = int(before) * c.size
		end = beg + want
	}
	if end > len(c.data) || end-beg != want {
		return nil, c.errorf(i, "holds %d bytes, want %d elements of %d bytes", end-beg, n, c.size)
	}
	c.cur = c.data[beg:end]
	return c.cur, nil
}

// float64 decodes element j of the current entry.
func (c *column) float64(j int) float64 {
	p := c.cur[j*c.size:]
	switch c.kind {
	case rmeta.Float:
		return float64(math.Float32frombits(binary.BigEndian.Uint32(p)))
	case rmeta.Double:
		return math.Float64frombits(binary.BigEndian.Uint64(p))
	case rmeta.UInt, rmeta.Bits, rmeta.UChar, rmeta.UShort, rmeta.ULong, rmeta.ULong64, rmeta.Bool:
		return float64(c.uint64(p))
	default:
		return float64(c.int64(j))
	}
}

func (c *column) uint64(p []byte) uint64 {
	switch c.size {
	case 1:
		return uint64(p[0])
	case 2:
		return uint64(binary.BigEndian.Uint16(p))
	case 4:
		return uint64(binary.BigEndian.Uint32(p))
	default:
		return binary.BigEndian.Uint64(p)
	}
}

// int64 decodes element j of the current entry as an integer.
func (c *column) int64(j int) int64 {
	p := c.cur[j*c.size:]
	switch c.kind {
	case rmeta.Float, rmeta.Double:
		return int64(c.float64(j))
	case rmeta.UInt, rmeta.Bits, rmeta.UChar, rmeta.UShort, rmeta.ULong, rmeta.ULong64, rmeta.Bool:
		return int64(c.uint64(p))
	}
	switch c.size {
	case 1:
		return int64(int8(p[0]))
	case 2:
		return int64(int16(binary.BigEndian.Uint16(p)))
	case 4:
		return int64(int32(binary.BigEndian.Uint32(p)))
	default:
		return int64(binary.BigEndian.Uint64(p))
	}
}
