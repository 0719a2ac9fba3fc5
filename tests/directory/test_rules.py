"""The profile rules every entry point shares (directory/rules.py)."""

import pytest
from django.urls import reverse

from directory.rules import (
    description_problem,
    keyword_problem,
    keywords_normalise,
    keywords_split,
    word_count,
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Water technology cluster in Montpellier", 5),
        # Punctuation alone is no word; words joined by punctuation count apart.
        ("R&D/ICT - smart-city · pilots", 6),
        ("  ", 0),
        (None, 0),
        ("중소기업 클러스터 협력", 3),  # Hangul words count like any other
    ],
)
def test_words_are_counted_as_a_reader_counts_them(text, words):
    assert word_count(text) == words


def test_a_published_description_needs_twenty_words_and_a_draft_does_not():
    nineteen = " ".join(["water"] * 19)
    assert "19 words" in description_problem(nineteen, published=True)
    assert description_problem(nineteen + " reuse", published=True) is None
    assert description_problem("Short.", published=False) is None
    # Dashes between spaces do not pad a description up to the rule.
    padded = " - ".join(["water"] * 10)
    assert description_problem(padded, published=True)


def test_keywords_are_trimmed_and_deduplicated_whatever_their_case():
    assert keywords_split("Biotech;  biotech ; vaccines;;  Smart   farming ") == [
        "Biotech",
        "vaccines",
        "Smart farming",
    ]
    assert keywords_normalise(["water; reuse", "Reuse; irrigation"]) == "water; reuse; irrigation"
    assert keywords_split(None) == []
    assert keywords_split("water reuse\r\nirrigation\n\nDesalination") == [
        "water reuse",
        "irrigation",
        "Desalination",
    ]
    assert keyword_problem(["x" * 60]) is None
    assert "longer than 60 characters" in keyword_problem(["ok", "y" * 61])


def post_profile(client, cast, sectors, **fields):
    """The manager's profile form, with `fields` over a valid minimum."""
    cast.actor.sectors.add(sectors[0])
    client.force_login(cast.manager)
    data = {
        "description": "",
        "keywords": "",
        "website": "",
        "sectors": [sectors[0].pk],
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        **fields,
    }
    return client.post(reverse("actor_edit", args=[cast.actor.slug]), data)


def test_profile_form_counts_words_the_same_way(client, cast, sectors):
    """Twenty tokens of which some are dashes are not twenty words: the form refuses them as
    the import and the completeness score would."""
    padded = " - ".join(["vaccines"] * 12)  # 23 space-separated tokens, 12 words
    response = post_profile(
        client, cast, sectors, description=padded, keywords="Biotech; biotech ;vaccines"
    )
    assert response.status_code == 200
    assert "at least 20 words (this has 12)" in response.content.decode()
    cast.actor.refresh_from_db()
    assert cast.actor.description != padded


def test_a_description_longer_than_an_export_can_hold_is_refused(client, cast, sectors):
    huge = "vaccines " * 1200  # 10,800 characters
    response = post_profile(client, cast, sectors, description=huge)
    assert response.status_code == 200
    assert "at most 10000 characters" in response.content.decode()
    cast.actor.refresh_from_db()
    assert len(cast.actor.description) < 10_000


def test_names_are_one_line_wherever_they_are_saved_from(cast):
    from django.core.exceptions import ValidationError

    cast.actor.name = "Lyon\nLife Sciences"
    with pytest.raises(ValidationError) as err:
        cast.actor.full_clean()
    assert err.value.message_dict["name"] == ["This text must be on one line."]
    cast.contact.phone = "+33\x0b4"
    with pytest.raises(ValidationError) as err:
        cast.contact.full_clean()
    assert "control character (U+000B)" in err.value.message_dict["phone"][0]


def test_keywords_are_stored_in_one_form_whatever_path_saves_them(cast):
    cast.actor.keywords = "Vaccines ;vaccines;  Smart   farming\nbiobank"
    cast.actor.save()
    cast.actor.refresh_from_db()
    assert cast.actor.keywords == "Vaccines; Smart farming; biobank"


def test_a_profile_published_before_the_rule_can_be_edited_elsewhere(cast):
    from django.core.exceptions import ValidationError

    from directory.models import Actor

    Actor.objects.filter(pk=cast.actor.pk).update(description="Short old text.")
    actor = Actor.objects.get(pk=cast.actor.pk)
    actor.website = "https://lyon-life.example.org"
    actor.full_clean()  # the untouched description is not held to the rule
    actor.description = "Still short."
    with pytest.raises(ValidationError) as err:
        actor.full_clean()
    assert "a published profile needs at least 20" in err.value.message_dict["description"][0]
