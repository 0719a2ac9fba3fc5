"""Issue 16: what people are told is written in the language they chose, whoever triggered it.
A Korean manager's e-mail, delivered through a real SMTP server, is Korean from the subject to
the unsubscribe footer while the curator who rejected the edit works in English; and the other
way round. The inbox, the settings and the unsubscribe pages speak the reader's language."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from curation.notices import EDIT_REVIEWED
from directory.proposals import change_submit, profile_snapshot
from notifications.models import Notification, UserLanguage
from notifications.tokens import unsubscribe_token

pytestmark = pytest.mark.django_db


def _proposal(cast):
    proposed = {**profile_snapshot(actor=cast.actor), "website": "https://lyon.example.org/"}
    return change_submit(actor=cast.actor, author=cast.manager, proposed=proposed)


def _reject(client, change, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("curation_review_decide", args=[change.pk]),
            {"decision": "reject", "message": "Please cite a source."},
            follow=True,
        )


def test_a_korean_manager_gets_a_korean_email_while_the_curator_works_in_english(
    client, cast, smtp_server, django_capture_on_commit_callbacks
):
    UserLanguage.objects.create(user=cast.manager, language="ko")
    cast.manager.email = "owner@example.org"
    cast.manager.save()
    change = _proposal(cast)
    client.force_login(cast.curator)
    page = _reject(client, change, django_capture_on_commit_callbacks)
    assert "Change to Lyon Life Sciences rejected." in page.text  # the curator's English

    note = Notification.objects.get(recipient=cast.manager, kind=EDIT_REVIEWED)
    assert note.subject == "Lyon Life Sciences 프로필 수정 사항이 거절되었습니다"
    [message] = smtp_server.received
    assert message["To"] == "owner@example.org"
    # Encoded (RFC 2047) and folded after "Subject:"; a mail client unfolds it.
    assert message["Subject"].strip() == "Lyon Life Sciences 프로필 수정 사항이 거절되었습니다"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert "큐레이터가 Lyon Life Sciences 프로필에 제안하신 수정 사항을 거절했습니다." in body
        assert "Please cite a source." in body  # the curator's own words, as written
        assert "“내 프로필 수정 사항의 승인 또는 거절” 알림 설정에 따라" in body
        assert "Stop these e-mails" not in body and "You get this e-mail" not in body
    token = unsubscribe_token(user_id=cast.manager.pk, kind=EDIT_REVIEWED)
    assert f"이 이메일 수신 중지: {settings.SITE_URL.rstrip('/')}/unsubscribe/{token}/" in text
    assert '<html lang="ko">' in html and "이 이메일 수신 중지</a>" in html
    assert "Cluster Match에서 열기" in html


def test_an_english_manager_gets_english_while_the_curator_works_in_korean(
    client, cast, smtp_server, django_capture_on_commit_callbacks
):
    cast.manager.email = "owner@example.org"
    cast.manager.save()
    change = _proposal(cast)
    client.force_login(cast.curator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    page = _reject(client, change, django_capture_on_commit_callbacks)
    assert "Lyon Life Sciences의 변경 사항을 거절했습니다." in page.text  # the curator's Korean

    [message] = smtp_server.received
    assert message["Subject"] == "Your changes to the profile of Lyon Life Sciences were rejected"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "A curator rejected your proposed changes to the profile of Lyon Life Sciences" in text
    assert "Stop these e-mails: " in text and '<html lang="en">' in html
    assert "수신 중지" not in text and "큐레이터" not in html


def test_the_inbox_in_korean_with_a_korean_date(client, cast):
    note = Notification.objects.create(
        recipient=cast.manager, kind=EDIT_REVIEWED, subject="Lyon Life Sciences", body="…"
    )
    Notification.objects.filter(pk=note.pk).update(
        created_at=datetime.datetime(2026, 12, 7, 8, 5, tzinfo=datetime.UTC)
    )
    client.force_login(cast.manager)
    english = client.get(reverse("notifications:inbox")).text
    assert "7 Dec 2026, 09:05" in english and "Mark all as read" in english

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    page = client.get(reverse("notifications:inbox")).text
    assert "알림함" in page and "모두 읽음으로 표시" in page and "읽지 않음 (1)" in page
    assert "2026년 12월 7일" in page
    assert "Mark all as read" not in page and "7 Dec 2026" not in page


def test_the_settings_page_names_each_kind_in_korean(client, cast):
    client.force_login(cast.manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    page = client.get(reverse("notifications:preferences")).text
    assert "알림 설정" in page and "클러스터 담당자로서" in page
    assert "내 프로필 수정 사항의 승인 또는 거절" in page
    assert "Your profile edits approved or rejected" not in page

    response = client.post(
        reverse("notifications:preferences"), {"email": cast.manager.email}, follow=True
    )
    assert "알림 설정을 저장했습니다." in response.text


def test_the_unsubscribe_page_in_korean(client, cast):
    token = unsubscribe_token(user_id=cast.manager.pk, kind=EDIT_REVIEWED)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    url = reverse("notifications:unsubscribe", args=[token])
    page = client.get(url).text
    assert "“내 프로필 수정 사항의 승인 또는 거절” 관련 이메일 수신을 중지하시겠습니까?" in page
    done = client.post(url).text
    assert "완료되었습니다. 이제 “내 프로필 수정 사항의 승인 또는 거절” 관련 이메일을" in done
