"""Every URL of the site against every role, generated from the URL configuration.

A new URL fails `test_every_url_has_an_expectation` until someone decides who may open it, so no
page can ship unchecked. Roles: an anonymous visitor, the manager of the object in the URL
(owner), the manager of another object (outsider), the event's organiser, and a curator.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from directory.models import Actor, ContactPerson, Partnership, PendingChange
from events.models import Meeting
from matching.models import CandidateMark, ShortlistEntry

ROLES = ("anonymous", "owner", "outsider", "organiser", "curator")
LOGIN = "login"  # a redirect to the login page
A, M, X, G, C = ROLES  # anonymous, owner (manager), outsider (X), organiser (G), curator


def every(status):
    return dict.fromkeys(ROLES, status)


def logged_in(status, *, anonymous=LOGIN):
    return {A: anonymous, M: status, X: status, G: status, C: status}


def only(*allowed, anonymous=LOGIN, others=404):
    return {role: 200 if role in allowed else others for role in ROLES} | {A: anonymous}


POST_ONLY = logged_in(405)  # forms post here; a GET is refused after the login check
CURATOR_POST = only(C, others=404) | {C: 405}

# Expected status of a GET, per URL name and role.
EXPECTED_GET = {
    # accounts
    "login": {A: 200, M: 302, X: 302, G: 302, C: 302},  # signed-in users are sent on
    "logout": every(405),  # POST only
    "password_change": logged_in(200),
    "password_change_done": logged_in(200),
    "password_reset": every(200),
    "password_reset_done": every(200),
    "password_reset_confirm": every(200),  # shows "invalid link" for a made-up token
    "password_reset_complete": every(200),
    # joining: signing up (signed-in people are sent on), the e-mailed links (a made-up token
    # shows "this link cannot be used"), claiming a profile, registering, one's own requests
    "signup": {A: 200, M: 302, X: 302, G: 302, C: 302},
    "signup_sent": every(200),
    "signup_finish": every(200),
    "email_confirm": every(200),
    "email_confirm_send": POST_ONLY,
    # the owner manages the profile and curators edit every one: both are sent back to it
    "join_claim": {A: LOGIN, M: 302, X: 200, G: 200, C: 302},
    "join_register": logged_in(200),
    "join_request": only(M),  # the owner's own request; curators read it on their pages
    "join_request_withdraw": POST_ONLY,
    # the language switch: a form posts here (POST only, for everyone)
    "set_language": every(405),
    # directory
    "home": every(200),
    "actor_list": every(200),
    "actor_map": every(200),  # published profiles only, for everyone
    "actor_map_data": every(200),
    "directory_structure": every(200),  # published profiles, drafts for curators
    "directory_structure_export": every(200),
    "actor_export": every(200),
    "actor_detail": every(200),
    "actor_edit": only(M, C),
    # the logo: the estate's actor has none (404 for everyone); its form for the owner and
    # curators, a 403 for others who see the profile; removing and verifying are POSTs
    "actor_logo": every(404),
    "actor_logo_edit": only(M, C, others=403),
    "actor_logo_delete": POST_ONLY,
    "actor_verify": CURATOR_POST,
    # one organisation: straight to it, unless a request waits (the owner's claim): listed here
    "my_organisations": {A: LOGIN, M: 200, X: 302, G: 200, C: 200},
    "after_login": logged_in(302),
    # find partners and shortlists
    "partners_start": {A: LOGIN, M: 302, X: 302, G: 200, C: 200},
    "partners": only(M, C),
    "partners_export": only(M, C),
    "partners_like": only(M, C),
    "set_aside": only(M, C),
    "set_aside_add": POST_ONLY,
    "set_aside_restore": POST_ONLY,
    "shortlist": only(M, C),
    "shortlist_export": only(M, C),
    "shortlist_add": POST_ONLY,
    "shortlist_remove": only(M, C),  # GET: what a removal deletes (notes by others), to confirm
    "shortlist_note": POST_ONLY,
    "shortlist_note_delete": POST_ONLY,
    "shortlist_status": POST_ONLY,
    # saved directory searches: each user their own (someone else's id is a 404)
    "saved_searches": logged_in(200),
    "saved_search_save": POST_ONLY,
    "saved_search_rename": POST_ONLY,
    "saved_search_delete": POST_ONLY,
    "saved_search_alert": POST_ONLY,
    # events
    "event_list": logged_in(200),
    "event_create": {A: LOGIN, M: 403, X: 403, G: 200, C: 403},
    "event_detail": {A: LOGIN, M: 200, X: 200, G: 200, C: 404},
    "event_edit": only(G),
    "event_participants": only(G),
    "event_pairs": only(G),
    "event_schedule": only(G),
    "event_outcomes": only(G),
    "event_export": only(G),
    "event_participant": only(M, G),
    "event_agenda": only(M, G),
    "event_agenda_export": only(M, G),
    "event_agenda_calendar": POST_ONLY,
    # no login: the secret in the address is the key; a wrong one is a 404 for everyone
    "event_calendar_feed": every(404),
    "event_dashboard_export": only(G),
    "event_register": POST_ONLY,
    "event_participant_add": POST_ONLY,
    "event_participants_import": POST_ONLY,
    "event_participants_template": only(G),
    "event_participant_withdraw": POST_ONLY,
    "event_participant_decide": POST_ONLY,
    "event_exclusion_add": POST_ONLY,
    "event_exclusion_remove": POST_ONLY,
    # GET: what a regeneration replaces, to confirm; the estate's schedule is published, so the
    # organiser is sent back to the schedule page (Update schedule)
    "event_schedule_generate": only(G) | {G: 302},
    "event_schedule_publish": POST_ONLY,
    "event_meeting_add": POST_ONLY,
    "event_meeting_move": POST_ONLY,
    "event_meeting_cancel": only(G),  # GET: the meeting, to confirm
    # the published schedule's change log and its update
    "event_schedule_changes": only(G),
    "event_schedule_update": POST_ONLY,
    "event_schedule_proposal": only(G),
    "event_schedule_proposal_apply": POST_ONLY,
    "event_schedule_proposal_discard": POST_ONLY,
    "event_meeting_pin": POST_ONLY,
    "event_outcome_record": POST_ONLY,
    "event_outcome_partnership": POST_ONLY,
    # participants acting for themselves, and the organisers' pages for the day
    "event_requests": only(M, G),
    "event_request_answer": POST_ONLY,
    "event_request_withdraw": POST_ONLY,
    "event_requests_all": only(G),
    "event_meeting_late": POST_ONLY,
    "event_meeting_call_off": POST_ONLY,
    "event_feedback": only(M, G),
    "event_checkin": only(G),
    "event_checkin_mark": POST_ONLY,
    "event_on_the_day": only(G),
    "event_meeting_no_show": POST_ONLY,
    # statistics: counts of published actors for everyone (an organiser's event figures are a
    # section of the same page); a chart the viewer may not see is a 404 export
    "insights": every(200),
    "insights_export": every(200),
    # curation
    "curation_duplicates": only(C),
    "curation_quality": only(C),
    "curation_review": only(C),
    "curation_history": only(C),
    "curation_person": only(C),
    "curation_merge": CURATOR_POST,
    "curation_distinct": CURATOR_POST,
    "curation_review_settings": CURATOR_POST,
    "curation_review_decide": CURATOR_POST,
    "curation_restore": CURATOR_POST,
    "curation_person_erase": CURATOR_POST,
    "curation_partnership_add": only(C),
    "curation_partnership_remove": CURATOR_POST,
    "curation_joins": only(C),
    "curation_join": only(C),
    "curation_join_decide": CURATOR_POST,
    # the inbox and e-mail settings: one's own only (another person's message is a 404)
    "notifications:inbox": logged_in(200),
    "notifications:open": POST_ONLY,
    "notifications:set_read": POST_ONLY,
    "notifications:read_all": POST_ONLY,
    "notifications:preferences": logged_in(200),
    # no login: the signed token is the key (RFC 8058 one-click); a made-up one is a 404
    "notifications:unsubscribe": every(404),
    # background jobs: the estate's job is an organisers' one (a schedule generation) that
    # failed; curators see every job and may try a failed one again
    "jobs:list": logged_in(200),
    "jobs:detail": only(G, C),
    "jobs:status": only(G, C),
    "jobs:retry": POST_ONLY,
    # the JSON API (docs/api.md): 401 instead of a login redirect, same 404 for outsiders
    "api:actor-list": every(200),
    "api:actor-detail": every(200),
    "api:actor-matches": only(M, C, anonymous=401),
    "api:sector-list": every(200),
    "api:interest-list": every(200),
    "api:event-list": logged_in(200, anonymous=401),
    "api:event-detail": only(G, anonymous=401),
    "api:event-participants": only(G, anonymous=401),
    "api:event-schedule": only(G, anonymous=401),
    "api:schema": every(200),
    "api:docs": every(200),
    "api:not-found": every(404),
}
# Anonymous visitors may post only to the forms that exist for them.
ANONYMOUS_FORMS = {
    "login", "password_reset", "password_reset_confirm", "signup", "signup_finish",
    "email_confirm",
}  # fmt: skip


def named_routes():
    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith("admin/"):
                    continue  # Django's admin checks staff status itself
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                yield namespace + pattern.name, prefix + str(pattern.pattern)

    return dict(walk(get_resolver().url_patterns))


def url_for(name: str, estate) -> str:
    event, actor = estate.event.slug, estate.actor.slug
    history_id = estate.actor.history.first().history_id
    kwargs = {
        "partners": {"slug": actor},
        "partners_export": {"slug": actor, "fmt": "csv"},
        "partners_like": {"slug": actor, "candidate": estate.chuncheon.slug},
        "set_aside": {"slug": actor},
        "set_aside_add": {"slug": actor},
        "set_aside_restore": {"slug": actor, "candidate": estate.daegu.slug},
        "shortlist": {"slug": actor},
        "shortlist_add": {"slug": actor},
        "shortlist_remove": {"slug": actor, "candidate": estate.chuncheon.slug},
        "shortlist_note": {"slug": actor, "candidate": estate.chuncheon.slug},
        "shortlist_note_delete": {"slug": actor, "candidate": estate.chuncheon.slug, "note": 1},
        "shortlist_status": {"slug": actor, "candidate": estate.chuncheon.slug},
        "saved_search_rename": {"pk": 1},
        "saved_search_delete": {"pk": 1},
        "saved_search_alert": {"pk": 1},
        "shortlist_export": {"slug": actor, "fmt": "xlsx"},
        "actor_detail": {"slug": actor},
        "actor_edit": {"slug": actor},
        "actor_logo": {"slug": actor},
        "actor_logo_edit": {"slug": actor},
        "actor_logo_delete": {"slug": actor},
        "actor_verify": {"slug": actor},
        "actor_export": {"fmt": "json"},
        "curation_history": {"slug": actor},
        "curation_partnership_add": {"slug": actor},
        "curation_partnership_remove": {"pk": estate.partnership.pk},
        "curation_restore": {"history_id": history_id},
        "curation_review_decide": {"pk": estate.change.pk},
        "join_claim": {"slug": actor},
        "signup_finish": {"token": "not-a-signed-token"},
        "email_confirm": {"token": "not-a-signed-token"},
        "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "event_participant": {"slug": event, "pk": estate.lyon.pk},
        "event_participant_decide": {"slug": event, "pk": estate.lyon.pk},
        "event_participant_withdraw": {"slug": event, "pk": estate.lyon.pk},
        "event_participants_template": {"slug": event, "fmt": "xlsx"},
        "event_agenda": {"slug": event, "pk": estate.lyon.pk},
        "event_agenda_export": {"slug": event, "pk": estate.lyon.pk, "fmt": "ics"},
        "event_agenda_calendar": {"slug": event, "pk": estate.lyon.pk},
        "event_calendar_feed": {"pk": estate.lyon.pk, "token": "not-the-calendar-secret"},
        "event_dashboard_export": {"slug": event, "fmt": "xlsx"},
        "event_requests": {"slug": event, "pk": estate.lyon.pk},
        "event_request_answer": {"slug": event, "pk": estate.lyon.pk},
        "event_request_withdraw": {"slug": event, "pk": estate.lyon.pk},
        "event_feedback": {"slug": event, "pk": estate.lyon.pk},
        "event_meeting_late": {"slug": event, "pk": estate.lyon.pk, "meeting": estate.meeting.pk},
        "event_meeting_call_off": {
            "slug": event,
            "pk": estate.lyon.pk,
            "meeting": estate.meeting.pk,
        },  # fmt: skip
        "event_exclusion_remove": {"slug": event, "pk": estate.exclusion.pk},
        "event_export": {"slug": event, "what": "schedule", "fmt": "csv"},
        "insights_export": {"key": "sectors", "fmt": "csv"},
        "notifications:open": {"pk": estate.notification.pk},
        "notifications:set_read": {"pk": estate.notification.pk},
        "notifications:unsubscribe": {"token": "not-a-signed-token"},
    }
    kwargs |= {
        "api:actor-detail": {"slug": actor},
        "api:actor-matches": {"slug": actor},
        "api:event-detail": {"slug": event},
        "api:event-participants": {"slug": event},
        "api:event-schedule": {"slug": event},
        "api:not-found": {"path": "no-such-endpoint/"},
    }
    if name in kwargs:
        return reverse(name, kwargs=kwargs[name])
    if name in ("join_request", "join_request_withdraw", "curation_join", "curation_join_decide"):
        return reverse(name, kwargs={"pk": _join(estate).pk})
    if name == "my_organisations":
        _join(estate)
    if name.startswith("jobs:") and name != "jobs:list":
        return reverse(name, kwargs={"pk": _job(estate).pk})
    if name.startswith("event_schedule_proposal"):
        return reverse(name, kwargs={"slug": event, "pk": _proposal(estate).pk})
    if name in (
        "event_meeting_move",
        "event_meeting_cancel",
        "event_meeting_pin",
        "event_outcome_record",
        "event_outcome_partnership",
        "event_meeting_no_show",
    ):
        return reverse(name, kwargs={"slug": event, "pk": estate.meeting.pk})
    if name.startswith("event_") and name not in ("event_list", "event_create"):
        return reverse(name, kwargs={"slug": event})
    return reverse(name)


def _proposal(estate):
    """An update of the estate's schedule waiting for confirmation (computed on a schedule
    that has changed since: confirming it is refused)."""
    from events.models import ScheduleProposal

    proposal, _ = ScheduleProposal.objects.get_or_create(
        event=estate.event, based_on="computed before a change", defaults={"placements": []}
    )
    return proposal


def _join(estate):
    """The owner's waiting claim of a Korean profile, for the owner and the curators."""
    from directory.models import JoinRequest

    join, _ = JoinRequest.objects.get_or_create(
        kind="claim", user=estate.manager, actor=estate.korean, defaults={"role": "Director"}
    )
    return join


def _job(estate):
    """A failed schedule generation started by the organiser, for the organisers."""
    from jobs.models import Job

    job, _ = Job.objects.get_or_create(
        kind="events.schedule_generate",
        title=f"Generate the schedule of {estate.event.name}",
        defaults={
            "status": "failed",
            "audience": "organisers",
            "created_by": estate.organiser,
            "error": "The event has no meeting rounds yet: add sessions first.",
        },
    )
    return job


def test_every_url_has_an_expectation():
    missing = sorted(set(named_routes()) - set(EXPECTED_GET))
    assert not missing, f"decide who may open these URLs: {missing}"
    stale = sorted(set(EXPECTED_GET) - set(named_routes()))
    assert not stale, f"these URLs no longer exist: {stale}"


def client_as(role: str, estate) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(estate.users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_expected(estate, role):
    client = client_as(role, estate)
    wrong = []
    for name in sorted(named_routes()):
        url = url_for(name, estate)
        response = client.get(url)
        expected = EXPECTED_GET[name][role]
        if expected == LOGIN:
            ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            ok = response.status_code == expected
        if not ok:
            wrong.append(f"{name} {url}: {response.status_code}, expected {expected}")
        # HEAD (link checkers, monitors, some browsers' prefetch) answers as GET does.
        head = client.head(url).status_code
        if head != response.status_code:
            wrong.append(f"{name} {url}: HEAD {head}, GET {response.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ["owner", "organiser", "curator"])
def test_every_post_needs_a_csrf_token(estate, role):
    client = Client(enforce_csrf_checks=True)
    client.force_login(estate.users[role])
    refused = {
        name: client.post(url_for(name, estate)).status_code for name in sorted(named_routes())
    }
    # The API is read-only: a POST there is refused (403 CSRF, 405, or 404 off the map). The
    # unsubscribe link takes a mail client's one-click POST without CSRF: its signed token is the
    # key, so a made-up one is a 404.
    allowed = lambda name: (  # noqa: E731
        {403, 404, 405} if name.startswith("api:")
        else {404} if name == "notifications:unsubscribe" else {403}
    )  # fmt: skip
    assert {name: s for name, s in refused.items() if s not in allowed(name)} == {}


def test_anonymous_posts_change_nothing_and_reach_only_public_forms(estate):
    counts = lambda: (  # noqa: E731
        Actor.objects.count(), ContactPerson.objects.count(), Meeting.objects.count(),
        ShortlistEntry.objects.count(), PendingChange.objects.count(),
        CandidateMark.objects.count(), Partnership.objects.count(),
    )  # fmt: skip
    before = counts()
    client = Client()
    accepted = {}
    for name in sorted(named_routes()):
        status = client.post(url_for(name, estate)).status_code
        if name not in ANONYMOUS_FORMS and status < 300:
            accepted[name] = status
    assert accepted == {}
    assert counts() == before


# -- what an anonymous visitor can reach -----------------------------------------------------


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "a":
            self.links.extend(value for key, value in attrs if key == "href" and value)


def test_an_anonymous_crawl_never_shows_a_contact_persons_details(estate):
    secrets = [
        estate.contact.email, estate.contact.phone, estate.contact.name,
        estate.korean_contact.email, estate.korean_contact.phone, estate.korean_contact.name,
        "claire.attendee@example.org", "+33 4 99 88 77 66",
    ]  # fmt: skip
    client = Client()
    seen, queue, leaks = set(), deque(["/"]), []
    # Exports and feeds a visitor could ask for directly, beyond the links.
    queue.extend(
        ["/actors/export.csv", "/actors/export.xlsx", "/actors/export.json", "/actors/?side=kr"]
    )
    queue.extend(url_for(name, estate) for name in named_routes())
    while queue and len(seen) < 400:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or not path.startswith("/") or path.startswith(("/static/", "/admin/")):
            continue
        seen.add(url)
        response = client.get(url, follow=False)
        body = response.content.decode("utf-8", errors="replace")
        if response.get("Content-Type", "").endswith("sheet"):
            from io import BytesIO

            from openpyxl import load_workbook

            sheet = load_workbook(BytesIO(response.content)).active
            body = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
        leaks.extend(f"{secret} on {url}" for secret in secrets if secret in body)
        if "text/html" in response.get("Content-Type", ""):
            parser = LinkParser()
            parser.feed(body)
            for link in parser.links:
                target = urljoin(url, link)
                if not re.match(r"^(mailto|tel|https?):", link) or target.startswith("/"):
                    queue.append(target)
    assert len(seen) > 50  # the crawl really went through the site
    assert leaks == []
