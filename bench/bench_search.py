"""Directory search in Korean against the same search in English, on one synthetic directory.

    python bench/bench_search.py --size 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clustermatch python bench/bench_search.py

Uses its own database (`<name>_bench_search` on PostgreSQL, a file in the var directory
otherwise). Every actor gets an English description (bench/synthetic.py); the Korean third also
gets a Korean name and a Korean description written from a vocabulary of the field's nouns with
the particles and endings Korean writes onto them, so that the analyser has real work. Times,
per query, what the directory page asks of the database: the count and the first 20 rows by
relevance (directory.search.actor_search). English queries are words of the English
vocabulary, Korean ones words of the Korean vocabulary, half of them inflected ("반도체를").
Also times saving one profile with and without Korean text (Actor.save() runs the analyser).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import django_on_private_database  # noqa: E402

# Nouns of the profiles' fields, as Korean cluster sites use them.
_NOUNS = (
    "반도체 이차전지 디스플레이 바이오 의료기기 헬스케어 제약 백신 진단 수소 연료전지 태양광 풍력 "
    "에너지 전력 스마트팩토리 자동화 로봇 인공지능 빅데이터 사물인터넷 소프트웨어 통신 전자 부품 "
    "소재 화학 섬유 패션 식품 농업 수산 물산업 정수 환경 자동차 모빌리티 조선 항공 우주 방산 "
    "기계 금속 철강 세라믹 플라스틱 금형 주조 용접 표면처리 정밀가공 광학 센서 계측 장비 "
    "산업단지 미니클러스터 테크노파크 연구소 대학 기업 중소기업 창업 투자 수출 해외진출 "
    "기술이전 공동연구 인증 시험 실증 시제품 생산 공정 품질 표준 인력 교육 네트워크 협력 "
    "지원 사업 과제 플랫폼 센터 재단 협의체 지역 국가 정부 산업 시장 제품 서비스 기술 개발"
)
KOREAN_NOUNS = tuple(_NOUNS.split())
PARTICLES = ("을", "를", "이", "가", "의", "와", "과", "에서", "으로", "은", "는", "도")
ENDINGS = ("합니다", "하고", "하며", "하는", "를 지원합니다", "을 개발합니다", "에 참여합니다")


def korean_text(rng: random.Random, words: int) -> str:
    out = []
    for i in range(words):
        noun = rng.choice(KOREAN_NOUNS)
        roll = rng.random()
        if roll < 0.55:
            noun += rng.choice(PARTICLES)
        elif roll < 0.65:
            noun += rng.choice(ENDINGS)
        out.append(noun)
        if i % 12 == 11:
            out[-1] += "."
    return " ".join(out)


def bench(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.4g} {unit}", flush=True)


def fill(size: int, *, seed: int) -> None:
    from bench.synthetic import synthetic_texts
    from directory.models import Actor
    from directory.search import actor_korean_search_text

    rng = random.Random(seed)
    texts, _topics = synthetic_texts(size, seed=seed)
    actors = []
    for i, text in enumerate(texts):
        korean = i % 3 == 0
        actor = Actor(
            name=f"Actor {i}",
            slug=f"actor-{i}",
            side="kr" if korean else "eu",
            country="KR" if korean else "FR",
            city="City",
            kind="mini-cluster" if korean else "eu-cluster",
            description=text,
            status="published",
        )
        if korean:
            actor.name_ko = f"{rng.choice(KOREAN_NOUNS)}{rng.choice(KOREAN_NOUNS)} 클러스터 {i}"
            actor.description_ko = korean_text(rng, 120)
        # bulk_create skips save(): the column save() keeps is written here instead.
        actor.search_korean = actor_korean_search_text(actor)
        actors.append(actor)
    Actor.objects.bulk_create(actors, batch_size=1000)


def time_queries(queries: list[str], *, repeat: int) -> list[float]:
    from directory.models import Actor
    from directory.search import actor_search

    samples = []
    for _ in range(repeat):
        for query in queries:
            t = time.perf_counter()
            found = actor_search(queryset=Actor.objects.published(), text=query)
            found = found.order_by("-rank", "name")
            found.count()
            list(found[:20])
            samples.append((time.perf_counter() - t) * 1000)
    return samples


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    vendor = django_on_private_database("bench_search")
    from django.db import connection

    from bench.synthetic import vocabulary
    from directory.models import Actor

    t = time.perf_counter()
    fill(args.size, seed=7)
    print(f"# {args.size} actors loaded into {vendor} in {time.perf_counter() - t:.1f} s")
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE directory_actor")

    rng = random.Random(11)
    english = rng.sample(vocabulary(), args.queries)
    korean = [
        noun + (rng.choice(PARTICLES) if i % 2 else "")
        for i, noun in enumerate(rng.sample(KOREAN_NOUNS, args.queries))
    ]
    time_queries(english[:5] + korean[:5], repeat=1)  # warm caches and the analyser
    en = time_queries(english, repeat=args.repeat)
    ko = time_queries(korean, repeat=args.repeat)
    size = args.size
    bench(f"search_en_p50_ms_{size}_{vendor}", statistics.median(en), "ms")
    bench(f"search_en_p95_ms_{size}_{vendor}", percentile(en, 0.95), "ms")
    bench(f"search_ko_p50_ms_{size}_{vendor}", statistics.median(ko), "ms")
    bench(f"search_ko_p95_ms_{size}_{vendor}", percentile(ko, 0.95), "ms")
    bench(
        f"search_ko_over_en_p50_{size}_{vendor}", statistics.median(ko) / statistics.median(en), "x"
    )

    # What the analyser adds to saving a profile (the form, the admin, an import row).
    saves = {"en": [], "ko": []}
    for actor in Actor.objects.order_by("id")[:60]:
        key = "ko" if actor.description_ko else "en"
        actor.description_ko = actor.description_ko.replace("지원", "협력", 1)
        t = time.perf_counter()
        actor.save()
        saves[key].append((time.perf_counter() - t) * 1000)
    bench(f"save_en_p50_ms_{vendor}", statistics.median(saves["en"]), "ms")
    bench(f"save_ko_p50_ms_{vendor}", statistics.median(saves["ko"]), "ms")


if __name__ == "__main__":
    main()
