"""Who gets what from `notify`: the inbox always, e-mail when wanted, nothing for the inactive,
once per dedupe key, and links that never leave the site."""

import pytest
from django.core import mail

from notifications.models import EmailStatus, Notification, OutgoingEmail, Preference
from notifications.service import notify, safe_link
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notify(user, kind="tests.notice", **extra):
    fields = {"subject": "Your edit was approved", "body": "Lyon Biopole: approved."} | extra
    return notify(recipient=user, kind=kind, **fields)


def test_a_message_reaches_the_inbox_and_is_emailed(test_kinds, alice):
    notification = _notify(alice, link="/actors/lyon-biopole/")
    assert list(Notification.objects.filter(recipient=alice)) == [notification]
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert mail.outbox[0].subject == "Your edit was approved"
    assert OutgoingEmail.objects.get().status == EmailStatus.SENT


def test_email_turned_off_for_a_kind_leaves_the_inbox_only(test_kinds, alice):
    Preference.objects.create(user=alice, kind="tests.notice", email=False)
    assert _notify(alice) is not None
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert mail.outbox == []
    # Other kinds still come by e-mail.
    _notify(alice, kind="tests.other")
    assert len(mail.outbox) == 1


def test_a_kind_off_by_default_is_not_emailed_until_chosen(test_kinds, alice):
    from notifications import kinds

    kinds.register("tests.quiet", label="Quiet", audience="everyone", email_by_default=False)
    try:
        _notify(alice, kind="tests.quiet")
        assert mail.outbox == []
        Preference.objects.create(user=alice, kind="tests.quiet", email=True)
        _notify(alice, kind="tests.quiet", subject="Second")
        assert [m.subject for m in mail.outbox] == ["Second"]
    finally:
        kinds._KINDS.pop("tests.quiet")


def test_no_address_means_inbox_only(test_kinds, db):
    nomail = UserFactory(username="nomail", email="")
    assert _notify(nomail) is not None
    assert Notification.objects.filter(recipient=nomail).count() == 1
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_an_inactive_user_gets_nothing(test_kinds, db):
    gone = UserFactory(username="gone", is_active=False)
    assert _notify(gone) is None
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_same_dedupe_key_reaches_a_person_once(test_kinds, alice, bob):
    first = _notify(alice, dedupe_key="reminder:event-1:day-1")
    again = _notify(alice, dedupe_key="reminder:event-1:day-1")
    other_person = _notify(bob, dedupe_key="reminder:event-1:day-1")
    assert first is not None and again is None and other_person is not None
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]


def test_an_unknown_kind_is_refused_loudly(alice):
    with pytest.raises(LookupError):
        _notify(alice, kind="tests.never-registered")
    assert not Notification.objects.exists()


def test_a_subject_on_several_lines_becomes_one_line(test_kinds, alice):
    _notify(alice, subject="Edit approved\r\nBcc: someone@evil.example\x00")
    assert Notification.objects.get().subject == "Edit approved Bcc: someone@evil.example"
    assert mail.outbox[0].subject == "Edit approved Bcc: someone@evil.example"
    assert mail.outbox[0].bcc == []


@pytest.mark.parametrize(
    "link, kept",
    [
        ("/events/seoul-days/", "/events/seoul-days/"),
        ("/inbox/?show=unread#top", "/inbox/?show=unread#top"),
        ("http://127.0.0.1:8000/actors/x/", "/actors/x/"),  # this site (SITE_URL), as a path
        ("https://evil.example/phish", ""),
        ("//evil.example/phish", ""),
        ("/\\evil.example/phish", ""),
        ("javascript:alert(1)", ""),
        ("actors/relative", ""),
        ("", ""),
    ],
)
def test_links_stay_on_this_site(settings, link, kept):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert safe_link(link) == kept


def test_an_off_site_link_is_not_stored(test_kinds, alice):
    _notify(alice, link="https://evil.example/")
    assert Notification.objects.get().link == ""
    assert "evil.example" not in mail.outbox[0].body
