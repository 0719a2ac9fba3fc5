"""Saved directory searches: saving the search on screen, the list page, and the alerts that
name the actors newly matching it."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from directory.models import SavedSearch, Sector
from directory.saved_searches import (
    MAX_SAVED_SEARCHES,
    saved_search_check,
    saved_search_create,
)
from jobs.periodic import registered, run_due
from notifications.models import Notification, OutgoingEmail, Preference
from tests.factories import ActorFactory, SectorFactory, UserFactory

pytestmark = pytest.mark.django_db

SAVE = reverse("saved_search_save")
LIST = reverse("saved_searches")


@pytest.fixture
def korea(cast):
    """A Korean biotech directory slice and a user who searches it."""
    cast.bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    cast.osong = ActorFactory(
        slug="osong", name="Osong Medical Foundation", side="kr", country="KR", city="Osong"
    )
    cast.osong.sectors.set([cast.bio])
    cast.searcher = UserFactory(username="searcher")
    return cast


def _kr_bio(cast) -> str:
    return "side=kr&sector=biopharmaceuticals"


def _alerts(user):
    return list(Notification.objects.filter(recipient=user, kind="directory.saved_search"))


def _new_korean_biotech(cast, slug: str, name: str, **kwargs):
    actor = ActorFactory(slug=slug, name=name, side="kr", country="KR", **kwargs)
    actor.sectors.set([cast.bio])
    return actor


# -- saving, listing, renaming, deleting ----------------------------------------------------


def test_a_signed_in_user_saves_the_search_on_screen_and_finds_it_listed(client, korea):
    page = client.get(reverse("actor_list") + "?" + _kr_bio(korea)).content.decode()
    assert "Save this search" not in page  # visitors cannot save
    client.force_login(korea.searcher)
    page = client.get(reverse("actor_list") + "?" + _kr_bio(korea)).content.decode()
    assert "Save this search" in page
    response = client.post(
        SAVE, {"name": "Korean biotech", "query": _kr_bio(korea) + "&page=2&utm_source=x"}
    )
    search = SavedSearch.objects.get()
    assert (search.owner, search.name) == (korea.searcher, "Korean biotech")
    # Only the filters are kept, and opening it runs the same search.
    assert search.query == "side=kr&sector=biopharmaceuticals"
    assert response["Location"] == reverse("actor_list") + "?side=kr&sector=biopharmaceuticals"
    listed = client.get(LIST).content.decode()
    assert "Korean biotech" in listed
    assert "Sector: Biopharmaceuticals" in listed and "alert on" in listed
    opened = client.get(search.get_absolute_url()).content.decode()
    assert "Osong Medical Foundation" in opened and "Lyon Life Sciences" not in opened


def test_anonymous_visitors_cannot_save(korea):
    response = Client().post(SAVE, {"name": "x", "query": "side=kr"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("", "side=kr", "Give the search a name."),
        ("two\nlines", "side=kr", "must be on one line"),
        ("x" * 101, "side=kr", "at most 100 are allowed"),
        ("Sectors", "sector=no-such-sector", "Sector: Select a valid choice."),
        ("Sides", "side=moon", "Side: Select a valid choice."),
        ("Twice", "side=kr&side=eu", "Side is given more than once"),
        ("Direction", "q=abc%E2%80%AEdef", "Search contains a text-direction override"),
        ("Break", "q=two%0Alines", "Search must be on one line"),
        ("Long", "q=" + "a" * 1200, "This search is too long to save."),
    ],
)
def test_hostile_names_and_filters_are_refused_with_a_message(client, korea, name, query, message):
    client.force_login(korea.searcher)
    response = client.post(SAVE, {"name": name, "query": query}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Search not saved." in html and message in html
    assert not SavedSearch.objects.exists()


def test_control_characters_never_reach_a_saved_search(client, korea):
    # The site refuses them before any view (config/middleware.py); the service refuses them
    # as well, for any other caller.
    client.force_login(korea.searcher)
    for data in ({"name": "bad\x00name", "query": "side=kr"}, {"name": "x", "query": "q=a\x07"}):
        response = client.post(SAVE, data)
        assert response.status_code == 400
        assert "Nothing was changed" in response.content.decode()
    with pytest.raises(ValidationError, match="NUL"):
        saved_search_create(owner=korea.searcher, name="bad\x00name", query="side=kr")
    with pytest.raises(ValidationError, match="control character"):
        saved_search_create(owner=korea.searcher, name="Control", query="q=vaccines%07")
    assert not SavedSearch.objects.exists()


def test_names_are_unique_per_person_and_the_number_is_limited(client, korea):
    client.force_login(korea.searcher)
    client.post(SAVE, {"name": "Korean biotech", "query": "side=kr"})
    response = client.post(SAVE, {"name": "korean BIOTECH", "query": "side=eu"}, follow=True)
    assert "You already have a saved search named “korean BIOTECH”" in response.content.decode()
    # Someone else may use the same name.
    saved_search_create(owner=korea.manager, name="Korean biotech", query="side=kr")
    for i in range(MAX_SAVED_SEARCHES - 1):
        SavedSearch.objects.create(owner=korea.searcher, name=f"Search {i}", query="")
    response = client.post(SAVE, {"name": "One too many", "query": ""}, follow=True)
    assert f"You have {MAX_SAVED_SEARCHES} saved searches" in response.content.decode()
    assert SavedSearch.objects.filter(owner=korea.searcher).count() == MAX_SAVED_SEARCHES


def test_rename_delete_and_alerts_only_for_the_owner(client, korea):
    search = saved_search_create(owner=korea.searcher, name="Korean biotech", query="side=kr")
    other = saved_search_create(owner=korea.searcher, name="Europe", query="side=eu")
    rename = reverse("saved_search_rename", args=[search.pk])
    client.force_login(korea.manager)  # someone else
    assert client.post(rename, {"name": "Mine now"}).status_code == 404
    assert client.post(reverse("saved_search_delete", args=[search.pk])).status_code == 404
    assert "Korean biotech" not in client.get(LIST).content.decode()
    client.force_login(korea.searcher)
    response = client.post(rename, {"name": "Korea: biotech"}, follow=True)
    assert "“Korean biotech” renamed to “Korea: biotech”." in response.content.decode()
    response = client.post(rename, {"name": "Europe"}, follow=True)
    assert "You already have a saved search named “Europe”" in response.content.decode()
    response = client.post(rename, {"name": "two\nlines"}, follow=True)
    assert "not renamed" in response.content.decode()
    search.refresh_from_db()
    assert search.name == "Korea: biotech"
    client.post(reverse("saved_search_alert", args=[search.pk]), {"alert": "off"})
    search.refresh_from_db()
    assert not search.alert
    assert "alert off" in client.get(LIST).content.decode()
    client.post(reverse("saved_search_delete", args=[other.pk]))
    assert list(SavedSearch.objects.values_list("name", flat=True)) == ["Korea: biotech"]


def test_a_search_whose_sector_was_removed_says_so_instead_of_failing(client, korea):
    gone = SectorFactory(code="space-mining", label="Space mining")
    search = saved_search_create(
        owner=korea.searcher, name="Space", query="sector=space-mining&side=kr"
    )
    Sector.objects.filter(pk=gone.pk).delete()
    client.force_login(korea.searcher)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Sector “space-mining” is no longer in the directory." in response.content.decode()
    # Its alert is skipped, not an error, and not an empty result read as "nothing new".
    assert saved_search_check(search_id=search.pk) == []
    assert _alerts(korea.searcher) == []


# -- alerts -------------------------------------------------------------------------------


def test_the_daily_job_names_new_matching_actors_once(korea):
    search = saved_search_create(owner=korea.searcher, name="Korean biotech", query=_kr_bio(korea))
    assert "directory.saved_searches" in [p.name for p in registered()]
    run_due()
    assert _alerts(korea.searcher) == []  # nothing new since it was saved
    _new_korean_biotech(korea, "cheongju-bio", "Cheongju Bio Valley", city="Cheongju")
    ActorFactory(slug="daejeon-ict", name="Daejeon ICT", side="kr", country="KR")  # no sector
    bio_eu = ActorFactory(slug="lyon-bio", name="Lyon Bio", side="eu")
    bio_eu.sectors.set([korea.bio])  # the other side
    _new_korean_biotech(korea, "draft-bio", "Draft Bio", status="draft")  # not published
    search.refresh_from_db()
    saved_search_check(search_id=search.pk)
    alerts = _alerts(korea.searcher)
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.subject == "1 new actor in your saved search “Korean biotech”"
    assert "Cheongju Bio Valley" in alert.body
    assert "Daejeon ICT" not in alert.body and "Lyon Bio" not in alert.body
    assert "Draft Bio" not in alert.body and "Osong" not in alert.body
    assert alert.link == search.get_absolute_url()
    # By e-mail too: the searcher has an address.
    assert OutgoingEmail.objects.filter(to=korea.searcher.email, subject=alert.subject).exists()
    # Checked again with nothing new: nothing sent; nobody else is told.
    saved_search_check(search_id=search.pk)
    assert len(_alerts(korea.searcher)) == 1
    assert Notification.objects.filter(kind="directory.saved_search").count() == 1


def test_many_new_actors_are_named_up_to_ten_and_the_rest_counted(korea):
    search = saved_search_create(owner=korea.searcher, name="Korean biotech", query=_kr_bio(korea))
    for i in range(13):
        _new_korean_biotech(korea, f"bio-{i:02d}", f"Bio {i:02d}")
    saved_search_check(search_id=search.pk)
    (alert,) = _alerts(korea.searcher)
    assert alert.subject.startswith("13 new actors")
    assert "Bio 09" in alert.body and "Bio 10" not in alert.body
    assert "and 3 more." in alert.body


def test_the_first_check_records_the_baseline_without_alerting(korea):
    # A search that has never been checked (no baseline yet) learns what matches, quietly.
    search = SavedSearch.objects.create(owner=korea.searcher, name="KR", query="side=kr")
    saved_search_check(search_id=search.pk)
    assert _alerts(korea.searcher) == []
    search.refresh_from_db()
    assert korea.osong.pk in search.seen and search.checked_at is not None
    ActorFactory(slug="gwangju-ai", name="Gwangju AI Cluster", side="kr", country="KR")
    saved_search_check(search_id=search.pk)
    assert [a.subject for a in _alerts(korea.searcher)] == ["1 new actor in your saved search “KR”"]


def test_alert_off_tells_nothing_and_on_again_starts_afresh(client, korea):
    search = saved_search_create(owner=korea.searcher, name="Korean biotech", query=_kr_bio(korea))
    client.force_login(korea.searcher)
    client.post(reverse("saved_search_alert", args=[search.pk]), {"alert": "off"})
    _new_korean_biotech(korea, "while-off", "Added While Off")
    run_due()
    saved_search_check(search_id=search.pk)
    assert _alerts(korea.searcher) == []
    client.post(reverse("saved_search_alert", args=[search.pk]), {"alert": "on"})
    saved_search_check(search_id=search.pk)
    assert _alerts(korea.searcher) == []  # not told about what came while it was off
    _new_korean_biotech(korea, "after-on", "Added After On")
    saved_search_check(search_id=search.pk)
    (alert,) = _alerts(korea.searcher)
    assert "Added After On" in alert.body and "Added While Off" not in alert.body


def test_without_an_address_or_with_email_turned_off_the_inbox_only(korea):
    korea.searcher.email = ""
    korea.searcher.save()
    Preference.objects.create(user=korea.manager, kind="directory.saved_search", email=False)
    mine = saved_search_create(owner=korea.searcher, name="KR", query="side=kr")
    theirs = saved_search_create(owner=korea.manager, name="KR", query="side=kr")
    ActorFactory(slug="ulsan-h2", name="Ulsan Hydrogen", side="kr", country="KR")
    saved_search_check(search_id=mine.pk)
    saved_search_check(search_id=theirs.pk)
    assert len(_alerts(korea.searcher)) == 1 and len(_alerts(korea.manager)) == 1
    assert not OutgoingEmail.objects.exists()
