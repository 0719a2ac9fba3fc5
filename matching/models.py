from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from common.text import validate_one_line, validate_storable
from directory.models import Actor
from directory.rules import is_published


class ShortlistEntry(models.Model):
    """A candidate partner a user keeps for one of their organisations, with a private note."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shortlist_entries"
    )
    actor = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        related_name="shortlists",
        help_text="The organisation the shortlist is for.",
    )
    candidate = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="shortlisted_by")
    note = models.TextField(
        blank=True, max_length=2000, validators=[validate_storable, MaxLengthValidator(2000)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "shortlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "actor", "candidate"], name="shortlist_once_per_candidate"
            ),
            models.CheckConstraint(
                condition=~models.Q(actor=models.F("candidate")), name="shortlist_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} for {self.actor}"

    @property
    def candidate_withdrawn(self) -> bool:
        """The curators unpublished the candidate after it was shortlisted. The entry and its
        note stay (the user wrote them), but the profile is no longer there to link to."""
        return not is_published(self.candidate.status)


class MarkKind(models.TextChoices):
    NOT_RELEVANT = "not-relevant", "not relevant"
    IN_CONTACT = "in-contact", "already in contact"


class CandidateMark(models.Model):
    """A candidate an organisation set aside: it leaves that organisation's ranking, exports
    and API ranking until one of its managers (or a curator) restores it. One per pair: every
    manager of the organisation shares it, and marking again replaces it."""

    actor = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        related_name="candidate_marks",
        help_text="The organisation whose ranking the candidate leaves.",
    )
    candidate = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="marked_by")
    kind = models.CharField(max_length=20, choices=MarkKind.choices)
    reason = models.CharField(max_length=200, blank=True, validators=[validate_one_line])
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField()

    class Meta:
        ordering = ["-marked_at"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "candidate"], name="mark_once_per_candidate"),
            models.CheckConstraint(
                condition=~models.Q(actor=models.F("candidate")), name="mark_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} set aside by {self.actor} ({self.get_kind_display()})"

    @property
    def candidate_withdrawn(self) -> bool:
        """The curators unpublished the candidate since it was set aside: the mark stays (and
        can be restored), but there is no profile to link to."""
        return not is_published(self.candidate.status)
