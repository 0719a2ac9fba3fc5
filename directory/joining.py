"""People asking to manage an actor: claiming an existing profile or registering a new one.

A request waits for a curator (`curation.join_review` approves or refuses it). Here: what a
person may send, withdrawing it, and the evidence a curator reads beside it (does the address
the request comes from belong to the organisation's website?).

Rules:
- only an account whose current address is confirmed may send a request (`directory.signup`);
- a person has at most MAX_PENDING requests waiting, and one claim per profile: asking again
  while one waits gives the waiting one back (the database refuses a second);
- only a published profile can be claimed, by someone who does not manage it already.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from directory.join_notices import join_waiting
from directory.models import (
    Actor,
    Interest,
    JoinKind,
    JoinRequest,
    JoinStatus,
    Kind,
    Region,
    Sector,
    Side,
    Status,
)
from directory.roles import is_curator
from directory.signup import address_confirmed

# Requests one person may have waiting at once: enough for a few organisations, too few to
# flood the curators' queue.
MAX_PENDING = 5
# Requests one person may send in a day, withdrawn ones included: each one tells every curator,
# so asking and withdrawing in a loop must not fill their inboxes.
MAX_PER_DAY = 10

# Addresses anyone can get: their domain says nothing about where a person works.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
        "yahoo.com", "yahoo.co.kr", "yahoo.fr", "yahoo.de", "icloud.com", "me.com", "aol.com",
        "proton.me", "protonmail.com", "gmx.de", "gmx.net", "web.de", "t-online.de",
        "orange.fr", "free.fr", "laposte.net", "wanadoo.fr", "libero.it", "mail.ru",
        "yandex.ru", "naver.com", "daum.net", "hanmail.net", "nate.com", "kakao.com",
    }
)  # fmt: skip
# Second-level labels under a country's domain that anyone registers below (kicox.or.kr,
# example.co.uk): the organisation's own domain is then three labels long.
_SHARED_SECOND_LEVEL = frozenset(
    {"ac", "co", "com", "edu", "go", "gov", "gouv", "ne", "net", "or", "org", "re", "pe"}
)

# What a registration proposes, in the order the curator reads it.
PROPOSAL_FIELDS = (
    "name", "name_ko", "side", "country", "region", "city", "kind", "website", "description",
    "description_ko", "sectors", "offers", "seeks",
)  # fmt: skip
PROPOSAL_LISTS = ("sectors", "offers", "seeks")


# ----------------------------------------------------------------------------- evidence


def mail_domain(email: str) -> str:
    text = (email or "").strip().lower()
    return text.rsplit("@", 1)[-1].rstrip(".") if "@" in text else ""


def website_host(url: str) -> str:
    """`https://www.lyonbiopole.com/en/` -> `lyonbiopole.com`; "" without a website."""
    text = (url or "").strip().lower()
    if not text:
        return ""
    text = text.split("//", 1)[-1]
    host = text.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    return host.removeprefix("www.")


def registrable_domain(host: str) -> str:
    """The domain an organisation registers: `english.kotra.or.kr` -> `kotra.or.kr`,
    `eng.osong-bio.kr` -> `osong-bio.kr`, `www.lyonbiopole.com` -> `lyonbiopole.com`."""
    labels = [label for label in host.split(".") if label]
    keep = 2
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SHARED_SECOND_LEVEL:
        keep = 3
    return ".".join(labels[-keep:])


def _same_organisation_domain(mail: str, host: str) -> bool:
    # mail.kicox.or.kr, kicox.or.kr and english.kicox.or.kr are one organisation's domain;
    # notkicox.or.kr is another one.
    return bool(mail and host) and registrable_domain(mail) == registrable_domain(host)


@dataclass(frozen=True)
class Evidence:
    """What the request's address says about the person, for the curator."""

    strength: str  # "strong", "weak", "none"
    words: str


def address_evidence(*, email: str, confirmed: bool, website: str) -> Evidence:
    """Whether the person's address belongs to the organisation's website, in words."""
    domain, host = mail_domain(email), website_host(website)
    if not domain:
        return Evidence("none", _("The account has no e-mail address."))
    unconfirmed = (
        ""
        if confirmed
        else " " + _("The address is not confirmed: the person has not opened a link sent to it.")
    )
    if not host:
        return Evidence(
            "none",
            _("The organisation has no website to compare the address (%(domain)s) with.")
            % {"domain": domain}
            + unconfirmed,
        )
    if domain in PUBLIC_MAIL_DOMAINS:
        # Before the comparison: a blog at blog.naver.com says nothing either.
        return Evidence(
            "none",
            _(
                "The address is at %(domain)s, a public mail service: it says nothing about where "
                "the person works (the website is %(host)s). Ask for proof if in doubt."
            )
            % {"domain": domain, "host": host}
            + unconfirmed,
        )
    if _same_organisation_domain(domain, host):
        if not confirmed:
            return Evidence(
                "weak",
                _("The address is at %(domain)s, the domain of the website (%(host)s).")
                % {"domain": domain, "host": host}
                + unconfirmed,
            )
        return Evidence(
            "strong",
            _(
                "The confirmed address is at %(domain)s, the domain of the website (%(host)s): a "
                "strong sign that the person works there."
            )
            % {"domain": domain, "host": host},
        )
    return Evidence(
        "none",
        _(
            "The address is at %(domain)s, not at the website's domain (%(host)s). It may be a "
            "partner or a parent body; ask for proof if in doubt."
        )
        % {"domain": domain, "host": host}
        + unconfirmed,
    )


def join_evidence(*, join: JoinRequest) -> Evidence:
    website = join.actor.website if join.kind == JoinKind.CLAIM and join.actor else ""
    if join.kind == JoinKind.REGISTER:
        website = (join.proposed or {}).get("website", "")
    return address_evidence(
        email=join.user.email, confirmed=address_confirmed(join.user), website=website
    )


# ----------------------------------------------------------------------------- reading


def pending_claim(*, user, actor: Actor) -> JoinRequest | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return JoinRequest.objects.filter(
        user=user, actor=actor, kind=JoinKind.CLAIM, status=JoinStatus.PENDING
    ).first()


def claim_offer(*, user, actor: Actor) -> str:
    """What the actor page offers this visitor about managing the profile: "sign-in" (a
    visitor: sign up or in first), "ask", "pending" (their claim waits), or "" (nothing: they
    manage it, they are a curator, or the profile is not published)."""
    if actor.status != Status.PUBLISHED:
        return ""
    if not getattr(user, "is_authenticated", False):
        return "sign-in"
    if is_curator(user) or actor.managers.filter(pk=user.pk).exists():
        return ""
    return "pending" if pending_claim(user=user, actor=actor) else "ask"


def join_requests_of(*, user):
    return JoinRequest.objects.filter(user=user).select_related("actor", "reviewer")


def join_request_for_person(*, user, pk: int) -> JoinRequest | None:
    """The person's own request, or None (someone else's is as good as missing)."""
    return join_requests_of(user=user).filter(pk=pk).first()


@dataclass(frozen=True)
class ProposalLine:
    field: str
    label: str
    value: str
    lang: str = ""  # "ko" for the Korean name and description


def proposal_lines(proposed: dict) -> list[ProposalLine]:
    """A registration's proposal as a person reads it: labels and values in words."""
    labels = {
        "name": _("Name"),
        "name_ko": _("Korean name"),
        "side": _("Side"),
        "country": _("Country"),
        "region": _("Region"),
        "city": _("City"),
        "kind": _("Kind"),
        "website": _("Website"),
        "description": _("Description"),
        "description_ko": _("Korean description"),
        "sectors": _("Sectors"),
        "offers": _("Cooperation offered"),
        "seeks": _("Cooperation sought"),
    }
    sides, kinds = dict(Side.choices), dict(Kind.choices)
    lines = []
    for name in PROPOSAL_FIELDS:
        value = proposed.get(name) or ""
        if name == "side":
            value = str(sides.get(value, value))
        elif name == "kind":
            value = str(kinds.get(value, value))
        elif name == "country" and value:
            value = str(countries.name(value) or value)
        elif name == "region" and value:
            region = Region.objects.filter(code=value).first()
            value = region.name if region else value
        elif name in PROPOSAL_LISTS:
            codes = list(value or [])
            model = Sector if name == "sectors" else Interest
            found = {i.code: i.display_label() for i in model.objects.filter(code__in=codes)}
            value = ", ".join(found.get(code, code) for code in codes)
        if value:
            lang = "ko" if name.endswith("_ko") else ""
            lines.append(ProposalLine(name, str(labels[name]), str(value), lang))
    return lines


# ----------------------------------------------------------------------------- writing


def _may_send(*, user) -> None:
    if not address_confirmed(user):
        raise ValidationError(
            _(
                "Confirm your e-mail address first: curators decide on requests from "
                "confirmed addresses."
            ),
            code="unconfirmed",
        )
    waiting = JoinRequest.objects.filter(user=user, status=JoinStatus.PENDING).count()
    if waiting >= MAX_PENDING:
        raise ValidationError(
            _(
                "You already have %(count)s requests waiting for a curator. Wait for their "
                "answers, or withdraw one, before sending another."
            )
            % {"count": waiting},
            code="too_many",
        )
    since = timezone.now() - timedelta(days=1)
    sent = JoinRequest.objects.filter(user=user, created_at__gte=since).count()
    if sent >= MAX_PER_DAY:
        raise ValidationError(
            _(
                "You sent %(count)s requests in the last 24 hours, the most one person may "
                "send in a day. Try again tomorrow."
            )
            % {"count": sent},
            code="too_many_today",
        )


def join_claim_submit(
    *, user, actor: Actor, role: str, message: str = ""
) -> tuple[JoinRequest, bool]:
    """Ask to manage `actor`. Returns (the request, True), or (the claim already waiting,
    False): a second click or tab files nothing new. Raises ValidationError."""
    if actor.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published profile can be claimed."), code="unpublished")
    if actor.managers.filter(pk=user.pk).exists():
        raise ValidationError(_("You already manage this profile."), code="manager")
    waiting = pending_claim(user=user, actor=actor)
    if waiting:
        return waiting, False
    _may_send(user=user)
    try:
        with transaction.atomic():
            join = JoinRequest.objects.create(
                kind=JoinKind.CLAIM,
                user=user,
                actor=actor,
                role=" ".join(role.split()),
                message=message.strip(),
            )
    except IntegrityError:
        # The same claim, filed by a concurrent request a moment ago.
        waiting = pending_claim(user=user, actor=actor)
        if waiting is None:
            raise
        return waiting, False
    join_waiting(join=join)
    return join, True


def join_register_submit(
    *, user, proposed: dict, role: str, message: str = ""
) -> tuple[JoinRequest, bool]:
    """Ask to register a new organisation (`proposed`: PROPOSAL_FIELDS, already checked by the
    registration form). Returns (the request, True), or (the same registration already
    waiting, False). Raises ValidationError."""
    name = " ".join((proposed.get("name") or "").split()).casefold()
    with transaction.atomic():
        # A double click sends two at once, and no constraint can compare names inside
        # `proposed`: the person's row is the lock, so the second waits for the first to
        # commit and then finds it below.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        for waiting in JoinRequest.objects.filter(
            user=user, kind=JoinKind.REGISTER, status=JoinStatus.PENDING
        ):
            if " ".join((waiting.proposed.get("name") or "").split()).casefold() == name:
                return waiting, False
        _may_send(user=user)
        join = JoinRequest.objects.create(
            kind=JoinKind.REGISTER,
            user=user,
            proposed={
                name: proposed.get(name, [] if name in PROPOSAL_LISTS else "")
                for name in PROPOSAL_FIELDS
            },
            role=" ".join(role.split()),
            message=message.strip(),
        )
    join_waiting(join=join)
    return join, True


def join_withdraw(*, join_id: int, user) -> JoinRequest:
    """The person takes back their waiting request. Raises JoinRequest.DoesNotExist for
    someone else's, ValidationError for one already decided or withdrawn."""
    with transaction.atomic():
        join = JoinRequest.objects.select_for_update().get(pk=join_id, user=user)
        if join.status != JoinStatus.PENDING:
            raise ValidationError(already_decided(join=join), code="decided")
        join.status = JoinStatus.WITHDRAWN
        join.save(update_fields=["status"])
    return join


def already_decided(*, join: JoinRequest) -> str:
    """Why a request can no longer be changed, in words."""
    if join.status == JoinStatus.WITHDRAWN:
        return _("This request was withdrawn: nothing changed.")
    approved = join.status == JoinStatus.APPROVED
    if join.reviewer is None:
        if approved:
            return _("This request was already approved: nothing changed.")
        return _("This request was already refused: nothing changed.")
    who = {"who": join.reviewer.get_username()}
    if approved:
        return _("This request was already approved by %(who)s: nothing changed.") % who
    return _("This request was already refused by %(who)s: nothing changed.") % who
