// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"errors"
	"fmt"

	"go-hep.org/x/hep/groot/rbytes"
	"go-hep.org/x/hep/groot/rdict"
	"go-hep.org/x/hep/groot/riofs"
	"go-hep.org/x/hep/groot/rmeta"
)

// branchMeta is what this package needs to know about one branch of a
// TTree: its identity, the TBranchElement bookkeeping of a split
// TClonesArray and the basket table.
type branchMeta struct {
	Name  string // fName, e.g. "Jet.PT"
	Class string // ROOT class of the branch object: TBranch, TBranchElement, ...

	// TBranchElement members; zero for other branch classes.
	ClassName    string // fClassName
	ParentName   string // fParentName
	ClonesName   string // fClonesName: class of the objects of a TClonesArray
	Type         int32  // fType: 3 for a TClonesArray counter, 31 for its members
	StreamerType int32  // fStreamerType: rmeta code of the member's type

	Entries     int64
	WriteBasket int32
	BasketBytes []int32
	BasketEntry []int64
	BasketSeek  []int64
	// Embedded counts baskets that were stored inside the TTree object
	// rather than as TKeys (files not closed properly). They are not
	// supported.
	Embedded int

	Branches []*branchMeta
}

// find returns the (sub-)branch with the given name, or nil.
func (b *branchMeta) find(name string) *branchMeta {
	for _, s := range b.Branches {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// treeMeta is the branch list of a TTree.
type treeMeta struct {
	Name     string
	Entries  int64
	Branches []*branchMeta
}

func (t *treeMeta) find(name string) *branchMeta {
	for _, b := range t.Branches {
		if b.Name == name {
			return b
		}
	}
	return nil
}

// objWalker decodes the parts of a streamed TTree that hold the branch
// tables. It is driven by the file's streamer infos so that it follows
// whatever class versions the writing ROOT release used, and skips
// everything else with the byte counts that ROOT writes in front of
// objects.
type objWalker struct {
	f       *riofs.File
	r       *rbytes.RBuffer
	classes map[int64]string // class-tag positions -> class name
}

const (
	kByteCountMask = 0x40000000
	kNewClassTag   = 0xFFFFFFFF
	kClassMask     = 0x80000000
	kMapOffset     = 2
)

// readTreeMeta decodes the branch tables of the tree stored under key.
func readTreeMeta(f *riofs.File, key *riofs.Key) (meta *treeMeta, err error) {
	defer func() {
		if e := recover(); e != nil {
			meta = nil
			err = fmt.Errorf("could not decode tree %q: %v", key.Name(), e)
		}
	}()
	if err := checkObjLen(key); err != nil {
		return nil, err
	}
	buf, err := key.Bytes()
	if err != nil {
		return nil, fmt.Errorf("could not read tree %q: %w", key.Name(), err)
	}
	w := &objWalker{
		f:       f,
		r:       rbytes.NewRBuffer(buf, nil, uint32(key.KeyLen()), nil),
		classes: make(map[int64]string),
	}
	meta = &treeMeta{Name: key.Name()}
	hdr := w.r.ReadHeader("TTree", -1)
	if err := w.r.Err(); err != nil {
		return nil, err
	}
	ints := make(map[string]int64)
	done := errors.New("done")
	err = w.members("TTree", hdr.Vers, ints, func(e rbytes.StreamerElement) (bool, error) {
		if e.Name() != "fBranches" {
			return false, nil
		}
		bs, err := w.branchArray()
		if err != nil {
			return true, err
		}
		meta.Branches = bs
		return true, done // the rest of the tree is of no interest here.
	})
	if err != nil && err != done {
		return nil, err
	}
	if meta.Branches == nil {
		return nil, fmt.Errorf("tree %q has no branch list", key.Name())
	}
	meta.Entries = ints["fEntries"]
	return meta, nil
}

// streamer returns the streamer info of class at version vers.
func (w *objWalker) streamer(class string, vers int16) (rbytes.StreamerInfo, error) {
	si, err := w.f.StreamerInfo(class, int(vers))
	if err == nil && si.ClassVersion() == int(vers) {
		return si, nil
	}
	if si, ok := rdict.StreamerInfos.Get(class, int(vers)); ok {
		return si, nil
	}
	return nil, fmt.Errorf("no streamer info for %s version %d", class, vers)
}

// basicSize returns the on-disk size of a basic rmeta type, or 0.
func basicSize(t rmeta.Enum) int {
	switch t {
	case rmeta.Char, rmeta.UChar, rmeta.Bool:
		return 1
	case rmeta.Short, rmeta.UShort:
		return 2
	case rmeta.Int, rmeta.UInt, rmeta.Float, rmeta.Counter, rmeta.Bits:
		return 4
	case rmeta.Long, rmeta.ULong, rmeta.Double, rmeta.Long64, rmeta.ULong64:
		return 8
	}
	return 0
}

// seek moves the buffer forward to pos, which must lie between the
// current position and the end of the buffer.
func (w *objWalker) seek(pos int64) error {
	if err := w.r.Err(); err != nil {
		return err
	}
	if cur := w.r.Pos(); pos < cur || pos > cur+w.r.Len() {
		return fmt.Errorf("corrupt object: jump from %d to %d outside the buffer", cur, pos)
	}
	w.r.SetPos(pos)
	return nil
}

// skip advances the buffer by n bytes.
func (w *objWalker) skip(n int64) error {
	return w.seek(w.r.Pos() + n)
}

// skipCounted skips a versioned object that starts with a byte count.
func (w *objWalker) skipCounted(class string) error {
	hdr := w.r.ReadHeader(class, -1)
	if err := w.r.Err(); err != nil {
		return err
	}
	if hdr.Len <= 0 {
		return fmt.Errorf("cannot skip %s: no byte count", class)
	}
	return w.seek(hdr.Pos + int64(hdr.Len) + 4)
}

// members walks the members of class (as streamed at version vers),
// calling hook first for every element; hook reports whether it consumed
// the element. Scalar integer members are recorded in ints.
func (w *objWalker) members(class string, vers int16, ints map[string]int64, hook func(rbytes.StreamerElement) (bool, error)) error {
	si, err := w.streamer(class, vers)
	if err != nil {
		return err
	}
	r := w.r
	for _, e := range si.Elements() {
		if hook != nil {
			ok, err := hook(e)
			if err != nil || ok {
				if err != nil {
					return err
				}
				continue
			}
		}
		t := e.Type()
		switch e := e.(type) {
		case *rdict.StreamerBase:
			if t == rmeta.TObject {
				r.SkipObject()
			} else if err := w.skipCounted(e.Name()); err != nil {
				return err
			}
		case *rdict.StreamerBasicPointer:
			if r.ReadI8() == 0 {
				break
			}
			sz := basicSize(t - rmeta.OffsetP)
			if sz == 0 {
				return fmt.Errorf("%s.%s: unsupported pointer type %d", class, e.Name(), t)
			}
			n, ok := ints[e.CountName()]
			if !ok {
				return fmt.Errorf("%s.%s: count %s not read", class, e.Name(), e.CountName())
			}
			if err := w.skip(n * int64(sz)); err != nil {
				return err
			}
		case *rdict.StreamerString:
			_ = r.ReadString()
		default:
			switch {
			case basicSize(t) > 0:
				var v int64
				switch basicSize(t) {
				case 1:
					v = int64(r.ReadI8())
				case 2:
					v = int64(r.ReadI16())
				case 4:
					v = int64(r.ReadI32())
				case 8:
					v = r.ReadI64()
				}
				ints[e.Name()] = v
			case t > rmeta.OffsetL && t < rmeta.OffsetP && basicSize(t-rmeta.OffsetL) > 0:
				if err := w.skip(int64(e.Size())); err != nil {
					return err
				}
			case t == rmeta.Object || t == rmeta.Any || t == rmeta.TNamed:
				if err := w.skipCounted(e.TypeName()); err != nil {
					return err
				}
			case t == rmeta.TObject:
				r.SkipObject()
			case t == rmeta.Objectp || t == rmeta.ObjectP:
				if _, err := w.skipAny(); err != nil {
					return err
				}
			default:
				return fmt.Errorf("%s.%s: unsupported member type %d (%s)", class, e.Name(), t, e.TypeName())
			}
		}
		if err := r.Err(); err != nil {
			return fmt.Errorf("%s.%s: %w", class, e.Name(), err)
		}
	}
	return r.Err()
}

// anyHeader reads the header that ROOT writes in front of an object
// streamed through a pointer. It returns the class name (empty for a null
// pointer or a reference to an object already read) and the position just
// after the object.
func (w *objWalker) anyHeader() (class string, end int64, err error) {
	r := w.r
	beg := r.Pos()
	bcnt := r.ReadU32()
	if err := r.Err(); err != nil {
		return "", 0, err
	}
	if bcnt&kByteCountMask == 0 || bcnt == kNewClassTag {
		// no byte count: a null pointer or a reference to an object
		// already read. Nothing follows.
		if bcnt == kNewClassTag || bcnt&kClassMask != 0 {
			return "", 0, fmt.Errorf("unsupported object without byte count at %d", beg)
		}
		return "", r.Pos(), nil
	}
	end = beg + 4 + int64(bcnt&^kByteCountMask)
	start := r.Pos()
	tag := r.ReadU32()
	switch {
	case tag == kNewClassTag:
		class = r.ReadCString(80)
		w.classes[start+kMapOffset] = class
	case tag&kClassMask != 0:
		ref := int64(tag &^ kClassMask)
		c, ok := w.classes[ref]
		if !ok {
			return "", 0, fmt.Errorf("unknown class reference %d at %d", ref, start)
		}
		class = c
	default:
		return "", 0, fmt.Errorf("unexpected object reference inside byte count at %d", start)
	}
	return class, end, r.Err()
}

// skipAny skips an object streamed through a pointer, registering its
// class tag, and returns its class name.
func (w *objWalker) skipAny() (string, error) {
	class, end, err := w.anyHeader()
	if err != nil {
		return "", err
	}
	return class, w.seek(end)
}

// objArray reads the header of a TObjArray and returns its number of
// slots.
func (w *objWalker) objArray() (rbytes.Header, int, error) {
	r := w.r
	hdr := r.ReadHeader("TObjArray", -1)
	if hdr.Vers > 2 {
		r.SkipObject()
	}
	if hdr.Vers > 1 {
		_ = r.ReadString()
	}
	n := r.ReadI32()
	_ = r.ReadI32() // lower bound
	if err := r.Err(); err != nil {
		return hdr, 0, err
	}
	if n < 0 || int64(n)*4 > r.Len() {
		return hdr, 0, fmt.Errorf("corrupt TObjArray with %d slots", n)
	}
	return hdr, int(n), nil
}

// branchArray decodes a TObjArray of branches.
func (w *objWalker) branchArray() ([]*branchMeta, error) {
	hdr, n, err := w.objArray()
	if err != nil {
		return nil, err
	}
	out := make([]*branchMeta, 0, n)
	for range n {
		class, end, err := w.anyHeader()
		if err != nil {
			return nil, err
		}
		if class == "" {
			continue
		}
		b, err := w.branch(class)
		if err != nil {
			return nil, err
		}
		if w.r.Pos() != end {
			return nil, fmt.Errorf("branch %q: decoded %d bytes, object holds %d", b.Name, w.r.Pos(), end)
		}
		out = append(out, b)
	}
	w.r.CheckHeader(hdr)
	return out, w.r.Err()
}

// countArray skips a TObjArray, returning the number of non-null slots.
func (w *objWalker) countArray() (int, error) {
	hdr, n, err := w.objArray()
	if err != nil {
		return 0, err
	}
	k := 0
	for range n {
		class, err := w.skipAny()
		if err != nil {
			return 0, err
		}
		if class != "" {
			k++
		}
	}
	w.r.CheckHeader(hdr)
	return k, w.r.Err()
}

// branch decodes one branch object of the given class.
func (w *objWalker) branch(class string) (*branchMeta, error) {
	r := w.r
	b := &branchMeta{Class: class}
	hdr := r.ReadHeader(class, -1)
	if err := r.Err(); err != nil {
		return nil, err
	}
	switch class {
	case "TBranch":
		if err := w.tbranch(b, hdr.Vers); err != nil {
			return nil, fmt.Errorf("branch %q: %w", b.Name, err)
		}
	default:
		// TBranchElement, TBranchObject, TBranchRef, ...: a TBranch base
		// followed by members of their own.
		ints := make(map[string]int64)
		strs := make(map[string]string)
		err := w.members(class, hdr.Vers, ints, func(e rbytes.StreamerElement) (bool, error) {
			switch {
			case e.Name() == "TBranch":
				bh := r.ReadHeader("TBranch", -1)
				if err := w.tbranch(b, bh.Vers); err != nil {
					return true, err
				}
				r.CheckHeader(bh)
				return true, r.Err()
			case e.Type() == rmeta.TString:
				strs[e.Name()] = r.ReadString()
				return true, r.Err()
			}
			return false, nil
		})
		if err != nil {
			return nil, fmt.Errorf("branch %q: %w", b.Name, err)
		}
		b.ClassName = strs["fClassName"]
		b.ParentName = strs["fParentName"]
		b.ClonesName = strs["fClonesName"]
		b.Type = int32(ints["fType"])
		b.StreamerType = int32(ints["fStreamerType"])
	}
	r.CheckHeader(hdr)
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("branch %q: %w", b.Name, err)
	}
	return b, nil
}

// tbranch decodes the TBranch part of a branch.
func (w *objWalker) tbranch(b *branchMeta, vers int16) error {
	r := w.r
	ints := make(map[string]int64)
	readArr := func(e rbytes.StreamerElement) error {
		if r.ReadI8() == 0 {
			return nil
		}
		n := ints["fMaxBaskets"]
		if n < 0 || n*4 > r.Len() {
			return fmt.Errorf("corrupt fMaxBaskets %d", n)
		}
		switch e.Name() {
		case "fBasketBytes":
			b.BasketBytes = make([]int32, n)
			r.ReadArrayI32(b.BasketBytes)
		case "fBasketEntry":
			b.BasketEntry = make([]int64, n)
			r.ReadArrayI64(b.BasketEntry)
		case "fBasketSeek":
			b.BasketSeek = make([]int64, n)
			r.ReadArrayI64(b.BasketSeek)
		}
		return r.Err()
	}
	err := w.members("TBranch", vers, ints, func(e rbytes.StreamerElement) (bool, error) {
		switch e.Name() {
		case "TNamed":
			h := r.ReadHeader("TNamed", -1)
			r.SkipObject()
			b.Name = r.ReadString()
			_ = r.ReadString()
			r.CheckHeader(h)
			return true, r.Err()
		case "fBranches":
			bs, err := w.branchArray()
			b.Branches = bs
			return true, err
		case "fLeaves":
			_, err := w.countArray()
			return true, err
		case "fBaskets":
			n, err := w.countArray()
			b.Embedded = n
			return true, err
		case "fBasketBytes", "fBasketEntry", "fBasketSeek":
			return true, readArr(e)
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	b.Entries = ints["fEntries"]
	b.WriteBasket = int32(ints["fWriteBasket"])
	if b.WriteBasket < 0 || int(b.WriteBasket) > len(b.BasketSeek) || int(b.WriteBasket) > len(b.BasketBytes) || int(b.WriteBasket) >= len(b.BasketEntry)+1 {
		return fmt.Errorf("corrupt basket table (%d baskets)", b.WriteBasket)
	}
	return nil
}
