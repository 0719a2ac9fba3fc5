"""Session authentication that never looks up a session key no session could have.

Django creates session keys of 32 lower-case letters and digits. A forged `sessionid` cookie
with a NUL byte makes the session lookup fail on PostgreSQL ("text fields cannot contain NUL
bytes"): a 500 instead of an anonymous request. The API treats any cookie that could not be a
session key as no session at all.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from rest_framework import authentication

_SESSION_KEY = re.compile(r"[a-z0-9]{8,40}")


def has_malformed_session_cookie(request: HttpRequest) -> bool:
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    return key is not None and not _SESSION_KEY.fullmatch(key)


def forget_malformed_session(request: HttpRequest) -> None:
    """Make the request anonymous before anything (a view, a middleware) looks the key up."""
    if has_malformed_session_cookie(request):
        request.user = AnonymousUser()


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (CSRF enforced on unsafe methods), minus the crash."""

    def authenticate(self, request):
        forget_malformed_session(request._request)
        return super().authenticate(request)
