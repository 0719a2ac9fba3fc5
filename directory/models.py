from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from common.history import LinkedHistoricalRecords
from common.text import validate_one_line, validate_storable
from directory.bilingual import in_reader_language
from directory.choices import KINDS, SIDES, STATUSES
from directory.roles import is_curator
from directory.rules import (
    DESCRIPTION_MAX_CHARS,
    description_problems,
    is_published,
    keyword_problem,
    keywords_normalise,
    keywords_split,
    publishing_rule_holds,
)
from directory.search import KOREAN_SOURCE_FIELDS, actor_korean_search_text

# The labels are marked in choices.py and translated when shown, in the reader's language.
Side = models.TextChoices(
    "Side", [(code.upper(), (code, gettext_lazy(label))) for code, label in SIDES]
)
Kind = models.TextChoices(
    "Kind",
    [(code.upper().replace("-", "_"), (code, gettext_lazy(label))) for code, label in KINDS],
)
Status = models.TextChoices(
    "Status", [(code.upper(), (code, gettext_lazy(label))) for code, label in STATUSES]
)


class SectorGroup(models.TextChoices):
    TRADED = "traded", gettext_lazy("Traded industries (European Cluster Observatory)")
    EMERGING = "emerging", gettext_lazy("Emerging industries (European Cluster Observatory)")
    KOREA = "korea", gettext_lazy("Korean strategic fields")


class Sector(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=120, validators=[validate_one_line])
    label_ko = models.CharField(
        max_length=120,
        blank=True,
        default="",
        db_default="",
        validators=[validate_one_line],
        verbose_name=gettext_lazy("Korean label"),
    )
    group = models.CharField(max_length=20, choices=SectorGroup.choices)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label

    def display_label(self) -> str:
        """The label in the reader's language (the Korean one on Korean pages, when set)."""
        return in_reader_language(english=self.label, korean=self.label_ko)


class Interest(models.Model):
    """A kind of cooperation an actor offers or seeks (R&D projects, market access ...)."""

    code = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=120, validators=[validate_one_line])
    label_ko = models.CharField(
        max_length=120,
        blank=True,
        default="",
        db_default="",
        validators=[validate_one_line],
        verbose_name=gettext_lazy("Korean label"),
    )

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label

    def display_label(self) -> str:
        """The label in the reader's language (the Korean one on Korean pages, when set)."""
        return in_reader_language(english=self.label, korean=self.label_ko)


class Region(models.Model):
    """A Korean province or metropolitan city, or a European (NUTS-1 or named) region."""

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120, validators=[validate_one_line])
    name_ko = models.CharField(
        max_length=120,
        blank=True,
        default="",
        db_default="",
        validators=[validate_one_line],
        verbose_name=gettext_lazy("Korean name"),
    )
    short_name = models.CharField(
        max_length=60,
        blank=True,
        default="",
        db_default="",
        validators=[validate_one_line],
        help_text=gettext_lazy(
            'How people name it after a city: "Gyeongbuk" for Gyeongsangbuk-do.'
        ),
    )
    country = CountryField()
    economic_region = models.CharField(
        max_length=60,
        blank=True,
        help_text=gettext_lazy("For Korea: the 5+2 economic region it belongs to."),
    )

    class Meta:
        ordering = ["country", "name"]

    def __str__(self) -> str:
        return self.name


class EditReview(models.TextChoices):
    DEFAULT = "default", gettext_lazy("as the global setting says")
    REVIEW = "review", gettext_lazy("wait for a curator's review")
    LIVE = "live", gettext_lazy("go live at once")


class ActorQuerySet(models.QuerySet):
    def published(self) -> ActorQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user) -> ActorQuerySet:
        # Drafts and archived profiles are curators' working material.
        if is_curator(user):
            return self.all()
        return self.published()


class Actor(models.Model):
    name = models.CharField(max_length=200, validators=[validate_one_line])
    name_ko = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",
        validators=[validate_one_line],
        verbose_name=gettext_lazy("Korean name"),
    )
    acronym = models.CharField(max_length=40, blank=True, validators=[validate_one_line])
    slug = models.SlugField(max_length=120, unique=True)
    side = models.CharField(max_length=2, choices=Side.choices)
    country = CountryField()
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="actors"
    )
    city = models.CharField(max_length=120, blank=True, validators=[validate_one_line])
    kind = models.CharField(max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text=gettext_lazy("A Mini Cluster's industrial complex, a complex's managing body."),
    )
    # 10,000 characters is some 1,500 words: more than any profile needs, and what a CSV
    # reader and a spreadsheet cell hold, so that every export imports back whole.
    description = models.TextField(
        max_length=DESCRIPTION_MAX_CHARS,
        # A TextField's max_length binds forms only; the validator holds imports to it too.
        validators=[validate_storable, MaxLengthValidator(DESCRIPTION_MAX_CHARS)],
        blank=True,
        help_text=gettext_lazy("English prose: what it is, where, what it works on."),
    )
    # Either description may be the only one (a Korean-only profile); publishing needs one.
    description_ko = models.TextField(
        blank=True,
        default="",
        db_default="",
        max_length=DESCRIPTION_MAX_CHARS,
        validators=[validate_storable, MaxLengthValidator(DESCRIPTION_MAX_CHARS)],
        verbose_name=gettext_lazy("Korean description"),
        help_text=gettext_lazy("Korean prose, beside or instead of the English description."),
    )
    # The Hangul of the names, keywords and descriptions as the search reads it (content words
    # and their endings, one line per search weight: directory/search.py), kept by save(). The
    # search document of PostgreSQL indexes it, since the database cannot run the analyser.
    search_korean = models.TextField(blank=True, default="", db_default="", editable=False)
    keywords = models.TextField(
        blank=True,
        max_length=2000,
        validators=[validate_storable, MaxLengthValidator(2000)],
        help_text=gettext_lazy("Separated by semicolons."),
    )
    sectors = models.ManyToManyField(Sector, blank=True, related_name="actors")
    offers = models.ManyToManyField(
        Interest,
        blank=True,
        related_name="offered_by",
        verbose_name=gettext_lazy("interests offered"),
    )
    seeks = models.ManyToManyField(
        Interest,
        blank=True,
        related_name="sought_by",
        verbose_name=gettext_lazy("interests sought"),
    )
    website = models.URLField(blank=True)
    founded = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    members = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("member count")
    )
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_one_line],
        help_text=gettext_lazy("The document or address the facts come from."),
    )
    last_verified = models.DateField(null=True, blank=True)
    # Always a PNG this site wrote itself (directory/logos.py re-encodes every upload).
    logo = models.ImageField(
        upload_to="logos/", blank=True, default="", db_default="", max_length=200
    )
    edit_review = models.CharField(
        max_length=10,
        choices=EditReview.choices,
        default=EditReview.DEFAULT,
        help_text=gettext_lazy("Whether managers' edits go live at once or wait for a curator."),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_actors"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActorQuerySet.as_manager()
    # Who changed what and when, from any path that saves the model (site, admin, import,
    # merge); the sector and interest links are versioned with it.
    history = LinkedHistoricalRecords(
        m2m_fields=[sectors, offers, seeks], excluded_fields=["updated_at", "search_korean"]
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "side"]),
            # The directory's default list: published actors by name, then key (namesakes in a
            # set order, so that each is on one page). A page far down the list finds its 20
            # keys in the index alone (common/paging.py reads keys first), not by reading
            # every row before it.
            models.Index(fields=["status", "name", "id"], name="actor_status_name_key"),
            models.Index(fields=["kind"]),
            models.Index(fields=["country"]),
            # The directory's country filter lists the countries published actors are in: an
            # index-only scan instead of reading every row (docs/performance.md).
            models.Index(fields=["status", "country"]),
            # The directory's "recently updated" sort.
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="actor_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="actor_longitude_range",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="actor_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args, **kwargs) -> None:
        # Keywords have one stored form whatever path saved them (form, admin, import, merge,
        # restore), so exports read back as they were written.
        self.keywords = keywords_normalise(self.keywords)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or KOREAN_SOURCE_FIELDS & set(update_fields):
            # Derived from the texts on every path that saves them, like the keywords' form.
            self.search_korean = actor_korean_search_text(self)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_korean"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("actor_detail", args=[self.slug])

    def get_kind_display(self) -> str:
        # Django's own version hashes every choice's lazy label (a translation look-up each)
        # on every call; directory pages and rankings call it once per row.
        try:
            return str(Kind(self.kind).label)
        except ValueError:
            return self.kind

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.side == Side.KR and self.country and self.country.code != "KR":
            errors["country"] = _("A Korean actor must be in Korea (KR).")
        if self.side == Side.EU and self.country and self.country.code == "KR":
            errors["country"] = _("A European actor cannot be in Korea.")
        if self.region_id and self.country and self.region.country.code != self.country.code:
            errors["region"] = _("%(region)s is not in %(country)s.") % {
                "region": self.region,
                "country": self.country.name,
            }
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = _("An actor cannot be its own parent.")
        texts = {"description": self.description, "description_ko": self.description_ko}
        problems = description_problems(**texts, published=is_published(self.status))
        if problems and self.pk and not self._state.adding:
            # Only when the rule would refuse: is this a profile published before the rule,
            # with its descriptions untouched? Then they may be saved as they are.
            stored = Actor.objects.filter(pk=self.pk).values(*texts, "status").first()
            if stored:
                unchanged = [
                    name
                    for name, text in texts.items()
                    if not publishing_rule_holds(
                        is_new=False,
                        was_published=is_published(stored["status"]),
                        description_changed=stored[name] != text,
                    )
                ]
                problems = description_problems(
                    **texts, published=is_published(self.status), unchanged=unchanged
                )
        for name, problem in problems.items():
            errors[name] = problem[0].upper() + problem[1:] + "."
        problem = keyword_problem(keywords_split(self.keywords))
        if problem:
            errors["keywords"] = problem[0].upper() + problem[1:] + "."
        if errors:
            raise ValidationError(errors)

    @property
    def keyword_list(self) -> list[str]:
        return keywords_split(self.keywords)


class LegalBasis(models.TextChoices):
    """GDPR Art. 6 grounds that fit a directory of professional contacts."""

    PUBLIC = "public", gettext_lazy("published by the organisation (legitimate interest)")
    CONSENT = "consent", gettext_lazy("consent of the person")
    INTEREST = "interest", gettext_lazy("legitimate interest (professional contact)")
    CONTRACT = "contract", gettext_lazy("contract or membership")


class ContactPerson(models.Model):
    """Personal data: shown to logged-in users only, never in public exports."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, validators=[validate_one_line])
    role = models.CharField(max_length=200, blank=True, validators=[validate_one_line])
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True, validators=[validate_one_line])
    legal_basis = models.CharField(
        max_length=10, choices=LegalBasis.choices, default=LegalBasis.INTEREST
    )
    source = models.CharField(
        max_length=300,
        blank=True,
        validators=[validate_one_line],
        help_text=gettext_lazy("Where the contact details come from."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = gettext_lazy("contact person")

    def __str__(self) -> str:
        return self.name


class DirectoryRevision(models.Model):
    """A counter the database itself increments on every change to the directory.

    Triggers (migration 0004) bump it on any insert, update or delete of actors, their sector
    and interest links, sectors and interests, whatever the path: site forms, the admin, bulk
    updates, imports or SQL. The ranking index compares it to decide whether to rebuild.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = gettext_lazy("directory revision")

    def __str__(self) -> str:
        return f"revision {self.value}"


def directory_revision() -> int | None:
    return DirectoryRevision.objects.filter(pk=1).values_list("value", flat=True).first()


def directory_fingerprint() -> str:
    """What tells this database's directory from another's at the same revision number (a
    test database, a copy): actors counted, the last id and the last change."""
    figures = Actor.objects.aggregate(
        n=models.Count("id"), last=models.Max("id"), changed=models.Max("updated_at")
    )
    changed = figures["changed"].isoformat() if figures["changed"] else ""
    return f"{figures['n']}:{figures['last']}:{changed}"


class CurationSettings(models.Model):
    """Directory-wide curation choices (one row)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    review_manager_edits = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Managers' edits wait for a curator's review unless the actor says otherwise."
        ),
    )

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("curation settings")

    def __str__(self) -> str:
        return _("Curation settings")

    @classmethod
    def current(cls) -> CurationSettings:
        return cls.objects.get_or_create(pk=1)[0]


class ChangeStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("waiting for review")
    APPROVED = "approved", gettext_lazy("approved")
    REJECTED = "rejected", gettext_lazy("rejected")


class PendingChange(models.Model):
    """A manager's edit of a profile held for a curator's review."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="pending_changes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The proposed profile: the manager-editable fields, sector and interest codes, contacts.
    proposed = models.JSONField()
    status = models.CharField(
        max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    message = models.CharField(
        max_length=1000,
        blank=True,
        validators=[validate_storable],
        help_text=gettext_lazy("Seen by the manager."),
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return _("Change to %(actor)s (%(status)s)") % {
            "actor": self.actor,
            "status": self.get_status_display(),
        }


class MergeRecord(models.Model):
    """What a merge removed, so that it can be explained (and redone by hand) later."""

    kept = models.ForeignKey(Actor, on_delete=models.SET_NULL, null=True, related_name="merges")
    removed_slug = models.SlugField(max_length=120)
    removed_name = models.CharField(max_length=200, validators=[validate_one_line])
    removed = models.JSONField(help_text=gettext_lazy("The removed actor's fields as they were."))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return _("%(removed)s merged into %(kept)s") % {
            "removed": self.removed_name,
            "kept": self.kept,
        }


class DistinctPair(models.Model):
    """A curator's word that two actors the duplicate finder pairs are different organisations,
    so that the pair is not proposed again."""

    first = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="distinct_pair_once"),
            # One row per pair whichever way round it was named.
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="distinct_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return _("%(first)s is not %(second)s") % {"first": self.first, "second": self.second}


class PartnershipKind(models.TextChoices):
    AGREEMENT = "agreement", gettext_lazy("agreement (MoU or contract)")
    PROJECT = "project", gettext_lazy("joint project")
    COOPERATION = (
        "cooperation",
        gettext_lazy("documented cooperation (missions, exchanges, joint events)"),
    )
    EVENT_MEETING = "event-meeting", gettext_lazy("met at a matchmaking event")


class Partnership(models.Model):
    """A known tie between two actors, recorded by a curator (or an organiser from an event's
    outcome), with where it is written down. Rankings mark known partners and can hide them."""

    first = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=PartnershipKind.choices)
    since = models.DateField(
        null=True, blank=True, help_text=gettext_lazy("When it started or was signed, if known.")
    )
    source = models.CharField(
        max_length=300,
        validators=[validate_one_line],
        help_text=gettext_lazy("Where it is written down: a document, a web address, an event."),
    )
    note = models.TextField(
        blank=True, max_length=2000, validators=[validate_storable, MaxLengthValidator(2000)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-since", "-recorded_at"]
        constraints = [
            # One row per pair and kind, whichever way round the two were named.
            models.UniqueConstraint(fields=["first", "second", "kind"], name="partnership_once"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="partnership_ordered"
            ),
        ]

    def __str__(self) -> str:
        return _("%(first)s and %(second)s (%(kind)s)") % {
            "first": self.first,
            "second": self.second,
            "kind": self.get_kind_display(),
        }

    def other(self, actor_id: int) -> Actor:
        """The partner of `actor_id` in this partnership."""
        return self.second if self.first_id == actor_id else self.first


class SavedSearch(models.Model):
    """A directory search a user keeps under a name, with an alert when new actors match.

    `query` is the directory page's query string (filters only, as the page's URL has them);
    `seen` holds the ids of every published actor that matched at a check since the baseline
    (an actor hidden for a while and shown again is not new), so the next check can name the
    ones that are. A search never checked has no baseline yet.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100, validators=[validate_one_line])
    query = models.CharField(max_length=1000, blank=True)
    alert = models.BooleanField(
        default=True, help_text=gettext_lazy("Tell the owner when new actors match.")
    )
    seen = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_search_name_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        path = reverse("actor_list")
        return f"{path}?{self.query}" if self.query else path


class SourceDocument(models.Model):
    """A document profiles cite, named as a person would cite it.

    An actor's `source` refers to documents by `key` (a seed file's name, a short code or a web
    address), with a locator after it ("000_3ec0da48844ca2a2.txt (Annex 5.4)"); pages show the
    title, publisher and year instead of the key.
    """

    key = models.CharField(max_length=120, unique=True, validators=[validate_one_line])
    title = models.CharField(max_length=300, validators=[validate_one_line])
    publisher = models.CharField(max_length=200, blank=True, validators=[validate_one_line])
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    url = models.URLField(
        blank=True, max_length=500, help_text=gettext_lazy("Where it can be read, if public.")
    )

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title


class JoinKind(models.TextChoices):
    CLAIM = "claim", gettext_lazy("claim an existing profile")
    REGISTER = "register", gettext_lazy("register a new organisation")


class JoinStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("waiting for a curator")
    APPROVED = "approved", gettext_lazy("approved")
    REFUSED = "refused", gettext_lazy("refused")
    WITHDRAWN = "withdrawn", gettext_lazy("withdrawn")


class JoinRequest(models.Model):
    """A person asking to manage an actor: an existing profile (claim) or a new one (register).

    A curator approves (the person becomes a manager; for a registration the proposed profile
    becomes a draft actor first) or refuses with a reason. `proposed` holds a registration's
    profile fields as the person typed them.
    """

    kind = models.CharField(max_length=10, choices=JoinKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    actor = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="join_requests",
        help_text=gettext_lazy(
            "The claimed actor; for a registration, the actor made on approval."
        ),
    )
    proposed = models.JSONField(default=dict, blank=True)
    role = models.CharField(
        max_length=200,
        validators=[validate_one_line],
        help_text=gettext_lazy("The person's position in the organisation."),
    )
    message = models.TextField(
        blank=True, max_length=2000, validators=[validate_storable, MaxLengthValidator(2000)]
    )
    status = models.CharField(max_length=10, choices=JoinStatus.choices, default=JoinStatus.PENDING)
    reason = models.TextField(
        blank=True,
        max_length=2000,
        validators=[validate_storable, MaxLengthValidator(2000)],
        help_text=gettext_lazy("The curator's reason, shown to the person."),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A second click or a second tab does not file a second claim of the same profile.
            models.UniqueConstraint(
                fields=["user", "actor"],
                condition=Q(status="pending", kind="claim"),
                name="join_claim_pending_once",
            ),
            models.CheckConstraint(
                condition=Q(kind="register") | Q(actor__isnull=False), name="join_claim_has_actor"
            ),
        ]

    def __str__(self) -> str:
        return _("%(kind)s by %(user)s (%(status)s)") % {
            "kind": self.get_kind_display(),
            "user": self.user,
            "status": self.get_status_display(),
        }


class EmailConfirmation(models.Model):
    """An address its owner proved they read: a link sent there was opened.

    The e-mail settings page lets a person change their address with their password alone, so
    an account's address is not by itself proof of anything. A join request tells the curator
    whether the address it comes from was confirmed, since its domain is the strongest sign
    that the person works where they say.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_confirmations"
    )
    # Kept in lower case: addresses are compared whatever case the person typed.
    email = models.EmailField(max_length=254)
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "email"], name="email_confirmed_once")
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.user})"
