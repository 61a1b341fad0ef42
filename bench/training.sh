#!/usr/bin/env bash
# Copyright ©2026 The goldmine Authors. All rights reserved.
# Use of this source code is governed by a BSD-style
# license that can be found in the LICENSE file.
#
# Training speed of goldmine beside MadMiner, measured in one run on one
# machine and the same data: SALLY hidden (50, 50) and ALICES hidden (100,),
# 20 epochs on the 75k-sample training sets (validated on the same 25k
# validation samples by both tools) that `goldmine augment` draws
# from the 30000-event ZH file (bench/zh30k.yaml); MadMiner trains on the
# very .npy files goldmine wrote (bench/compare_madminer.py).
#
# goldmine rows run `goldmine train` (the product's command: it loads the
# samples, trains and saves the model) in both builds (default: pure Go and
# gonum's BLAS; simd: GOEXPERIMENT=simd, AVX2 kernels), both precisions and
# 1 and 2 workers (GOMAXPROCS = workers). MadMiner rows run its fastest
# setting (1 torch thread, n_workers=0) and its default (n_workers=8).
# Every final model is also scored on the same held-out events (the
# test-partition samples of the card) with one loss (compare_madminer.py).
#
# Usage:  bench/training.sh > table.md
# Environment:
#   WORK         working directory (default: a new temporary directory)
#   EPOCHS       epochs per training (default 20)
#   SEEDS        training seeds, one run per row and seed (default "1"); the
#                table shows median times and the mean ± standard deviation
#                of the losses over seeds (MadMiner's default setting runs
#                only the first seed: it trains the same model as its fastest)
#   MADMINER_PY  MadMiner's Python (default /opt/madminer-env/bin/python,
#                built by ../shared/tools/setup_madminer.sh)
#   MADMINER     MadMiner settings to run (default "fastest default";
#                also "threads2"; empty: none, the table then shows the
#                reference numbers of issue 17)
#   BUILDS       goldmine builds (default "default simd"; simd is skipped
#                if the Go toolchain cannot build it)
#   PRECISIONS   goldmine precisions (default "float64 float32")
#   WORKERS      goldmine worker counts (default "1 2")
#   EARLY_STOPPING  goldmine's early_stopping (default: the card's, true);
#                false keeps the last epoch, as MadMiner's early stopping
#                does in effect (it keeps a reference to the live weights)
#   PAIRS        1 (default): beside every 1-worker row, train the same
#                model twice at once, 1 worker each, in two copies of the
#                working directory: two threads running the same kernels
#                with no synchronisation, the machine's ceiling in this run
#                for what a second worker can bring (and a check that both
#                give the same weights); 0: skip
# Prints a markdown table on stdout; every run is in WORK/results.jsonl,
# progress goes to stderr. Timings on a busy machine are disturbed: compare
# rows of one run, and look at the CPU column too.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/goldmine-bench.XXXXXX")}
EPOCHS=${EPOCHS:-20}
SEEDS=${SEEDS:-1}
MADMINER_PY=${MADMINER_PY:-/opt/madminer-env/bin/python}
MADMINER=${MADMINER-fastest default}
BUILDS=${BUILDS:-default simd}
PRECISIONS=${PRECISIONS:-float64 float32}
WORKERS=${WORKERS:-1 2}
EARLY_STOPPING=${EARLY_STOPPING:-}
PAIRS=${PAIRS:-1}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
SHARED_LHE="$ROOT/../shared/data/lhe/zh_smeft_cHW_cHq3_30000ev.lhe.gz"
[ -f "$SHARED_LHE" ] || { echo "training.sh: $SHARED_LHE not found (the shared test data)" >&2; exit 1; }

mkdir -p "$WORK/bin"
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"
log() { echo "training.sh: $*" >&2; }

bins=()
for b in $BUILDS; do
  case $b in
  default) (cd "$ROOT" && go build -o "$WORK/bin/goldmine-default" ./cmd/goldmine) && bins+=(default) ;;
  simd)
    if (cd "$ROOT" && GOEXPERIMENT=simd go build -o "$WORK/bin/goldmine-simd" ./cmd/goldmine) 2>/dev/null; then
      bins+=(simd)
    else
      log "GOEXPERIMENT=simd does not build with $(go version); skipping the simd build"
    fi ;;
  *) log "unknown build $b"; exit 2 ;;
  esac
done

# card: bench/zh30k.yaml with the absolute path of the LHE file and, if
# given, only one training entry with precision and workers set.
card() { # out [method precision workers seed]
  awk -v lhe="$SHARED_LHE" -v m="${2:-}" -v p="${3:-}" -v w="${4:-}" -v e="$EPOCHS" -v seed="${5:-}" -v es="$EARLY_STOPPING" '
    /^  - \{name: zh, lhe:/ { sub(/lhe: [^,]*/, "lhe: " lhe) }
    /^training:/ { tr = 1; print; next }
    tr && /^  - \{/ {
      if (m == "") { print; next }
      if ($0 !~ "name: " m ",") next
      sub(/epochs: [0-9]+/, "epochs: " e)
      sub(/\}$/, ", precision: " p ", workers: " w ", seed: " seed (es == "" ? "" : ", early_stopping: " es) "}")
    }
    { print }' "$ROOT/bench/zh30k.yaml" >"$1"
}

DATA="$WORK/zh30k"
card "$WORK/zh30k.yaml"
if [ ! -f "$DATA/samples/alices_heldout/manifest.json" ]; then
  log "drawing the training samples (goldmine setup, analyse, augment) into $DATA"
  for stage in setup analyse augment; do
    "$WORK/bin/goldmine-${bins[0]}" "$stage" "$WORK/zh30k.yaml" --workdir "$DATA" -q >/dev/null
  done
fi

# timed: runs a command with its stdout in $WORK/out.json and writes
# {"wall": s, "cpu": s} (user + system time of the command) to $WORK/time.json.
timed() {
  local TIMEFORMAT='%R %U %S' wall user sys
  if ! { time "$@" >"$WORK/out.json" 2>"$WORK/err.txt"; } 2>"$WORK/time.txt"; then
    log "failed: $*"
    cat "$WORK/err.txt" >&2
    exit 1
  fi
  read -r wall user sys <"$WORK/time.txt"
  echo "{\"wall\": $wall, \"cpu\": $($PY -c "print($user + $sys)")}" >"$WORK/time.json"
}

# pair: trains card $2 with build $1 twice at once, 1 worker each, in
# $DATA and its copy $DATA2; writes the wall time of each run to
# $WORK/pair1.time and $WORK/pair2.time and fails unless both wrote the
# same weights.
DATA2="$WORK/zh30k-copy"
rm -rf "$DATA2"
pair() { # build card method
  if [ ! -d "$DATA2" ]; then
    cp -a "$DATA" "$DATA2" && rm -rf "$DATA2/models"
  fi
  local k pids=()
  for k in 1 2; do
    local d=$DATA
    [ $k = 2 ] && d=$DATA2
    (
      TIMEFORMAT='%R'
      { time GOMAXPROCS=1 "$WORK/bin/goldmine-$1" train "$2" --workdir "$d" --json -q >"$WORK/pair$k.json" 2>"$WORK/pair$k.err"; } 2>"$WORK/pair$k.time"
    ) &
    pids+=($!)
  done
  for k in "${pids[@]}"; do
    wait "$k" || { log "failed: paired goldmine train $2"; cat "$WORK/pair1.err" "$WORK/pair2.err" >&2; exit 1; }
  done
  local f
  for f in "$DATA/models/$3"/*.npy; do
    cmp -s "$f" "$DATA2/models/$3/$(basename "$f")" ||
      { log "paired trainings of $3 wrote different weights: $f"; exit 1; }
  done
}

first=1
for seed in $SEEDS; do
  for b in "${bins[@]}"; do
    for method in sally alices; do
      for prec in $PRECISIONS; do
        for w in $WORKERS; do
          log "goldmine ($b build) $method $prec, $w worker(s), seed $seed"
          c="$WORK/card-$method-$prec-$w.yaml"
          card "$c" "$method" "$prec" "$w" "$seed"
          GOMAXPROCS=$w timed "$WORK/bin/goldmine-$b" train "$c" --workdir "$DATA" --json -q
          $PY "$ROOT/bench/compare_madminer.py" --samples "$DATA/samples" --method "$method" \
            --goldmine-model "$DATA/models/$method" >"$WORK/heldout.json"
          $PY - "$WORK/out.json" "$WORK/time.json" "$b" "$prec" "$w" "$DATA/models/$method/model.json" "$WORK/heldout.json" >>"$RESULTS" <<'EOF'
import json, sys
out, tm = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
build, prec, workers, model = sys.argv[3], sys.argv[4], int(sys.argv[5]), json.load(open(sys.argv[6]))
heldout = json.load(open(sys.argv[7]))["heldout_loss"]
seed = model["settings"]["seed"]
m = out["models"][0]
h = model["history"]
n = len(h["train"])
print(json.dumps({"tool": "goldmine", "method": m["method"], "setting": f"{build} build, {prec}, {workers} worker" + ("s" if workers > 1 else ""),
    "build": build, "precision": prec, "workers": workers, "seed": seed, "epochs": n, "seconds": tm["wall"], "cpu_seconds": tm["cpu"],
    "seconds_per_epoch": tm["wall"] / n, "epoch_seconds": sum(h["seconds"]) / n,
    "final_val_loss": h["val"][h["best_epoch"]], "best_epoch": h["best_epoch"], "val_loss": h["val"],
    "heldout_loss": heldout}))
EOF
          if [ "$w" = 1 ] && [ "$PAIRS" = 1 ]; then
            log "goldmine ($b build) $method $prec, two 1-worker trainings at once, seed $seed"
            pair "$b" "$c" "$method"
            $PY - "$WORK/pair1.time" "$WORK/pair2.time" "$b" "$prec" "$seed" "$DATA/models/$method/model.json" "$DATA2/models/$method/model.json" >>"$RESULTS" <<'EOF'
import json, sys
walls = [float(open(f).read().split()[-1]) for f in sys.argv[1:3]]
build, prec, seed = sys.argv[3], sys.argv[4], int(sys.argv[5])
models = [json.load(open(f)) for f in sys.argv[6:8]]
n = len(models[0]["history"]["train"])
print(json.dumps({"tool": "goldmine", "method": models[0]["method"], "setting": f"{build} build, {prec}, 2 × 1 worker at once",
    "build": build, "precision": prec, "workers": 1, "pair": True, "seed": seed, "epochs": n,
    "seconds": sum(walls) / 2, "pair_seconds": walls, "seconds_per_epoch": sum(walls) / 2 / n,
    "final_val_loss": models[0]["history"]["val"][models[0]["history"]["best_epoch"]]}))
EOF
          fi
        done
      done
    done
  done
  for s in $MADMINER; do
    if [ "$s" = default ] && [ "$first" != 1 ]; then
      continue
    fi
    if ! "$MADMINER_PY" -c "import madminer" 2>/dev/null; then
      log "MadMiner is not importable with $MADMINER_PY; showing the reference numbers instead"
      break
    fi
    for method in sally alices; do
      log "MadMiner $method, setting $s, seed $seed"
      "$MADMINER_PY" "$ROOT/bench/compare_madminer.py" --samples "$DATA/samples" --method "$method" \
        --setting "$s" --epochs "$EPOCHS" --seed "$seed" 2>"$WORK/madminer.err" | tail -1 >>"$RESULTS" ||
        { log "MadMiner failed:"; tail -5 "$WORK/madminer.err" >&2; }
    done
  done
  first=0
done

$PY - "$RESULTS" "$EPOCHS" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
epochs = int(sys.argv[2])
groups = {}
for r in rows:
    groups.setdefault((r["tool"], r["method"], r["setting"]), []).append(r)
med = lambda rs, k: statistics.median(r[k] for r in rs)


def loss(rs, k):
    v = [r[k] for r in rs]
    if len(v) == 1:
        return f"{v[0]:.5f}"
    return f"{statistics.mean(v):.5f} ± {statistics.stdev(v):.5f} ({len(v)} seeds)"

ref = {}
for (tool, method, setting), rs in groups.items():
    if tool == "madminer" and setting == "fastest":
        ref[method] = med(rs, "seconds_per_epoch")
names = {"fastest": "MadMiner, 1 thread, n_workers=0 (its fastest)", "threads2": "MadMiner, 2 threads, n_workers=0",
         "default": "MadMiner default (n_workers=8)"}
print(f"| method | tool, setting | wall s/epoch | CPU s/epoch | total s ({epochs} epochs) | validation loss (same samples) | held-out loss (same events) | MadMiner fastest ÷ this |")
print("|---|---|---|---|---|---|---|---|")
for method in ("sally", "alices"):
    for (tool, m, setting), rs in sorted(groups.items(), key=lambda kv: (kv[0][0] != "madminer", kv[0][2])):
        if m != method:
            continue
        spe = med(rs, "seconds_per_epoch")
        cpu = f"{med(rs, 'cpu_seconds') / rs[0]['epochs']:.3f}" if "cpu_seconds" in rs[0] else "–"
        ratio = f"{ref[method] / spe:.1f}×" if method in ref else "–"
        label = names.get(setting, setting) if tool == "madminer" else f"goldmine, {setting}"
        held = loss(rs, "heldout_loss") if "heldout_loss" in rs[0] else "–"
        print(f"| {method.upper()} | {label} | {spe:.3f} | {cpu} | {med(rs, 'seconds'):.1f} | {loss(rs, 'final_val_loss')} | {held} | {ratio} |")

# The second core: per seed, 1-worker s/epoch ÷ 2-worker s/epoch, and the
# ceiling of the same run, 2 × the 1-worker s/epoch ÷ the s/epoch of each
# of two 1-worker trainings at once (their combined throughput).
per = {}
for r in rows:
    if r["tool"] != "goldmine":
        continue
    kind = "pair" if r.get("pair") else r["workers"]
    per.setdefault((r["method"], r["build"], r["precision"]), {}).setdefault(r["seed"], {})[kind] = r["seconds_per_epoch"]
scal = []
for (method, build, prec), seeds in sorted(per.items()):
    two = [v[1] / v[2] for v in seeds.values() if 1 in v and 2 in v]
    ceil = [2 * v[1] / v["pair"] for v in seeds.values() if 1 in v and "pair" in v]
    if two:
        fmt = lambda xs: f"{statistics.median(xs):.2f} ({' / '.join(f'{x:.2f}' for x in xs)})" if xs else "–"
        scal.append(f"| {method.upper()} | {build}, {prec} | {fmt(two)} | {fmt(ceil)} |")
if scal:
    print()
    print("| method | build, precision | 2 workers ÷ 1 worker: median (per seed) | two 1-worker trainings at once, combined ÷ one alone |")
    print("|---|---|---|---|")
    print("\n".join(scal))
if not ref:
    print()
    print("MadMiner was not run. Reference, this script on the project's 2-core machines (December 2026), 20 epochs on 75k samples (100k with a 25% split before):")
    print("MadMiner single-threaded, n_workers=0 (its fastest): SALLY (50, 50) 0.64–0.82 s/epoch (AVX-512 host), 1.08–1.36 (Zen 3 host),")
    print("ALICES (100,) 1.26–1.50 and 2.08–3.13 s/epoch;")
    print("its default (n_workers=8): SALLY 2.4–6.2 s/epoch, ALICES 4.8–7.0 s/epoch. Issue 17: SALLY 26.6 s at 1 torch thread")
    print("(OpenBLAS threads not pinned), 47.3 s with 2 threads, 60–142 s by default (reference.json: 59.7–65.3 s).")
EOF
log "results: $RESULTS"
