// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Floats is a []float64 that marshals non-finite values (a vanishing
// likelihood gives −Inf log L and +Inf q) as JSON null, and null back as NaN.
type Floats []float64

// MarshalJSON implements json.Marshaler.
func (f Floats) MarshalJSON() ([]byte, error) {
	return marshalFloats(f, func(b []byte, _ float64) []byte { return append(b, "null"...) }), nil
}

// marshalFloats writes f as a JSON array (null for a nil f): finite values
// as shortest round-trip numbers, the others as nonFinite appends them.
func marshalFloats(f []float64, nonFinite func(b []byte, v float64) []byte) []byte {
	if f == nil {
		return []byte("null")
	}
	b := []byte{'['}
	for i, v := range f {
		if i > 0 {
			b = append(b, ',')
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b = nonFinite(b, v)
			continue
		}
		b = strconv.AppendFloat(b, v, 'g', -1, 64)
	}
	return append(b, ']')
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *Floats) UnmarshalJSON(b []byte) error {
	var raw []*float64
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if raw == nil {
		*f = nil
		return nil
	}
	out := make(Floats, len(raw))
	for i, p := range raw {
		if p == nil {
			out[i] = math.NaN()
		} else {
			out[i] = *p
		}
	}
	*f = out
	return nil
}

// Output is what limits.json holds of the scans.
type Output struct {
	Luminosity float64   `json:"luminosity_pb"`
	ThetaTrue  []float64 `json:"theta_true,omitempty"`
	Results    []*Result `json:"results"`
}

// regionJSON is the JSON form of a RegionSpread: its values that are not
// finite (the ends of an empty region, the relative spread of a region of
// size 0) as null.
type regionJSON struct {
	CL            float64    `json:"cl"`
	Size          *float64   `json:"size"`
	MemberSizes   Floats     `json:"member_sizes"`
	SizeStd       *float64   `json:"size_std"`
	SizeRelStd    *float64   `json:"size_rel_std"`
	Extent        []Floats   `json:"extent"`
	MemberExtents [][]Floats `json:"member_extents"`
	HalfWidthStd  Floats     `json:"half_width_std"`
	Shift         Floats     `json:"shift"`
	SymDiff       Floats     `json:"sym_diff"`
	MaxSymDiff    *float64   `json:"max_sym_diff"`
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func pairs(e [][2]float64) []Floats {
	if e == nil {
		return nil
	}
	out := make([]Floats, len(e))
	for i, p := range e {
		out[i] = Floats{p[0], p[1]}
	}
	return out
}

func unpairs(e []Floats) ([][2]float64, error) {
	if e == nil {
		return nil, nil
	}
	out := make([][2]float64, len(e))
	for i, p := range e {
		if len(p) != 2 {
			return nil, fmt.Errorf("limits: region extent of %d values, want 2", len(p))
		}
		out[i] = [2]float64{p[0], p[1]}
	}
	return out, nil
}

// MarshalJSON implements json.Marshaler.
func (r RegionSpread) MarshalJSON() ([]byte, error) {
	j := regionJSON{CL: r.CL, Size: finite(r.Size), MemberSizes: r.MemberSizes, SizeStd: finite(r.SizeStd),
		SizeRelStd: finite(r.SizeRelStd), Extent: pairs(r.Extent), HalfWidthStd: r.HalfWidthStd, Shift: r.Shift,
		SymDiff: r.SymDiff, MaxSymDiff: finite(r.MaxSymDiff)}
	for _, m := range r.MemberExtents {
		j.MemberExtents = append(j.MemberExtents, pairs(m))
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements json.Unmarshaler.
func (r *RegionSpread) UnmarshalJSON(b []byte) error {
	var j regionJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	out := RegionSpread{CL: j.CL, Size: orNaN(j.Size), MemberSizes: j.MemberSizes, SizeStd: orNaN(j.SizeStd),
		SizeRelStd: orNaN(j.SizeRelStd), HalfWidthStd: j.HalfWidthStd, Shift: j.Shift, SymDiff: j.SymDiff, MaxSymDiff: orNaN(j.MaxSymDiff)}
	var err error
	if out.Extent, err = unpairs(j.Extent); err != nil {
		return err
	}
	for _, m := range j.MemberExtents {
		e, err := unpairs(m)
		if err != nil {
			return err
		}
		out.MemberExtents = append(out.MemberExtents, e)
	}
	*r = out
	return nil
}
