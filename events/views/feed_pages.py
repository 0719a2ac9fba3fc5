"""The private calendar feed: no login, the secret in the address is the key."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events.calendar_feed import calendar_feed, participant_for_feed

# The address carries the language of the person who copied it from their agenda page
# (`?lang=ko`): calendar programs say no language of their own, and that person reads the
# entries.
FEED_LANGUAGE_PARAMETER = "lang"


def feed_language(request: HttpRequest) -> str:
    """The language the address names, else the request's (the site's default when the
    calendar program says none)."""
    named = request.GET.get(FEED_LANGUAGE_PARAMETER, "")
    if named in {code for code, _name in settings.LANGUAGES}:
        return named
    return translation.get_language() or settings.LANGUAGE_CODE


@require_safe
def calendar_feed_view(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    with translation.override(feed_language(request)):
        return _feed_response(request, pk=pk, token=token)


def _feed_response(request: HttpRequest, *, pk: int, token: str) -> HttpResponse:
    participant = participant_for_feed(participant_id=pk, token=token)
    if participant is None:
        # The same bytes for an unknown participant and a wrong, renewed or revoked secret
        # (the site's 404 page would repeat the address in its login link).
        return HttpResponseNotFound(
            _("No calendar at this address: it was renewed or revoked, or never existed.") + "\n",
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(
        calendar_feed(participant=participant, domain=request.get_host()),
        content_type="text/calendar; charset=utf-8",
    )
    # The agenda is one participant's: shared caches must not keep it, search engines must not
    # list the address.
    patch_cache_control(response, private=True, max_age=0)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Disposition"] = (
        f'inline; filename="agenda-{participant.event.slug}-{participant.actor.slug}.ics"'
    )
    return response
