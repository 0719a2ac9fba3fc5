"""A web process confirming a schedule update solves nothing: it imports neither OR-Tools nor
SciPy's optimisers (each costs a web process tens of megabytes; the update job solved and
measured what the run records). Found by a review."""

import builtins

import pytest
from django.urls import reverse

from events.models import ScheduleProposal, ScheduleRun
from events.participants import participant_decide

HEAVY = ("sklearn", "ortools", "pandas", "scipy.optimize", "scipy.stats")


@pytest.fixture
def imports_seen(monkeypatch):
    """Every module an import statement names from now on (even one imported already)."""
    seen = []
    real = builtins.__import__

    def spying(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0:
            seen.append(name)
        return real(name, globals, locals, fromlist, level)

    def start():
        monkeypatch.setattr(builtins, "__import__", spying)
        return seen

    return start


def test_confirming_a_schedule_update_imports_no_solver(client, published_four, imports_seen):
    f = published_four
    f.event.min_meetings = 1  # a fairness target: the run records its fairness level
    f.event.save(update_fields=["min_meetings"])
    participant_decide(participant=f.chuncheon_p, accept=False)
    client.force_login(f.organiser)
    client.post(reverse("event_schedule_update", args=[f.event.slug]))  # a job: may solve
    proposal = ScheduleProposal.objects.get(event=f.event)

    seen = imports_seen()  # the web request from here on
    response = client.post(
        reverse("event_schedule_proposal_apply", args=[f.event.slug, proposal.pk]), follow=True
    )

    assert "Schedule updated" in response.content.decode()
    assert ScheduleRun.objects.filter(event=f.event, repair=True).exists()
    heavy = sorted({n for n in seen if n.startswith(HEAVY)})
    assert heavy == [], f"confirming an update in a web process imported {heavy}"
