// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workflow

import (
	"os"
	"path/filepath"
	"testing"
)

// TestJobID: the batch job is Slurm's SLURM_JOB_ID, else HTCondor's
// ClusterId.ProcId from the job ad, else none.
func TestJobID(t *testing.T) {
	t.Setenv("SLURM_JOB_ID", "")
	t.Setenv("_CONDOR_JOB_AD", "")
	if id := JobID(); id != "" {
		t.Errorf("outside a batch job: %q", id)
	}
	ad := filepath.Join(t.TempDir(), ".job.ad")
	if err := os.WriteFile(ad, []byte("Owner = \"someone\"\nClusterId = 4711\nProcId = 3\nJobPrio=0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("_CONDOR_JOB_AD", ad)
	if id := JobID(); id != "htcondor:4711.3" {
		t.Errorf("HTCondor job: %q, want htcondor:4711.3", id)
	}
	t.Setenv("SLURM_JOB_ID", "128")
	if id := JobID(); id != "slurm:128" {
		t.Errorf("Slurm job: %q, want slurm:128", id)
	}
}

func TestRelPath(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ dir, p, want string }{
		{"/w/flow", "/w/flow/card.yaml", "card.yaml"},
		{"/w/flow", "/w/flow/work/events.h5", "work/events.h5"},
		{"/w/flow", "/w/data/a.lhe", "../data/a.lhe"},
		{"/w/flow", "/w/flow", "."},
		{"flow", "flow/card.yaml", "card.yaml"},
		{"flow", filepath.Join(wd, "card.yaml"), "../card.yaml"},
	} {
		got, err := RelPath(tc.dir, tc.p)
		if err != nil || got != tc.want {
			t.Errorf("RelPath(%q, %q) = %q, %v; want %q", tc.dir, tc.p, got, err, tc.want)
		}
	}
}
