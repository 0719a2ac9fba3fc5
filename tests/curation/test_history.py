"""Who changed what, from every path, and restoring an earlier version."""

from django.urls import reverse

from curation.history import actor_history, actor_restore
from directory.models import Actor, ContactPerson, LegalBasis


def test_site_edits_are_recorded_with_their_author(client, cast, sectors):
    client.force_login(cast.manager)
    client.post(
        reverse("actor_edit", args=[cast.actor.slug]),
        {
            "description": " ".join(["Vaccines and diagnostics for infectious diseases."] * 4),
            "keywords": "vaccines",
            "sectors": [sectors[0].pk],
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    entries = actor_history(actor_id=cast.actor.pk)
    described = next(e for e in entries if any(c[0] == "description" for c in e.changes))
    assert described.who == "owner"
    assert any(
        c[0] == "sectors" and "Biopharmaceuticals" in c[2] for e in entries for c in e.changes
    )


def test_admin_bulk_actions_are_recorded(client, cast):
    client.force_login(cast.curator)
    client.post(
        reverse("admin:directory_actor_changelist"),
        {"action": "archive", "_selected_action": [cast.actor.pk]},
    )
    cast.actor.refresh_from_db()
    assert cast.actor.status == "archived"
    latest = cast.actor.history.first()
    assert latest.history_user == cast.curator
    assert latest.history_change_reason == "archived in the admin"


def test_restoring_brings_back_fields_links_and_contacts(cast, sectors):
    actor = cast.actor
    cast.contact.legal_basis, cast.contact.source = LegalBasis.CONSENT, "signed form, Bio 2024"
    cast.contact.save()
    actor.sectors.set(sectors[:1])
    version = actor.history.first()
    actor.description = "Overwritten by mistake."
    actor.save()
    actor.sectors.set(sectors[1:])
    ContactPerson.objects.filter(actor=actor).delete()
    actor_restore(record=version, user=cast.curator)
    actor.refresh_from_db()
    assert actor.description == version.description
    assert list(actor.sectors.values_list("code", flat=True)) == [sectors[0].code]
    # The contact comes back with the ground it is kept on and where it came from, not as if
    # a manager had just typed it in.
    assert list(actor.contacts.values_list("email", "legal_basis", "source")) == [
        ("marie.secret@example.org", LegalBasis.CONSENT, "signed form, Bio 2024")
    ]
    assert actor.history.first().history_change_reason.startswith("restored the version of")


def test_restoring_gives_a_kept_contact_back_its_legal_basis_and_source(cast):
    contact = cast.contact
    contact.legal_basis, contact.source = LegalBasis.PUBLIC, "the cluster's website, team page"
    contact.save()
    cast.actor.city = "Villeurbanne"
    cast.actor.save()
    version = cast.actor.history.first()
    contact.legal_basis, contact.source = LegalBasis.INTEREST, "a business card"
    contact.save()
    actor_restore(record=version, user=cast.curator)
    assert list(cast.actor.contacts.values_list("pk", "legal_basis", "source")) == [
        (contact.pk, LegalBasis.PUBLIC, "the cluster's website, team page")
    ]
    assert contact.history.first().history_user == cast.curator


def test_a_deleted_actor_can_be_restored_from_its_history_page(client, cast):
    pk, slug = cast.korean.pk, cast.korean.slug
    version = cast.korean.history.first()
    cast.korean.delete()
    client.force_login(cast.curator)
    page = client.get(reverse("curation_history", args=[slug])).content.decode()
    assert "This actor was deleted" in page
    client.post(reverse("curation_restore", args=[version.history_id]))
    assert Actor.objects.get(pk=pk).slug == slug


def test_the_history_page_lists_changes_and_restores(client, cast):
    cast.actor.city = "Villeurbanne"
    cast.actor.save()
    client.force_login(cast.curator)
    page = client.get(reverse("curation_history", args=[cast.actor.slug])).content.decode()
    assert "Villeurbanne" in page and "Marie Secret" in page
    oldest = cast.actor.history.last()
    client.post(reverse("curation_restore", args=[oldest.history_id]))
    cast.actor.refresh_from_db()
    assert cast.actor.city == "Lyon"


def test_admin_publish_keeps_too_short_drafts_unpublished_and_says_which(client, cast):
    from tests.factories import ActorFactory

    ready = ActorFactory(slug="ready-draft", status="draft", description=" ".join(["water"] * 20))
    short = ActorFactory(slug="short-draft", name="Short Draft Cluster", status="draft")
    short.description = "Water cluster."
    short.save()
    client.force_login(cast.curator)
    response = client.post(
        reverse("admin:directory_actor_changelist"),
        {"action": "publish", "_selected_action": [ready.pk, short.pk]},
        follow=True,
    )
    ready.refresh_from_db()
    short.refresh_from_db()
    assert (ready.status, short.status) == ("published", "draft")
    html = response.content.decode()
    assert "1 actor(s) published." in html
    assert "fewer than 20 words: Short Draft Cluster." in html


def test_the_admin_form_refuses_to_publish_a_short_description(client, cast):
    client.force_login(cast.curator)
    actor = cast.actor
    url = reverse("admin:directory_actor_change", args=[actor.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        {
            "description": "Too short to publish.",
            "status": "published",
            "sectors": [s.pk for s in actor.sectors.all()],
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "a published profile needs at least 20" in response.content.decode()
    actor.refresh_from_db()
    assert actor.description != "Too short to publish."


def test_a_one_word_change_in_a_long_text_shows_that_word(client, cast):
    words = [f"word{i}" for i in range(120)]
    cast.actor.description = " ".join(words)
    cast.actor.save()
    words[60] = "vaccines"
    cast.actor.description = " ".join(words)
    cast.actor.save()
    client.force_login(cast.curator)
    page = client.get(reverse("curation_history", args=[cast.actor.slug])).content.decode()
    latest = page.split(f'id="version-{cast.actor.history.first().history_id}"')[1]
    latest = latest.split('id="version-')[0]
    assert "<del>word60</del>" in latest and "<ins>vaccines</ins>" in latest
    # Context around the change, not the whole text twice.
    assert "word59" in latest and "word10 " not in latest and "…" in latest


def test_restore_speaks_of_the_time_the_page_lists(client, cast, settings):
    import re

    settings.TIME_ZONE = "Asia/Seoul"
    cast.actor.city = "Villeurbanne"
    cast.actor.save()
    client.force_login(cast.curator)
    oldest = cast.actor.history.last()
    page = client.get(reverse("curation_history", args=[cast.actor.slug])).content.decode()
    listed = re.search(
        rf'id="version-{oldest.history_id}">\s*<td class="nowrap">([^<]+)</td>', page
    ).group(1)
    response = client.post(reverse("curation_restore", args=[oldest.history_id]), follow=True)
    message = str(list(response.context["messages"])[0])
    hour_minute = listed.split()[-1][:5]
    assert hour_minute in message and "KST" in message
    assert hour_minute in cast.actor.history.first().history_change_reason


def test_restoring_a_deleted_actor_whose_address_was_reused_keeps_both(client, cast):
    from tests.factories import ActorFactory

    slug, pk = cast.other_actor.slug, cast.other_actor.pk
    last = cast.other_actor.history.first()
    cast.other_actor.delete()
    newcomer = ActorFactory(name="Turin Newcomer", slug=slug)
    client.force_login(cast.curator)
    deleted_version = Actor.history.filter(id=pk, history_type="-").first()
    response = client.post(
        reverse("curation_restore", args=[deleted_version.history_id]), follow=True
    )
    assert response.status_code == 200
    restored = Actor.objects.get(pk=pk)
    assert restored.name == last.name and restored.slug == f"{slug}-restored"
    assert Actor.objects.get(pk=newcomer.pk).slug == slug
    assert f"now belongs to Turin Newcomer, so it is {slug}-restored" in response.content.decode()


def test_restoring_a_version_without_sectors_says_the_form_will_ask_for_one(cast):
    first = cast.actor.history.last()  # created before any sector was linked
    restored = actor_restore(record=first, user=cast.curator)
    assert any("no sector" in note for note in restored.restore_notes)
