"""Find partners, shortlist, exports and the top matches on actor pages."""

import csv
import io
import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from matching.models import ShortlistEntry


def ranked_slugs(response) -> list[str]:
    return re.findall(r'class="match card" data-slug="([^"]+)"', response.content.decode())


ROLES = ["anonymous", "manager", "other_manager", "curator", "organiser"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("manager", 200),
        ("other_manager", 404),
        ("curator", 200),
        ("organiser", 404),
    ],
)
def test_who_sees_the_ranking(client, world, role, expected):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    for url in (
        reverse("partners", args=[world.actor.slug]),
        reverse("partners_export", args=[world.actor.slug, "csv"]),
        reverse("partners_export", args=[world.actor.slug, "xlsx"]),
        reverse("shortlist", args=[world.actor.slug]),
        reverse("shortlist_export", args=[world.actor.slug, "csv"]),
    ):
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert "/accounts/login/" in response["Location"]


def test_manager_sees_the_obvious_partner_first_with_its_reasons(client, world):
    client.force_login(world.manager)
    response = client.get(reverse("partners", args=[world.actor.slug]))
    assert ranked_slugs(response) == ["chuncheon-bio", "daegu-water", "gumi-mobile"]
    html = response.content.decode()
    assert "They offer market access and export, which you seek." in html
    assert "They seek joint R&amp;D projects, which you offer." in html
    assert re.search(r"Both work on [^.;]*vaccines", html)


def test_start_page_sends_a_single_manager_to_their_ranking(client, world):
    client.force_login(world.manager)
    response = client.get(reverse("partners_start"))
    assert response["Location"] == reverse("partners", args=[world.actor.slug])


def test_filters_and_weights_on_the_page(client, world):
    client.force_login(world.manager)
    url = reverse("partners", args=[world.actor.slug])
    assert ranked_slugs(client.get(url + "?kind=cluster-agency")) == ["daegu-water"]
    assert ranked_slugs(client.get(url + "?sector=environmental-services")) == ["daegu-water"]
    interest_only = client.get(url + "?w_text=0&w_sector=0&w_interest=100")
    assert ranked_slugs(interest_only)[0] == "chuncheon-bio"
    refused = client.get(url + "?w_text=0&w_sector=0&w_interest=0")
    assert "At least one weight must be above zero." in refused.content.decode()
    assert ranked_slugs(refused) == []
    bad = client.get(url + "?w_text=-5&kind=spaceship")
    html = bad.content.decode()
    assert "Ensure this value is greater than or equal to 0." in html
    assert "Select a valid choice." in html


def test_shortlist_add_note_remove_shared_with_the_organisation(client, world):
    client.force_login(world.manager)
    add = reverse("shortlist_add", args=[world.actor.slug])
    response = client.post(add, {"candidate": "chuncheon-bio", "note": "Met at BIO Korea"})
    assert response.status_code == 302
    entry = ShortlistEntry.objects.get()
    assert (entry.added_by, entry.actor, entry.candidate.slug, entry.get_status_display()) == (
        world.manager,
        world.actor,
        "chuncheon-bio",
        "to contact",
    )
    assert [(n.author, n.text) for n in entry.notes.all()] == [(world.manager, "Met at BIO Korea")]
    client.post(add, {"candidate": "chuncheon-bio"})  # twice: still one entry
    assert ShortlistEntry.objects.count() == 1
    page = client.get(reverse("shortlist", args=[world.actor.slug])).content.decode()
    assert "Met at BIO Korea" in page
    ranking = client.get(reverse("partners", args=[world.actor.slug])).content.decode()
    assert "On your shortlist" in ranking
    client.post(
        reverse("shortlist_note", args=[world.actor.slug, "chuncheon-bio"]),
        {"note": "Follow up in May"},
    )
    assert list(entry.notes.values_list("text", flat=True)) == [
        "Met at BIO Korea",
        "Follow up in May",
    ]
    # The list is the organisation's: a curator opening it sees the same entries and notes;
    # a manager of another organisation gets a 404.
    client.force_login(world.curator)
    html = client.get(reverse("shortlist", args=[world.actor.slug])).content.decode()
    assert "Follow up in May" in html and "Met at BIO Korea" in html
    client.force_login(world.other_manager)
    assert client.get(reverse("shortlist", args=[world.actor.slug])).status_code == 404
    client.force_login(world.manager)
    client.post(reverse("shortlist_remove", args=[world.actor.slug, "chuncheon-bio"]))
    assert not ShortlistEntry.objects.exists()


def test_shortlist_refuses_outsiders_and_get(client, world):
    add = reverse("shortlist_add", args=[world.actor.slug])
    client.force_login(world.other_manager)
    assert client.post(add, {"candidate": "chuncheon-bio"}).status_code == 404
    client.force_login(world.manager)
    assert client.get(add).status_code == 405
    assert client.post(add, {"candidate": "no-such-actor"}).status_code == 404
    response = client.post(add, {"candidate": world.actor.slug}, follow=True)
    assert "cannot shortlist itself" in response.content.decode()
    assert not ShortlistEntry.objects.exists()


def test_shortlist_needs_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.manager)
    response = client.post(
        reverse("shortlist_add", args=[world.actor.slug]), {"candidate": "chuncheon-bio"}
    )
    assert response.status_code == 403
    assert not ShortlistEntry.objects.exists()


def test_ranking_export_csv_and_xlsx_parse_back(client, world):
    world.chuncheon.name = '=HYPERLINK("http://evil.example")'
    world.chuncheon.save()
    client.force_login(world.manager)
    url = reverse("partners_export", args=[world.actor.slug, "csv"])
    response = client.get(url + "?kind=foundation")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["rank", "name", "slug"]
    assert [r[2] for r in rows[1:]] == ["chuncheon-bio"]
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example")'
    assert 0 < int(rows[1][7]) <= 100 and rows[1][8] in {"strong", "good", "possible", "long shot"}
    assert "market access" in rows[1][13]
    xlsx = client.get(reverse("partners_export", args=[world.actor.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][2] == "slug"
    assert values[1][2] == "chuncheon-bio"
    assert sorted(v[2] for v in values[2:]) == ["daegu-water", "gumi-mobile"]
    assert values[1][1].startswith("'=")
    assert client.get(reverse("partners_export", args=[world.actor.slug, "pdf"])).status_code == 404


def shortlist_csv(client, world) -> list[list[str]]:
    export = client.get(reverse("shortlist_export", args=[world.actor.slug, "csv"]))
    return list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))


def test_shortlist_export(client, world):
    client.force_login(world.manager)
    client.post(
        reverse("shortlist_add", args=[world.actor.slug]),
        {"candidate": "daegu-water", "note": "+33 call back; Hangul 대구 ok"},
    )
    rows = shortlist_csv(client, world)
    assert rows[0][6:10] == ["status", "notes", "added", "added by"]
    assert rows[1][1] == "daegu-water"
    assert rows[1][6] == "to contact"
    # Each note with its date and author.
    assert rows[1][7].endswith(" owner: +33 call back; Hangul 대구 ok")
    assert rows[1][9] == "owner"
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("shortlist_export", args=[world.actor.slug, "xlsx"])).content)
    ).active
    assert list(sheet.iter_rows(values_only=True))[1][1] == "daegu-water"


def test_actor_page_shows_top_five_matches_to_logged_in_users_only(client, world):
    url = world.actor.get_absolute_url()
    assert "Best matches" not in client.get(url).content.decode()
    client.force_login(world.other_manager)
    html = client.get(url).content.decode()
    assert "Best matches on the Korean side" in html
    assert html.index("Chuncheon Bioindustry Foundation") < html.index("Daegu Water Cluster")
    assert "Find partners" not in re.sub(r'<nav class="nav".*?</nav>', "", html, flags=re.S)


def test_rank_command_prints_json(world, capsys):
    call_command("rank", world.actor.slug, "--top", "2", "--json")
    data = json.loads(capsys.readouterr().out)
    assert [d["slug"] for d in data] == ["chuncheon-bio", "daegu-water"]
    first = data[0]
    assert set(first) >= {"slug", "name", "score", "components", "explanation"}
    assert set(first["components"]) == {"text", "sector", "interest", "peers"}
    assert "market access" in first["explanation"]
    call_command("rank", world.actor.slug, "--kind", "cluster-agency")
    assert "Daegu Water Cluster" in capsys.readouterr().out


def test_rank_command_rejects_unknown_actor(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No actor with slug 'nope'"):
        call_command("rank", "nope")


def test_a_manager_lands_on_their_ranking_after_login(client, world):
    from tests.factories import TEST_PASSWORD

    response = client.post(
        reverse("login"),
        {"username": world.manager.username, "password": TEST_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("partners", args=[world.actor.slug])
    assert ranked_slugs(response)[0] == "chuncheon-bio"
    client.logout()
    response = client.post(
        reverse("login"),
        {"username": world.organiser.username, "password": TEST_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")


def test_a_withdrawn_candidate_keeps_its_note_but_loses_its_link(client, world):
    client.force_login(world.manager)
    client.post(
        reverse("shortlist_add", args=[world.actor.slug]),
        {"candidate": "chuncheon-bio", "note": "Met at BIO Korea"},
    )
    world.chuncheon.status = "archived"
    world.chuncheon.save()
    page = client.get(reverse("shortlist", args=[world.actor.slug])).content.decode()
    assert "Met at BIO Korea" in page and "withdrawn" in page
    assert world.chuncheon.get_absolute_url() not in page
    rows = shortlist_csv(client, world)
    assert rows[1][1] == "chuncheon-bio" and rows[1][7].endswith("owner: Met at BIO Korea")
    assert rows[1][10] == "withdrawn from the directory"


def test_an_export_with_wrong_settings_goes_back_to_the_page_with_the_errors(client, world):
    client.force_login(world.manager)
    url = reverse("partners_export", args=[world.actor.slug, "csv"])
    response = client.get(url + "?w_text=-5&kind=foundation", follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("partners", args=[world.actor.slug]))
    html = response.content.decode()
    assert "No export made: some settings are not valid" in html
    assert "Ensure this value is greater than or equal to 0." in html


def test_exports_open_even_with_control_characters_stored_before_the_text_rule(client, world):
    from directory.models import Actor

    Actor.objects.filter(pk=world.chuncheon.pk).update(name="Chuncheon\x01 Bio\x0bFoundation")
    client.force_login(world.manager)
    xlsx = client.get(reverse("partners_export", args=[world.actor.slug, "xlsx"]))
    assert xlsx.status_code == 200
    names = [
        row[1] for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
    ]
    assert "Chuncheon BioFoundation" in names


def test_shortlisting_a_draft_answers_as_an_unknown_slug(client, world):
    from tests.factories import ActorFactory

    ActorFactory(slug="secret-draft", side="kr", country="KR", status="draft")
    client.force_login(world.manager)
    add = reverse("shortlist_add", args=[world.actor.slug])
    assert client.post(add, {"candidate": "secret-draft"}).status_code == 404
    assert client.post(add, {"candidate": "no-such-actor"}).status_code == 404


def test_a_note_too_long_is_refused_with_a_message_not_dropped(client, world):
    client.force_login(world.manager)
    add = reverse("shortlist_add", args=[world.actor.slug])
    response = client.post(add, {"candidate": "chuncheon-bio", "note": "x" * 2001}, follow=True)
    assert "Not added. Your note: Ensure this value has at most 2000 characters" in (
        response.content.decode()
    )
    assert not ShortlistEntry.objects.exists()


def test_the_page_opens_on_ten_rows_and_shows_more_keeping_the_settings(client, demo_directory):
    client.force_login(User.objects.get(username="manager.lyonbiopole"))
    url = reverse("partners", args=["lyonbiopole"])
    first = client.get(url)
    ten = ranked_slugs(first)
    assert len(ten) == 10
    assert show_more_query(first) == "top=20"
    twenty = ranked_slugs(client.get(f"{url}?top=20"))
    assert len(twenty) == 20 and twenty[:10] == ten
    # The filters and weights travel with "Show more".
    weighted = client.get(url + "?w_text=80&w_sector=10&w_interest=10&top=20")
    assert len(ranked_slugs(weighted)) == 20
    assert show_more_query(weighted) == "w_text=80&w_sector=10&w_interest=10&top=50"
    # The largest choice has nothing more to show.
    assert show_more_query(client.get(url + "?top=100")) is None
    # The export follows the page: ten rows unless asked for more.
    export = client.get(reverse("partners_export", args=["lyonbiopole", "csv"]))
    assert len(list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))) == 1 + 10


def test_no_show_more_when_every_candidate_is_shown(client, world):
    client.force_login(world.manager)
    response = client.get(reverse("partners", args=[world.actor.slug]))
    assert len(ranked_slugs(response)) == 3
    assert show_more_query(response) is None


def show_more_query(response) -> str | None:
    found = re.search(
        r'class="show-more"><a class="button secondary" href="\?([^"]+)"',
        response.content.decode(),
    )
    return found.group(1).replace("&amp;", "&") if found else None


def test_names_and_words_in_the_rows_are_escaped_not_run(client, world):
    hostile = '<img src=x onerror="alert(1)">'
    world.chuncheon.name = f"Chuncheon {hostile}"
    world.chuncheon.name_ko = f"춘천 {hostile}"
    world.chuncheon.acronym = "<b>CBF</b>"
    world.chuncheon.save()
    client.force_login(world.manager)
    for url in (
        reverse("partners", args=[world.actor.slug]) + '?w_text=50&"><script>=1',
        reverse("partners_like", args=[world.actor.slug, "daegu-water"]),
        world.actor.get_absolute_url(),
    ):
        html = client.get(url).content.decode()
        assert "chuncheon-bio" in html, url
        assert "<img src=x" not in html and "<b>CBF</b>" not in html, url
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html, url
        assert '"><script>' not in html, url
