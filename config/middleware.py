"""Response headers Django has no setting for."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# The site uses none of these browser features; saying so stops injected content using them.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


access_log = logging.getLogger("clustermatch.access")
REFUSED = {401, 403, 404, 405, 429}


class RefusedAccessLogMiddleware:
    """Log every refused request, without personal data.

    Method, path and status, and whether the visitor was signed in: enough to spot probing or a
    broken permission, and nothing that identifies a person (no user name, address, or query
    string, which may carry an email address, as on the personal data page).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in REFUSED:
            user = getattr(request, "user", None)
            access_log.warning(
                "refused %s %s -> %s (%s)",
                request.method,
                request.path,
                response.status_code,
                "signed in" if user is not None and user.is_authenticated else "anonymous",
            )
        return response


SESSION_KEY_SHAPE = re.compile(r"^[a-z0-9]{8,64}$")


class MalformedSessionCookieMiddleware:
    """Ignore a session cookie no session could have (a forged one with a NUL byte makes
    PostgreSQL refuse the lookup, which would otherwise be a server error on every page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = settings.SESSION_COOKIE_NAME
        value = request.COOKIES.get(name)
        if value is not None and not SESSION_KEY_SHAPE.match(value):
            del request.COOKIES[name]
        return self.get_response(request)
