// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"encoding/json"
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
