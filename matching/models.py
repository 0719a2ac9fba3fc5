from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.text import validate_one_line, validate_storable
from directory.models import Actor
from directory.rules import is_published


class ShortlistStatus(models.TextChoices):
    # In the order a partnership grows: later statuses win when two entries merge.
    TO_CONTACT = "to-contact", pgettext_lazy("shortlist status", "to contact")
    CONTACTED = "contacted", pgettext_lazy("shortlist status", "contacted")
    MET = "met", pgettext_lazy("shortlist status", "met")
    PARTNER = "partner", pgettext_lazy("shortlist status", "partner")


STATUS_ORDER = [choice.value for choice in ShortlistStatus]


class ShortlistEntry(models.Model):
    """A candidate partner an organisation keeps: one list per organisation, shared by all its
    managers, with where things stand (the status) and the team's notes."""

    actor = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        related_name="shortlists",
        help_text=_("The organisation the shortlist is for."),
    )
    candidate = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="shortlisted_by")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        max_length=20, choices=ShortlistStatus.choices, default=ShortlistStatus.TO_CONTACT
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = _("shortlist entries")
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "candidate"], name="shortlist_once_per_organisation"
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
        notes stay (the team wrote them), but the profile is no longer there to link to."""
        return not is_published(self.candidate.status)


class ShortlistNote(models.Model):
    """One note on a shortlist entry, by one of the organisation's managers (or a curator)."""

    entry = models.ForeignKey(ShortlistEntry, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shortlist_notes",
    )
    text = models.TextField(
        max_length=2000, validators=[validate_storable, MaxLengthValidator(2000)]
    )
    # Not auto_now_add: notes carried over from the private notes keep their own date.
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"Note on {self.entry}"


class DigestState(models.Model):
    """What the weekly digest last saw for one organisation: the candidates then in its top
    matches. The next digest names the ones that entered since."""

    actor = models.OneToOneField(Actor, on_delete=models.CASCADE, related_name="digest_state")
    top = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Digest state of {self.actor}"


class MarkKind(models.TextChoices):
    NOT_RELEVANT = "not-relevant", pgettext_lazy("set-aside kind", "not relevant")
    IN_CONTACT = "in-contact", pgettext_lazy("set-aside kind", "already in contact")


class CandidateMark(models.Model):
    """A candidate an organisation set aside: it leaves that organisation's ranking, exports
    and API ranking until one of its managers (or a curator) restores it. One per pair: every
    manager of the organisation shares it, and marking again replaces it."""

    actor = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        related_name="candidate_marks",
        help_text=_("The organisation whose ranking the candidate leaves."),
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
