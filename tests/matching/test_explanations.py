"""Reasons a cluster manager would accept: only informative terms, never names or reporting."""

import re

from directory.demo import DEMO_MANAGED
from directory.models import Actor
from matching.engine import REPORTING_WORDS
from matching.index import fresh_index_for, own_words
from matching.ranking import actor_ranking

TERMS = re.compile(r"Both work on (.+?)(?:; you share|\.)")


def shown_terms(sentence: str) -> list[str]:
    found = TERMS.search(sentence)
    if not found:
        return []
    return [t.strip() for t in re.split(r",| and ", found.group(1)) if t.strip()]


def test_every_demo_managers_top_twenty_gives_only_informative_terms(demo_directory):
    problems = []
    checked = 0
    for slug in DEMO_MANAGED.values():
        actor = Actor.objects.get(slug=slug)
        index = fresh_index_for(actor_ids=[actor.pk])
        analyse = index.vectorizer.build_analyzer()
        for row in actor_ranking(actor=actor, top=20, explain=20):
            candidate = Actor.objects.get(pk=row.match.key)
            # Words as the index cuts them ("bio-health" is one word, not "health").
            names = set(analyse(own_words(actor))) | set(analyse(own_words(candidate)))
            for term in shown_terms(row.sentence):
                checked += 1
                term_words = set(analyse(term))
                if term_words & names:
                    problems.append(f"{slug} -> {candidate.slug}: '{term}' names one of them")
                if term_words & REPORTING_WORDS:
                    problems.append(f"{slug} -> {candidate.slug}: '{term}' is a reporting word")
                column = index.vectorizer.vocabulary_.get(term)
                if column is not None and column in index.quiet_columns:
                    problems.append(f"{slug} -> {candidate.slug}: '{term}' is too common")
    assert checked > 50  # the rankings really give terms to check
    assert problems == []


def test_pole_eau_is_not_matched_on_its_own_name_or_on_chance(demo_directory):
    actor = Actor.objects.get(slug="pole-eau")
    # The reasons of what the two share (a reason naming similar organisations names them
    # on purpose, and is left out here).
    sentences = " ".join(
        row.sentence.split(" Organisations like yours")[0]
        for row in actor_ranking(actor=actor, top=20, explain=20)
    )
    for word in ("pole", "eau", "montpellier", "chance", "plus", "usd", "began", "invited"):
        assert not re.search(rf"\b{word}\b", sentences, re.I), word


def test_a_third_organisations_name_is_no_reason(demo_directory):
    actor = Actor.objects.get(slug="chuncheon-bioindustry-foundation")
    rows = actor_ranking(actor=actor, top=10, explain=10)
    terms = {t.term for row in rows for t in row.match.shared_terms}
    assert terms  # the rows do give shared terms
    assert not terms & {"biocat", "lyonbiopole", "kicox", "kiat", "bioxclusters"}


# Words a reviewer, reading every reason of every demo actor's top 20, would not accept as why
# two organisations should meet: kept here apart from the engine's own lists, so that this
# test does not only check the engine against itself.
NOT_REASONS = {
    "abroad", "according", "actors", "agency", "alliance", "balkan", "base", "billion", "bio",
    "brings", "capital", "centre", "chamber", "chose", "cites", "cities", "contact",
    "counterpart", "countries", "daedeok", "days", "describes", "developed", "discussion",
    "eau", "engage", "eu", "example", "field", "foodpolis", "founded", "fourteen", "gangwon",
    "global", "grand", "gyeonggi", "head", "herzogenrath", "house", "hydrogaia", "institute",
    "jeonbuk", "keimyung", "kist", "launched", "like", "listed", "managers", "ministry",
    "mission", "names", "november", "oceania", "ohrid", "organise", "peer", "planned",
    "pole", "pollutech", "president", "promotes", "represents", "roughly", "sea", "sector",
    "seven", "sides", "site", "smes", "supports", "trade", "went", "work", "works", "yearly",
}  # fmt: skip


def test_no_reason_names_a_word_a_cluster_manager_would_not_accept(demo_directory):
    bad = []
    actors = Actor.objects.filter(status="published", side="eu").order_by("slug")
    for actor in actors:
        for row in actor_ranking(actor=actor, top=10, explain=10):
            for term in shown_terms(row.sentence):
                if set(term.lower().split()) & NOT_REASONS:
                    bad.append(f"{actor.slug} -> {row.actor.slug}: {term}")
    assert len(actors) >= 40
    assert bad == []
