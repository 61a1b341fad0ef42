// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workflow

import (
	"os"
	"path/filepath"
	"strings"
)

// JobID returns the batch job the process runs in: Slurm's
// SLURM_JOB_ID ("slurm:ID"), HTCondor's ClusterId.ProcId from the job ad
// ("htcondor:CLUSTER.PROC"), or "" outside a batch job.
func JobID() string {
	if id := os.Getenv("SLURM_JOB_ID"); id != "" {
		return "slurm:" + id
	}
	if ad := os.Getenv("_CONDOR_JOB_AD"); ad != "" {
		if b, err := os.ReadFile(ad); err == nil {
			var cluster, proc string
			for _, line := range strings.Split(string(b), "\n") {
				k, v, ok := strings.Cut(line, "=")
				if !ok {
					continue
				}
				switch strings.TrimSpace(k) {
				case "ClusterId":
					cluster = strings.TrimSpace(v)
				case "ProcId":
					proc = strings.TrimSpace(v)
				}
			}
			if cluster != "" {
				return "htcondor:" + cluster + "." + proc
			}
		}
	}
	return ""
}

// RelPath is the path p as the jobs of a workflow in the folder dir see
// it: relative to dir, slash-separated (with ".." where p is outside
// dir), so that the workflow folder and the files it names can move
// together; absolute where no relative path exists.
func RelPath(dir, p string) (string, error) {
	ad, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	ap, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(ad, ap)
	if err != nil {
		return ap, nil
	}
	return filepath.ToSlash(rel), nil
}
