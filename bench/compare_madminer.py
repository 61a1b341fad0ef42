#!/usr/bin/env python3
# Copyright ©2026 The goldmine Authors. All rights reserved.
# Use of this source code is governed by a BSD-style
# license that can be found in the LICENSE file.
"""Train MadMiner's SALLY or ALICES on the .npy files goldmine augment
wrote and print one JSON line with the wall time and the losses.

Run with MadMiner's Python (../shared/tools/setup_madminer.sh builds it):

    /opt/madminer-env/bin/python bench/compare_madminer.py \
        --samples WORKDIR/samples --method sally --setting fastest

Settings (one per process: torch's thread count is process-wide):
  fastest   torch.set_num_threads(1), n_workers=0 (no DataLoader workers),
            MadMiner's fastest configuration on this machine
  threads2  torch.set_num_threads(2), n_workers=0
  default   MadMiner's defaults: torch's default threads, n_workers=8

The networks and options are those of bench/zh30k.yaml: SALLY hidden
(50, 50), ALICES hidden (100,) with alpha 1, 20 epochs, everything else
MadMiner's default (AMSGrad, batch 128, learning rate 1e-3 -> 1e-4,
validation split 0.25, early stopping). goldmine writes y and r_xz as
vectors; MadMiner's sampler writes them as (n, 1) columns, so they are
reshaped before training, as MadMiner's losses expect.
"""

import argparse
import json
import logging
import os
import resource
import time

import numpy as np


def cpu_seconds():
    """User and system CPU time of this process and its finished children
    (the DataLoader workers)."""
    t = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        t += r.ru_utime + r.ru_stime
    return t


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--samples", required=True, help="WORKDIR/samples of goldmine augment")
    p.add_argument("--method", choices=["sally", "alices"], required=True)
    p.add_argument("--setting", choices=["fastest", "threads2", "default"], required=True)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()

    import torch

    n_workers = 8
    if a.setting == "fastest":
        torch.set_num_threads(1)
        n_workers = 0
    elif a.setting == "threads2":
        torch.set_num_threads(2)
        n_workers = 0
    np.random.seed(a.seed)
    torch.manual_seed(a.seed)
    logging.basicConfig(level=logging.WARNING)
    from madminer.ml import ParameterizedRatioEstimator, ScoreEstimator

    def load(sample, name):
        v = np.load(os.path.join(a.samples, sample, name + "_train.npy"))
        return v.reshape(-1, 1) if v.ndim == 1 else v

    if a.method == "sally":
        x, t_xz = load("sally", "x"), load("sally", "t_xz")
        est = ScoreEstimator(n_hidden=(50, 50))
        start, cpu = time.perf_counter(), cpu_seconds()
        train, val = est.train(method="sally", x=x, t_xz=t_xz, n_epochs=a.epochs, n_workers=n_workers, verbose="none")
    else:
        x, y, theta, r_xz, t_xz = (load("alices", n) for n in ("x", "y", "theta0", "r_xz", "t_xz0"))
        est = ParameterizedRatioEstimator(n_hidden=(100,))
        start, cpu = time.perf_counter(), cpu_seconds()
        train, val = est.train(
            method="alices", x=x, y=y, theta=theta, r_xz=r_xz, t_xz=t_xz, alpha=1.0,
            n_epochs=a.epochs, n_workers=n_workers, verbose="none",
        )
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    print(json.dumps({
        "tool": "madminer", "method": a.method, "setting": a.setting,
        "torch": torch.__version__, "threads": torch.get_num_threads(), "n_workers": n_workers,
        "samples": int(x.shape[0]), "epochs": len(train), "seconds": seconds,
        "seconds_per_epoch": seconds / max(len(train), 1), "cpu_seconds": cpu,
        "train_loss": [float(v) for v in train], "val_loss": [float(v) for v in val],
        # MadMiner's early stopping keeps a reference to the live weights, so
        # the model it returns is the last epoch's (../shared/README.md).
        "final_val_loss": float(val[-1]), "best_val_loss": float(min(val)),
    }))


if __name__ == "__main__":
    main()
