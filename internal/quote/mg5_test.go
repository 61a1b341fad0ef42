// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package quote

import (
	"strings"
	"testing"
)

// parseMG5 reads a configuration line as MG5_aMC 3.5's
// common_run_interface.set_configuration does: drop what follows '#',
// split at '=' (more than one '=' is an error there), strip both sides.
func parseMG5(line string) (key, value string, ok bool) {
	if strings.ContainsAny(line, "\n\r") {
		return "", "", false
	}
	if k := strings.IndexByte(line, '#'); k >= 0 {
		line = line[:k]
	}
	f := strings.Split(line, "=")
	if len(f) != 2 {
		return "", "", false
	}
	return strings.TrimSpace(f[0]), strings.TrimSpace(f[1]), true
}

func TestMG5Config(t *testing.T) {
	for _, tc := range []struct{ key, value string }{
		{"cluster_type", "slurm"}, {"cluster_queue", "long.q"}, {"nb_core", "4"},
		{"cluster_temp_path", "/scratch/mg5_tmp"}, {"cluster_queue", "gpu-a100:2"},
	} {
		line, err := MG5Config(tc.key, tc.value)
		if err != nil {
			t.Errorf("MG5Config(%q, %q): %v", tc.key, tc.value, err)
			continue
		}
		k, v, ok := parseMG5(line)
		if !ok || k != tc.key || v != tc.value {
			t.Errorf("MG5Config(%q, %q) = %q, read back as %q = %q (%v)", tc.key, tc.value, line, k, v, ok)
		}
	}
	// Values MG5 would read as something else, or that would add a line.
	for _, tc := range []struct{ key, value string }{
		{"cluster_queue", ""}, {"cluster_queue", "a b"}, {"cluster_queue", "short#x"},
		{"cluster_queue", "a=b"}, {"cluster_queue", "q\nrun_mode = 0"}, {"cluster_queue", " q"},
		{"cluster_queue", "q'"}, {"cluster_queue", "$(id)"}, {"cluster_queue", "é"},
		{"cluster queue", "q"}, {"", "q"}, {"k=v", "q"}, {"k#", "q"},
	} {
		if line, err := MG5Config(tc.key, tc.value); err == nil {
			k, v, ok := parseMG5(line)
			t.Errorf("MG5Config(%q, %q) = %q, want an error (MG5 reads %q = %q, %v)", tc.key, tc.value, line, k, v, ok)
		}
	}
}
