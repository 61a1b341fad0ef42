// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables_test

import (
	"errors"
	"fmt"
	"log"
	"math"
	"math/rand/v2"

	"github.com/goldmine-hep/goldmine/observables"
)

// A reader fills one reusable Event; MadMiner definition strings are
// compiled once and evaluated on every event.
func Example() {
	mZ, err := observables.Compile("m_ee", "(e[0] + e[1]).m")
	if err != nil {
		log.Fatal(err)
	}
	pt2, err := observables.Compile("pt_e2", "e[1].pt")
	if err != nil {
		log.Fatal(err)
	}

	var ev observables.Event
	ev.Reset()
	ev.AddLHE(21, -1, 0, 0, 100, 100) // incoming partons are ignored
	ev.AddLHE(11, 1, 45, 0, 0, 45)
	ev.AddLHE(-11, 1, -45, 0, 0, 45)
	ev.Finish()

	m, err := mZ.Eval(&ev, nil)
	fmt.Printf("m_ee = %.1f GeV (err %v)\n", m, err)

	ev.Reset()
	ev.AddLHE(11, 1, 45, 0, 0, 45)
	ev.Finish()
	_, err = pt2.Eval(&ev, nil)
	fmt.Println("missing second electron:", errors.Is(err, observables.ErrMissingObject))
	// Output:
	// m_ee = 90.0 GeV (err <nil>)
	// missing second electron: true
}

// An Analysis applies MadMiner's rules for required observables, defaults,
// cuts (which may use the observables) and efficiencies, and counts why
// events were dropped.
func ExampleAnalysis() {
	a, err := observables.NewAnalysis(
		[]observables.Observable{
			{Name: "pt_z", Definition: "(e[0] + e[1]).pt", Required: true},
			{Name: "pt_j1", Definition: "j[0].pt", Default: 0},
		},
		[]observables.Cut{{Definition: "pt_z > 20."}},
		nil,
	)
	if err != nil {
		log.Fatal(err)
	}
	var ev observables.Event
	var counts observables.Counts
	x := make([]float64, 2)
	for _, px := range []float64{5, 30, 60} {
		ev.Reset()
		ev.AddLHE(11, 1, px, 10, 0, math.Hypot(px, 10))
		ev.AddLHE(-11, 1, 0, -10, 20, math.Hypot(10, 20))
		ev.Finish()
		var pass bool
		x, _, pass, err = a.Process(x, &ev, &counts)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("pt_z = %4.1f pt_j1 = %v kept: %v\n", x[0], x[1], pass)
	}
	fmt.Printf("%d of %d kept, %d failed the cut\n", counts.Passed, counts.Events, counts.CutFail[0])
	// Output:
	// pt_z =  5.0 pt_j1 = 0 kept: false
	// pt_z = 30.0 pt_j1 = 0 kept: true
	// pt_z = 60.0 pt_j1 = 0 kept: true
	// 2 of 3 kept, 1 failed the cut
}

// Smearing is reproducible: it draws from the source passed to FinishWith.
func ExampleDetector() {
	var d observables.Detector
	d.SetSmearing(observables.Smearing{
		E:  observables.Resolution{Abs: 0.5, Rel: 0.05},
		Pt: observables.Resolution{Derived: true}, // from the on-shell condition
	}, 11, -11)
	if err := d.Validate(); err != nil {
		log.Fatal(err)
	}
	src := rand.New(rand.NewPCG(1, 2))
	var ev observables.Event
	ev.Reset()
	ev.AddLHE(11, 1, 30, 40, 0, 50)
	ev.FinishWith(&d, src)
	fmt.Printf("truth E = %.2f, smeared E = %.2f, smeared m = %.1g\n", ev.PTruth[0].E, ev.P[0].E, ev.P[0].M())
	// Output:
	// truth E = 50.00, smeared E = 51.14, smeared m = 0
}
