"""Response headers Django has no setting for."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from api.exceptions import error_body
from common.text import text_problem
from config.language import set_language_cookie
from notifications.language import SIGN_IN_LANGUAGE_ATTRIBUTE

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


class AccountLanguageMiddleware:
    """At sign-in, the language a person chose (stored with their account) becomes this
    browser's language cookie: the choice follows them to every browser they sign in from.
    The receiver of `user_logged_in` (notifications.language) says which language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = getattr(request, SIGN_IN_LANGUAGE_ATTRIBUTE, None)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            set_language_cookie(response, language)
        return response


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


def _broken_utf8_field(raw: str) -> str | None:
    """The name of the first parameter whose percent-escapes are no UTF-8, or None. Django
    decodes such bytes to U+FFFD and would store the replacement characters."""
    for pair in raw.split("&"):
        name, _, value = pair.partition("=")
        for is_value, part in ((False, name), (True, value)):
            try:
                unquote_to_bytes(part.replace("+", " ")).decode("utf-8")
            except UnicodeDecodeError:
                shown = unquote_to_bytes(name).decode("utf-8", errors="replace")
                return shown[:60] if is_value else _("(a field name)")
    return None


# Longer addresses than any browser form of the site makes; past this, filters and searches
# would only spend time on text that cannot match.
QUERY_STRING_MAX = 8_000


class UnstorableInputMiddleware:
    """Refuse, with a 400 page naming the field, any query or form parameter that no part of
    the site could store or export: NUL, control characters other than tab and line breaks,
    broken encodings (`common.text`).

    Forms give their own field-by-field messages for the same rule; this is the net under
    everything else (filters, admin searches, autocomplete, ids in hidden fields), so that such
    input never reaches the database as a server error.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = self._first_problem(request)
        if found is None:
            return self.get_response(request)
        field, reason = found
        sentence = _("The field “%(field)s” %(reason)s. Nothing was changed.") % {
            "field": field,
            "reason": reason,
        }
        if request.path.startswith("/api/"):
            # The API's own error shape (docs/api.md, Errors), not a page.
            body = error_body(
                status_code=400, code="invalid", detail=sentence, fields={field: [reason]}
            )
            return JsonResponse(body, status=400)
        return render(request, "400.html", {"problem": sentence}, status=400)

    @staticmethod
    def _first_problem(request: HttpRequest) -> tuple[str, str] | None:
        query = request.META.get("QUERY_STRING", "")
        if len(query) > QUERY_STRING_MAX:
            return (
                _("address"),
                _("is %(length)s characters long; at most %(limit)s are read")
                % {
                    "length": number_format(len(query), force_grouping=True),
                    "limit": number_format(QUERY_STRING_MAX, force_grouping=True),
                },
            )
        urlencoded = (
            request.method == "POST" and request.content_type == "application/x-www-form-urlencoded"
        )
        sources = [request.GET]
        if request.method == "POST" and request.content_type in {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        }:
            sources.append(request.POST)
        for params in sources:
            for key, values in params.lists():
                for text in (key, *values):
                    if "\ufffd" in text:
                        # Django decoded broken UTF-8 as U+FFFD: find the parameter in the raw
                        # text (only then: percent-decoding it again costs as much as parsing).
                        raws = [query, request.body.decode("latin-1") if urlencoded else ""]
                        for raw in raws:
                            broken = _broken_utf8_field(raw)
                            if broken is not None:
                                return (broken, _("is not valid UTF-8 text (a broken encoding)"))
                    reason = text_problem(text)
                    if reason:
                        return (key[:60] if not text_problem(key) else _("(a field name)"), reason)
        return None


class ErrorPageMiddleware:
    """Django's own empty refusals (405 from the method decorators) shown as a page in the
    site's layout, saying what to do, instead of a blank screen."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and request.method != "HEAD":
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
