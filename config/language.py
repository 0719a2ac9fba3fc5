"""The language switch: a visitor's choice lives in the language cookie, a signed-in person's
also in their account (notifications.language), so that it follows them to any browser they
sign in from and decides the language of what they are told.

URLs carry no language prefix: the same address shows the page in the reader's language.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import LANGUAGE_QUERY_PARAMETER, set_language

from notifications.language import SUPPORTED, remember_language


def set_language_cookie(response: HttpResponse, language: str) -> None:
    """The cookie LocaleMiddleware reads, with the LANGUAGE_COOKIE_* settings, as Django's
    own set_language view writes it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _page_to_return_to(request: HttpRequest) -> str:
    """`next` if it is an address of this site, else the page the form was on, else the
    start page: never another site (the switch is no open redirect)."""
    for candidate in (request.POST.get("next"), request.META.get("HTTP_REFERER")):
        if candidate and url_has_allowed_host_and_scheme(
            url=candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return "/"


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, for the site's languages only (Django would also take any
    language it has a catalogue of), remembered for a signed-in person."""
    language = request.POST.get(LANGUAGE_QUERY_PARAMETER, "")
    if language not in SUPPORTED:
        # A made-up or unsupported code changes nothing: back to the page, as it was.
        return HttpResponseRedirect(_page_to_return_to(request))
    if request.user.is_authenticated:
        remember_language(user=request.user, language=language)
    return set_language(request)
