"""Curators record and remove known partnerships on the site and in the admin; nobody else can."""

import datetime
import re

import pytest
from django.urls import reverse

from curation.merge import actor_merge
from directory.models import Partnership
from directory.partnerships import partnership_record
from tests.factories import ActorFactory


@pytest.fixture
def tie(cast):
    """A recorded agreement between Lyon and Gumi, from Gumi's side."""
    cast.partnership, _ = partnership_record(
        actor=cast.korean, partner=cast.actor, kind="agreement", source="Gumi-Lyon MoU of 2023",
        since=datetime.date(2023, 5, 17), note="Renewed every two years",
    )  # fmt: skip
    return cast


def add_url(actor) -> str:
    return reverse("curation_partnership_add", args=[actor.slug])


def remove_url(partnership) -> str:
    return reverse("curation_partnership_remove", args=[partnership.pk])


def form_data(partner, **extra) -> dict:
    return {"partner": partner.pk, "kind": "project", "source": "Horizon project 101", **extra}


def texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# -- who may --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, tie):
    for response in (
        client.get(add_url(tie.actor)),
        client.post(add_url(tie.actor), form_data(tie.korean)),
        client.post(remove_url(tie.partnership), {"confirm": "1"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert Partnership.objects.count() == 1


@pytest.mark.parametrize("role", ["manager", "other_manager", "organiser"])
def test_non_curators_can_neither_record_nor_remove(client, tie, role):
    # Refused as every curator page refuses (404): the page's existence is not advertised.
    client.force_login(getattr(tie, role))
    assert client.get(add_url(tie.actor)).status_code == 404
    posted = client.post(add_url(tie.actor), form_data(tie.other_actor))
    assert posted.status_code == 404
    removed = client.post(remove_url(tie.partnership), {"confirm": "1"})
    assert removed.status_code == 404
    assert list(Partnership.objects.values_list("pk", flat=True)) == [tie.partnership.pk]


def test_removing_is_post_only(client, tie):
    client.force_login(tie.curator)
    assert client.get(remove_url(tie.partnership)).status_code == 405
    assert Partnership.objects.filter(pk=tie.partnership.pk).exists()


def test_an_unknown_actor_or_partnership_is_404(client, tie):
    client.force_login(tie.curator)
    assert (
        client.get(reverse("curation_partnership_add", args=["no-such-actor"])).status_code == 404
    )
    url = reverse("curation_partnership_remove", args=[tie.partnership.pk + 1000])
    assert client.post(url, {"confirm": "1"}).status_code == 404


# -- recording ------------------------------------------------------------------------------


def test_a_curator_records_a_partnership_from_the_actor_page(client, tie):
    client.force_login(tie.curator)
    page = client.get(tie.actor.get_absolute_url()).content.decode()
    assert add_url(tie.actor) in page
    form = client.get(add_url(tie.actor))
    assert form.status_code == 200
    html = form.content.decode()
    # Without a search the list offers the other side; the actor itself is never offered.
    assert f'value="{tie.korean.pk}"' in html
    assert f'value="{tie.actor.pk}"' not in html
    response = client.post(
        add_url(tie.actor),
        form_data(tie.other_actor, since="2021-09-01", note="Alpine health corridor"),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == tie.actor.get_absolute_url()
    assert "Recorded: Lyon Life Sciences and Turin Health Cluster, joint project." in texts(
        response
    )
    row = Partnership.objects.get(kind="project")
    assert (row.first, row.second) == (tie.actor, tie.other_actor)
    assert (row.since, row.source, row.note) == (
        datetime.date(2021, 9, 1), "Horizon project 101", "Alpine health corridor",
    )  # fmt: skip
    assert row.recorded_by == tie.curator
    shown = response.content.decode()
    assert "Horizon project 101" in shown and "1 Sep 2021" in shown


def test_recording_the_same_pair_and_kind_again_changes_nothing_and_says_so(client, tie):
    client.force_login(tie.curator)
    response = client.post(
        add_url(tie.actor),
        form_data(tie.korean, kind="agreement", source="A different source"),
        follow=True,
    )
    assert texts(response) == [
        "Lyon Life Sciences and Gumi Mobile Mini Cluster are already recorded as partners "
        "(agreement (MoU or contract), source: Gumi-Lyon MoU of 2023); nothing changed."
    ]
    assert Partnership.objects.count() == 1
    tie.partnership.refresh_from_db()
    assert tie.partnership.source == "Gumi-Lyon MoU of 2023"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"source": "line one\r\nline two"}, "source", "must be on one line"),
        ({"source": ""}, "source", "This field is required."),
        ({"since": "0001-01-01"}, "since", "typing slip"),
        ({"kind": "friendship"}, "kind", "Choose one of the kinds of partnership."),
        ({"partner": "99999999999999999999999"}, "partner", "Select a valid choice"),
        ({"partner": "²"}, "partner", "Select a valid choice"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_stored(
    client, tie, data, field, message
):
    client.force_login(tie.curator)
    response = client.post(add_url(tie.actor), {**form_data(tie.other_actor), **data})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Partnership.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"source": "MoU\x00"}, "The field “source” contains a NUL character"),
        ({"note": "bad \x1b escape"}, "The field “note” contains a control character (U+001B)"),
    ],
)
def test_unstorable_text_is_refused_at_the_door_naming_the_field(client, tie, data, message):
    client.force_login(tie.curator)
    response = client.post(add_url(tie.actor), {**form_data(tie.other_actor), **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Partnership.objects.count() == 1


def test_the_actor_itself_cannot_be_posted_as_its_partner(client, tie):
    client.force_login(tie.curator)
    response = client.post(add_url(tie.actor), form_data(tie.actor))
    assert response.status_code == 200
    assert "An actor cannot be its own partner." in response.content.decode()
    assert Partnership.objects.count() == 1


def test_a_search_finds_partners_of_either_side_and_the_choice_is_kept_on_errors(client, tie):
    client.force_login(tie.curator)
    html = client.get(add_url(tie.actor), {"q": "Turin"}).content.decode()
    options = re.findall(r'<option value="(\d+)"', html)
    assert options == [str(tie.other_actor.pk)]  # European, found by its name
    assert "1 actor of either side matches the search." in html
    # Posted with an error after another search: the chosen partner stays selected.
    response = client.post(add_url(tie.actor) + "?q=Gumi", form_data(tie.other_actor, source=""))
    html = response.content.decode()
    assert f'<option value="{tie.other_actor.pk}" selected>' in html


def test_a_hostile_search_is_refused_with_a_message_not_an_error(client, tie):
    client.force_login(tie.curator)
    response = client.get(add_url(tie.actor), {"q": "Gumi\u202eevil"})
    assert response.status_code == 200
    assert "text-direction override" in response.content.decode()
    assert re.findall(r'<option value="(\d+)"', response.content.decode()) != []  # the default list


# -- removing -------------------------------------------------------------------------------


def test_removing_asks_for_confirmation_first(client, tie):
    client.force_login(tie.curator)
    response = client.post(remove_url(tie.partnership), {"back": tie.actor.slug})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Remove the partnership of Lyon Life Sciences and Gumi Mobile Mini Cluster?" in html
    for detail in ("Gumi-Lyon MoU of 2023", "17 May 2023", "Renewed every two years"):
        assert detail in html
    assert Partnership.objects.filter(pk=tie.partnership.pk).exists()


def test_a_confirmed_removal_can_be_recorded_again_with_the_same_values(client, tie):
    client.force_login(tie.curator)
    response = client.post(
        remove_url(tie.partnership), {"back": tie.actor.slug, "confirm": "1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == tie.actor.get_absolute_url()
    assert not Partnership.objects.exists()
    html = response.content.decode()
    assert "Removed the partnership of Lyon Life Sciences and Gumi Mobile Mini Cluster" in html
    assert "Gumi-Lyon MoU of 2023" not in html  # gone from the page
    again = re.search(r'href="([^"]+\?again=\d+)">Record it again</a>', html).group(1)
    form = client.get(again.replace("&amp;", "&"))
    assert "Filled in from the partnership you removed" in form.content.decode()
    initial = {name: form.context["form"][name].value() for name in form.context["form"].fields}
    assert initial == {
        "partner": tie.korean.pk, "kind": "agreement", "since": "2023-05-17",
        "source": "Gumi-Lyon MoU of 2023", "note": "Renewed every two years",
    }  # fmt: skip
    client.post(again, {**initial, "partner": tie.korean.pk})
    restored = Partnership.objects.get()
    assert (restored.kind, restored.since, restored.source, restored.note) == (
        "agreement", datetime.date(2023, 5, 17), "Gumi-Lyon MoU of 2023", "Renewed every two years",
    )  # fmt: skip


def test_removal_returns_to_the_page_it_came_from(client, tie):
    client.force_login(tie.curator)
    response = client.post(remove_url(tie.partnership), {"back": tie.korean.slug, "confirm": "1"})
    assert response["Location"] == tie.korean.get_absolute_url()


def test_a_removed_partnership_of_another_curator_does_not_fill_the_form(client, tie, cast):
    client.force_login(tie.curator)
    client.post(remove_url(tie.partnership), {"confirm": "1"})
    other = ActorFactory(slug="other-curator-view")
    # Another actor's form with the same ?again=: the values are not this actor's, so none.
    form = client.get(add_url(other), {"again": tie.partnership.pk})
    assert form.context["form"]["source"].value() is None


# -- the admin ------------------------------------------------------------------------------


def test_curators_have_the_partnerships_admin_and_managers_do_not(client, tie):
    url = reverse("admin:directory_partnership_changelist")
    client.force_login(tie.manager)
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(tie.curator)
    html = client.get(url, {"q": "Gumi"}).content.decode()
    assert "Gumi-Lyon MoU of 2023" in html
    assert client.get(url, {"kind__exact": "project"}).context["cl"].result_count == 0


def test_the_admin_stores_a_pair_in_order_and_refuses_a_self_partnership(client, tie):
    client.force_login(tie.curator)
    url = reverse("admin:directory_partnership_add")
    data = {"kind": "project", "source": "Admin-entered project", "note": ""}
    response = client.post(url, {**data, "first": tie.korean.pk, "second": tie.actor.pk})
    assert response.status_code == 302
    row = Partnership.objects.get(kind="project")
    assert (row.first, row.second, row.recorded_by) == (tie.actor, tie.korean, tie.curator)
    refused = client.post(url, {**data, "first": tie.actor.pk, "second": tie.actor.pk})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "An actor cannot be its own partner." in html
    assert "partnership_ordered" not in html  # no database-speak beside it
    again = client.post(url, {**data, "first": tie.actor.pk, "second": tie.korean.pk})
    assert again.status_code == 200
    assert Partnership.objects.count() == 2


def test_a_merge_keeps_the_removed_profiles_partnerships(tie):
    old = ActorFactory(slug="lyon-old", name="Lyon Life Sciences (old)")
    daejeon = ActorFactory(slug="daejeon", side="kr", country="KR", name="Daejeon Techno Park")
    partnership_record(actor=old, partner=daejeon, kind="project", source="Daejeon project")
    actor_merge(keep=tie.actor, remove=old, user=tie.curator)
    assert {p.other(tie.actor.pk) for p in Partnership.objects.all()} == {tie.korean, daejeon}
