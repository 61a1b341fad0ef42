// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package repotest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// Snakemake is one Snakemake installation.
type Snakemake struct {
	Path  string
	Major int
}

var versionRE = regexp.MustCompile(`^(\d+)\.\d+`)

// Snakemakes returns the Snakemake installations found, one per major
// version: $GOLDMINE_SNAKEMAKE and $GOLDMINE_SNAKEMAKE7 if set (.ci/run
// sets them), snakemake on PATH, Debian's /usr/bin/snakemake (7.21) and
// the venv that .ci/tools/snakemake.sh makes (Snakemake 9 and its
// executor plugins). A Snakemake 7 and a Snakemake 8 or newer must both be
// there under GOLDMINE_REQUIRE_TOOLS=1.
func Snakemakes(t testing.TB) []Snakemake {
	t.Helper()
	var cands []string
	for _, env := range []string{"GOLDMINE_SNAKEMAKE", "GOLDMINE_SNAKEMAKE7"} {
		if p := os.Getenv(env); p != "" {
			cands = append(cands, p)
		}
	}
	if p, err := exec.LookPath("snakemake"); err == nil {
		cands = append(cands, p)
	}
	cands = append(cands, "/usr/bin/snakemake", filepath.Join(ToolsDir(), "snakemake-venv", "bin", "snakemake"))
	byMajor := map[int]Snakemake{}
	for _, c := range cands {
		if _, err := os.Stat(c); err != nil {
			continue
		}
		out, err := exec.Command(c, "--version").Output()
		if err != nil {
			continue
		}
		m := versionRE.FindStringSubmatch(strings.TrimSpace(lastLine(string(out))))
		if m == nil {
			continue
		}
		var major int
		fmt.Sscan(m[1], &major)
		if _, ok := byMajor[major]; !ok {
			byMajor[major] = Snakemake{Path: c, Major: major}
		}
	}
	var list []Snakemake
	has7, has8 := false, false
	for _, s := range byMajor {
		list = append(list, s)
		has7 = has7 || s.Major == 7
		has8 = has8 || s.Major >= 8
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Major < list[j].Major })
	if !has7 || !has8 {
		what := fmt.Sprintf("Snakemake 7 (Debian snakemake) and Snakemake 8 or newer (.ci/tools/snakemake.sh, $GOLDMINE_SNAKEMAKE); found %v", list)
		if len(list) == 0 || os.Getenv("GOLDMINE_REQUIRE_TOOLS") == "1" {
			MissingTool(t, what)
		}
		t.Logf("only %s", what)
	}
	return list
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// Run runs Snakemake in dir with args and returns its combined output.
func (s Snakemake) Run(t testing.TB, dir string, env []string, timeout time.Duration, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(s.Path, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.String(), err
	case <-time.After(timeout):
		cmd.Process.Kill()
		<-done
		return out.String(), fmt.Errorf("snakemake %v timed out after %v", args, timeout)
	}
}

// SlurmEnv checks that a Slurm cluster answers and returns the
// environment for Snakemake runs on it: USER set (Snakemake and sbatch
// want it), and, when the cluster is configured only through SLURM_CONF,
// an srun on PATH that sets it: the Snakemake 8/9 job-step plugin removes
// SLURM_* variables, SLURM_CONF among them, before it calls srun inside
// the job (snakemake-executor-plugin-slurm-jobstep 0.6.1), which is
// harmless on clusters configured in /etc/slurm.
func SlurmEnv(t testing.TB) []string {
	t.Helper()
	LookPath(t, "sbatch", "submits the jobs (Debian slurm-client)")
	sinfo := LookPath(t, "sinfo", "checks that the cluster answers")
	out, err := exec.Command(sinfo, "-h", "-o", "%t").CombinedOutput()
	state := strings.TrimSpace(string(out))
	if err != nil || !(strings.HasPrefix(state, "idle") || strings.HasPrefix(state, "mix") || strings.HasPrefix(state, "alloc")) {
		MissingTool(t, fmt.Sprintf("a Slurm cluster that answers (sinfo: %v %q; start one with ../shared/tools/slurm_local.sh start and eval \"$(../shared/tools/slurm_local.sh env)\", as .ci/run does)", err, state))
	}
	var env []string
	if os.Getenv("USER") == "" {
		name := "root"
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
		env = append(env, "USER="+name)
	}
	if conf := os.Getenv("SLURM_CONF"); conf != "" {
		srun, err := exec.LookPath("srun")
		if err != nil {
			t.Fatalf("srun: %v", err)
		}
		bin := t.TempDir()
		wrapper := "#!/bin/sh\nexport SLURM_CONF=" + shellWord(conf) + "\nexec " + shellWord(srun) + " \"$@\"\n"
		if err := os.WriteFile(filepath.Join(bin, "srun"), []byte(wrapper), 0o755); err != nil {
			t.Fatal(err)
		}
		env = append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	return env
}

// shellWord single-quotes s for sh (package internal/quote cannot be
// used here: its tests use this package).
func shellWord(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
