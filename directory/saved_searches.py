"""Saved directory searches and their alerts.

A saved search is the directory page's query string under a name. It is checked again by
the directory's own filter set (`ActorFilter`), so a saved search finds what the page finds.
Each check compares the published actors that match with the ones that matched last time
and tells the owner about the new ones; the first check only records that baseline.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from common.text import field_problem
from directory.filters import ActorFilter
from directory.models import Actor, SavedSearch

MAX_SAVED_SEARCHES = 50
NAME_MAX_CHARS = 100
QUERY_MAX_CHARS = 1000
SEARCH_TEXT_MAX_CHARS = 200
# An alert names this many new actors, then says how many more there are.
ALERT_NAMES = 10
ALERT_KIND = "directory.saved_search"

# The filters a saved search keeps, in the directory form's order; anything else in an
# address (the page number, tracking parameters) is not part of the search.
FILTER_KEYS = ("q", "side", "country", "region", "kind", "sector", "offers", "seeks", "sort")


def _label(key: str) -> str:
    return str(ActorFilter.base_filters[key].label)


def clean_query(*, query: str) -> str:
    """The directory filters in `query`, checked as the directory page checks them, as a
    query string to store. Raises ValidationError with sentences for the user."""
    if len(query) > QUERY_MAX_CHARS:
        raise ValidationError(_("This search is too long to save."), code="too_long")
    data = QueryDict(query)
    kept = QueryDict(mutable=True)
    problems = []
    for key in FILTER_KEYS:
        values = [v for v in data.getlist(key) if v.strip()]
        if len(values) > 1:
            problems.append(
                _("%(filter)s is given more than once; choose one value.") % {"filter": _label(key)}
            )
            continue
        if not values:
            continue
        value = values[0].strip()
        problem = field_problem(
            _label(key), value, multiline=False, max_length=SEARCH_TEXT_MAX_CHARS
        )
        if problem:
            problems.append(problem)
            continue
        kept[key] = value
    if problems:
        raise ValidationError(problems, code="invalid")
    form = ActorFilter(kept, queryset=Actor.objects.none()).form
    if not form.is_valid():
        # The form's own messages ("Select a valid choice"), never the value that was sent.
        raise ValidationError(
            [
                _("%(filter)s: %(errors)s")
                % {"filter": form.fields[name].label, "errors": " ".join(errors)}
                for name, errors in form.errors.items()
            ],
            code="invalid",
        )
    return kept.urlencode()


def clean_name(*, name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the search a name."), code="required")
    problem = field_problem(_("The name"), name, multiline=False, max_length=NAME_MAX_CHARS)
    if problem:
        raise ValidationError(problem, code="invalid")
    return name


def suggested_name(*, active_filters: list[tuple[str, str]]) -> str:
    """A name for the search the page shows: its filter values ("Biopharmaceuticals, Korea")."""
    words = ", ".join(value for _label, value in active_filters)
    return (words or _("All actors"))[:NAME_MAX_CHARS]


def _name_taken(*, owner, name: str, exclude_pk: int | None = None) -> bool:
    others = SavedSearch.objects.filter(owner=owner, name__iexact=name)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def _taken_message(name: str) -> str:
    return _("You already have a saved search named “%(name)s”. Choose another name.") % {
        "name": name
    }


def matching_ids(*, query: str) -> list[int] | None:
    """The published actors the search finds, or None if its filters no longer hold (a sector
    that was removed): an empty result must not read as "nothing matches any more"."""
    actor_filter = ActorFilter(QueryDict(query), queryset=Actor.objects.published())
    if not actor_filter.form.is_valid():
        return None
    return sorted(set(actor_filter.qs.values_list("pk", flat=True)))


def search_problems(*, search: SavedSearch) -> list[str]:
    """Why a saved search no longer runs, in words: each filter value the directory no longer
    has (a sector or region removed, a country no published actor is in any more)."""
    data = QueryDict(search.query)
    form = ActorFilter(data, queryset=Actor.objects.none()).form
    if form.is_valid():
        return []
    return [
        _("%(filter)s “%(value)s” is no longer in the directory.")
        % {"filter": form.fields[name].label, "value": data.get(name, "")}
        for name in form.errors
    ]


def search_summary(*, search: SavedSearch) -> list[tuple[str, str]]:
    """(label, value) of each filter, as the directory page's summary shows them."""
    actor_filter = ActorFilter(QueryDict(search.query), queryset=Actor.objects.none())
    return actor_filter.active_filters()


def _baseline(search: SavedSearch, *, now: dt.datetime) -> None:
    ids = matching_ids(query=search.query)
    search.seen = ids or []
    search.checked_at = now if ids is not None else None


def saved_search_create(*, owner, name: str, query: str) -> SavedSearch:
    """Save `query` under `name` for `owner`; what matches now is the baseline of its alert."""
    name = clean_name(name=name)
    query = clean_query(query=query)
    with transaction.atomic():
        # Locks the owner's row: two saves at once cannot both pass the limit.
        get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
        if SavedSearch.objects.filter(owner=owner).count() >= MAX_SAVED_SEARCHES:
            raise ValidationError(
                _(
                    "You have %(limit)s saved searches, the most one person can keep. "
                    "Delete one you no longer need first."
                )
                % {"limit": MAX_SAVED_SEARCHES},
                code="limit",
            )
        if _name_taken(owner=owner, name=name):
            raise ValidationError(_taken_message(name), code="taken")
        search = SavedSearch(owner=owner, name=name, query=query)
        _baseline(search, now=timezone.now())
        try:
            with transaction.atomic():
                search.save()
        except IntegrityError:
            raise ValidationError(_taken_message(name), code="taken") from None
    return search


def saved_search_rename(*, search: SavedSearch, name: str) -> SavedSearch:
    name = clean_name(name=name)
    if _name_taken(owner=search.owner, name=name, exclude_pk=search.pk):
        raise ValidationError(_taken_message(name), code="taken")
    search.name = name
    try:
        with transaction.atomic():
            search.save(update_fields=["name"])
    except IntegrityError:
        raise ValidationError(_taken_message(name), code="taken") from None
    return search


def saved_search_set_alert(*, search: SavedSearch, on: bool) -> SavedSearch:
    """Turn the alert on or off. Turning it on starts from what matches now: the owner is not
    told about every actor added while it was off."""
    if search.alert == on:
        return search
    search.alert = on
    if on:
        _baseline(search, now=timezone.now())
    search.save(update_fields=["alert", "seen", "checked_at"])
    return search


def saved_search_delete(*, search: SavedSearch) -> None:
    search.delete()


def _alert_text(*, search: SavedSearch, new: list[Actor], link: str) -> tuple[str, str]:
    """The alert's subject and body, in the active language (the owner's: see the caller)."""
    subject = ngettext(
        "%(count)d new actor in your saved search “%(name)s”",
        "%(count)d new actors in your saved search “%(name)s”",
        len(new),
    ) % {"count": len(new), "name": search.name}
    body = render_to_string(
        "directory/notifications/saved_search.txt",
        {
            "owner": search.owner,
            "search": search,
            "total": len(new),
            "named": new[:ALERT_NAMES],
            "more": len(new) - ALERT_NAMES if len(new) > ALERT_NAMES else 0,
            # One text, so that a translation may put it anywhere in its sentence.
            "filters": "; ".join(
                f"{label}: {value}" for label, value in search_summary(search=search)
            ),
            "link": link,
        },
    )
    return subject, body.strip()


def saved_search_check(*, search_id: int, now: dt.datetime | None = None) -> list[Actor]:
    """Check one saved search: the actors that match now and did not at the last check, told
    to the owner (nothing when nothing is new). The first check records the baseline only.
    Returns the new actors told about."""
    from notifications.language import in_language_of
    from notifications.service import notify, site_url

    now = now or timezone.now()
    with transaction.atomic():
        search = (
            SavedSearch.objects.select_for_update().select_related("owner").filter(pk=search_id)
        ).first()
        if search is None or not search.alert:
            return []
        current = matching_ids(query=search.query)
        if current is None:
            return []  # filters that no longer hold: the saved searches page says so
        previous = search.checked_at
        new_ids = set(current) - set(search.seen)
        # Remembered for good: an actor unpublished for a day, or edited out of the filters and
        # back, is one the owner has already been told about.
        search.seen = sorted(set(search.seen) | set(current))
        search.checked_at = now
        search.save(update_fields=["seen", "checked_at"])
        if previous is None or not new_ids:
            return []
        new = list(
            Actor.objects.published()
            .filter(pk__in=new_ids)
            .select_related("region")
            .order_by("name")
        )
        link = search.get_absolute_url()
        # Written in the owner's language, whoever runs the check (a worker, in English).
        with in_language_of(search.owner):
            subject, body = _alert_text(search=search, new=new, link=site_url(link))
            notify(
                recipient=search.owner,
                kind=ALERT_KIND,
                subject=subject,
                body=body,
                link=link,
                # One alert per check: a job that runs twice tells once.
                dedupe_key=f"saved-search:{search.pk}:{previous.isoformat()}",
            )
    return new


def saved_searches_check(*, job=None, params=None, progress=None) -> dict:
    """The periodic job: check every saved search with its alert on."""
    ids = list(
        SavedSearch.objects.filter(alert=True, owner__is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    told = 0
    for done, search_id in enumerate(ids, start=1):
        if saved_search_check(search_id=search_id):
            told += 1
        if progress is not None:
            progress(done, len(ids), _("Saved searches checked"))
    checked = ngettext(
        "%(count)d saved search checked", "%(count)d saved searches checked", len(ids)
    ) % {"count": len(ids)}
    sent = ngettext("%(count)d alert sent", "%(count)d alerts sent", told) % {"count": told}
    return {"summary": _("%(checked)s, %(sent)s.") % {"checked": checked, "sent": sent}}


def register() -> None:
    """The alert's kind of message, its job and its daily run (from `AppConfig.ready`)."""
    from jobs.periodic import register_periodic
    from jobs.registry import register as register_job
    from notifications import kinds

    kinds.register(
        ALERT_KIND,
        label=gettext_lazy("New actors matching one of your saved searches"),
        audience="everyone",
    )
    register_job("directory.saved_searches", saved_searches_check)
    register_periodic(
        name="directory.saved_searches",
        kind="directory.saved_searches",
        # Stored on each run's job record; marked so that the job pages can translate it.
        title=gettext_noop("Saved search alerts"),
        every=dt.timedelta(days=1),
    )
