"""matching.pairs: the scores and reasons events ask for, through one public function."""

import numpy as np
import pytest

from matching.pairs import pair_scorer
from matching.ranking import actor_ranking
from tests.factories import ActorFactory

WEAK = "Little in common beyond being on the other side: a weak match."


def ids(*actors) -> list[int]:
    return [a.pk for a in actors]


def test_a_shared_sector_and_topic_beat_an_unrelated_actor_and_the_reason_names_them(world):
    lyon, chuncheon, gumi = world.actor, world.chuncheon, world.korean
    scorer = pair_scorer(actor_ids=ids(lyon, chuncheon, gumi))
    fit, unrelated = scorer.fit(lyon.pk, chuncheon.pk), scorer.fit(lyon.pk, gumi.pk)
    assert fit.other_id == chuncheon.pk
    assert 0.3 < fit.score <= 1 and unrelated.score == 0
    assert fit.percent == round(fit.score * 100) and unrelated.percent == 0
    # The shared description topic and the shared sector, in plain words.
    assert fit.reason.startswith("Both work on ")
    assert "vaccines" in fit.reason and "you share biopharmaceuticals" in fit.reason
    assert "They offer market access and export, which you seek." in fit.reason
    assert unrelated.reason == WEAK
    assert scorer.score(lyon.pk, chuncheon.pk) == fit.score
    assert scorer.reason(lyon.pk, chuncheon.pk) == fit.reason


def test_the_figures_and_reasons_are_those_of_the_find_partners_ranking(world):
    koreans = [world.chuncheon, world.daegu, world.korean]
    ranking = actor_ranking(actor=world.actor)
    scorer = pair_scorer(actor_ids=ids(world.actor, *koreans))
    for row in ranking:
        fit = scorer.fit(world.actor.pk, row.actor.pk)
        assert fit.score == row.match.score and fit.reason == row.sentence
        assert fit.percent == row.percent
    # The batched matrix agrees with the pair-by-pair scores, row actor's side first.
    matrix = scorer.scores(ids(world.actor, world.other_actor), ids(*koreans))
    assert matrix.shape == (2, 3) and matrix.dtype == np.float32
    for i, eu in enumerate((world.actor, world.other_actor)):
        for j, kr in enumerate(koreans):
            assert matrix[i, j] == pytest.approx(scorer.score(eu.pk, kr.pk), abs=1e-6)


def test_ranking_among_a_set_keeps_the_other_side_best_first_drafts_included(world):
    draft = ActorFactory(
        slug="osong-vaccines",
        name="Osong Vaccine Draft",
        side="kr",
        country="KR",
        status="draft",
        description="Vaccines and antibodies contract manufacturing.",
    )
    among = ids(world.chuncheon, world.daegu, world.korean, draft, world.other_actor)
    scorer = pair_scorer(actor_ids=[world.actor.pk, *among])
    ranked = scorer.ranking(world.actor.pk, among=among)
    # Only the Korean side, a draft included (an event's participants need not be published).
    koreans = ids(world.chuncheon, world.daegu, world.korean, draft)
    assert {f.other_id for f in ranked} == set(koreans)
    assert ranked[0].other_id == world.chuncheon.pk
    order = [f.other_id for f in ranked]
    assert order.index(draft.pk) < order.index(world.korean.pk)
    scores = [f.score for f in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(f.reason for f in ranked)
    assert [f.other_id for f in scorer.ranking(world.actor.pk, among=among, top=1)] == [
        world.chuncheon.pk
    ]
