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
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import ROOT, synthetic_profiles  # noqa: E402
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


def korean_sentences() -> list[str]:
    """The sentences of the demo's Korean descriptions."""
    sentences: list[str] = []
    for path in sorted((ROOT / "fixtures" / "demo").glob("*.yaml")):
        for record in yaml.safe_load(path.read_text(encoding="utf-8")):
            text = " ".join(str(record.get("description_ko") or "").split())
            sentences.extend(s.strip() + "다." for s in text.split("다.") if s.strip())
    return sentences


def synthetic_korean_texts(n: int, *, sentences_per_text: int = 7, seed: int = 5) -> list[str]:
    """`n` distinct Korean descriptions of about 100 words, each a random draw of the demo's
    Korean sentences (distinct, so the analyser's caches do not flatter the figure)."""
    rng = np.random.default_rng(seed)
    pool = korean_sentences()
    return [
        f"{i}. " + " ".join(pool[j] for j in rng.choice(len(pool), size=sentences_per_text))
        for i in range(n)
    ]


def korean_build(size: int, profiles, links, *, english_build: float) -> None:
    """Building with a Korean description on every Korean profile: each is read by the
    morphological analyser and the glossary (matching.profiles.korean_words) before the fit,
    as the site's index build does. Against the English-only build of the same run."""
    from dataclasses import replace

    from common.korean import content_words, prepare
    from matching.glossary import glossary
    from matching.profiles import korean_words

    t = time.perf_counter()
    content_words("분석기를 불러옵니다")  # the analyser's model, once per process
    glossary().links("의료기기")  # the glossary's Korean forms, once per process
    bench("korean_analyser_load_s", time.perf_counter() - t, "s")
    texts = synthetic_korean_texts(sum(p.side == "kr" for p in profiles))
    korean = iter(texts)
    t = time.perf_counter()
    prepare(texts)  # one batch, as the site's build does (matching.profiles.korean_prepare)
    bilingual = [
        replace(p, text=f"{p.text}\n{korean_words(next(korean))}") if p.side == "kr" else p
        for p in profiles
    ]
    build_index(bilingual, version=size, links=links)
    build = time.perf_counter() - t
    bench(f"build_korean_s_{size}", build, "s")
    bench(f"build_korean_over_english_{size}", build / english_build, "x")


def run(size: int, *, queries: int, refits: int, korean: bool = False) -> None:
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
    if korean:
        korean_build(size, profiles, links, english_build=build)

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
    parser.add_argument(
        "--korean-sizes",
        type=int,
        nargs="*",
        default=[1000, 10000],
        help="sizes also built with a Korean description on every Korean profile",
    )
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    for size in args.sizes:
        run(
            size,
            queries=args.queries,
            refits=3 if size in args.refit_sizes else 0,
            korean=size in args.korean_sizes,
        )


if __name__ == "__main__":
    main()
