"""Home, actor page and the manager's profile form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from directory.models import Actor, LegalBasis
from tests.factories import ActorFactory, InterestFactory, RegionFactory, SectorFactory


def test_home_counts_published_actors_by_side_kind_and_sector(client, db):
    water = SectorFactory(code="environmental-services", label="Environmental services")
    ActorFactory(slug="e1", sectors=[water])
    ActorFactory(slug="e2", sectors=[water])
    ActorFactory(slug="k1", side="kr", country="KR", kind="mini-cluster", sectors=[water])
    ActorFactory(slug="hidden", status="draft", sectors=[water])
    html = client.get(reverse("home")).content.decode()
    assert "<strong>3</strong><span>published profiles</span>" in html
    assert "<strong>2</strong><span>European actors</span>" in html
    assert "<strong>1</strong><span>Korean actors</span>" in html
    assert (
        'href="/actors/?kind=mini-cluster">Korean Mini Cluster</a><span class="count">1</span>'
        in html
    )
    assert "2 EU · 1 KR" in html


def test_actor_page_shows_profile_parent_children_and_links(client, db):
    kicox = ActorFactory(
        slug="kicox",
        name="Korea Industrial Complex Corporation",
        acronym="KICOX",
        side="kr",
        country="KR",
        kind="cluster-agency",
    )
    region = RegionFactory(
        code="kr-gyeongbuk", name="Gyeongsangbuk-do", country="KR", economic_region="Daegyeong"
    )
    chips = SectorFactory(code="semiconductors", label="Semiconductors")
    market = InterestFactory(code="market-access", label="Market access and export")
    gumi = ActorFactory(
        slug="gumi",
        name="Gumi National Industrial Complex",
        side="kr",
        country="KR",
        kind="industrial-complex",
        parent=kicox,
        region=region,
        sectors=[chips],
        seeks=[market],
        keywords="electronics; displays",
        source="000_3ec0da48844ca2a2.txt (Figure 5)",
    )
    ActorFactory(
        slug="gumi-mobile",
        name="Gumi Mobile Mini Cluster",
        side="kr",
        country="KR",
        kind="mini-cluster",
        parent=gumi,
    )
    ActorFactory(
        slug="gumi-draft",
        name="Gumi Draft Mini Cluster",
        side="kr",
        country="KR",
        kind="mini-cluster",
        parent=gumi,
        status="draft",
    )
    html = client.get(gumi.get_absolute_url()).content.decode()
    assert "<h1>Gumi National Industrial Complex" in html
    assert 'href="/actors/kicox/">Korea Industrial Complex Corporation</a>' in html
    assert 'href="/actors/gumi-mobile/">Gumi Mobile Mini Cluster</a>' in html
    assert "Gumi Draft Mini Cluster" not in html
    assert 'href="/actors/?sector=semiconductors">Semiconductors</a>' in html
    assert 'href="/actors/?seeks=market-access">Market access and export</a>' in html
    assert 'href="/actors/?region=kr-gyeongbuk">Gyeongsangbuk-do</a> (Daegyeong region)' in html
    # The source is cited, never shown by its file name (tests/directory/test_citations.py).
    assert '<span class="citation-locator">Figure 5</span>' in html
    assert "000_3ec0da48844ca2a2.txt" not in html
    assert "Log in to see contacts" in html


def test_unknown_actor_is_404(client, db):
    assert client.get("/actors/no-such-actor/").status_code == 404


@pytest.fixture
def edit_setup(cast, sectors):
    cast.actor.sectors.set(sectors[:1])
    return cast


def _payload(**overrides):
    data = {
        "description": "Lyon cluster of biotech and vaccine companies seeking Korean research "
        "partners for joint projects and market access in Asia, with an infectious disease focus.",
        "keywords": "vaccines; diagnostics; vaccines",
        "website": "lyon-life.example.org",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "20",
        "contacts-0-name": "Nadia Newcontact",
        "contacts-0-role": "Partnerships",
        "contacts-0-email": "nadia@example.org",
        "contacts-0-phone": "+33 1 23",
    }
    data.update(overrides)
    return data


def test_manager_edits_profile_and_contacts(client, edit_setup):
    cast = edit_setup
    sector_ids = [s.pk for s in Actor.sectors.field.related_model.objects.all()]
    client.force_login(cast.manager)
    response = client.post(reverse("actor_edit", args=["lyon-life"]), _payload(sectors=sector_ids))
    assert response.status_code == 302
    actor = Actor.objects.get(slug="lyon-life")
    assert actor.keywords == "vaccines; diagnostics"
    assert actor.website == "https://lyon-life.example.org"
    assert actor.sectors.count() == 2
    assert set(actor.contacts.values_list("name", flat=True)) == {
        "Marie Secret",
        "Nadia Newcontact",
    }
    page = client.get(response["Location"]).content.decode()
    assert "Profile of Lyon Life Sciences saved." in page
    assert "nadia@example.org" in page


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"description": "Too short."}, "description", "at least 20 words"),
        ({"sectors": []}, "sectors", "Choose at least one sector."),
        ({"contacts-0-email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"website": "http://"}, "website", "Enter a valid URL."),
        ({"keywords": "x" * 61}, "keywords", "longer than 60 characters"),
    ],
)
def test_invalid_profile_is_rejected_and_nothing_changes(
    client, edit_setup, override, field, message
):
    cast = edit_setup
    before = Actor.objects.get(slug="lyon-life")
    client.force_login(cast.manager)
    data = _payload(sectors=[s.pk for s in before.sectors.all()])
    data.update(override)
    response = client.post(reverse("actor_edit", args=["lyon-life"]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    after = Actor.objects.get(slug="lyon-life")
    assert (after.description, after.keywords, after.website) == (
        before.description,
        before.keywords,
        before.website,
    )
    assert after.contacts.count() == 1


def _existing_contact(contact, **fields: str) -> dict[str, str]:
    """The contact formset's fields for one existing contact, as the edit form posts them."""
    return {
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "1",
        "contacts-0-id": str(contact.pk),
        **{f"contacts-0-{name}": value for name, value in fields.items()},
    }


def test_manager_can_delete_a_contact(client, edit_setup):
    cast = edit_setup
    client.force_login(cast.manager)
    data = _payload(sectors=[s.pk for s in cast.actor.sectors.all()])
    data.update(
        _existing_contact(
            cast.contact, name=cast.contact.name, email=cast.contact.email, DELETE="on"
        )
    )
    assert client.post(reverse("actor_edit", args=["lyon-life"]), data).status_code == 302
    assert cast.actor.contacts.count() == 0


def test_a_contact_edited_in_place_keeps_its_legal_basis_and_source(client, edit_setup):
    """The form knows the contact by its row: a corrected name is the same person."""
    cast = edit_setup
    cast.contact.legal_basis, cast.contact.source = LegalBasis.CONSENT, "signed form, Bio 2024"
    cast.contact.save()
    client.force_login(cast.manager)
    data = _payload(sectors=[s.pk for s in cast.actor.sectors.all()])
    data.update(
        _existing_contact(
            cast.contact, name="Marie Secret-Dupont", email="marie.dupont@example.org"
        )
    )
    assert client.post(reverse("actor_edit", args=["lyon-life"]), data).status_code == 302
    assert list(cast.actor.contacts.values_list("pk", "name", "legal_basis", "source")) == [
        (cast.contact.pk, "Marie Secret-Dupont", LegalBasis.CONSENT, "signed form, Bio 2024")
    ]
    assert cast.contact.history.first().history_user == cast.manager


def test_model_rules(db):
    kr_region = RegionFactory(code="kr-seoul", name="Seoul", country="KR")
    actor = Actor(name="X", slug="x", side="kr", country="FR", kind="mini-cluster", description="d")
    with pytest.raises(ValidationError) as err:
        actor.full_clean()
    assert "country" in err.value.message_dict
    actor = Actor(
        name="X",
        slug="x",
        side="eu",
        country="FR",
        kind="eu-cluster",
        description="d",
        region=kr_region,
        latitude=95,
    )
    with pytest.raises(ValidationError) as err:
        actor.full_clean()
    assert {"region", "latitude"} <= set(err.value.message_dict)
    assert str(ActorFactory(name="Korea Industrial Complex Corp", acronym="KICOX")) == (
        "Korea Industrial Complex Corp (KICOX)"
    )


def test_database_refuses_an_actor_as_its_own_parent(db):
    from django.db import IntegrityError, transaction

    actor = ActorFactory(slug="loop")
    with pytest.raises(IntegrityError), transaction.atomic():
        Actor.objects.filter(pk=actor.pk).update(parent=actor.pk)


def test_password_reset_sends_mail_to_the_console_backend(client, cast, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "owner@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_login_and_logout(client, cast):
    from tests.factories import TEST_PASSWORD

    response = client.post(reverse("login"), {"username": "owner", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert 'title="Signed in as owner' in client.get(reverse("home")).content.decode()
    client.post(reverse("logout"))
    assert 'title="Signed in as' not in client.get(reverse("home")).content.decode()
    bad = client.post(reverse("login"), {"username": "owner", "password": "wrong"})
    assert "Please enter a correct username and password" in bad.content.decode()


def test_a_draft_parent_stays_hidden_from_everyone_but_curators(client, cast):
    from tests.factories import ActorFactory

    draft = ActorFactory(name="Secret Umbrella Draft", slug="umbrella-draft", status="draft")
    cast.korean.parent = draft
    cast.korean.save()
    url = cast.korean.get_absolute_url()
    assert "Secret Umbrella Draft" not in client.get(url).content.decode()
    client.force_login(cast.manager)
    assert "Secret Umbrella Draft" not in client.get(url).content.decode()
    client.force_login(cast.curator)
    html = client.get(url).content.decode()
    assert "Secret Umbrella Draft" in html and "badge status-draft" in html
    # and on the draft's own page, curators see its published member
    assert "Gumi Mobile Mini Cluster" in client.get(draft.get_absolute_url()).content.decode()
