// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	root := newRoot()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func TestSetupCommand(t *testing.T) {
	dir := t.TempDir()
	out, err := run(t, nil, "setup", "../../cards/zh.yaml", "--workdir", dir, "--quiet", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		File       string
		Basis      []string
		Components [][]int
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, out)
	}
	if res.File != filepath.Join(dir, "setup.h5") || len(res.Basis) != 6 || len(res.Components) != 6 {
		t.Errorf("unexpected result %+v", res)
	}
	if _, err := os.Stat(res.File); err != nil {
		t.Error(err)
	}
}

func TestEnvironmentOverridesWorkdir(t *testing.T) {
	dir := t.TempDir()
	if _, err := run(t, map[string]string{"GOLDMINE_WORKDIR": dir, "GOLDMINE_QUIET": "true"}, "setup", "../../cards/zh.yaml"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "setup.h5")); err != nil {
		t.Errorf("GOLDMINE_WORKDIR ignored: %v", err)
	}
}

func TestErrorsAreOneLine(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("workdir: x\nparamters: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"setup", bad},
		{"setup", "does-not-exist.yaml"},
		{"inspect", bad},
		{"setup", "../../cards/zh.yaml", "--seed", "minus-one"},
	} {
		_, err := run(t, nil, args...)
		if err == nil {
			t.Errorf("%v: no error", args)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error spans lines: %q", args, err)
		}
	}
	_, err := run(t, nil, "setup", bad)
	if err == nil || !strings.Contains(err.Error(), "bad.yaml:2: paramters") {
		t.Errorf("got %v, want the file, line and key", err)
	}
}
