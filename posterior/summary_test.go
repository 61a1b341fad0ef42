// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestGridSummary(t *testing.T) {
	const s0, s1, rho = 0.2, 0.3, 0.6
	g := corrGauss(t, [2]float64{1, -1}, s0, s1, rho, 181)
	sum, err := g.Summary(&SummarySettings{CLs: []float64{0.5, 0.9}})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Params) != 2 || sum.Params[1].Name != "b" || len(sum.Params[1].HPD) != 2 || sum.Params[1].HPD[1].CL != 0.9 {
		t.Fatalf("summary params %+v", sum.Params)
	}
	if !near(sum.Cov[0][1], rho*s0*s1, 1e-6) || !near(sum.Params[0].Std, s0, 1e-6) {
		t.Errorf("covariance %v", sum.Cov)
	}
	det := s0 * s0 * s1 * s1 * (1 - rho*rho)
	if len(sum.Regions) != 2 {
		t.Fatalf("regions %+v", sum.Regions)
	}
	for _, r := range sum.Regions {
		want := math.Pi * -2 * math.Log(1-r.CL) * math.Sqrt(det)
		if r.Params != [2]string{"a", "b"} || !near(r.Area, want, 3e-3*want) {
			t.Errorf("region %+v, want area %v", r, want)
		}
	}
	if _, err := g.Summary(&SummarySettings{CLs: []float64{1}}); err == nil {
		t.Error("credibility level 1: no error")
	}
}

func TestSummaryJSON(t *testing.T) {
	m, _, _ := toyModel(t)
	ch, err := Sample(m, &Settings{Method: Slice, Seed: 1, Steps: 200})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := ch.Summary(nil)
	if err != nil {
		t.Fatal(err)
	}
	// A constant parameter has no defined R̂: written as null, read as NaN.
	sum.Diagnostics.RHat[1] = math.NaN()
	dir := t.TempDir()
	path := filepath.Join(dir, "posterior.json")
	if err := sum.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `"rhat": [`) || !strings.Contains(string(b), "null") {
		t.Errorf("JSON without a null R̂:\n%s", b)
	}
	got, err := ReadSummary(path)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(got.Diagnostics.RHat[1]) {
		t.Errorf("R̂ read back as %v", got.Diagnostics.RHat[1])
	}
	got.Diagnostics.RHat[1], sum.Diagnostics.RHat[1] = 0, 0
	if !reflect.DeepEqual(got, sum) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, sum)
	}
	// A failed write leaves nothing behind.
	bad := filepath.Join(dir, "missing", "posterior.json")
	if err := sum.WriteJSON(bad); err == nil {
		t.Error("write into a missing directory: no error")
	}
	if _, err := ReadSummary(filepath.Join(dir, "nope.json")); err == nil {
		t.Error("read of a missing file: no error")
	}
	os.WriteFile(filepath.Join(dir, "broken.json"), []byte("{"), 0o644)
	if _, err := ReadSummary(filepath.Join(dir, "broken.json")); err == nil || !strings.Contains(err.Error(), "broken.json") {
		t.Errorf("broken file: %v", err)
	}
}
