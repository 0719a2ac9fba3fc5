"""What an e-mail looks like: a text and an HTML part, inert markup, links to the site."""

import pytest
from django.core import mail

from notifications.models import OutgoingEmail
from notifications.service import notify

pytestmark = pytest.mark.django_db


def test_text_and_html_versions(test_kinds, alice, settings):
    settings.SITE_URL = "https://clustermatch.example.org"
    notify(
        recipient=alice,
        kind="tests.notice",
        subject="Your schedule was published",
        body="Lyon Biopole: 3 meetings on 12 May.\nTimes are in Korea Standard Time (Seoul).",
        link="/events/seoul-days/",
    )
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert "Lyon Biopole: 3 meetings on 12 May." in message.body
    assert "Open it: https://clustermatch.example.org/events/seoul-days/" in message.body
    assert "https://clustermatch.example.org/inbox/preferences/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Lyon Biopole: 3 meetings on 12 May.<br>Times are in Korea Standard Time" in html
    assert 'href="https://clustermatch.example.org/events/seoul-days/"' in html
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_markup_in_a_subject_or_body_is_inert_in_html(test_kinds, alice):
    notify(
        recipient=alice,
        kind="tests.notice",
        subject="<script>alert('subject')</script>",
        body="Hello <script>alert('body')</script> & <img src=x onerror=alert(1)>",
    )
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#x27;body&#x27;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#x27;subject&#x27;)&lt;/script&gt;" in html
    assert "&amp; &lt;img src=x onerror=alert(1)&gt;" in html
    # The text version is plain text: written as is, not escaped twice.
    assert "Hello <script>alert('body')</script> & <img src=x onerror=alert(1)>" in message.body


def test_the_console_backend_prints_every_mail(test_kinds, alice, bob, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    notify(recipient=alice, kind="tests.notice", subject="First for Alice", body="one")
    notify(recipient=bob, kind="tests.notice", subject="Then for Bob", body="two")
    printed = capsys.readouterr().out
    assert "Subject: First for Alice" in printed and "To: alice@example.org" in printed
    assert "Subject: Then for Bob" in printed and "To: bob@example.org" in printed
    assert OutgoingEmail.objects.filter(status="sent").count() == 2
