// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestBoost checks the boost into a rest frame: a four-momentum boosted
// into its own rest frame is (m, 0, 0, 0), and the invariant mass of a
// pair is kept.
func TestBoost(t *testing.T) {
	p := vec4{50, 10, -20, 30}
	q := vec4{120, 30, 40, -50}
	m := math.Sqrt(q[0]*q[0] - q[1]*q[1] - q[2]*q[2] - q[3]*q[3])
	r := q.boost(q)
	if math.Abs(r[0]-m) > 1e-9 || math.Abs(r[1])+math.Abs(r[2])+math.Abs(r[3]) > 1e-9 {
		t.Errorf("q in its rest frame: %v, want (%v, 0, 0, 0)", r, m)
	}
	mass2 := func(a vec4) float64 { return a[0]*a[0] - a[1]*a[1] - a[2]*a[2] - a[3]*a[3] }
	if got, want := mass2(p.boost(q)), mass2(p); math.Abs(got-want) > 1e-9*math.Abs(want) {
		t.Errorf("p² after the boost %v, before %v", got, want)
	}
}

// TestAngles builds an event in its Zh rest frame from chosen angles (Z
// at polar angle Θ to the quark on the +z axis, e⁻ at θ to the Z in the Z
// rest frame, decay plane at φ to the production plane), boosts it along
// the beam into a lab frame, and checks that withAngles gives the angles
// back.
func TestAngles(t *testing.T) {
	const mz, mh, sqrtS = 91.19, 125.0, 400.0
	theta, thetaE, phi := 0.7, 2.1, -1.2
	// The Z's momentum in the Zh frame.
	pz := math.Sqrt((sqrtS*sqrtS-(mz+mh)*(mz+mh))*(sqrtS*sqrtS-(mz-mh)*(mz-mh))) / (2 * sqrtS)
	ez, eh := math.Hypot(pz, mz), math.Hypot(pz, mh)
	zdir := [3]float64{math.Sin(theta), 0, math.Cos(theta)}
	// Axes of the Z frame: z' along the Z, x' in the production plane.
	x1 := [3]float64{math.Cos(theta), 0, -math.Sin(theta)}
	y1 := cross(zdir, x1)
	// e⁻ in the Z rest frame.
	d := [3]float64{}
	for i := range d {
		d[i] = math.Sin(thetaE)*(math.Cos(phi)*x1[i]+math.Sin(phi)*y1[i]) + math.Cos(thetaE)*zdir[i]
	}
	em := vec4{mz / 2, mz / 2 * d[0], mz / 2 * d[1], mz / 2 * d[2]}
	ep := vec4{mz / 2, -mz / 2 * d[0], -mz / 2 * d[1], -mz / 2 * d[2]}
	// Into the Zh frame: the inverse boost is the boost into the rest
	// frame of a particle moving the other way.
	back := vec4{ez, -pz * zdir[0], -pz * zdir[1], -pz * zdir[2]}
	em, ep = em.boost(back), ep.boost(back)
	h := vec4{eh, -pz * zdir[0], -pz * zdir[1], -pz * zdir[2]}
	q := vec4{sqrtS / 2, 0, 0, sqrtS / 2}
	qbar := vec4{sqrtS / 2, 0, 0, -sqrtS / 2}
	// Into a lab frame moving along the beam.
	lab := vec4{sqrtS * 1.3, 0, 0, -sqrtS * 0.8}
	for _, p := range []*vec4{&em, &ep, &h, &q, &qbar} {
		*p = p.boost(lab)
	}
	names := []string{"pz_in1", "pz_in2", "id_in1", "id_in2", "px_ep", "py_ep", "pz_ep", "e_ep", "px_em", "py_em", "pz_em", "e_em", "px_h", "py_h", "pz_h", "e_h"}
	c, err := columns(names)
	if err != nil {
		t.Fatal(err)
	}
	for _, quarkFirst := range []bool{true, false} {
		// The quark is beam 1 or beam 2; withAngles follows its PDG id.
		row := []float64{q[3], qbar[3], 2, -2, ep[1], ep[2], ep[3], ep[0], em[1], em[2], em[3], em[0], h[1], h[2], h[3], h[0]}
		if !quarkFirst {
			row[0], row[1], row[2], row[3] = qbar[3], q[3], -2, 2
		}
		out := withAngles(mat.NewDense(1, len(row), row), c).RawRowView(0)[len(row):]
		want := []float64{math.Cos(theta), math.Cos(thetaE), math.Cos(phi), math.Sin(phi)}
		for i := range want {
			if math.Abs(out[i]-want[i]) > 1e-9 {
				t.Errorf("quark first %v: angles %v, want %v", quarkFirst, out, want)
				break
			}
		}
	}
}
