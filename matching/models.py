from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from common.text import validate_storable
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
