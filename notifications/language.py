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


@contextmanager
def in_language_of(user) -> Iterator[str]:
    """Translates everything inside into `user`'s language; yields the language code."""
    language = language_of(user)
    with translation.override(language):
        yield language
