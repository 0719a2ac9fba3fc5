"""A person's data: what is held (export) and erasing it, history included."""

import json

from django.urls import reverse

from curation.personal_data import person_data, person_erase
from directory.models import ContactPerson, PendingChange


def test_everything_held_on_a_person_is_found(cast):
    contact = cast.contact
    contact.role = "Head of international affairs"
    contact.save()
    data = person_data(email="MARIE.SECRET@example.org")
    assert [c["actor"] for c in data.contacts] == ["lyon-life"]
    assert data.contacts[0]["legal_basis"]
    assert len(data.history) == 2  # created, then changed
    assert data.found


def test_erasing_a_person_removes_every_trace_including_history(cast):
    PendingChange.objects.create(
        actor=cast.actor,
        author=cast.manager,
        proposed={"contacts": [{"name": "Marie Secret", "email": "marie.secret@example.org"}]},
    )
    counts = person_erase(email="marie.secret@example.org")
    assert counts["contact_persons"] == 1
    assert counts["contact_history"] >= 2  # creation and deletion records
    assert not ContactPerson.objects.filter(email="marie.secret@example.org").exists()
    assert not ContactPerson.history.filter(email="marie.secret@example.org").exists()
    assert PendingChange.objects.get().proposed["contacts"] == []
    assert not person_data(email="marie.secret@example.org").found
    # Someone else's data stays.
    assert ContactPerson.objects.filter(email="kim.hidden@example.org").exists()


def test_the_person_page_exports_json_and_erases_after_confirmation(client, cast):
    client.force_login(cast.curator)
    url = reverse("curation_person")
    exported = client.get(url, {"email": "kim.hidden@example.org", "format": "json"})
    payload = json.loads(exported.content)
    assert payload["contact_persons"][0]["name"] == "Kim Hidden"
    # Neither the download nor the page may stay in a browser's or a proxy's cache.
    assert "no-store" in exported["Cache-Control"]
    page = client.get(url, {"email": "kim.hidden@example.org"})
    assert "Kim Hidden" in page.content.decode() and "no-store" in page["Cache-Control"]
    client.post(reverse("curation_person_erase"), {"email": "kim.hidden@example.org"})
    assert ContactPerson.objects.filter(name="Kim Hidden").exists()  # not confirmed
    client.post(
        reverse("curation_person_erase"), {"email": "kim.hidden@example.org", "confirm": "erase"}
    )
    assert not ContactPerson.objects.filter(name="Kim Hidden").exists()


def test_event_attendees_are_part_of_a_persons_data(cast):
    from events.models import Attendee, Event, Participant

    event = Event.objects.create(
        name="Fair", slug="fair", place="Seoul", starts_on="2026-11-24", ends_on="2026-11-24"
    )
    participant = Participant.objects.create(event=event, actor=cast.actor)
    Attendee.objects.create(
        participant=participant, first_name="Marie", last_name="Secret", email="m@example.org"
    )
    assert len(person_data(name="Marie Secret").attendees) == 1
    person_erase(name="Marie Secret")
    assert not Attendee.objects.exists()


def test_contacts_a_manager_adds_say_where_they_come_from(client, cast, sectors):
    cast.actor.sectors.set(sectors[:1])
    client.force_login(cast.manager)
    client.post(
        reverse("actor_edit", args=[cast.actor.slug]),
        {
            "description": " ".join(["Vaccines and diagnostics for infectious diseases."] * 4),
            "keywords": "",
            "sectors": [sectors[0].pk],
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "Paul Neuf",
            "contacts-0-email": "paul@example.org",
        },
    )
    contact = ContactPerson.objects.get(name="Paul Neuf")
    assert contact.source == "entered by the organisation's manager on Cluster Match"
    assert contact.get_legal_basis_display() == "legitimate interest (professional contact)"


def test_a_person_kept_in_a_merge_record_is_found_and_erased(cast):
    from curation.merge import actor_merge
    from tests.factories import ActorFactory, ContactFactory

    twin = ActorFactory(slug="lyon-old", name="Lyon Life Sciences old")
    ContactFactory(actor=twin, name="Olga Twin", email="olga@example.org", phone="")
    actor_merge(keep=cast.actor, remove=twin, user=cast.curator)
    assert len(person_data(email="olga@example.org").merges) == 1
    counts = person_erase(email="olga@example.org")
    assert counts["merge_records"] == 1
    assert not person_data(email="olga@example.org").found
