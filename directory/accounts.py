"""Accounts: a password change that counts wrong old passwords like wrong log-ins, and the
password rules Django's validators leave out."""

from __future__ import annotations

import logging
import re

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _
from unidecode import unidecode

SITE_WORDS = ("clustermatch", "cluster match", "cluster-match")
# What must be left of a password once the site's name, the username and the names of the
# organisations the user manages are taken out: fewer characters than this is no secret.
MIN_OWN_CHARACTERS = 8
MIN_DISTINCT_CHARACTERS = 5

_NOT_ALNUM = re.compile(r"[\W_]+")


def _plain(text: str) -> str:
    # Accents dropped: "Pole" guesses "Pôle" as well as the other way round.
    return _NOT_ALNUM.sub("", unidecode(text or "").casefold())


def _is_repetition(text: str) -> bool:
    """'abcabcabc', 'Pôle Eau Pôle Eau': a shorter piece said again."""
    return bool(text) and (text + text).find(text, 1) < len(text)


class GuessablePasswordValidator:
    """Refuses passwords a person close to the user would guess first: one character or a
    piece repeated, or little more than the site's name, the username and the names or
    acronyms of the organisations the user manages."""

    def validate(self, password: str, user=None) -> None:
        plain = _plain(password)
        if len(set(plain)) < MIN_DISTINCT_CHARACTERS or _is_repetition(plain):
            raise ValidationError(
                _("This password repeats itself; choose one with more variety."), code="repetitive"
            )
        rest = plain
        for word in sorted(self._context_words(user), key=len, reverse=True):
            if len(word) >= 3:
                rest = rest.replace(word, "")
        if len(rest) < MIN_OWN_CHARACTERS:
            raise ValidationError(
                _(
                    "This password is mostly the site's, your account's or your organisation's "
                    "name; choose one that others could not guess from them."
                ),
                code="guessable",
            )

    def _context_words(self, user) -> list[str]:
        words = [_plain(w) for w in SITE_WORDS]
        if user is not None:
            words.append(_plain(user.get_username()))
            words.extend(_plain(part) for part in (user.first_name, user.last_name) if part)
            if user.pk:
                for name, acronym in user.managed_actors.values_list("name", "acronym"):
                    words.extend([_plain(name), _plain(acronym)])
                    words.extend(_plain(part) for part in name.split() if len(part) >= 4)
        return [w for w in words if w]

    def get_help_text(self) -> str:
        return _(
            "Your password cannot repeat itself or be mostly the name of this site, your account "
            "or your organisation."
        )


class _BoundedUsername:
    """Django sets the username field's max_length after the field is built, so the length is
    never checked and a 300-character name reaches authenticate() and the lockout records
    (a database error on PostgreSQL). Checked here, before anything is looked up."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length or 150))


class LoginForm(_BoundedUsername, AuthenticationForm):
    pass


class AdminLoginForm(_BoundedUsername, AdminAuthenticationForm):
    pass


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The old password is checked through authenticate(), so wrong tries count towards the
    same lockout as wrong log-ins: a stolen session cannot guess its way to the password."""

    def __init__(self, user, *args, request=None, **kwargs) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(
            self.request, username=self.user.get_username(), password=old_password
        )
        if getattr(self.request, "axes_locked_out", False):
            raise forms.ValidationError(
                _(
                    "Too many wrong passwords: password changes and log-ins for this account are "
                    "locked for a while. Try again later."
                ),
                code="locked",
            )
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class ThrottledPasswordChangeView(PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}


def mask_username(username: str | None) -> str:
    """Enough to tell two lockouts apart, not enough to name the person: 'm***e' for 'marie'."""
    name = username or ""
    if len(name) <= 2:
        return "*" * len(name) or "(none)"
    return f"{name[0]}***{name[-1]}"


def mask_address(address: str | None) -> str:
    """The network, not the machine: 203.0.113.x, or an IPv6 /48."""
    text = address or ""
    if "." in text:
        return ".".join(text.split(".")[:3] + ["x"])
    if ":" in text:
        return ":".join(text.split(":")[:3]) + "::/48"
    return "(unknown)"


def log_lockout(sender, *, request=None, username=None, ip_address=None, **kwargs) -> None:
    """django-axes' user_locked_out signal: one line in the access log, masked."""
    logging.getLogger("clustermatch.access").warning(
        "locked out log-ins for %s from %s after repeated wrong passwords",
        mask_username(username),
        mask_address(ip_address),
    )
