"""Managers' edits wait for review when a curator says so; the review is a field-by-field diff."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from curation.review import change_approve, change_diff, change_reject
from directory.models import ChangeStatus, CurationSettings, PendingChange
from directory.proposals import edits_need_review

DESCRIPTION = (
    "Lyon Life Sciences gathers vaccine makers, diagnostics companies, hospitals and "
    "laboratories around infectious diseases, with shared platforms and an accelerator."
)


def edit(client, actor, **changes):
    data = {
        "description": DESCRIPTION,
        "keywords": "vaccines; diagnostics",
        "website": "https://lyon.example.org",
        "sectors": [s.pk for s in actor.sectors.all()],
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "Anne Dupont",
        "contacts-0-role": "International officer",
        "contacts-0-email": "anne.dupont@example.org",
        **changes,
    }
    return client.post(reverse("actor_edit", args=[actor.slug]), data)


@pytest.fixture
def reviewed(cast, sectors):
    cast.actor.sectors.set(sectors[:1])
    cast.actor.edit_review = "review"
    cast.actor.save()
    return cast


def test_the_review_policy_follows_the_actor_then_the_global_setting(cast):
    assert not edits_need_review(actor=cast.actor)
    CurationSettings.objects.update_or_create(pk=1, defaults={"review_manager_edits": True})
    assert edits_need_review(actor=cast.actor)
    cast.actor.edit_review = "live"
    assert not edits_need_review(actor=cast.actor)
    cast.actor.edit_review = "review"
    CurationSettings.objects.update_or_create(pk=1, defaults={"review_manager_edits": False})
    assert edits_need_review(actor=cast.actor)


def test_a_reviewed_edit_waits_and_the_profile_is_unchanged(client, reviewed):
    before = reviewed.actor.description
    client.force_login(reviewed.manager)
    response = edit(client, reviewed.actor)
    assert response.status_code == 302
    reviewed.actor.refresh_from_db()
    assert reviewed.actor.description == before
    change = PendingChange.objects.get(actor=reviewed.actor)
    assert change.status == ChangeStatus.PENDING
    fields = {d.field: d for d in change_diff(change=change)}
    assert set(fields) == {"description", "keywords", "website", "contacts"}
    assert fields["description"].after == DESCRIPTION
    assert "Anne Dupont" in fields["contacts"].after
    assert "Marie Secret" in fields["contacts"].before


def test_approving_applies_the_change_and_records_who(client, reviewed):
    client.force_login(reviewed.manager)
    edit(client, reviewed.actor)
    change = PendingChange.objects.get()
    change_approve(change=change, reviewer=reviewed.curator, message="Thanks")
    reviewed.actor.refresh_from_db()
    assert reviewed.actor.description == DESCRIPTION
    assert list(reviewed.actor.contacts.values_list("name", flat=True)) == ["Anne Dupont"]
    latest = reviewed.actor.history.first()
    assert latest.history_user == reviewed.curator
    assert latest.history_change_reason == "approved edit by owner"
    change.refresh_from_db()
    assert (change.status, change.message) == (ChangeStatus.APPROVED, "Thanks")
    with pytest.raises(Exception, match="already reviewed"):
        change_approve(change=change, reviewer=reviewed.curator)


def test_rejecting_needs_a_message_that_the_manager_then_sees(client, reviewed):
    client.force_login(reviewed.manager)
    edit(client, reviewed.actor)
    change = PendingChange.objects.get()
    with pytest.raises(Exception, match="why"):
        change_reject(change=change, reviewer=reviewed.curator, message=" ")
    change_reject(change=change, reviewer=reviewed.curator, message="Keep the old website")
    page = client.get(reverse("actor_edit", args=[reviewed.actor.slug])).content.decode()
    assert "rejected" in page and "Keep the old website" in page


def test_an_edit_that_changes_nothing_is_not_queued(client, reviewed):
    client.force_login(reviewed.manager)
    edit(client, reviewed.actor)
    change_approve(change=PendingChange.objects.get(), reviewer=reviewed.curator)
    edit(client, reviewed.actor)
    assert PendingChange.objects.filter(status=ChangeStatus.PENDING).count() == 0


def test_an_edit_of_the_text_alone_waits_for_review(client, reviewed):
    """Only the description changes: the form's own fields and contacts are sent as they are."""
    contact = reviewed.contact
    client.force_login(reviewed.manager)
    response = edit(
        client,
        reviewed.actor,
        keywords=reviewed.actor.keywords,
        website=reviewed.actor.website,
        **{
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": str(contact.pk),
            "contacts-0-name": contact.name,
            "contacts-0-role": contact.role,
            "contacts-0-email": contact.email,
            "contacts-0-phone": contact.phone,
        },
    )
    assert "sent to the curators" in client.get(response["Location"]).content.decode()
    change = PendingChange.objects.get(status=ChangeStatus.PENDING)
    assert [d.field for d in change_diff(change=change)] == ["description"]


def test_curators_edit_live_even_when_review_is_on(client, reviewed):
    client.force_login(reviewed.curator)
    edit(client, reviewed.actor)
    reviewed.actor.refresh_from_db()
    assert reviewed.actor.description == DESCRIPTION
    assert not PendingChange.objects.exists()


def test_the_review_queue_end_to_end_through_the_pages(client, reviewed):
    client.force_login(reviewed.manager)
    edit(client, reviewed.actor)
    client.force_login(reviewed.curator)
    queue = client.get(reverse("curation_review")).content.decode()
    assert 'data-field="description"' in queue and "Anne Dupont" in queue
    change = PendingChange.objects.get()
    client.post(
        reverse("curation_review_decide", args=[change.pk]),
        {"decision": "approve", "message": "Looks right"},
    )
    reviewed.actor.refresh_from_db()
    assert reviewed.actor.website == "https://lyon.example.org"
    assert "Nothing waits for review" in client.get(reverse("curation_review")).content.decode()


@pytest.mark.parametrize("role", ["manager", "other_manager", "organiser"])
def test_only_curators_open_curation_pages(client, reviewed, role):
    client.force_login(getattr(reviewed, role))
    for url in (
        reverse("curation_review"),
        reverse("curation_history", args=[reviewed.actor.slug]),
        reverse("curation_person"),
    ):
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(reverse("curation_review")).status_code == 302


def test_review_decisions_need_csrf(reviewed):
    change = PendingChange.objects.create(
        actor=reviewed.actor, author=reviewed.manager, proposed={}
    )
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(reviewed.curator)
    url = reverse("curation_review_decide", args=[change.pk])
    assert csrf_client.post(url, {"decision": "approve"}).status_code == 403
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


def test_the_global_setting_is_switched_from_the_queue(client, cast):
    client.force_login(cast.curator)
    client.post(reverse("curation_review_settings"), {"review_manager_edits": "on"})
    assert CurationSettings.current().review_manager_edits


def test_the_diff_marks_added_and_removed_words_and_escapes_html(reviewed):
    from curation.review import FieldDiff

    diff = FieldDiff(
        field="description",
        label="Description",
        before="Vaccines <b>and</b> diagnostics in Lyon",
        after="Vaccines <b>and</b> antibodies in Lyon",
    )
    before, after = diff.marked()
    assert "<del>diagnostics</del>" in before and "<ins>antibodies</ins>" in after
    assert "&lt;b&gt;and&lt;/b&gt;" in after and "<b>" not in after


def test_adding_a_sector_shows_as_one_added_item_not_a_removal(client, reviewed, sectors):
    client.force_login(reviewed.manager)
    edit(client, reviewed.actor, sectors=[s.pk for s in sectors])  # keeps one, adds one
    change = PendingChange.objects.get()
    (sector_diff,) = [d for d in change_diff(change=change) if d.field == "sectors"]
    before, after = sector_diff.marked()
    assert "<del>" not in before and before == "Biopharmaceuticals"
    assert after == "Biopharmaceuticals, <ins>Medical devices</ins>"


def test_a_long_proposal_marks_only_the_changed_sentence(reviewed):
    from curation.review import FieldDiff

    sentences = [f"Sentence number {i} is about water reuse in Daegu." for i in range(400)]
    changed = list(sentences)
    changed[200] = "Sentence number 200 is about smart farming in Chuncheon."
    before, after = FieldDiff(
        field="description", label="Description", before=" ".join(sentences),
        after=" ".join(changed),
    ).marked()  # fmt: skip
    assert re.findall(r"<ins>(.*?)</ins>", after) == ["smart farming", "Chuncheon."]
    assert re.findall(r"<del>(.*?)</del>", before) == ["water reuse", "Daegu."]


def test_a_second_edit_starts_from_the_waiting_proposal_and_keeps_it_whole(
    client, reviewed, sectors
):
    client.force_login(reviewed.manager)
    first = DESCRIPTION + " We also run a shared biobank for cohort studies."
    edit(client, reviewed.actor, description=first, sectors=[s.pk for s in sectors])
    page = client.get(reverse("actor_edit", args=[reviewed.actor.slug])).content.decode()
    # The form shows the proposal (sentence, added sector, contact), not the live profile.
    assert "your proposal of" in page and "shared biobank" in page
    assert 'value="Anne Dupont"' in page
    form = client.get(reverse("actor_edit", args=[reviewed.actor.slug])).context["form"]
    assert {s.code for s in form.initial["sectors"]} == {s.code for s in sectors}
    # Re-sending what the form shows with one more keyword changes only the keyword.
    edit(
        client, reviewed.actor, description=first, sectors=[s.pk for s in sectors],
        keywords="vaccines; diagnostics; biobank",
    )  # fmt: skip
    change = PendingChange.objects.get(status="pending")
    assert change.proposed["description"] == first
    assert change.proposed["sectors"] == sorted(s.code for s in sectors)
    assert [p["name"] for p in change.proposed["contacts"]] == ["Anne Dupont"]
    assert change.proposed["keywords"] == "vaccines; diagnostics; biobank"


def test_going_back_to_the_live_profile_withdraws_the_waiting_proposal(client, reviewed):
    client.force_login(reviewed.manager)
    contact = reviewed.contact
    live = {
        "description": reviewed.actor.description,
        "keywords": reviewed.actor.keywords,
        "website": reviewed.actor.website,
        "contacts-TOTAL_FORMS": "1",
        "contacts-0-name": contact.name,
        "contacts-0-role": contact.role,
        "contacts-0-email": contact.email,
        "contacts-0-phone": contact.phone,
    }
    edit(client, reviewed.actor, description=DESCRIPTION + " Also a biobank.")
    assert PendingChange.objects.filter(status="pending").count() == 1
    response = edit(client, reviewed.actor, **live)
    assert not PendingChange.objects.filter(status="pending").exists()
    page = client.get(response["Location"]).content.decode()
    assert "your waiting proposal was withdrawn" in page
