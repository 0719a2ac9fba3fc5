"""Personal-data requests: what we hold about a person, and erasing it."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from common.text import field_problem
from curation.personal_data import person_data, person_erase
from directory.permissions import curator_required

# What `person_erase` counts, each with its number ("2 contact persons").
ERASED_WORDS = {
    "contact_persons": gettext_lazy("%(count)d contact persons"),
    "contact_history": gettext_lazy("%(count)d contact history"),
    "event_attendees": gettext_lazy("%(count)d event attendees"),
    "pending_profile_changes": gettext_lazy("%(count)d pending profile changes"),
    "merge_records": gettext_lazy("%(count)d merge records"),
    "join_requests": gettext_lazy("%(count)d join requests"),
    "email_confirmations": gettext_lazy("%(count)d confirmed e-mail addresses"),
}


# What we hold about a person is personal data: no browser or proxy may keep a copy.
@never_cache
@curator_required
@require_safe
def person(request: HttpRequest) -> HttpResponse:
    email, name = request.GET.get("email", "").strip(), request.GET.get("name", "").strip()
    # No stored e-mail or name is longer; a longer one cannot match and is not looked up.
    problem = field_problem(_("The e-mail address"), email, multiline=False, max_length=254) or (
        field_problem(_("The name"), name, multiline=False, max_length=200)
    )
    if problem:
        messages.error(request, problem)
        email, name = email[:254], name[:200]
    data = person_data(email=email, name=name) if (email or name) and not problem else None
    if data is not None and request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(data.as_json(), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response
    return render(
        request,
        "curation/person.html",
        {"email": email, "name": name, "data": data},
    )


@curator_required
@require_POST
def person_erase_view(request: HttpRequest) -> HttpResponse:
    email, name = request.POST.get("email", "").strip(), request.POST.get("name", "").strip()
    if request.POST.get("confirm") != "erase":
        messages.error(request, _("Type 'erase' to confirm."))
        query = urlencode({"email": email, "name": name})
        return redirect(f"{reverse('curation_person')}?{query}")
    try:
        counts = person_erase(email=email, name=name)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("curation_person")
    summary = ", ".join(
        str(ERASED_WORDS[what]) % {"count": n}
        if what in ERASED_WORDS
        else f"{n} {what.replace('_', ' ')}"
        for what, n in counts.items()
    )
    messages.success(request, _("Erased: %(summary)s.") % {"summary": summary})
    return redirect("curation_person")
