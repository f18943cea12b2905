#!/usr/bin/env python3
"""One scikit-learn NMF fit on a bench/make_data.py matrix, float32, printed as JSON: wall time,
iterations, reconstruction error and memory. Run in a fresh process per fit so peak memory is its own.
Threads: OMP/OpenBLAS thread counts are set from --threads before numpy loads.

    /usr/bin/python3 bench/sklearn_fit.py --data bench/data/u100k --solver cd --loss frobenius \
        --max-iter 50 --tol 0 --threads 1
"""
import argparse
import json
import os
import resource
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--data", required=True)
ap.add_argument("--solver", choices=["cd", "mu"], required=True)
ap.add_argument("--loss", choices=["frobenius", "kullback-leibler"], required=True)
ap.add_argument("--k", type=int, default=7)
ap.add_argument("--max-iter", type=int, default=200)
ap.add_argument("--tol", type=float, default=1e-4)
ap.add_argument("--init", default="nndsvda")
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--loop-only", action="store_true",
                help="time only scikit-learn's iteration loop (its private _fit_* function) from the nndsvda start")
a = ap.parse_args()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(a.threads)

import warnings  # noqa: E402

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.decomposition import NMF  # noqa: E402
from sklearn.decomposition import _nmf  # noqa: E402

meta = json.load(open(a.data + ".json"))
X = np.fromfile(a.data + ".f32", dtype="<f4").reshape(meta["rows"], meta["cols"])
rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if a.loop_only:
    # The loop alone, as NMF.fit runs it (tol 0: no error checks inside), from scikit-learn's own start.
    W0, H0 = _nmf._initialize_nmf(X, a.k, init=a.init, random_state=0)
    t0 = time.perf_counter()
    if a.solver == "cd":
        _nmf._fit_coordinate_descent(X, W0, H0, tol=a.tol, max_iter=a.max_iter)
    else:
        _nmf._fit_multiplicative_update(X, W0, H0, beta_loss=a.loss, max_iter=a.max_iter, tol=a.tol)
    json.dump({"tool": f"scikit-learn {sklearn.__version__}", "loopSeconds": time.perf_counter() - t0,
               "iterations": a.max_iter}, sys.stdout)
    print()
    sys.exit(0)

model = NMF(n_components=a.k, solver=a.solver, beta_loss=a.loss, init=a.init, max_iter=a.max_iter,
            tol=a.tol, random_state=0)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    model.fit_transform(X)
    seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
json.dump({"tool": f"scikit-learn {sklearn.__version__}", "seconds": seconds, "iterations": int(model.n_iter_),
           "reconstructionError": float(model.reconstruction_err_),
           "peakRssMiB": peak / 1024, "rssAfterLoadMiB": rss_loaded / 1024,
           "dataMiB": X.nbytes / 2**20}, sys.stdout)
print()
