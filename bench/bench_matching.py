"""Ranking engine speed: build, query, the bare product floor and the per-request refit baseline.

    python bench/bench_matching.py --sizes 1000 10000 100000
Every figure is printed as `BENCH <name> <value> <unit>`; ratios compare against a baseline
measured in the same run, so a noisy machine moves both sides alike.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import synthetic_profiles  # noqa: E402
from matching.engine import build_index, make_vectorizer  # noqa: E402


def bench(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.4g} {unit}", flush=True)


def percentile(samples: list[float], q: float) -> float:
    return float(np.percentile(np.array(samples), q))


def bare_query(index, row: int, top: int = 20) -> np.ndarray:
    """The physical floor: one sparse matrix-vector product (the query's words against every
    profile) and a partial sort."""
    return np.argpartition(-index.text_parts_words(row), top)[:top]


def refit_query(texts: list[str], row: int, top: int = 20) -> np.ndarray:
    """The naive baseline: fit TF-IDF on the whole directory for every request."""
    matrix = make_vectorizer().fit_transform(texts)
    scores = np.asarray((matrix @ matrix[row].T).todense()).ravel()
    return np.argpartition(-scores, top)[:top]


def run(size: int, *, queries: int, refits: int) -> None:
    started = time.perf_counter()
    profiles = synthetic_profiles(size)
    print(f"# {size} actors generated in {time.perf_counter() - started:.1f} s", flush=True)
    t = time.perf_counter()
    # Known partnerships, as a directory records them: about one per two actors, between the
    # two sides, so that the peer component has partners to read.
    rng_links = np.random.default_rng(11)
    eu = [p.key for p in profiles if p.side == "eu"]
    kr = [p.key for p in profiles if p.side == "kr"]
    links = list(
        zip(
            rng_links.choice(eu, size=size // 2).tolist(),
            rng_links.choice(kr, size=size // 2).tolist(),
            strict=True,
        )
    )
    index = build_index(profiles, version=size, links=links)
    build = time.perf_counter() - t
    bench(f"build_s_{size}", build, "s")
    print(f"# {index.tfidf.shape[1]} terms, {index.tfidf.nnz} weights, {index.nbytes / 1e6:.1f} MB")

    rng = np.random.default_rng(3)
    eu_keys = [p.key for p in profiles if p.side == "eu"]
    keys = rng.choice(eu_keys, size=min(queries, len(eu_keys)), replace=False)
    for key in keys[:5]:  # warm caches on both paths
        index.rank(int(key))
        bare_query(index, index.row_of(int(key)))
    full, bare = [], []
    for key in keys:
        row = index.row_of(int(key))
        t = time.perf_counter()
        index.rank(int(key), top=20, explain=20)
        full.append(time.perf_counter() - t)
        t = time.perf_counter()
        bare_query(index, row)
        bare.append(time.perf_counter() - t)
    for name, samples in (("query", full), ("bare", bare)):
        bench(f"{name}_p50_ms_{size}", percentile(samples, 50) * 1000, "ms")
        bench(f"{name}_p95_ms_{size}", percentile(samples, 95) * 1000, "ms")
    bench(f"query_over_bare_p50_{size}", percentile(full, 50) / percentile(bare, 50), "x")
    bench(f"query_over_bare_p95_{size}", percentile(full, 95) / percentile(bare, 95), "x")

    if refits:
        texts = [p.text for p in profiles]
        refit = []
        for key in keys[:refits]:
            t = time.perf_counter()
            refit_query(texts, index.row_of(int(key)))
            refit.append(time.perf_counter() - t)
        bench(f"refit_p50_ms_{size}", percentile(refit, 50) * 1000, "ms")
        bench(f"refit_over_query_p50_{size}", percentile(refit, 50) / percentile(full, 50), "x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--refit-sizes", type=int, nargs="*", default=[1000, 10000])
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    for size in args.sizes:
        run(size, queries=args.queries, refits=3 if size in args.refit_sizes else 0)


if __name__ == "__main__":
    main()
