"""What handing the ranking to a search engine would cost in recall, simulated on the synthetic
directory against the exact ranking.

    python bench/bench_search_engine.py --sizes 10000 100000

A search engine's "more like this" query (OpenSearch's `more_like_this`, Elasticsearch's, Solr's
MoreLikeThis) takes the query document's most distinctive words (`max_query_terms`, 25 by
default, chosen by tf-idf within the document), sends them as one BM25 disjunction and returns
the best documents. No search engine runs on this machine, so this benchmark does the same
thing in-process: the same choice of 25 words, scored by BM25 (`bm25s`, k1 = 1.5, b = 0.75) over
the other side's profiles. It measures, for a sample of European queries:

- recall@20 of the engine's own top 20 against the exact ranking's top 20 (what a site that
  showed the engine's answer would lose);
- recall@20 when the engine only fetches candidates (its top 100, 200 or 500) and the site
  re-ranks them exactly: the usual way to use a search engine for a model it cannot express;
- the time per query of the simulated engine against the exact ranking's, in the same run.

Recall is the share of the exact top 20 found; BENCH lines carry every figure.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import synthetic_profiles  # noqa: E402
from matching.engine import build_index  # noqa: E402

MAX_QUERY_TERMS = 25  # more_like_this's default
TOP = 20
FETCHES = (100, 200, 500)


def bench(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.4g} {unit}", flush=True)


def chosen_terms(tokens: list[str], idf: dict[str, float]) -> list[str]:
    """The query document's most distinctive words, as more_like_this picks them: term
    frequency in the document times inverse document frequency, the best MAX_QUERY_TERMS."""
    counts: dict[str, int] = {}
    for token in tokens:
        if token in idf:
            counts[token] = counts.get(token, 0) + 1
    ranked = sorted(counts, key=lambda t: (-counts[t] * idf[t], t))
    return ranked[:MAX_QUERY_TERMS]


def run(size: int, *, queries: int) -> None:
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    profiles = synthetic_profiles(size)
    t = time.perf_counter()
    index = build_index(profiles, version=size)
    print(f"# {size} actors, exact index built in {time.perf_counter() - t:.1f} s", flush=True)
    analyse = index.vectorizer.build_analyzer()
    korean_rows = np.array([i for i, p in enumerate(profiles) if p.side == "kr"])
    korean_keys = np.array([profiles[i].key for i in korean_rows])
    tokens = [analyse(profiles[i].text) for i in korean_rows]
    t = time.perf_counter()
    engine = bm25s.BM25()
    engine.index(tokens, show_progress=False)
    took = time.perf_counter() - t
    print(f"# the simulated engine indexed {len(tokens)} profiles in {took:.1f} s")
    n_docs = len(tokens)
    df: dict[str, int] = {}
    for doc in tokens:
        for token in set(doc):
            df[token] = df.get(token, 0) + 1
    idf = {t: float(np.log(n_docs / n)) for t, n in df.items() if t in engine.vocab_dict}

    rng = np.random.default_rng(3)
    european = [p.key for p in profiles if p.side == "eu"]
    sample = rng.choice(european, size=min(queries, len(european)), replace=False)
    recall_top = []
    recall_fetch: dict[int, list[float]] = {k: [] for k in FETCHES}
    exact_s, engine_s = [], []
    for key in sample:
        key = int(key)
        t = time.perf_counter()
        exact = {m.key for m in index.rank(key, top=TOP, explain=0)}
        exact_s.append(time.perf_counter() - t)
        terms = chosen_terms(analyse(profiles[index.row_of(key)].text), idf)
        t = time.perf_counter()
        scores = np.asarray(engine.get_scores(terms), dtype=np.float32)
        order = np.argsort(-scores, kind="stable")[: max(FETCHES)]
        engine_s.append(time.perf_counter() - t)
        found = korean_keys[order]
        recall_top.append(len(exact & set(found[:TOP].tolist())) / TOP)
        for k in FETCHES:
            # Re-ranked exactly, the fetched candidates keep every exact top-20 member they hold.
            recall_fetch[k].append(len(exact & set(found[:k].tolist())) / TOP)
    bench(f"engine_recall_at_{TOP}_{size}", float(np.mean(recall_top)), "share")
    for k in FETCHES:
        bench(
            f"engine_fetch_{k}_then_exact_recall_at_{TOP}_{size}",
            float(np.mean(recall_fetch[k])),
            "share",
        )
    exact_p50 = float(np.percentile(exact_s, 50)) * 1000
    engine_p50 = float(np.percentile(engine_s, 50)) * 1000
    bench(f"exact_query_p50_ms_{size}", exact_p50, "ms")
    bench(f"engine_query_p50_ms_{size}", engine_p50, "ms")
    bench(f"engine_over_exact_query_p50_{size}", engine_p50 / exact_p50, "x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    for size in args.sizes:
        run(size, queries=args.queries)


if __name__ == "__main__":
    main()
