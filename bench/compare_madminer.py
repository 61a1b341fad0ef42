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
  fastest   torch.set_num_threads(1), one BLAS thread (OPENBLAS_NUM_THREADS,
            OMP_NUM_THREADS, MKL_NUM_THREADS = 1), n_workers=0 (no DataLoader
            workers): MadMiner's fastest configuration on this machine
  threads2  torch.set_num_threads(2), n_workers=0 (BLAS threads as installed)
  default   MadMiner's defaults: torch's default threads, n_workers=8

The networks and options are those of bench/zh30k.yaml: SALLY hidden
(50, 50), ALICES hidden (100,) with alpha 1, 20 epochs, everything else
MadMiner's default (AMSGrad, batch 128, learning rate 1e-3 -> 1e-4,
early stopping). goldmine writes y and r_xz as
vectors; MadMiner's sampler writes them as (n, 1) columns, so they are
reshaped before training, as MadMiner's losses expect.

Both tools validate on the same validation samples (sally_val and
alices_val of the validation partition: MadMiner's x_val, ...), and
their final models are also scored on the same held-out events (the
sally_heldout and alices_heldout samples of the test partition)
with one loss (heldout_loss): SALLY mean (t̂ − t)²; ALICES BCE(ŝ, 1/(1+r))
with logs clamped at −100 as torch's BCELoss, plus α·mean ((1−y)·σ_θ(t̂ − t))²
in standardised θ units, σ_θ the population standard deviation of the
training θ0. With --goldmine-model DIR it scores a goldmine model
directory instead (a numpy forward pass from the saved weights; tanh
networks), which needs only numpy.
"""

import argparse
import json
import logging
import os
import resource
import sys
import time

# The fastest setting is single-threaded throughout: torch.set_num_threads
# does not reach the thread pool of the BLAS that Debian's torch and numpy
# use (OpenBLAS), which must be fixed before they load. Measured here:
# SALLY 0.66 s/epoch so, 0.77 s/epoch with OpenBLAS's two threads.
if "fastest" in sys.argv:
    for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[v] = "1"

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
    p.add_argument("--setting", choices=["fastest", "threads2", "default"])
    p.add_argument("--goldmine-model", help="score this goldmine model directory on the held-out sample")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    if a.goldmine_model:
        print(json.dumps({"tool": "goldmine", "model": a.goldmine_model, "method": a.method,
                          "heldout_loss": heldout_loss(a.samples, a.method, goldmine_predict(a.goldmine_model))}))
        return
    if a.setting is None:
        p.error("--setting or --goldmine-model is required")

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

    def load(sample, name, partition="train"):
        v = np.load(os.path.join(a.samples, sample, f"{name}_{partition}.npy"))
        return v.reshape(-1, 1) if v.ndim == 1 else v

    # Both tools validate on the same validation sample (sally_val,
    # alices_val of bench/zh30k.yaml) instead of a random split.
    if a.method == "sally":
        x, t_xz = load("sally", "x"), load("sally", "t_xz")
        x_val, t_val = load("sally_val", "x", "validation"), load("sally_val", "t_xz", "validation")
        est = ScoreEstimator(n_hidden=(50, 50))
        start, cpu = time.perf_counter(), cpu_seconds()
        train, val = est.train(method="sally", x=x, t_xz=t_xz, x_val=x_val, t_xz_val=t_val,
                               n_epochs=a.epochs, n_workers=n_workers, verbose="none")
    else:
        names = ("x", "y", "theta0", "r_xz", "t_xz0")
        x, y, theta, r_xz, t_xz = (load("alices", n) for n in names)
        xv, yv, thv, rv, tv = (load("alices_val", n, "validation") for n in names)
        est = ParameterizedRatioEstimator(n_hidden=(100,))
        start, cpu = time.perf_counter(), cpu_seconds()
        train, val = est.train(
            method="alices", x=x, y=y, theta=theta, r_xz=r_xz, t_xz=t_xz, alpha=1.0,
            x_val=xv, y_val=yv, theta_val=thv, r_xz_val=rv, t_xz_val=tv,
            n_epochs=a.epochs, n_workers=n_workers, verbose="none",
        )
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    if a.method == "sally":
        predict = lambda x, theta: (None, est.evaluate_score(x))
    else:
        predict = lambda x, theta: est.evaluate_log_likelihood_ratio(x, theta, test_all_combinations=False, evaluate_score=True)
    print(json.dumps({
        "tool": "madminer", "method": a.method, "setting": a.setting, "seed": a.seed,
        "torch": torch.__version__, "threads": torch.get_num_threads(), "n_workers": n_workers,
        "samples": int(x.shape[0]), "epochs": len(train), "seconds": seconds,
        "seconds_per_epoch": seconds / max(len(train), 1), "cpu_seconds": cpu,
        "train_loss": [float(v) for v in train], "val_loss": [float(v) for v in val],
        # MadMiner's early stopping keeps a reference to the live weights, so
        # the model it returns is the last epoch's (../shared/README.md).
        "final_val_loss": float(val[-1]), "best_val_loss": float(min(val)),
        "heldout_loss": heldout_loss(a.samples, a.method, predict),
    }))


def load_sample(samples, sample, name, partition):
    v = np.load(os.path.join(samples, sample, f"{name}_{partition}.npy")).astype(np.float64)
    return v.reshape(-1, 1) if v.ndim == 1 else v


def softplus(z):
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def heldout_loss(samples, method, predict):
    """The loss of a model's predictions, predict(x, theta) -> (log r̂, t̂)
    in θ units, on the held-out sample of method."""
    if method == "sally":
        x, t = load_sample(samples, "sally_heldout", "x", "test"), load_sample(samples, "sally_heldout", "t_xz", "test")
        _, t_hat = predict(x, None)
        return float(np.mean((np.asarray(t_hat) - t) ** 2))
    h = "alices_heldout"
    x, theta, y, r, t = (load_sample(samples, h, n, "test") for n in ("x", "theta0", "y", "r_xz", "t_xz0"))
    sigma = np.maximum(load_sample(samples, "alices", "theta0", "train").std(axis=0), 1e-6)
    log_r, t_hat = predict(x, theta)
    log_r = np.asarray(log_r).reshape(-1, 1)
    s = 1 / (1 + r)
    xe = np.mean(s * np.minimum(softplus(log_r), 100) + (1 - s) * np.minimum(softplus(-log_r), 100))
    score = np.mean(((1 - y) * sigma * (np.asarray(t_hat) - t)) ** 2)
    return float(xe + 1.0 * score)


def goldmine_predict(model_dir):
    """predict(x, theta) of a goldmine model directory: its saved scalings
    and weights, a tanh network, and the score by a forward-mode tangent
    along the θ inputs."""
    m = json.load(open(os.path.join(model_dir, "model.json")))
    if m.get("activation", "tanh") != "tanh":
        raise SystemExit("compare_madminer.py: only tanh networks are scored")
    layers = []
    while os.path.exists(os.path.join(model_dir, f"layers.{len(layers)}.weight.npy")):
        l = len(layers)
        layers.append((np.load(os.path.join(model_dir, f"layers.{l}.weight.npy")), np.load(os.path.join(model_dir, f"layers.{l}.bias.npy"))))
    xs = m["x_scaling"]
    feat = m.get("features") or list(range(len(xs["mean"])))

    def predict(x, theta):
        a = ((x - np.array(xs["mean"])) / np.array(xs["std"]))[:, feat]
        k = 0
        if theta is not None:
            ts = m["theta_scaling"]
            th = (theta - np.array(ts["mean"])) / np.array(ts["std"])
            k = th.shape[1]
            a = np.hstack([th, a])
        ad = np.zeros((k,) + a.shape)  # tangents along the θ̃ inputs
        for j in range(k):
            ad[j, :, j] = 1
        for l, (w, b) in enumerate(layers):
            z, zd = a @ w.T + b, ad @ w.T
            if l < len(layers) - 1:
                a = np.tanh(z)
                ad = (1 - a * a) * zd
            else:
                a, ad = z, zd
        if theta is None:
            return None, a
        return a[:, 0], (ad[:, :, 0] / np.array(m["theta_scaling"]["std"])[:, None]).T

    return predict


if __name__ == "__main__":
    main()
