"""Shortlists belong to the organisation: every manager sees the same list, each entry has a
status and notes with author and date, and a status change can tell the other managers."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from matching.models import ShortlistEntry, ShortlistNote
from matching.shortlists import shortlist_add
from notifications.models import Notification
from tests.factories import UserFactory


def _told(user=None):
    found = Notification.objects.filter(kind="matching.shortlist")
    return list(found.filter(recipient=user) if user else found)


@pytest.fixture
def team(world):
    world.colleague = UserFactory(username="colleague", first_name="Ji-woo", last_name="Park")
    world.actor.managers.add(world.colleague)
    world.entry, _ = shortlist_add(
        actor=world.actor, candidate=world.chuncheon, by=world.manager, note="Met at BIO Korea"
    )
    return world


def _url(name, world, **extra):
    return reverse(name, kwargs={"slug": world.actor.slug, "candidate": "chuncheon-bio", **extra})


@pytest.mark.django_db
def test_every_manager_sees_the_same_list_and_each_others_notes(client, team):
    client.force_login(team.colleague)
    page = client.get(reverse("shortlist", args=[team.actor.slug])).content.decode()
    assert "Chuncheon Bioindustry Foundation" in page and "Met at BIO Korea" in page
    assert "added" in page and "by owner" in page
    client.post(_url("shortlist_note", team), {"note": "I call them on Monday"})
    ranking = client.get(reverse("partners", args=[team.actor.slug])).content.decode()
    assert "On your shortlist" in ranking
    client.force_login(team.manager)
    page = client.get(reverse("shortlist", args=[team.actor.slug])).content.decode()
    assert "I call them on Monday" in page and "Ji-woo Park" in page
    assert list(team.entry.notes.values_list("author__username", "text")) == [
        ("owner", "Met at BIO Korea"),
        ("colleague", "I call them on Monday"),
    ]
    # Adding the same candidate again (from the ranking) keeps one entry and adds the note.
    client.post(
        reverse("shortlist_add", args=[team.actor.slug]),
        {"candidate": "chuncheon-bio", "note": "Second thoughts"},
    )
    assert ShortlistEntry.objects.count() == 1
    assert team.entry.notes.count() == 3


@pytest.mark.django_db
def test_a_status_change_tells_the_other_managers_but_not_its_author(client, team):
    client.force_login(team.manager)
    response = client.post(
        _url("shortlist_status", team), {"status": "contacted", "tell_others": "on"}, follow=True
    )
    assert "now “contacted”. The other managers were told." in response.content.decode()
    team.entry.refresh_from_db()
    assert (team.entry.status, team.entry.status_changed_by) == ("contacted", team.manager)
    (message,) = _told()
    assert message.recipient == team.colleague
    assert message.subject == (
        "Chuncheon Bioindustry Foundation is now “contacted” on the shortlist of Lyon Life Sciences"
    )
    assert "owner changed the status" in message.body
    assert "from “to contact” to “contacted”" in message.body
    assert message.link == reverse("shortlist", args=[team.actor.slug])
    # Not the managers of another organisation, not the curator.
    assert not _told(team.other_manager) and not _told(team.curator)
    # The same status again changes nothing and tells nobody.
    client.post(_url("shortlist_status", team), {"status": "contacted", "tell_others": "on"})
    assert len(_told()) == 1


@pytest.mark.django_db
def test_unticking_tell_the_other_managers_tells_nobody(client, team):
    client.force_login(team.colleague)
    page = client.get(reverse("shortlist", args=[team.actor.slug])).content.decode()
    assert 'name="tell_others" value="on" checked' in page  # on by default
    client.post(_url("shortlist_status", team), {"status": "met"})
    team.entry.refresh_from_db()
    assert team.entry.status == "met"
    assert _told() == []


@pytest.mark.django_db
def test_a_curators_change_tells_every_manager(client, team):
    client.force_login(team.curator)
    client.post(_url("shortlist_status", team), {"status": "partner", "tell_others": "on"})
    assert sorted(n.recipient.username for n in _told()) == ["colleague", "owner"]


@pytest.mark.django_db
def test_outsiders_get_404_and_change_nothing(client, team):
    client.force_login(team.other_manager)
    assert client.get(reverse("shortlist", args=[team.actor.slug])).status_code == 404
    assert client.get(reverse("shortlist_export", args=[team.actor.slug, "csv"])).status_code == 404
    note = team.entry.notes.get()
    for url, data in (
        (_url("shortlist_status", team), {"status": "partner", "tell_others": "on"}),
        (_url("shortlist_note", team), {"note": "hijack"}),
        (_url("shortlist_note_delete", team, note=note.pk), {}),
        (_url("shortlist_remove", team), {}),
    ):
        assert client.post(url, data).status_code == 404
    team.entry.refresh_from_db()
    assert team.entry.status == "to-contact"
    assert list(ShortlistNote.objects.values_list("text", flat=True)) == ["Met at BIO Korea"]
    assert _told() == []
    # A manager of the organisation naming a candidate not on the list: 404 too.
    client.force_login(team.manager)
    url = reverse("shortlist_status", kwargs={"slug": team.actor.slug, "candidate": "daegu-water"})
    assert client.post(url, {"status": "met"}).status_code == 404


@pytest.mark.django_db
def test_only_its_author_deletes_a_note_and_bad_input_is_refused(client, team):
    note = team.entry.notes.get()
    client.force_login(team.colleague)
    response = client.post(_url("shortlist_note_delete", team, note=note.pk), follow=True)
    assert "Only the person who wrote a note can delete it." in response.content.decode()
    response = client.post(_url("shortlist_note", team), {"note": "   "}, follow=True)
    assert "Write something in the note first." in response.content.decode()
    response = client.post(_url("shortlist_note", team), {"note": "x" * 2001}, follow=True)
    assert "Note not added: it is too long" in response.content.decode()
    response = client.post(_url("shortlist_status", team), {"status": "married"}, follow=True)
    assert "Status not changed" in response.content.decode()
    assert list(ShortlistNote.objects.values_list("text", flat=True)) == ["Met at BIO Korea"]
    client.force_login(team.manager)
    client.post(_url("shortlist_note_delete", team, note=note.pk))
    assert not ShortlistNote.objects.exists()
    team.entry.refresh_from_db()
    assert team.entry.status == "to-contact"


@pytest.mark.django_db
def test_status_changes_need_csrf(team):
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.manager)
    response = client.post(_url("shortlist_status", team), {"status": "met", "tell_others": "on"})
    assert response.status_code == 403
    team.entry.refresh_from_db()
    assert team.entry.status == "to-contact" and _told() == []


# -- removing an entry: nobody's notes go unseen ------------------------------------------------


def _remove(client, team, data=None, **kwargs):
    return client.post(_url("shortlist_remove", team), data or {}, **kwargs)


@pytest.mark.django_db
def test_removing_an_entry_with_only_ones_own_notes_is_one_click(client, team):
    client.force_login(team.manager)  # wrote the only note
    response = _remove(client, team, follow=True)
    assert "Chuncheon Bioindustry Foundation removed from the shortlist" in (
        response.content.decode()
    )
    assert not ShortlistEntry.objects.exists() and not ShortlistNote.objects.exists()


@pytest.mark.django_db
def test_removing_a_colleagues_notes_shows_them_and_asks_first(client, team):
    ShortlistNote.objects.filter(entry=team.entry).update(
        written_at=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    )
    client.force_login(team.colleague)
    client.post(_url("shortlist_note", team), {"note": "I call them on Monday"})

    # The colleague clicks Remove: nothing is deleted, the page lists what would be.
    response = _remove(client, team)
    assert response.url == _url("shortlist_remove", team)
    page = client.get(response.url).content.decode()
    assert "Remove Chuncheon Bioindustry Foundation from the shortlist?" in page
    assert "A note by someone else is deleted with it" in page
    assert "owner, 2 Mar 2026:</span> Met at BIO Korea" in page
    assert "Your own note goes too." in page
    assert ShortlistEntry.objects.count() == 1 and ShortlistNote.objects.count() == 2

    # Confirmed: gone, with both notes.
    note = ShortlistNote.objects.get(author=team.manager)
    response = _remove(client, team, {"confirm": "1", "notes": [str(note.pk)]}, follow=True)
    assert "removed from the shortlist, with its notes" in response.content.decode()
    assert not ShortlistEntry.objects.exists() and not ShortlistNote.objects.exists()


@pytest.mark.django_db
def test_a_note_written_while_one_confirms_is_not_deleted_unseen(client, team):
    client.force_login(team.colleague)
    shown = list(team.entry.notes.values_list("pk", flat=True))
    late = ShortlistNote.objects.create(entry=team.entry, author=team.manager, text="Wait!")

    response = _remove(client, team, {"confirm": "1", "notes": shown}, follow=True)
    page = response.content.decode()
    assert "Someone added a note since you looked" in page
    assert "Wait!" in page and "2 notes by other people are deleted with it" in page
    assert ShortlistNote.objects.filter(pk=late.pk).exists()
    assert ShortlistEntry.objects.count() == 1

    # A former user's note counts as someone else's: shown too.
    team.manager.delete()
    page = client.get(_url("shortlist_remove", team)).content.decode()
    assert "a former user" in page and "Met at BIO Korea" in page
    page = client.get(reverse("shortlist", args=[team.actor.slug])).content.decode()
    assert "a former user, " in page  # the list too (it failed on a deleted author)


@pytest.mark.django_db
def test_the_remove_page_is_the_organisations_and_a_removed_entry_is_said_so(client, team):
    client.force_login(team.other_manager)
    assert client.get(_url("shortlist_remove", team)).status_code == 404
    client.force_login(team.colleague)
    ShortlistEntry.objects.all().delete()
    response = client.get(_url("shortlist_remove", team), follow=True)
    assert "Chuncheon Bioindustry Foundation is not on the shortlist." in (
        response.content.decode()
    )


# -- the migration from private shortlists -----------------------------------------------------


def _old_layout():
    executor = MigrationExecutor(connection)
    executor.migrate([("matching", "0006_candidate_marks")])
    return executor.loader.project_state([("matching", "0006_candidate_marks")]).apps


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_migration_merges_private_shortlists_and_keeps_every_note():
    apps = _old_layout()
    try:
        Actor = apps.get_model("directory", "Actor")
        Entry = apps.get_model("matching", "ShortlistEntry")
        User = apps.get_model("auth", "User")
        ana, ben, cho = (User.objects.create(username=n) for n in ("ana", "ben", "cho"))
        eu, kr1, kr2 = (
            Actor.objects.create(
                name=f"Actor {s}", slug=s, side=side, kind="cluster", country=c, status="published"
            )
            for s, side, c in (("eu", "eu", "FR"), ("kr1", "kr", "KR"), ("kr2", "kr", "KR"))
        )
        day = lambda d: dt.datetime(2026, 3, d, 9, tzinfo=dt.UTC)  # noqa: E731
        rows = [
            # (owner, actor, candidate, note, created, updated): three owners of one pair...
            (ben, eu, kr1, "ben: call in May", day(5), day(6)),
            (ana, eu, kr1, "ana: met in Seoul", day(2), day(3)),
            (cho, eu, kr1, "", day(4), day(4)),
            # ...one alone, and the same candidate for another organisation.
            (ana, eu, kr2, "ana: maybe later", day(7), day(8)),
            (cho, kr2, eu, "cho: for the Korean side", day(1), day(1)),
        ]
        for owner, actor, candidate, note, created, updated in rows:
            entry = Entry.objects.create(owner=owner, actor=actor, candidate=candidate, note=note)
            Entry.objects.filter(pk=entry.pk).update(created_at=created, updated_at=updated)
    except BaseException:
        _migrate_to_latest()
        raise
    _migrate_to_latest()

    entries = {
        (e.actor.slug, e.candidate.slug): e
        for e in ShortlistEntry.objects.select_related("actor", "candidate", "added_by")
    }
    assert set(entries) == {("eu", "kr1"), ("eu", "kr2"), ("kr2", "eu")}
    merged = entries[("eu", "kr1")]
    # The earliest entry wins for the date and who added it; every note survives, with its
    # author and the date it was last written.
    assert (merged.added_by.username, merged.created_at) == ("ana", day(2))
    assert merged.status == "to-contact"
    assert [(n.author.username, n.text, n.written_at) for n in merged.notes.all()] == [
        ("ana", "ana: met in Seoul", day(3)),
        ("ben", "ben: call in May", day(6)),
    ]
    assert [n.text for n in entries[("eu", "kr2")].notes.all()] == ["ana: maybe later"]
    assert entries[("kr2", "eu")].added_by.username == "cho"
    assert ShortlistNote.objects.count() == 4
