"""Find partners when its users change their minds: a second click on Restore, the back button,
a restore after the curators withdrew the candidate, and "hide known partners" said in any of
the ways a checkbox or an API client says it."""

import pytest
from django.urls import reverse

from directory.partnerships import partnership_record
from matching.models import CandidateMark
from tests.factories import ActorFactory
from tests.matching.test_set_aside import messages_on, page_slugs, restore, set_aside


@pytest.fixture(autouse=True)
def _no_api_throttling(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }


@pytest.fixture
def partners(world):
    partnership_record(
        actor=world.actor, partner=world.daegu, kind="project", source="Interreg report 2024"
    )
    return world


# -- restoring twice --------------------------------------------------------------------------


def test_restoring_twice_says_so_instead_of_not_found(client, world):
    client.force_login(world.manager)
    set_aside(client, world.actor, "chuncheon-bio")
    first = restore(client, world.actor, "chuncheon-bio")
    assert "Chuncheon Bioindustry Foundation is back in the ranking." in messages_on(first)

    # A double click, or Restore again from the page the back button shows.
    second = restore(client, world.actor, "chuncheon-bio")
    assert second.status_code == 200
    assert second.redirect_chain[-1][0] == reverse("set_aside", args=[world.actor.slug])
    assert "Chuncheon Bioindustry Foundation is not set aside (any more)" in messages_on(second)
    assert page_slugs(client, world.actor) == ["chuncheon-bio", "daegu-water", "gumi-mobile"]


def test_restoring_an_unknown_or_draft_slug_still_answers_404(client, world):
    ActorFactory(slug="secret-draft", side="kr", country="KR", status="draft")
    client.force_login(world.manager)
    assert restore(client, world.actor, "secret-draft", follow=False).status_code == 404
    assert restore(client, world.actor, "no-such-actor", follow=False).status_code == 404
    # Someone else's organisation: 404 whatever the candidate, marked or not.
    client.force_login(world.other_manager)
    assert restore(client, world.actor, "chuncheon-bio", follow=False).status_code == 404


def test_restoring_a_withdrawn_candidate_does_not_promise_it_back_in_the_ranking(client, world):
    client.force_login(world.manager)
    set_aside(client, world.actor, "chuncheon-bio")
    world.chuncheon.status = "archived"
    world.chuncheon.save()
    response = restore(client, world.actor, "chuncheon-bio")
    said = messages_on(response)
    assert "back in the ranking" not in said
    assert "no longer set aside" in said and "withdrawn" in said
    assert not CandidateMark.objects.exists()
    assert "chuncheon-bio" not in page_slugs(client, world.actor)


# -- hide known partners ----------------------------------------------------------------------


@pytest.mark.parametrize("word", ["0", "false", "False", "no", "off", ""])
def test_hide_known_partners_said_no_shows_them(client, partners, word):
    client.force_login(partners.manager)
    assert "daegu-water" in page_slugs(client, partners.actor, f"?hide_known={word}")
    api = client.get(f"/api/v1/actors/{partners.actor.slug}/matches/?hide_known={word}")
    assert "daegu-water" in [row["slug"] for row in api.json()["results"]]


@pytest.mark.parametrize("word", ["1", "true", "TRUE", "on", "yes"])
def test_hide_known_partners_said_yes_hides_them(client, partners, word):
    client.force_login(partners.manager)
    assert "daegu-water" not in page_slugs(client, partners.actor, f"?hide_known={word}")
    api = client.get(f"/api/v1/actors/{partners.actor.slug}/matches/?hide_known={word}")
    assert "daegu-water" not in [row["slug"] for row in api.json()["results"]]


def test_a_made_up_hide_known_value_is_an_error_without_repeating_it(client, partners):
    client.force_login(partners.manager)
    url = reverse("partners", args=[partners.actor.slug])
    html = client.get(url, {"hide_known": "<b>maybe</b>"}).content.decode()
    assert "Hide known partners is 1 or 0 (true or false)." in html
    assert "Fix the settings on the left to see the ranking." in html
    assert "maybe" not in html.split('id="ranking-form"', 1)[1].split("</form>", 1)[0]
    api = client.get(f"/api/v1/actors/{partners.actor.slug}/matches/?hide_known=maybe")
    assert api.status_code == 400
    assert list(api.json()["error"]["fields"]) == ["hide_known"]
    assert "maybe" not in api.content.decode()


def test_hide_known_stays_ticked_while_another_setting_is_wrong(client, partners):
    client.force_login(partners.manager)
    url = reverse("partners", args=[partners.actor.slug])
    html = client.get(url, {"hide_known": "1", "w_text": "many"}).content.decode()
    assert "Enter a whole number." in html
    assert 'id="id_hide_known" value="1" checked>' in html
