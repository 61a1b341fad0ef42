// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import (
	"math"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestVectorMethods(t *testing.T) {
	p := Particle{Px: 3, Py: 0, Pz: 4, E: 10}
	q := Particle{Px: 0, Py: 2, Pz: 0, E: 5}
	if got := p.CosTheta(); math.Abs(got-0.8) > 1e-15 {
		t.Errorf("CosTheta = %v, want 0.8", got)
	}
	if got := (Particle{E: 1}).CosTheta(); got != 1 {
		t.Errorf("CosTheta at rest = %v, want 1", got)
	}
	c := p.Cross(q)
	if c.Px != -8 || c.Py != 0 || c.Pz != 6 || c.E != 0 {
		t.Errorf("Cross = %+v, want (-8, 0, 6), E 0", c)
	}
	if got := p.DeltaAngle(q); math.Abs(got-math.Pi/2) > 1e-15 {
		t.Errorf("DeltaAngle of orthogonal momenta = %v, want π/2", got)
	}
	// Near 0 and π atan2 keeps the precision that acos loses.
	r := Particle{Px: 1, Py: 1e-9, Pz: 0, E: 2}
	s := Particle{Px: 1, Py: 0, Pz: 0, E: 2}
	if got := r.DeltaAngle(s); math.Abs(got-1e-9) > 1e-20 {
		t.Errorf("DeltaAngle of nearly parallel momenta = %v, want 1e-9", got)
	}
	if got := r.DeltaAngle(s.Scale(-1)); math.Abs(got-(math.Pi-1e-9)) > 1e-15 {
		t.Errorf("DeltaAngle of nearly opposite momenta = %v, want π−1e-9", got)
	}
	var ev Event
	ev.Reset()
	ev.AddLHE(11, 1, p.Px, p.Py, p.Pz, p.E)
	ev.AddLHE(13, 1, q.Px, q.Py, q.Pz, q.E)
	ev.Finish()
	for _, tc := range []struct {
		src  string
		want float64
	}{
		{"e[0].costheta", 0.8},
		{"e[0].deltaangle(mu[0])", math.Pi / 2},
		{"e[0].cross(mu[0]).px", -8},
		{"e[0].cross(mu[0]).e", 0},
		// In its own rest frame a particle is at rest with E = m.
		{"e[0].boostCM_of_p4(e[0]).p", 0},
		{"e[0].boostCM_of_p4(e[0]).e", math.Sqrt(100 - 25)},
		// The invariant mass of a pair does not depend on the frame.
		{"(e[0].boostCM_of_p4(mu[0]) + mu[0].boostCM_of(mu[0])).m", (p.Add(q)).M()},
	} {
		prog, err := Compile("x", tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		got, err := prog.Eval(&ev, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		if math.Abs(got-tc.want) > 1e-12*math.Max(1, math.Abs(tc.want)) {
			t.Errorf("%s = %v, want %v", tc.src, got, tc.want)
		}
	}
	for _, src := range []string{"e[0].boostCM_of_p4(mu[0])", "e[0].cross(mu[0])", "e[0].cross(1).px", "e[0].boostCM_of_p4()"} {
		prog, err := Compile("x", src)
		if err == nil {
			_, err = prog.Eval(&ev, nil)
		}
		if err == nil {
			t.Errorf("%s: no error", src)
		}
	}
}

// TestZHAngles builds a q q̄ → Z h → e⁺e⁻ h event from chosen angles (in
// the Zh rest frame the Z at polar angle Θ to the quark, which runs along
// +z; the e⁻ at θ to the Z's direction in the Z rest frame; the decay
// plane at φ to the production plane), boosts it along the beam into a lab
// frame, and checks that the angle observables of cards/zh_exact.yaml give
// the angles back, with the quark in either beam.
func TestZHAngles(t *testing.T) {
	src, err := os.ReadFile("../cards/zh_exact.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var card struct {
		Observables []struct{ Name, Expr string }
	}
	if err := yaml.Unmarshal(src, &card); err != nil {
		t.Fatal(err)
	}
	defs := map[string]string{}
	for _, o := range card.Observables {
		defs[o.Name] = o.Expr
	}
	const mz, mh, sqrtS = 91.19, 125.0, 400.0
	for _, a := range []struct{ theta, thetaE, phi float64 }{{0.7, 2.1, -1.2}, {2.5, 0.3, 2.8}, {1.1, 1.9, 0.4}} {
		k := math.Sqrt((sqrtS*sqrtS-(mz+mh)*(mz+mh))*(sqrtS*sqrtS-(mz-mh)*(mz-mh))) / (2 * sqrtS)
		zdir := [3]float64{math.Sin(a.theta), 0, math.Cos(a.theta)}
		// Axes of the Z frame: z' along the Z, x' in the production plane
		// on the side away from the quark, y' = z' × x'.
		x1 := [3]float64{math.Cos(a.theta), 0, -math.Sin(a.theta)}
		y1 := [3]float64{zdir[1]*x1[2] - zdir[2]*x1[1], zdir[2]*x1[0] - zdir[0]*x1[2], zdir[0]*x1[1] - zdir[1]*x1[0]}
		var d [3]float64
		for i := range d {
			d[i] = math.Sin(a.thetaE)*(math.Cos(a.phi)*x1[i]+math.Sin(a.phi)*y1[i]) + math.Cos(a.thetaE)*zdir[i]
		}
		em := Particle{Px: mz / 2 * d[0], Py: mz / 2 * d[1], Pz: mz / 2 * d[2], E: mz / 2}
		ep := Particle{Px: -em.Px, Py: -em.Py, Pz: -em.Pz, E: mz / 2}
		// From the Z rest frame into the Zh frame: the Z moves with
		// velocity k/E_Z along zdir.
		ez := math.Hypot(k, mz)
		bx, by, bz := k/ez*zdir[0], k/ez*zdir[1], k/ez*zdir[2]
		em, ep = em.Boost(bx, by, bz), ep.Boost(bx, by, bz)
		h := Particle{Px: -k * zdir[0], Py: -k * zdir[1], Pz: -k * zdir[2], E: math.Hypot(k, mh)}
		q := Particle{Pz: sqrtS / 2, E: sqrtS / 2}
		qbar := Particle{Pz: -sqrtS / 2, E: sqrtS / 2}
		// Into a lab frame in which the Zh system moves along the beam.
		const beta = -0.6
		ps := []*Particle{&em, &ep, &h, &q, &qbar}
		for _, p := range ps {
			*p = p.Boost(0, 0, beta)
		}
		want := map[string]float64{"cos_Theta": math.Cos(a.theta), "cos_theta_e": math.Cos(a.thetaE), "cos_phi": math.Cos(a.phi)}
		for _, quarkFirst := range []bool{true, false} {
			var ev Event
			ev.Reset()
			in1, in2 := q, qbar
			id1, id2 := 2, -2
			if !quarkFirst {
				in1, in2, id1, id2 = qbar, q, -2, 2
			}
			ev.AddLHE(id1, -1, in1.Px, in1.Py, in1.Pz, in1.E)
			ev.AddLHE(id2, -1, in2.Px, in2.Py, in2.Pz, in2.E)
			z := ep.Add(em)
			ev.AddLHE(23, 2, z.Px, z.Py, z.Pz, z.E) // the intermediate Z: not in p, nor in visible
			ev.AddLHE(25, 1, h.Px, h.Py, h.Pz, h.E)
			ev.AddLHE(-11, 1, ep.Px, ep.Py, ep.Pz, ep.E)
			ev.AddLHE(11, 1, em.Px, em.Py, em.Pz, em.E)
			ev.Finish()
			for name, w := range want {
				def, ok := defs[name]
				if !ok {
					t.Fatalf("cards/zh_exact.yaml has no observable %s", name)
				}
				prog, err := Compile(name, def)
				if err != nil {
					t.Fatal(err)
				}
				got, err := prog.Eval(&ev, nil)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(got-w) > 1e-9 {
					t.Errorf("angles %+v, quark in beam 1 %v: %s = %v, want %v (%s)", a, quarkFirst, name, got, w, strings.TrimSpace(def))
				}
			}
		}
	}
}
