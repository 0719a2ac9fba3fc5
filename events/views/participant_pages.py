"""Event pages: participants."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.spreadsheet_read import MAX_BYTES
from common.spreadsheet_write import table_response
from directory.filters import ActorFilter
from directory.models import Actor
from events import access
from events.dashboard import participants_with_counts
from events.exports import (
    b2match_summary,
)
from events.forms import (
    AttendeeFormSet,
    AvailabilityForm,
    DecisionForm,
    ImportForm,
    WithdrawForm,
)
from events.models import Meeting, Participant, ParticipantStatus, WishLevel
from events.participants import (
    PARTICIPANT_COLUMNS,
    SLUG_SHAPE,
    import_template_rows,
    leaving_impact,
    participant_add,
    participant_availability_set,
    participant_decide,
    participant_withdraw,
    participants_add_many,
    participants_import,
    pasted_file,
    withdrawn_by_its_manager,
)
from events.views._common import EXPORT_FORMATS, WISH_KEY, show_errors, warn_unwanted_meetings
from events.wishes import counterparts, wishes_set

# Directory actors listed per search; "Add these" takes the ticked ones.
FOUND_SHOWN = 50


@login_required
@require_safe
def participants(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    # The directory's own filters, over the published actors not taking part yet.
    search = ActorFilter(
        request.GET or None,
        queryset=Actor.objects.published().exclude(participations__event=event),
    )
    found, total = [], 0
    if search.is_bound:
        results = search.qs
        total = results.count()
        found = list(results.select_related("region")[:FOUND_SHOWN])
    listed = list(participants_with_counts(event))
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "participants": listed,
            # Accepting these again asks for a confirmation: their own managers withdrew them.
            "withdrawn": {p.pk for p in listed if withdrawn_by_its_manager(participant=p)},
            "search": search,
            "found": found,
            "found_total": total,
            "import_form": ImportForm(),
            "decision_form": DecisionForm(),
            "b2match": b2match_summary(event),
        },
    )


def _names(actors: list[Actor]) -> str:
    return ", ".join(a.name for a in actors)


@login_required
@require_POST
def participant_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    """One actor (`actor`, the row's own Add button) or every ticked one (`actors`, Add
    these)."""
    event = access.get_event_for_organiser(request.user, slug)
    back = request.POST.get("back", "")[:2000]
    if request.POST.get("actor"):
        if not SLUG_SHAPE.fullmatch(request.POST["actor"]):
            raise Http404("No such actor.")
        actor = get_object_or_404(Actor, slug=request.POST["actor"])
        try:
            participant_add(event=event, actor=actor, by=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("%(organisation)s added.") % {"organisation": actor.name})
    else:
        try:
            result = participants_add_many(
                event=event, slugs=request.POST.getlist("actors"), by=request.user
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            if result.added:
                messages.success(
                    request,
                    _("%(count)d added: %(names)s.")
                    % {"count": len(result.added), "names": _names(result.added)},
                )
            if result.already:
                messages.info(
                    request,
                    _("Taking part already, left as they were: %(names)s.")
                    % {"names": _names(result.already)},
                )
            for sentence in result.refused:
                messages.warning(request, _("Not added: %(why)s") % {"why": sentence})
    return redirect(reverse("event_participants", args=[slug]) + (f"?{back}" if back else ""))


@login_required
@require_POST
def participants_import_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    form = ImportForm(request.POST, request.FILES)
    report, again = None, form
    if form.is_valid():
        upload, text = form.cleaned_data["file"], form.cleaned_data["text"]
        if upload:
            # One byte more than the limit is enough to refuse a file as too large.
            data, filename = upload.read(MAX_BYTES + 1), upload.name
        else:
            data, filename = pasted_file(text)
        dry_run = form.cleaned_data["dry_run"]
        report = participants_import(
            event=event, data=data, filename=filename, by=request.user, dry_run=dry_run
        )
        # The form again under the report, with pasted rows kept: fix them and check again,
        # or, after a dry run that found nothing wrong, import them.
        again = ImportForm(initial={"text": text, "dry_run": dry_run and not report.ok})
    matched = []
    if report and report.ok:
        changes = [*report.created, *report.updated, *report.unchanged]
        matched = [
            (c.name, report.matched_by[c.slug]) for c in changes if c.slug in report.matched_by
        ]
    return render(
        request,
        "events/import_result.html",
        {"event": event, "form": form, "again": again, "report": report, "matched": matched},
        status=200 if report and report.ok else 400,
    )


@login_required
@require_safe
def participants_import_template(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The import's columns and one example row, to fill in."""
    event = access.get_event_for_organiser(request.user, slug)
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such format.")
    return table_response(
        fmt=fmt,
        filename=f"{event.slug}-participants-template",
        title=pgettext("spreadsheet title", "Participants"),
        header=PARTICIPANT_COLUMNS,
        rows=import_template_rows(event=event),
    )


@login_required
@require_POST
def participant_decide_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Accept at once, unless its manager withdrew it: then after a confirmation page naming
    the withdrawal. Decline after a confirmation page that says which meetings go."""
    event = access.get_event_for_organiser(request.user, slug)
    participant = get_object_or_404(event.participants.select_related("actor"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(
                    request,
                    _("%(organisation)s: %(problem)s")
                    % {"organisation": participant.actor.name, "problem": error},
                )
        if "decision" in form.errors:
            messages.error(request, _("Choose accept or decline."))
        return redirect("event_participants", slug=slug)
    accept = form.cleaned_data["decision"] == ParticipantStatus.ACCEPTED
    confirmed = form.cleaned_data["confirm"]
    if accept and not confirmed and withdrawn_by_its_manager(participant=participant):
        return render(
            request,
            "events/participant_rejoin.html",
            {"event": event, "participant": participant, "form": form},
        )
    if not accept and not confirmed:
        return render(
            request,
            "events/participant_leave.html",
            {
                "event": event,
                "participant": participant,
                "impact": leaving_impact(participant=participant),
                "form": form,
                "mode": "decline",
            },
        )
    try:
        participant_decide(
            participant=participant,
            accept=accept,
            message=form.cleaned_data["message"],
            by=request.user,
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        done = _("%(organisation)s accepted.") if accept else _("%(organisation)s declined.")
        messages.success(request, done % {"organisation": participant.actor.name})
    return redirect("event_participants", slug=slug)


@login_required
@require_POST
def participant_withdraw_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A manager withdraws their organisation: first POST the confirmation page, second POST
    (confirm=1) the withdrawal."""
    event = access.get_event_for_viewer(request.user, slug)
    participant = get_object_or_404(
        Participant.objects.select_related("actor", "event"),
        event=event,
        pk=pk,
        actor__in=access.managed_actors(request.user),
    )
    form = WithdrawForm(request.POST)
    if not (form.is_valid() and form.cleaned_data["confirm"]):
        return render(
            request,
            "events/participant_leave.html",
            {
                "event": event,
                "participant": participant,
                "impact": leaving_impact(participant=participant),
                "mode": "withdraw",
            },
        )
    try:
        participant_withdraw(participant=participant, user=request.user)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("event_participant", slug=slug, pk=pk)
    messages.success(
        request,
        _("%(organisation)s no longer takes part; the organisers see it as withdrawn.")
        % {"organisation": participant.actor.name},
    )
    return redirect(event)


def _warn_missed_meetings(
    request: HttpRequest, *, participant: Participant, meetings: list[Meeting], organiser: bool
) -> None:
    """Meetings at times it now misses stay where they are: say so, and who moves them."""
    if organiser:
        text = _(
            "%(organisation)s already has a meeting with %(other)s in the %(round)s round "
            "(table %(table)s), which it will now miss: it stays until you move or cancel it, "
            "or update the schedule (Schedule page)."
        )
    else:
        text = _(
            "%(organisation)s already has a meeting with %(other)s in the %(round)s round "
            "(table %(table)s), which it will now miss: it stays until the organisers update "
            "the schedule."
        )
    for meeting in meetings:
        other = meeting.kr if meeting.eu_id == participant.pk else meeting.eu
        messages.warning(
            request,
            text
            % {
                "organisation": participant.actor.name,
                "other": other.actor.name,
                "round": meeting.slot,
                "table": meeting.table,
            },
        )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participant_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = access.get_event_for_viewer(request.user, slug)
    organiser = access.can_organise(request.user, event)
    participant = access.get_participant_for(request.user, event, pk, organiser=organiser)
    availability = AvailabilityForm(
        request.POST if "availability" in request.POST else None, participant=participant
    )
    attendees = AttendeeFormSet(
        request.POST if "attendees" in request.POST else None,
        instance=participant,
        prefix="attendees",
    )
    if request.method == "POST":
        if "availability" in request.POST and availability.is_valid():
            sessions, rounds = availability.absences()
            try:
                missed = participant_availability_set(
                    participant=participant, absent_from=sessions, absent_rounds=rounds
                )
            except ValidationError as error:
                show_errors(request, error)
            else:
                messages.success(request, _("Availability saved."))
                _warn_missed_meetings(
                    request, participant=participant, meetings=missed, organiser=organiser
                )
                return redirect("event_participant", slug=slug, pk=pk)
        elif "attendees" in request.POST and attendees.is_valid():
            attendees.save()
            messages.success(request, _("Attendees saved."))
            return redirect("event_participant", slug=slug, pk=pk)
        elif "wishes" in request.POST:
            levels = {
                int(found.group(1)): value
                for key, value in request.POST.items()
                if (found := WISH_KEY.fullmatch(key))
            }
            try:
                changed = wishes_set(participant=participant, levels=levels)
            except ValidationError as error:
                show_errors(request, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Wishes saved (%(count)d changed).",
                        "Wishes saved (%(count)d changed).",
                        changed,
                    )
                    % {"count": changed},
                )
                warn_unwanted_meetings(request, participant=participant, organiser=organiser)
                return redirect("event_participant", slug=slug, pk=pk)
    accepted = participant.status == ParticipantStatus.ACCEPTED
    manages = access.managed_actors(request.user).filter(pk=participant.actor_id).exists()
    return render(
        request,
        "events/participant.html",
        {
            "event": event,
            "participant": participant,
            "organiser": organiser,
            "availability": availability,
            "attendees": attendees,
            "counterparts": counterparts(participant=participant) if accepted else [],
            "wish_choices": [("", _("no preference")), *WishLevel.choices],
            "show_agenda": event.published or organiser,
            "can_withdraw": manages and participant.status != ParticipantStatus.DECLINED,
        },
    )
