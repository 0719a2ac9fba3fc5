"""A manager's Korean name and description go through review and history like the other fields."""

import re

import pytest
from django.urls import reverse

from curation.review import change_approve, change_diff
from directory.models import PendingChange

KO_DESCRIPTION = (
    "리옹 생명과학 클러스터는 백신과 진단 기업, 병원과 연구소가 모여 감염병 연구와 공동 플랫폼, "
    "창업 지원을 함께 하며 한국의 바이오 기업과 협력을 찾습니다."
)


def edit(client, actor, **changes):
    data = {
        "description": actor.description,
        "keywords": "",
        "website": "",
        "sectors": [s.pk for s in actor.sectors.all()],
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        **changes,
    }
    return client.post(reverse("actor_edit", args=[actor.slug]), data)


@pytest.fixture
def reviewed(cast, sectors):
    cast.actor.sectors.set(sectors[:1])
    cast.actor.description = (
        "Lyon Life Sciences gathers vaccine makers, diagnostics companies, hospitals and "
        "laboratories around infectious diseases, with shared platforms and an accelerator."
    )
    cast.actor.edit_review = "review"
    cast.actor.save()
    cast.contact.delete()  # the form below sends no contact
    return cast


def test_a_proposed_korean_text_is_reviewed_in_the_diff_marked_korean(client, reviewed):
    client.force_login(reviewed.manager)
    edit(client, reviewed.actor, name_ko="리옹 생명과학 클러스터", description_ko=KO_DESCRIPTION)
    reviewed.actor.refresh_from_db()
    assert (reviewed.actor.name_ko, reviewed.actor.description_ko) == ("", "")
    change = PendingChange.objects.get(actor=reviewed.actor)
    diff = {d.field: d for d in change_diff(change=change)}
    assert set(diff) == {"name_ko", "description_ko"}
    assert diff["name_ko"].label == "Korean name"
    assert diff["name_ko"].after == "리옹 생명과학 클러스터"

    client.force_login(reviewed.curator)
    html = client.get(reverse("curation_review")).content.decode()
    row = re.search(r'<tr data-field="description_ko">.*?</tr>', html, re.S).group()
    assert "<th>Korean description</th>" in row
    assert '<td class="after" lang="ko">' in row and "<ins>리옹 생명과학 클러스터는" in row

    change_approve(change=change, reviewer=reviewed.curator)
    reviewed.actor.refresh_from_db()
    assert reviewed.actor.description_ko == KO_DESCRIPTION


def test_editing_again_starts_from_the_waiting_korean_proposal(client, reviewed):
    client.force_login(reviewed.manager)
    edit(client, reviewed.actor, description_ko=KO_DESCRIPTION)
    html = client.get(reverse("actor_edit", args=[reviewed.actor.slug])).content.decode()
    assert re.search(r'<textarea name="description_ko"[^>]*>\s*' + KO_DESCRIPTION, html)


def test_the_history_shows_the_korean_fields_changes(client, reviewed):
    reviewed.actor.edit_review = "live"
    reviewed.actor.save()
    client.force_login(reviewed.manager)
    assert edit(client, reviewed.actor, description_ko=KO_DESCRIPTION).status_code == 302
    client.force_login(reviewed.curator)
    html = client.get(reverse("curation_history", args=[reviewed.actor.slug])).content.decode()
    latest = html.split('<tr id="version-')[1]
    assert "<strong>Korean description</strong>" in latest
    assert '<ins lang="ko">리옹 생명과학 클러스터는' in latest
    assert "search_korean" not in html and "search korean" not in html


# -- the admin ------------------------------------------------------------------------------------


def test_the_admin_edits_the_korean_fields_marked_korean(client, cast):
    client.force_login(cast.curator)
    html = client.get(reverse("admin:directory_actor_change", args=[cast.korean.pk])).text
    assert re.search(r'<input type="text" name="name_ko"[^>]*lang="ko"', html)
    assert re.search(r'<textarea name="description_ko"[^>]*lang="ko"', html)


def test_the_admin_publishes_korean_only_profiles_and_says_which_are_too_short(client, cast):
    from directory.models import Actor

    ready = cast.korean
    short = cast.other_actor
    Actor.objects.filter(pk=ready.pk).update(
        status="draft", description="", description_ko=KO_DESCRIPTION
    )
    Actor.objects.filter(pk=short.pk).update(
        status="draft", description="", description_ko="물산업 클러스터입니다."
    )
    client.force_login(cast.curator)
    response = client.post(
        reverse("admin:directory_actor_changelist"),
        {"action": "publish", "_selected_action": [ready.pk, short.pk]},
        follow=True,
    )
    assert dict(Actor.objects.values_list("slug", "status")) == {
        "lyon-life": "published",
        "gumi-mobile": "published",
        "turin-health": "draft",
    }
    messages = [str(m) for m in response.context["messages"]]
    assert "1 actor(s) published." in messages
    assert any(
        m.startswith("Not published, a description is too short")
        and m.endswith("Turin Health Cluster.")
        for m in messages
    )


def test_a_merge_keeps_the_korean_name_and_the_longer_korean_description(cast):
    from curation.merge import actor_merge, merge_plan
    from tests.factories import ActorFactory

    keep = cast.korean
    remove = ActorFactory(
        slug="gumi-mobile-2",
        name="Gumi Mobile Mini-Cluster",
        name_ko="구미 모바일 미니클러스터",
        side="kr",
        country="KR",
        kind="mini-cluster",
        description_ko=KO_DESCRIPTION,
    )
    winners = {f.name: f.winner for f in merge_plan(keep=keep, remove=remove).fields}
    assert (winners["name_ko"], winners["description_ko"]) == ("removed", "removed")
    actor_merge(keep=keep, remove=remove, user=cast.curator)
    keep.refresh_from_db()
    assert (keep.name_ko, keep.description_ko) == ("구미 모바일 미니클러스터", KO_DESCRIPTION)


def test_completeness_follows_the_publishing_rule_in_either_language(cast):
    from curation.quality import completeness

    actor = cast.korean
    actor.description, actor.description_ko = "", KO_DESCRIPTION
    assert "description" not in {m.code for m in completeness(actor).missing}
    actor.description_ko = "물산업 클러스터입니다."
    [item] = [m for m in completeness(actor).missing if m.code == "description"]
    assert item.label == "Korean description under 40 Hangul characters (10)"
