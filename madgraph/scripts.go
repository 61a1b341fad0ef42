// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package madgraph

import (
	"fmt"
	"strings"

	"github.com/goldmine-hep/goldmine/internal/quote"
)

// scriptHead is the common start of every script: the job folder (the
// folder above the script's, or the script's own folder for a top-level
// script, unless GOLDMINE_WORKDIR says otherwise), the MG5 executable
// (MG5_AMC), the optional Python interpreter (GOLDMINE_PYTHON) and the
// user's initial command.
func scriptHead(p *Plan, what, usage string, topLevel bool) string {
	rel := "/.."
	if topLevel {
		rel = ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/bash\n# Written by goldmine: %s\n# Usage: %s\n", what, usage)
	b.WriteString("# Environment: MG5_AMC (mg5_aMC executable), GOLDMINE_WORKDIR (job folder),\n#   GOLDMINE_PYTHON (Python interpreter for mg5_aMC).\n")
	b.WriteString("set -eu\n")
	fmt.Fprintf(&b, "W=\"${GOLDMINE_WORKDIR:-$(cd \"$(dirname \"${BASH_SOURCE[0]}\")%s\" && pwd)}\"\n", rel)
	fmt.Fprintf(&b, "mg5_default=%s\nMG5=\"${MG5_AMC:-$mg5_default}\"\n", quote.Shell(p.MG5))
	fmt.Fprintf(&b, "py_default=%s\nPY=\"${GOLDMINE_PYTHON:-$py_default}\"\n", quote.Shell(p.Python))
	// MG5 starts its own Python scripts through "#!/usr/bin/env python3":
	// the interpreter's folder goes first on PATH, so that they (the
	// reweighting among them) run with the same Python.
	b.WriteString("if [ -n \"$PY\" ]; then PY=\"$(command -v \"$PY\" || echo \"$PY\")\"; PATH=\"$(dirname \"$PY\"):$PATH\"; export PATH; fi\n")
	if ic := strings.TrimSpace(p.cfg.InitialCommand); ic != "" {
		b.WriteString("set +eu\n" + ic + "\nset -eu\n")
	}
	// MG5 reads no answer from standard input: a question the command
	// file does not answer ends at once instead of waiting forever.
	b.WriteString("mg5() { if [ -n \"$PY\" ]; then \"$PY\" \"$MG5\" \"$@\" < /dev/null; else \"$MG5\" \"$@\" < /dev/null; fi; }\n")
	return b.String()
}

func generateScript(p *Plan) string {
	var b strings.Builder
	b.WriteString(scriptHead(p, "create the MG5 process folder from the process card.", "bash scripts/generate.sh", false))
	if p.cfg.UFOModel != "" {
		fmt.Fprintf(&b, "ufo=%s\n", quote.Shell(p.ufoModel))
		b.WriteString(`models="$(cd "$(dirname "$(readlink -f "$MG5")")/.." && pwd)/models"
if [ ! -e "$models/$(basename "$ufo")" ]; then
  cp -r "$ufo" "$models/"
fi
`)
	}
	b.WriteString(`rm -rf "$W/process"
{ cat "$W/cards/proc_card.dat"; printf '\n\noutput %s\n' "$W/process"; } > "$W/cards/generate.mg5"
mg5 "$W/cards/generate.mg5"
if [ ! -x "$W/process/bin/generate_events" ]; then
  echo "goldmine: MG5 did not create the process folder $W/process" >&2
  exit 2
fi
cp "$W/cards/proc_card.dat" "$W/process/goldmine.proc_card.dat"
echo "goldmine: process folder $W/process ready"
`)
	return b.String()
}

func runScript(p *Plan, pr PlannedRun) string {
	var what string
	switch {
	case pr.Background && pr.SampleBenchmark == "":
		what = fmt.Sprintf("MG5 run %s (background, param card template as it is, no reweighting).", pr.Name)
	case pr.Background:
		what = fmt.Sprintf("MG5 run %s (background at benchmark %s, no reweighting).", pr.Name, pr.SampleBenchmark)
	default:
		what = fmt.Sprintf("MG5 run %s (sampled at benchmark %s, reweighted to %d benchmarks).", pr.Name, pr.SampleBenchmark, len(pr.Weights))
	}
	var b strings.Builder
	b.WriteString(scriptHead(p, what, "bash scripts/run_"+pr.Name+".sh (after scripts/generate.sh)", false))
	fmt.Fprintf(&b, "N=%s\n", quote.Shell(pr.Name))
	b.WriteString(`R="$W/runs/$N"
C="$W/cards/$N"
if [ ! -x "$W/process/bin/generate_events" ] || ! cmp -s "$W/cards/proc_card.dat" "$W/process/goldmine.proc_card.dat"; then
  echo "goldmine: process folder $W/process missing or made from another process card: run $W/scripts/generate.sh first" >&2
  exit 2
fi
rm -rf "$R"
mkdir -p "$W/runs"
cp -a "$W/process" "$R"
cp "$C/param_card.dat" "$R/Cards/param_card.dat"
cp "$C/run_card.dat" "$R/Cards/run_card.dat"
`)
	if pr.Background {
		b.WriteString("rm -f \"$R/Cards/reweight_card.dat\"\n")
	} else {
		b.WriteString("cp \"$C/reweight_card.dat\" \"$R/Cards/reweight_card.dat\"\n")
	}
	for _, c := range []struct{ src, name string }{
		{pr.Pythia8Card, "pythia8_card.dat"},
		{pr.DelphesCard, "delphes_card.dat"},
		{pr.MadSpinCard, "madspin_card.dat"},
	} {
		if c.src != "" {
			fmt.Fprintf(&b, "cp \"$C/%s\" \"$R/Cards/%s\"\n", c.name, c.name)
		}
	}
	b.WriteString(`if [ -f "$R/Cards/me5_configuration.txt" ]; then
  printf '\nautomatic_html_opening = False\n' >> "$R/Cards/me5_configuration.txt"
`)
	if p.cfg.CoresPerRun > 0 {
		fmt.Fprintf(&b, "  printf 'run_mode = 2\\nnb_core = %d\\n' >> \"$R/Cards/me5_configuration.txt\"\n", p.cfg.CoresPerRun)
	}
	// Prepare checked the cluster settings; each line is one shell word.
	if lines, _ := clusterConfig(p.cfg); len(lines) > 0 {
		fmt.Fprintf(&b, "  printf '%%s\\n' %s >> \"$R/Cards/me5_configuration.txt\"\n", quote.ShellJoin(lines))
	}
	b.WriteString(`fi
cat > "$R/Cards/goldmine_launch.mg5" <<GOLDMINE_EOF
`)
	b.WriteString(LaunchCommands("$R", pr.switches()))
	b.WriteString(`GOLDMINE_EOF
mg5 "$R/Cards/goldmine_launch.mg5"
lhe=$(ls "$R"/Events/run_*/unweighted_events.lhe.gz 2>/dev/null | tail -n 1 || true)
if [ -z "$lhe" ]; then
  echo "goldmine: run $N produced no Events/run_*/unweighted_events.lhe.gz" >&2
  exit 3
fi
cp "$C/fingerprint" "$R/goldmine.fingerprint"
echo "goldmine: run $N wrote $lhe"
`)
	return b.String()
}

func runAllScript(p *Plan) string {
	var b strings.Builder
	jobs := max(p.cfg.Parallel, 1)
	b.WriteString(scriptHead(p, "run the whole campaign: the process folder, then every run.",
		fmt.Sprintf("bash run_all.sh [JOBS]   (JOBS runs at a time, default %d)", jobs), true))
	b.WriteString("export GOLDMINE_WORKDIR=\"$W\" MG5_AMC=\"$MG5\" GOLDMINE_PYTHON=\"$PY\"\n")
	fmt.Fprintf(&b, "JOBS=\"${1:-%d}\"\n", jobs)
	b.WriteString(`mkdir -p "$W/logs"
if [ ! -x "$W/process/bin/generate_events" ] || ! cmp -s "$W/cards/proc_card.dat" "$W/process/goldmine.proc_card.dat"; then
  echo "goldmine: generating the process folder (log $W/logs/generate.log)"
  if ! bash "$W/scripts/generate.sh" > "$W/logs/generate.log" 2>&1; then
    echo "goldmine: generate failed, see $W/logs/generate.log" >&2
    exit 1
  fi
fi
`)
	b.WriteString("RUNS=\"")
	for i, pr := range p.Runs {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(pr.Name)
	}
	b.WriteString("\"\n")
	b.WriteString(`for n in $RUNS; do
  rm -f "$W/logs/$n.failed"
  if ls "$W/runs/$n"/Events/run_*/unweighted_events.lhe.gz > /dev/null 2>&1 &&
    cmp -s "$W/cards/$n/fingerprint" "$W/runs/$n/goldmine.fingerprint"; then
    echo "goldmine: run $n already has events from its current cards, skipped (remove $W/runs/$n to redo it)"
    continue
  fi
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 1; done
  echo "goldmine: run $n started (log $W/logs/$n.log)"
  ( bash "$W/scripts/run_$n.sh" > "$W/logs/$n.log" 2>&1 || { touch "$W/logs/$n.failed"; echo "goldmine: run $n failed, see $W/logs/$n.log" >&2; } ) &
done
wait
status=0
for n in $RUNS; do
  if [ -e "$W/logs/$n.failed" ]; then status=1; fi
done
exit $status
`)
	return b.String()
}
