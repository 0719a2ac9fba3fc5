"""Removing a partnership when the curator clicks twice or comes back with the back button, and
a made-up kind: a clear word, never a 404 after a removal that worked nor the value echoed."""

from django.urls import reverse

from directory.models import Partnership
from tests.curation.test_partnerships import add_url, form_data, remove_url, texts, tie  # noqa: F401


def test_confirming_a_removal_twice_says_it_is_already_removed(client, tie):  # noqa: F811
    client.force_login(tie.curator)
    url = remove_url(tie.partnership)
    client.post(url, {"back": tie.korean.slug, "confirm": "1"})
    assert not Partnership.objects.exists()

    # The second click of a double click, or the confirmation page again from the back button.
    again = client.post(url, {"back": tie.korean.slug, "confirm": "1"}, follow=True)
    assert again.status_code == 200
    assert again.redirect_chain[-1][0] == tie.korean.get_absolute_url()
    assert "This partnership had already been removed." in texts(again)
    # "Remove…" on an actor page opened before the removal: the same answer.
    stale = client.post(url, {"back": tie.actor.slug}, follow=True)
    assert stale.redirect_chain[-1][0] == tie.actor.get_absolute_url()
    assert "This partnership had already been removed." in texts(stale)


def test_an_unknown_partnership_without_a_way_back_is_still_404(client, tie):  # noqa: F811
    client.force_login(tie.curator)
    missing = reverse("curation_partnership_remove", args=[tie.partnership.pk + 100])
    assert client.post(missing, {"confirm": "1"}).status_code == 404
    assert client.post(missing, {"confirm": "1", "back": "no-such-actor"}).status_code == 404
    assert Partnership.objects.count() == 1
    # Nobody but a curator learns anything from it.
    client.force_login(tie.manager)
    assert client.post(missing, {"back": tie.actor.slug}).status_code == 404


def test_a_made_up_kind_is_refused_without_repeating_it(client, tie):  # noqa: F811
    client.force_login(tie.curator)
    response = client.post(
        add_url(tie.actor), form_data(tie.other_actor, kind="<b>" + "spam" * 500 + "</b>")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == ["Choose one of the kinds of partnership."]
    assert "spam" not in response.content.decode()
    assert Partnership.objects.count() == 1
