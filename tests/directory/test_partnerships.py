"""Known partnerships: the rules (one row per pair and kind, whichever way round; never with
itself; storable text and plausible dates) and what the actor page shows to whom."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import Partnership
from directory.partnerships import (
    partner_ids,
    partnership_record,
    partnerships_move,
    partnerships_recorded,
    partnerships_shown,
)
from tests.factories import ActorFactory, UserFactory


@pytest.fixture
def pair(cast):
    """cast's Lyon (European) and Gumi (Korean) actors; Lyon has the lower id."""
    assert cast.actor.pk < cast.korean.pk
    return cast


def record(actor, partner, kind="agreement", source="MoU signed in Gumi, 2024", **extra):
    return partnership_record(actor=actor, partner=partner, kind=kind, source=source, **extra)


# -- the rules -------------------------------------------------------------------------------


def test_a_pair_is_stored_lower_id_first_whichever_way_round_it_is_named(pair):
    row, created = record(pair.korean, pair.actor, since=datetime.date(2024, 3, 1))
    assert created
    assert (row.first, row.second) == (pair.actor, pair.korean)
    again, created = record(pair.actor, pair.korean, source="Another document")
    assert not created
    assert again.pk == row.pk
    # The first record stands: its source and date are not overwritten.
    again.refresh_from_db()
    assert (again.source, again.since) == ("MoU signed in Gumi, 2024", datetime.date(2024, 3, 1))
    assert Partnership.objects.count() == 1


def test_one_row_per_kind(pair):
    record(pair.actor, pair.korean, kind="agreement")
    record(pair.korean, pair.actor, kind="project", source="Joint Horizon project")
    record(pair.actor, pair.korean, kind="project", source="Joint Horizon project")
    kinds = sorted(Partnership.objects.values_list("kind", flat=True))
    assert kinds == ["agreement", "project"]
    assert partner_ids(actor_id=pair.actor.pk) == {pair.korean.pk}
    assert partner_ids(actor_id=pair.korean.pk) == {pair.actor.pk}


def test_an_actor_is_never_its_own_partner(pair):
    with pytest.raises(ValidationError) as error:
        record(pair.actor, pair.actor)
    assert error.value.message_dict == {"partner": ["An actor cannot be its own partner."]}
    assert not Partnership.objects.exists()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("MoU\x00 of 2024", "NUL character"),
        ("MoU\nsecond line", "must be on one line"),
        ("MoU \u202eevil", "text-direction override"),
        ("x" * 301, "at most 300 characters"),
        ("   ", "cannot be blank"),
    ],
)
def test_hostile_or_empty_source_text_is_refused_with_a_message(pair, source, message):
    with pytest.raises(ValidationError) as error:
        record(pair.actor, pair.korean, source=source)
    assert message in " ".join(error.value.message_dict["source"])
    assert not Partnership.objects.exists()


def test_hostile_text_gets_its_message_even_for_a_pair_already_recorded(pair):
    record(pair.actor, pair.korean)
    with pytest.raises(ValidationError, match="NUL"):
        record(pair.actor, pair.korean, note="fine\x00")


def test_an_unknown_kind_is_refused(pair):
    with pytest.raises(ValidationError) as error:
        record(pair.actor, pair.korean, kind="friendship")
    assert "kind" in error.value.message_dict


@pytest.mark.parametrize(
    ("since", "message"),
    [
        (datetime.date(1, 1, 1), "typing slip"),
        (timezone.localdate() + datetime.timedelta(days=2), "in the future"),
    ],
)
def test_implausible_dates_are_refused(pair, since, message):
    with pytest.raises(ValidationError) as error:
        record(pair.actor, pair.korean, since=since)
    assert message in error.value.message_dict["since"][0]
    assert not Partnership.objects.exists()


def test_a_partnership_signed_today_is_accepted_wherever_today_it_is(pair):
    # Seoul's today may be tomorrow on the server's calendar.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    row, created = record(pair.actor, pair.korean, since=tomorrow)
    assert created and row.since == tomorrow


def test_recorded_keys_answer_for_a_whole_list_of_pairs_in_either_order(pair):
    record(pair.korean, pair.actor, kind="project")
    keys = partnerships_recorded(pairs=[(pair.korean.pk, pair.actor.pk), (1, 2)])
    assert keys == {(pair.actor.pk, pair.korean.pk, "project")}
    assert partnerships_recorded(pairs=[]) == set()


def test_a_merge_moves_partnerships_to_the_kept_actor(pair):
    twin = ActorFactory(slug="lyon-twin", name="Lyon Life Sciences (old record)")
    third = ActorFactory(slug="daejeon", side="kr", country="KR", name="Daejeon Techno Park")
    record(twin, pair.korean, kind="agreement")  # the kept one has it too: dropped
    record(pair.actor, pair.korean, kind="agreement")
    record(twin, third, kind="project")  # moved
    record(twin, pair.actor, kind="event-meeting")  # between the two merged: dropped
    with transaction.atomic():
        moved, dropped = partnerships_move(remove=twin, keep=pair.actor)
    assert (moved, dropped) == (1, 2)
    rows = {(p.first_id, p.second_id, p.kind) for p in Partnership.objects.all()}
    low, high = sorted((pair.actor.pk, third.pk))
    assert rows == {(pair.actor.pk, pair.korean.pk, "agreement"), (low, high, "project")}


def test_draft_partners_are_shown_to_curators_only(pair):
    draft = ActorFactory(slug="draft-kr", side="kr", country="KR", status="draft", name="Draft Co")
    record(pair.actor, pair.korean)
    record(pair.actor, draft, kind="project")
    for_curator = partnerships_shown(actor=pair.actor, user=pair.curator)
    assert {row.partner for row in for_curator} == {pair.korean, draft}
    for_manager = partnerships_shown(actor=pair.actor, user=pair.manager)
    assert [row.partner for row in for_manager] == [pair.korean]


# -- the actor page --------------------------------------------------------------------------


@pytest.fixture
def documented(pair):
    pair.draft = ActorFactory(
        slug="secret-draft", side="kr", country="KR", status="draft", name="Unannounced Foundation"
    )
    pair.archived = ActorFactory(
        slug="gone-kr", side="kr", country="KR", status="archived", name="Withdrawn Institute"
    )
    record(
        pair.actor, pair.korean, since=datetime.date(2023, 5, 17),
        source="Gumi-Lyon MoU, https://example.org/mou.pdf", note="Negotiated by Ms Example",
    )  # fmt: skip
    record(pair.actor, pair.draft, kind="project", source="Draft joint project")
    record(pair.archived, pair.actor, kind="event-meeting", source="Seoul Cluster Days 2022")
    return pair


def page(client, actor, user=None):
    if user is not None:
        client.force_login(user)
    response = client.get(actor.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_actor_page_lists_known_partnerships_to_anonymous_visitors(client, documented):
    html = page(client, documented.actor)
    assert "Known partnerships" in html
    assert f'href="{documented.korean.get_absolute_url()}">Gumi Mobile Mini Cluster</a>' in html
    assert "Agreement (MoU or contract)" in html
    assert "17 May 2023" in html
    assert "Gumi-Lyon MoU" in html
    assert 'href="https://example.org/mou.pdf"' in html  # a web address in the source is a link
    # Not for anonymous visitors: the note, and the curators' buttons.
    assert "Negotiated by Ms Example" not in html
    assert "Record a partnership" not in html
    assert "/curation/partnerships/" not in html


@pytest.mark.parametrize("role", ["anonymous", "manager", "other_manager", "organiser"])
def test_draft_and_withdrawn_partners_never_leak_to_non_curators(client, documented, role):
    html = page(client, documented.actor, getattr(documented, role, None))
    assert "Gumi Mobile Mini Cluster" in html
    for hidden in ("Unannounced Foundation", "secret-draft", "Draft joint project"):
        assert hidden not in html
    for hidden in ("Withdrawn Institute", "gone-kr", "Seoul Cluster Days 2022"):
        assert hidden not in html


def test_logged_in_users_see_the_note(client, documented):
    html = page(client, documented.actor, documented.other_manager)
    assert "Negotiated by Ms Example" in html


def test_curators_see_every_partnership_with_its_status_and_can_record_and_remove(
    client, documented
):
    html = page(client, documented.actor, documented.curator)
    for shown in ("Unannounced Foundation", "Withdrawn Institute", "Seoul Cluster Days 2022"):
        assert shown in html
    assert reverse("curation_partnership_add", args=[documented.actor.slug]) in html
    assert html.count("Remove…") == 3


def test_the_partnership_shows_on_both_actors_pages(client, documented):
    html = page(client, documented.korean)
    assert f'href="{documented.actor.get_absolute_url()}">Lyon Life Sciences</a>' in html


def test_an_actor_without_partnerships_shows_no_empty_section_to_visitors(client, pair):
    assert "Known partnerships" not in page(client, pair.other_actor)
    html = page(client, pair.other_actor, pair.curator)
    assert "Known partnerships" in html
    assert "No partnership recorded yet." in html


def test_a_manager_sees_the_partnerships_of_their_own_actor_but_no_curator_buttons(
    client, documented
):
    html = page(client, documented.actor, documented.manager)
    assert "Gumi Mobile Mini Cluster" in html
    assert "Record a partnership" not in html
    assert "Remove…" not in html


def test_the_page_costs_no_more_queries_with_more_partnerships(client, pair):
    client.force_login(UserFactory(username="reader"))
    others = [
        ActorFactory(slug=f"kr-{n}", side="kr", country="KR", name=f"Korean {n}") for n in range(5)
    ]
    record(pair.actor, pair.korean)

    def queries() -> tuple[int, str]:
        client.get(pair.actor.get_absolute_url())  # the ranking index catches up first
        with CaptureQueriesContext(connection) as seen:
            html = client.get(pair.actor.get_absolute_url()).content.decode()
        return len(seen), html

    few, _ = queries()
    for other in others:
        record(pair.actor, other, kind="project")
    many, html = queries()
    assert "Korean 4" in html
    assert many <= few
