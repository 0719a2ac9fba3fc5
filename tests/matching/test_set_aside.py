"""Setting candidates aside on Find partners: gone from the page, the exports and the API until
restored; shared by the organisation's managers; nobody else's to change."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from matching.models import CandidateMark
from tests.factories import ActorFactory, UserFactory

EVERY_CANDIDATE = ["chuncheon-bio", "daegu-water", "gumi-mobile"]


@pytest.fixture(autouse=True)
def _no_api_throttling(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }


def page_slugs(client, actor, query="") -> list[str]:
    html = client.get(reverse("partners", args=[actor.slug]) + query).content.decode()
    return re.findall(r'class="match card" data-slug="([^"]+)"', html)


def csv_slugs(client, actor, query="") -> list[str]:
    response = client.get(reverse("partners_export", args=[actor.slug, "csv"]) + query)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [row[2] for row in rows[1:]]


def api_slugs(client, actor) -> list[str]:
    response = client.get(f"/api/v1/actors/{actor.slug}/matches/")
    assert response.status_code == 200
    return [row["slug"] for row in response.json()["results"]]


def set_aside(client, actor, candidate, *, kind="not-relevant", reason="", follow=True):
    return client.post(
        reverse("set_aside_add", args=[actor.slug]),
        {"candidate": candidate, "kind": kind, "reason": reason},
        follow=follow,
    )


def restore(client, actor, candidate, *, follow=True):
    return client.post(reverse("set_aside_restore", args=[actor.slug, candidate]), follow=follow)


def messages_on(response) -> str:
    return " ".join(
        re.findall(r'<li class="message [^"]*">([^<]*)</li>', response.content.decode())
    )


def test_a_candidate_set_aside_leaves_the_page_the_csv_and_the_api_until_restored(client, world):
    client.force_login(world.manager)
    assert page_slugs(client, world.actor) == EVERY_CANDIDATE

    response = set_aside(client, world.actor, "chuncheon-bio", reason="Only human vaccines")
    assert "Chuncheon Bioindustry Foundation set aside as not relevant" in messages_on(response)
    assert page_slugs(client, world.actor) == ["daegu-water", "gumi-mobile"]
    assert csv_slugs(client, world.actor) == ["daegu-water", "gumi-mobile"]
    assert csv_slugs(client, world.actor, "?kind=foundation") == []
    assert api_slugs(client, world.actor) == ["daegu-water", "gumi-mobile"]
    page = client.get(reverse("partners", args=[world.actor.slug])).content.decode()
    assert "Set aside (1)" in page

    response = restore(client, world.actor, "chuncheon-bio")
    assert "Chuncheon Bioindustry Foundation is back in the ranking." in messages_on(response)
    # Back at its place: first, as before.
    assert page_slugs(client, world.actor) == EVERY_CANDIDATE
    assert csv_slugs(client, world.actor) == EVERY_CANDIDATE
    assert api_slugs(client, world.actor) == EVERY_CANDIDATE
    assert (
        "Set aside (0)" in client.get(reverse("partners", args=[world.actor.slug])).content.decode()
    )


def test_the_set_aside_page_says_what_who_when_and_why(client, world):
    world.manager.first_name, world.manager.last_name = "Marie", "Dupont"
    world.manager.save()
    client.force_login(world.manager)
    set_aside(client, world.actor, "chuncheon-bio", kind="in-contact", reason="Met at BIO Korea")
    set_aside(client, world.actor, "gumi-mobile")
    html = client.get(reverse("set_aside", args=[world.actor.slug])).content.decode()
    entries = re.findall(r'<li class="card set-aside-entry" data-slug="([^"]+)"', html)
    assert entries == ["gumi-mobile", "chuncheon-bio"]  # latest first
    chuncheon = html[html.index('data-slug="chuncheon-bio"') :]
    assert "already in contact" in chuncheon[:1500]
    assert 'Set aside by <span class="mark-by">Marie Dupont</span>' in chuncheon
    assert "Met at BIO Korea" in chuncheon
    assert "(no reason given)" in html[html.index('data-slug="gumi-mobile"') :]
    assert html.count(">Restore</button>") == 2


def test_every_manager_of_the_organisation_shares_the_marks_and_a_curator_too(client, world):
    colleague = UserFactory(username="colleague")
    world.actor.managers.add(colleague)
    client.force_login(world.manager)
    set_aside(client, world.actor, "chuncheon-bio")

    client.force_login(colleague)
    assert page_slugs(client, world.actor) == ["daegu-water", "gumi-mobile"]
    set_aside_page = client.get(reverse("set_aside", args=[world.actor.slug])).content.decode()
    assert "Chuncheon Bioindustry Foundation" in set_aside_page
    restore(client, world.actor, "chuncheon-bio")
    assert not CandidateMark.objects.exists()

    client.force_login(world.curator)
    set_aside(client, world.actor, "daegu-water", kind="in-contact")
    mark = CandidateMark.objects.get()
    assert (mark.actor, mark.candidate, mark.marked_by) == (world.actor, world.daegu, world.curator)
    client.force_login(world.manager)
    assert page_slugs(client, world.actor) == ["chuncheon-bio", "gumi-mobile"]


def test_marking_twice_is_harmless_and_another_kind_replaces_the_mark(client, world):
    client.force_login(world.manager)
    set_aside(client, world.actor, "chuncheon-bio", reason="Animal health only")
    first = CandidateMark.objects.get()
    again = set_aside(client, world.actor, "chuncheon-bio")
    assert "was already set aside" in messages_on(again)
    assert CandidateMark.objects.get().marked_at == first.marked_at
    assert CandidateMark.objects.get().reason == "Animal health only"

    colleague = UserFactory(username="colleague")
    world.actor.managers.add(colleague)
    client.force_login(colleague)
    set_aside(client, world.actor, "chuncheon-bio", kind="in-contact", reason="Call in May")
    mark = CandidateMark.objects.get()
    assert (mark.kind, mark.reason, mark.marked_by) == ("in-contact", "Call in May", colleague)
    assert mark.marked_at >= first.marked_at


def test_another_organisations_manager_can_neither_set_aside_nor_restore(client, world):
    client.force_login(world.manager)
    set_aside(client, world.actor, "chuncheon-bio", reason="Only human vaccines")
    before = list(CandidateMark.objects.values())

    client.force_login(world.other_manager)
    assert set_aside(client, world.actor, "daegu-water", follow=False).status_code == 404
    assert restore(client, world.actor, "chuncheon-bio", follow=False).status_code == 404
    assert client.get(reverse("set_aside", args=[world.actor.slug])).status_code == 404
    # Their own organisation's addresses reach only their own marks: none here.
    own = restore(client, world.other_actor, "chuncheon-bio")
    assert "Chuncheon Bioindustry Foundation is not set aside (any more)" in messages_on(own)
    client.force_login(world.organiser)
    assert restore(client, world.actor, "chuncheon-bio", follow=False).status_code == 404
    assert list(CandidateMark.objects.values()) == before

    client.force_login(world.manager)
    assert page_slugs(client, world.actor) == ["daegu-water", "gumi-mobile"]


def test_a_mark_of_one_organisation_leaves_anothers_ranking_alone(client, world):
    client.force_login(world.manager)
    set_aside(client, world.actor, "chuncheon-bio")
    client.force_login(world.other_manager)
    assert "chuncheon-bio" in page_slugs(client, world.other_actor)


def test_changes_need_a_post_with_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.manager)
    add = reverse("set_aside_add", args=[world.actor.slug])
    assert client.get(add).status_code == 405
    mark = {"candidate": "chuncheon-bio", "kind": "not-relevant"}
    assert client.post(add, mark).status_code == 403
    assert not CandidateMark.objects.exists()
    anonymous = Client()
    response = anonymous.post(add, mark)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not CandidateMark.objects.exists()


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("Two\nlines", "Your reason: This text must be on one line."),
        ("\u202eevil", "Your reason: This text contains a text-direction override character"),
        ("x" * 201, "Your reason: Ensure this value has at most 200 characters"),
    ],
)
def test_a_hostile_reason_is_refused_with_a_message(client, world, reason, expected):
    client.force_login(world.manager)
    response = set_aside(client, world.actor, "chuncheon-bio", reason=reason)
    assert response.status_code == 200
    said = messages_on(response)
    assert said.startswith("Not set aside.") and expected in said
    assert not CandidateMark.objects.exists()
    assert page_slugs(client, world.actor) == EVERY_CANDIDATE


def test_a_reason_with_a_nul_character_is_refused_before_any_view(client, world):
    client.force_login(world.manager)
    response = set_aside(client, world.actor, "chuncheon-bio", reason="Spam\x00")
    assert response.status_code == 400
    assert "contains a NUL character" in response.content.decode()
    assert not CandidateMark.objects.exists()


def test_a_made_up_kind_is_refused_without_repeating_it(client, world):
    client.force_login(world.manager)
    response = set_aside(client, world.actor, "chuncheon-bio", kind="<b>spam</b>")
    said = messages_on(response)
    assert "Choose “not relevant” or “already in contact”." in said and "spam" not in said
    assert not CandidateMark.objects.exists()


def test_only_a_published_candidate_of_the_other_side_is_set_aside(client, world):
    ActorFactory(slug="secret-draft", side="kr", country="KR", status="draft")
    client.force_login(world.manager)
    # A draft answers as an unknown slug does.
    assert set_aside(client, world.actor, "secret-draft", follow=False).status_code == 404
    assert set_aside(client, world.actor, "no-such-actor", follow=False).status_code == 404
    same_side = set_aside(client, world.actor, "turin-health")
    assert "Only candidates from the other side can be set aside." in messages_on(same_side)
    itself = set_aside(client, world.actor, world.actor.slug)
    assert "cannot set itself aside" in messages_on(itself)
    assert not CandidateMark.objects.exists()


def test_a_mark_on_a_profile_withdrawn_since_stays_restorable(client, world):
    client.force_login(world.manager)
    set_aside(client, world.actor, "chuncheon-bio")
    world.chuncheon.status = "archived"
    world.chuncheon.save()
    html = client.get(reverse("set_aside", args=[world.actor.slug])).content.decode()
    assert "withdrawn" in html and world.chuncheon.get_absolute_url() not in html
    restore(client, world.actor, "chuncheon-bio")
    assert not CandidateMark.objects.exists()


def test_the_profiles_best_matches_leave_the_marks_out_only_for_the_organisation(client, world):
    client.force_login(world.manager)
    set_aside(client, world.actor, "chuncheon-bio")
    profile = world.actor.get_absolute_url()
    own = client.get(profile).content.decode()
    assert 'data-slug="chuncheon-bio"' not in own
    # Someone else's view of the profile says nothing of what the organisation set aside.
    client.force_login(world.other_manager)
    assert 'data-slug="chuncheon-bio"' in client.get(profile).content.decode()


def test_marks_follow_a_merge(world):
    from curation.merge import actor_merge
    from matching.marks import mark_set

    twin = ActorFactory(
        slug="chuncheon-bio-old", name="Chuncheon Bio (old)", side="kr", country="KR"
    )
    old_lyon = ActorFactory(slug="lyon-old", name="Lyon Life Sciences (old)")
    mark_set(actor=world.actor, candidate=twin, kind="not-relevant", by=world.manager)
    mark_set(actor=old_lyon, candidate=world.daegu, kind="in-contact", by=world.manager)
    mark_set(actor=old_lyon, candidate=world.chuncheon, kind="in-contact", by=world.manager)
    mark_set(actor=world.actor, candidate=world.chuncheon, kind="not-relevant", by=world.manager)

    actor_merge(keep=world.chuncheon, remove=twin, user=world.curator)
    actor_merge(keep=world.actor, remove=old_lyon, user=world.curator)

    marks = {(m.actor.slug, m.candidate.slug, m.kind) for m in CandidateMark.objects.all()}
    # Lyon's own mark on Chuncheon stands over the one the merged twin brought.
    assert marks == {
        ("lyon-life", "chuncheon-bio", "not-relevant"),
        ("lyon-life", "daegu-water", "in-contact"),
    }
