"""Synthetic directories of realistic size for the benchmarks.

Descriptions are ~200 words drawn from the vocabulary of the demo directory: each actor gets a
topic (a weighted slice of that vocabulary) plus common words, so documents share terms the way
real profiles do (many weak overlaps, a few strong ones).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import yaml

from matching.engine import Profile

ROOT = Path(__file__).resolve().parent.parent
SECTORS = [f"sector-{i}" for i in range(72)]
INTERESTS = [f"interest-{i}" for i in range(11)]
KINDS = ["eu-cluster", "mini-cluster", "industrial-complex", "university", "foundation"]


def vocabulary() -> list[str]:
    words: set[str] = set()
    for path in sorted((ROOT / "fixtures" / "demo").glob("*.yaml")):
        for record in yaml.safe_load(path.read_text(encoding="utf-8")):
            words.update(re.findall(r"[a-z][a-z-]{2,}", record["description"].lower()))
    return sorted(words)


def synthetic_texts(n: int, *, words_per_text: int = 200, topics: int = 60, seed: int = 7):
    rng = np.random.default_rng(seed)
    vocab = np.array(vocabulary())
    v = vocab.size
    zipf = 1.0 / np.arange(1, v + 1)
    topic_of = rng.integers(0, topics, size=n)
    # Each topic favours its own random 150 words on top of a shared Zipf background.
    topic_words = [rng.choice(v, size=150, replace=False) for _ in range(topics)]
    texts = []
    for t in range(topics):
        members = np.flatnonzero(topic_of == t)
        if members.size == 0:
            continue
        p = zipf.copy()
        p[topic_words[t]] += 40.0 / 150
        p /= p.sum()
        draws = rng.choice(v, size=(members.size, words_per_text), p=p)
        for member, row in zip(members, draws, strict=True):
            texts.append((int(member), " ".join(vocab[row])))
    texts.sort()
    return [text for _, text in texts], topic_of


def synthetic_profiles(n: int, *, seed: int = 7) -> list[Profile]:
    rng = np.random.default_rng(seed + 1)
    texts, topic_of = synthetic_texts(n, seed=seed)
    profiles = []
    for i, text in enumerate(texts):
        sectors = frozenset(SECTORS[j] for j in {topic_of[i] % 72, rng.integers(0, 72)})
        offers = frozenset(INTERESTS[j] for j in rng.choice(11, size=3, replace=False))
        seeks = frozenset(INTERESTS[j] for j in rng.choice(11, size=3, replace=False))
        profiles.append(
            Profile(
                key=i,
                slug=f"actor-{i}",
                name=f"Actor {i}",
                side="eu" if i % 3 == 0 else "kr",
                kind=KINDS[i % len(KINDS)],
                region=f"region-{i % 17}",
                text=text,
                sectors=sectors,
                offers=offers,
                seeks=seeks,
            )
        )
    return profiles
