"""Text no part of the site can store is refused at the door with a page naming the field."""

import pytest
from django.urls import reverse

from common.text import field_problem, text_problem
from matching.models import ShortlistEntry


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("kfri\x00", "contains a NUL character"),
        ("Daegu\x0bWater", "contains a control character (U+000B)"),
        ("bad \x01 name", "contains a control character (U+0001"),
        ("\ud800", "not valid text"),
        ("Gumi\x85", "control character (U+0085"),
    ],
)
def test_text_that_cannot_be_stored_is_described(value, problem):
    assert problem in text_problem(value)


def test_ordinary_text_passes_and_the_limits_are_per_field():
    assert text_problem("대구 물 클러스터\ttab\r\nnew line; العربية; ½ ²") is None
    assert text_problem("one\nline", multiline=False) == "must be on one line"
    assert text_problem("x" * 201, max_length=200) == (
        "is 201 characters long; at most 200 are allowed"
    )
    assert (
        field_problem("Name", "a\x00") == "Name contains a NUL character, which cannot be stored."
    )


def test_a_nul_in_a_posted_id_is_a_400_naming_the_field_and_changes_nothing(client, world):
    client.force_login(world.manager)
    response = client.post(
        reverse("shortlist_add", args=[world.actor.slug]), {"candidate": "chuncheon-bio\x00"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The field “candidate” contains a NUL character" in html
    assert "Nothing was changed." in html and 'class="topbar"' in html
    assert not ShortlistEntry.objects.exists()


def test_a_control_character_in_a_search_is_a_400_not_a_server_error(client, db):
    response = client.get("/actors/", {"q": "water\x00"})
    assert response.status_code == 400
    assert "The field “q” contains a NUL character" in response.content.decode()
    assert client.get("/actors/", {"q": "물 water"}).status_code == 200


def test_the_api_answers_the_same_refusal_in_its_own_error_shape(client, db):
    response = client.get("/api/v1/actors/", {"seeks": "\x84"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["fields"] == {
        "seeks": ["contains a control character (U+0084), which cannot be stored"]
    }


def test_a_broken_encoding_is_refused_not_stored_as_replacement_characters(client, world):
    from directory.models import Actor

    response = client.get("/actors/?q=%ED%A0%80")
    assert response.status_code == 400
    assert "The field “q” is not valid UTF-8 text" in response.content.decode()
    client.force_login(world.manager)
    before = Actor.objects.get(pk=world.actor.pk).keywords
    response = client.post(
        reverse("actor_edit", args=[world.actor.slug]),
        "description=x&keywords=%FFwater",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "The field “keywords” is not valid UTF-8 text" in response.content.decode()
    assert Actor.objects.get(pk=world.actor.pk).keywords == before
    assert client.get("/actors/?q=%EB%8C%80%EA%B5%AC").status_code == 200  # 대구


def test_opening_a_form_destination_shows_a_page_not_a_blank(client, cast):
    client.force_login(cast.manager)
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert "This address is a form's destination" in response.content.decode()
    assert "POST" in response["Allow"]


def test_direction_overrides_are_refused_in_names_but_arabic_text_is_fine():
    from common.text import text_problem

    assert "text-direction override" in text_problem("Gumi \u202eevil", multiline=False)
    assert text_problem("مجموعة العنقود الصناعي", multiline=False) is None
