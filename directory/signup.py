"""Joining the site: a visitor signs up with a name and an e-mail address, opens the link sent
there, and only then chooses a username and password. Also: confirming the address of an
existing account.

No account exists before the link is opened, so nobody can hold an address they do not read:
an account made in someone else's name with a password the squatter knows would become theirs
the day the real owner confirmed it. The link itself carries the name and the address, signed
with the site's key and valid for LINK_MAX_AGE; nothing is stored for a sign-up that is never
finished.

The pages never say whether an address has an account ("if this address is new, we sent a
link"): an address that has one gets a reminder of how to sign in instead of a link.

Links are throttled: per address in the database (the e-mails stored for it), per network in
the cache (django-axes guards the log-in form only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import EmailConfirmation
from notifications.delivery import ACCOUNT_MAIL_HEADER, queue_account_email
from notifications.language import in_language_of, remember_language
from notifications.models import OutgoingEmail
from notifications.service import safe_link, site_url

SIGNUP_SALT = "directory.signup"
CONFIRM_SALT = "directory.email-confirm"
# Long enough for a link read after a weekend, short enough that an old mailbox is no key.
LINK_MAX_AGE = timedelta(days=3)
# Links sent to one address in a day, whoever asks: nobody can fill a stranger's mailbox.
LINKS_PER_ADDRESS_PER_DAY = 3
# Links asked for from one network address in an hour (sign-ups and confirmations together).
LINKS_PER_NETWORK_PER_HOUR = 10
SIGNUP_PURPOSE = "sign-up"
CONFIRM_PURPOSE = "address-confirmation"

_USERNAME_CHARACTERS = re.compile(r"[^\w.@+-]+")


class TooManyLinks(Exception):
    """Refused by the throttle; the message says what to do, the same for any address."""


@dataclass(frozen=True)
class SignupLink:
    """What a sign-up link holds: the name and address typed, and where to go afterwards."""

    name: str
    email: str
    next_path: str = ""


def normalised_address(email: str) -> str:
    return (email or "").strip().lower()


def account_with_address(email: str):
    """The oldest account using this address (any case), or None."""
    address = normalised_address(email)
    if not address:
        return None
    return get_user_model().objects.filter(email__iexact=address).order_by("pk").first()


def address_confirmed(user) -> bool:
    """Whether the account's current address is one its owner proved they read."""
    address = normalised_address(getattr(user, "email", ""))
    if not address or not getattr(user, "pk", None):
        return False
    return EmailConfirmation.objects.filter(user=user, email=address).exists()


def address_confirmation_record(*, user, email: str) -> None:
    """Record that `user` read a link sent to `email`."""
    EmailConfirmation.objects.get_or_create(user=user, email=normalised_address(email))


# ----------------------------------------------------------------------------- throttle


def _network_allows(client_ip: str | None) -> bool:
    key = f"directory.links:{client_ip or 'unknown'}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= LINKS_PER_NETWORK_PER_HOUR


def _address_allows(email: str) -> bool:
    since = timezone.now() - timedelta(days=1)
    recent = OutgoingEmail.objects.filter(
        to__iexact=email, notification__isnull=True, created_at__gte=since
    ).values_list("headers", flat=True)
    sent = sum(1 for headers in recent if ACCOUNT_MAIL_HEADER in (headers or {}))
    return sent < LINKS_PER_ADDRESS_PER_DAY


def _throttle(*, email: str, client_ip: str | None) -> None:
    if not _network_allows(client_ip):
        raise TooManyLinks(
            _("Too many links were asked for from your network in the last hour. Try again later.")
        )
    if not _address_allows(email):
        raise TooManyLinks(
            _(
                "We already sent several links to this address today. Look for them in your "
                "inbox (and spam folder), or try again tomorrow."
            )
        )


# ----------------------------------------------------------------------------- sign-up


def signup_token(*, link: SignupLink) -> str:
    return signing.dumps(
        {"n": link.name, "e": link.email, "x": link.next_path}, salt=SIGNUP_SALT, compress=True
    )


def read_signup_token(token: str) -> tuple[SignupLink | None, str]:
    """(the link, "") or (None, "expired" | "invalid")."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        return None, "expired"
    except (signing.BadSignature, ValueError, TypeError):
        return None, "invalid"
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in "nex"):
        return None, "invalid"
    return SignupLink(name=data["n"], email=data["e"], next_path=safe_link(data["x"])), ""


def signup_request(*, name: str, email: str, next_path: str = "", client_ip: str | None) -> None:
    """Send the sign-up link to `email`, or a reminder of how to sign in when the address
    already has an account. Raises TooManyLinks (nothing sent)."""
    address = normalised_address(email)
    _throttle(email=address, client_ip=client_ip)
    existing = account_with_address(address)
    if existing is not None:
        # In the account's language: the owner reads it, whoever typed the address.
        with in_language_of(existing):
            text = render_to_string(
                "directory/email/signup_existing.txt",
                {
                    "username": existing.get_username(),
                    "login_url": site_url(reverse("login")),
                    "reset_url": site_url(reverse("password_reset")),
                },
            )
            subject = _("You already have a Cluster Match account")
        queue_account_email(to=address, subject=subject, text=text, purpose=SIGNUP_PURPOSE)
        return
    link = SignupLink(name=" ".join(name.split()), email=address, next_path=safe_link(next_path))
    url = site_url(reverse("signup_finish", args=[signup_token(link=link)]))
    text = render_to_string(
        "directory/email/signup_link.txt",
        {"name": link.name, "url": url, "days": LINK_MAX_AGE.days},
    )
    queue_account_email(
        to=address,
        subject=_("Finish creating your Cluster Match account"),
        text=text,
        purpose=SIGNUP_PURPOSE,
    )


def username_suggestion(email: str) -> str:
    """The address's local part as a free username: 'kim.minji' for kim.minji@example.kr."""
    base = _USERNAME_CHARACTERS.sub("", normalised_address(email).split("@")[0])[:140] or "member"
    User = get_user_model()
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


class AddressTaken(Exception):
    """The address got an account meanwhile (the link opened twice, in two tabs)."""


def account_create(*, link: SignupLink, username: str, password: str, language: str):
    """The account of a confirmed sign-up, with its address recorded as confirmed and the
    language the person used stored as their choice. Raises AddressTaken."""
    User = get_user_model()
    with transaction.atomic():
        if account_with_address(link.email) is not None:
            raise AddressTaken
        # The whole name in first_name: "Kim Min-ji" and "김민지" have no reliable split.
        user = User(username=username, email=link.email, first_name=link.name[:150])
        user.set_password(password)
        user.save()
        address_confirmation_record(user=user, email=link.email)
        remember_language(user=user, language=language)
    return user


# ----------------------------------------------------------------------------- confirmation


def confirmation_token(*, user) -> str:
    return signing.dumps(
        {"u": user.pk, "e": normalised_address(user.email)}, salt=CONFIRM_SALT, compress=True
    )


def read_confirmation_token(token: str) -> tuple[tuple[int, str] | None, str]:
    """((user id, address), "") or (None, "expired" | "invalid")."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        return None, "expired"
    except (signing.BadSignature, ValueError, TypeError):
        return None, "invalid"
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or not isinstance(data.get("e"), str)
    ):
        return None, "invalid"
    return (data["u"], data["e"]), ""


def confirmation_request(*, user, client_ip: str | None) -> None:
    """Send `user` a link that confirms their current address. Raises TooManyLinks."""
    address = normalised_address(user.email)
    _throttle(email=address, client_ip=client_ip)
    url = site_url(reverse("email_confirm", args=[confirmation_token(user=user)]))
    with in_language_of(user):
        text = render_to_string(
            "directory/email/address_confirm.txt",
            {"username": user.get_username(), "url": url, "days": LINK_MAX_AGE.days},
        )
        subject = _("Confirm your e-mail address for Cluster Match")
    queue_account_email(to=address, subject=subject, text=text, purpose=CONFIRM_PURPOSE)


def address_confirm(*, user_id: int, email: str) -> str:
    """Record the confirmation a link carries: "confirmed", or why not: "changed" (the
    account's address is another one now), "gone" (no such active account)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return "gone"
    if normalised_address(user.email) != normalised_address(email):
        return "changed"
    address_confirmation_record(user=user, email=email)
    return "confirmed"
