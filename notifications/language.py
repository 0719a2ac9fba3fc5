"""Which language a person reads: what they chose with the language switch, else English.

Everything written for one person (inbox messages, e-mails) is written inside
`in_language_of(user)`, so that a Korean manager is told in Korean whoever triggered the message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

from django.conf import settings
from django.utils import translation

from notifications.models import UserLanguage

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def language_of(user) -> str:
    """The language `user` chose, or the site's default when they chose none."""
    if user is None or not getattr(user, "pk", None):
        return settings.LANGUAGE_CODE
    # A cached choice (select_related or an earlier call) saves a query per message.
    try:
        choice = user.language_choice
    except UserLanguage.DoesNotExist:
        return settings.LANGUAGE_CODE
    return choice.language if choice.language in SUPPORTED else settings.LANGUAGE_CODE


def remember_language(*, user, language: str) -> None:
    """Stores `language` as `user`'s choice; an unsupported code is ignored."""
    if language not in SUPPORTED or not getattr(user, "pk", None):
        return
    UserLanguage.objects.update_or_create(user=user, defaults={"language": language})
    # The cached relation would otherwise answer with the old choice in this request.
    with suppress(AttributeError, KeyError):
        del user._state.fields_cache["language_choice"]


# Where the sign-in receiver leaves the stored language for config.middleware to set as the
# language cookie on the response (a signal has no response to set it on).
SIGN_IN_LANGUAGE_ATTRIBUTE = "language_from_account"


def language_at_sign_in(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver. A stored choice comes back in this browser; a person with none
    keeps what they chose as a visitor (the cookie), which is stored from now on."""
    if request is None or not getattr(user, "pk", None):
        return
    stored = (
        UserLanguage.objects.filter(user=user, language__in=SUPPORTED)
        .values_list("language", flat=True)
        .first()
    )
    if stored:
        setattr(request, SIGN_IN_LANGUAGE_ATTRIBUTE, stored)
        return
    chosen = getattr(request, "COOKIES", {}).get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in SUPPORTED:
        remember_language(user=user, language=chosen)


@contextmanager
def in_language_of(user) -> Iterator[str]:
    """Translates everything inside into `user`'s language; yields the language code."""
    language = language_of(user)
    with translation.override(language):
        yield language
