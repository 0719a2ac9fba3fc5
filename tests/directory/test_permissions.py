"""The permission matrix: every page and form against every kind of user."""

import pytest
from django.urls import reverse

from directory.models import Actor

ROLES = ["anonymous", "manager", "other_manager", "curator"]


def _login(client, cast, role):
    if role != "anonymous":
        client.force_login(getattr(cast, role))


def _valid_edit_payload(actor: Actor, description: str) -> dict:
    sector = actor.sectors.first()
    return {
        "description": description,
        "keywords": "biotech; vaccines",
        "website": "https://lyon-life.example.org",
        "sectors": [sector.pk],
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "20",
    }


# (url name, args from cast, expected status per role)
PAGES = [
    ("home", None, {"anonymous": 200, "manager": 200, "other_manager": 200, "curator": 200}),
    ("actor_list", None, {"anonymous": 200, "manager": 200, "other_manager": 200, "curator": 200}),
    (
        "actor_detail",
        "actor",
        {"anonymous": 200, "manager": 200, "other_manager": 200, "curator": 200},
    ),
    (
        "actor_detail",
        "draft",
        {"anonymous": 404, "manager": 404, "other_manager": 404, "curator": 200},
    ),
    (
        "actor_detail",
        "archived",
        {"anonymous": 404, "manager": 404, "other_manager": 404, "curator": 200},
    ),
    (
        "actor_edit",
        "actor",
        {"anonymous": 302, "manager": 200, "other_manager": 404, "curator": 200},
    ),
    (
        "actor_edit",
        "korean",
        {"anonymous": 302, "manager": 404, "other_manager": 404, "curator": 200},
    ),
    (
        "my_organisations",
        None,
        {"anonymous": 302, "manager": 302, "other_manager": 302, "curator": 200},
    ),
    (
        "password_change",
        None,
        {"anonymous": 302, "manager": 200, "other_manager": 200, "curator": 200},
    ),
    (
        "admin:directory_actor_changelist",
        None,
        {"anonymous": 302, "manager": 302, "other_manager": 302, "curator": 200},
    ),
    (
        "admin:directory_actor_change",
        "actor_pk",
        {"anonymous": 302, "manager": 302, "other_manager": 302, "curator": 200},
    ),
]


@pytest.fixture
def extra(cast):
    cast.draft = type(cast.actor).objects.create(
        name="Hidden Draft",
        slug="hidden-draft",
        side="eu",
        country="FR",
        kind="eu-cluster",
        description="Not ready yet.",
        status="draft",
    )
    cast.archived = type(cast.actor).objects.create(
        name="Old Archived",
        slug="old-archived",
        side="eu",
        country="FR",
        kind="eu-cluster",
        description="No longer active.",
        status="archived",
    )
    return cast


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "arg", "expected"), PAGES, ids=[f"{p[0]}-{p[1]}" for p in PAGES])
def test_page_status_by_role(client, extra, role, name, arg, expected):
    _login(client, extra, role)
    if arg is None:
        url = reverse(name)
    elif arg == "actor_pk":
        url = reverse(name, args=[extra.actor.pk])
    else:
        url = reverse(name, args=[getattr(extra, arg).slug])
    response = client.get(url)
    assert response.status_code == expected[role], (role, url)
    if expected[role] == 302 and role == "anonymous":
        assert "/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_contacts_only_for_logged_in_users(client, cast, role):
    _login(client, cast, role)
    for actor, contact in ((cast.actor, cast.contact), (cast.korean, cast.korean_contact)):
        html = client.get(actor.get_absolute_url()).content.decode()
        visible = role != "anonymous"
        assert (contact.email in html) is visible
        assert (contact.phone in html) is visible
        assert (contact.name in html) is visible


def test_anonymous_pages_never_leak_contacts(client, cast):
    pages = [
        reverse("home"),
        reverse("actor_list"),
        reverse("actor_list") + "?q=Marie",
        cast.actor.get_absolute_url(),
        cast.korean.get_absolute_url(),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        for secret in (
            "marie.secret@example.org",
            "Marie Secret",
            "kim.hidden@example.org",
            "+33 4 11 22 33 44",
            "+82 54 000 1111",
        ):
            assert secret not in html, (url, secret)


@pytest.mark.parametrize(
    ("role", "target", "allowed"),
    [
        ("anonymous", "actor", False),
        ("manager", "actor", True),
        ("other_manager", "actor", False),
        ("manager", "korean", False),
        ("curator", "actor", True),
        ("curator", "korean", True),
    ],
)
def test_profile_post_by_role(client, cast, sectors, role, target, allowed):
    actor = getattr(cast, target)
    actor.sectors.set(sectors)
    _login(client, cast, role)
    new_text = (
        "Updated by " + role + " with twenty words of text about biotech, vaccines, diagnostics "
        "and partnering with Korean foundations and research institutes in Chuncheon."
    )
    response = client.post(
        reverse("actor_edit", args=[actor.slug]), _valid_edit_payload(actor, new_text)
    )
    actor.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert actor.description == new_text
    else:
        assert response.status_code in (302, 404)
        assert actor.description != new_text
        if role == "anonymous":
            assert "/login/" in response["Location"]


def test_profile_post_requires_csrf(cast, sectors):
    from django.test import Client

    cast.actor.sectors.set(sectors)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.manager)
    text = " ".join(["word"] * 25)
    response = client.post(
        reverse("actor_edit", args=[cast.actor.slug]), _valid_edit_payload(cast.actor, text)
    )
    assert response.status_code == 403
    cast.actor.refresh_from_db()
    assert cast.actor.description != text


def test_manager_cannot_change_fields_outside_the_profile_form(client, cast, sectors):
    cast.actor.sectors.set(sectors)
    client.force_login(cast.manager)
    payload = _valid_edit_payload(cast.actor, " ".join(["fine"] * 25))
    payload.update({"name": "Hijacked", "status": "archived", "side": "kr", "slug": "hijacked"})
    client.post(reverse("actor_edit", args=[cast.actor.slug]), payload)
    cast.actor.refresh_from_db()
    assert (cast.actor.name, cast.actor.status, cast.actor.side, cast.actor.slug) == (
        "Lyon Life Sciences",
        "published",
        "eu",
        "lyon-life",
    )


def test_manager_menu_links_to_own_organisation(client, cast):
    client.force_login(cast.manager)
    response = client.get(reverse("my_organisations"))
    assert response.status_code == 302
    assert response["Location"] == cast.actor.get_absolute_url()


def test_staff_flag_alone_gives_no_curator_power(client, cast):
    """Being staff opens the admin; curator powers come with the Curators group only."""
    from tests.factories import ActorFactory, UserFactory

    draft = ActorFactory(name="Unpublished Draft Cluster", slug="draft-cluster", status="draft")
    helpdesk = UserFactory(username="helpdesk", is_staff=True)
    client.force_login(helpdesk)
    assert client.get(reverse("curation_review")).status_code == 404
    assert client.get(reverse("curation_person")).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("actor_edit", args=[cast.korean.slug])).status_code == 404
    export = client.get(reverse("actor_export", args=["csv"])).content.decode("utf-8-sig")
    assert "marie.secret@example.org" not in export
    assert "draft-cluster" not in export

    client.force_login(cast.curator)
    assert client.get(reverse("curation_review")).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 200
    export = client.get(reverse("actor_export", args=["csv"])).content.decode("utf-8-sig")
    assert "marie.secret@example.org" in export


def test_a_deactivated_curator_loses_curator_power(client, cast):
    cast.curator.is_active = False
    cast.curator.save()
    from directory.roles import is_curator

    cast.curator.refresh_from_db()
    assert not is_curator(cast.curator)
