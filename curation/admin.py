from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.forms import BoundedRelationsAdmin
from common.history import history_attribute
from curation.admin_import import ActorImportMixin
from directory.accounts import AdminLoginForm
from directory.models import (
    Actor,
    ContactPerson,
    CurationSettings,
    Interest,
    MergeRecord,
    Partnership,
    PendingChange,
    Region,
    Sector,
    SourceDocument,
    Status,
)
from directory.partnerships import partnership_check
from directory.rules import (
    DESCRIPTION_MIN_WORDS,
    KOREAN_DESCRIPTION_MIN_CHARS,
    description_problems,
)
from matching.jobs import schedule_index_rebuild


def _save_each(request: HttpRequest, queryset: QuerySet, *, reason: str, **values) -> int:
    """Bulk actions save actor by actor so that each change lands in the history."""
    count = 0
    with transaction.atomic():
        for actor in queryset.select_for_update():
            for name, value in values.items():
                setattr(actor, name, value)
            history_attribute(actor, user=request.user, reason=f"{reason} in the admin")
            actor.save(update_fields=[*values, "updated_at"])
            count += 1
    return count


class ContactInline(BoundedRelationsAdmin, admin.TabularInline):
    model = ContactPerson
    extra = 0
    fields = ["name", "role", "email", "phone", "legal_basis", "source"]


def _some_names(actors: list[Actor]) -> str:
    names = ", ".join(actor.name for actor in actors[:10])
    if len(actors) > 10:
        names = ngettext(
            "%(names)s and %(count)d more", "%(names)s and %(count)d more", len(actors) - 10
        ) % {"names": names, "count": len(actors) - 10}
    return names


@admin.register(Actor)
class ActorAdmin(BoundedRelationsAdmin, ActorImportMixin, admin.ModelAdmin):
    list_display = ["name", "acronym", "side", "country", "kind", "status", "last_verified"]
    list_filter = ["status", "side", "kind", "country", "sectors", "region"]
    search_fields = ["name", "name_ko", "acronym", "slug", "city", "keywords", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "region", "managers"]
    filter_horizontal = ["sectors", "offers", "seeks"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ContactInline]
    list_per_page = 50
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["publish", "archive", "mark_verified_today"]
    korean_fields = ("name_ko", "description_ko")
    fieldsets = [
        (
            None,
            {"fields": ["name", "name_ko", "acronym", "slug", "status", "side", "kind", "parent"]},
        ),
        (gettext_lazy("Place"), {"fields": ["country", "region", "city", "latitude", "longitude"]}),
        (
            gettext_lazy("Profile"),
            {
                "fields": [
                    "description",
                    "description_ko",
                    "keywords",
                    "sectors",
                    "offers",
                    "seeks",
                ]
            },
        ),
        (
            gettext_lazy("Facts"),
            {"fields": ["website", "founded", "members", "source", "last_verified"]},
        ),
        (gettext_lazy("Curation"), {"fields": ["edit_review"]}),
        (gettext_lazy("Access"), {"fields": ["managers", "created_at", "updated_at"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.korean_fields:
            field.widget.attrs["lang"] = "ko"  # for screen readers and input methods
        return field

    @admin.action(description=gettext_lazy("Publish the selected actors"))
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        # The publishing rule holds here as in the form and the import: too short a
        # description stays a draft, and the curator is told which ones.
        short = [
            actor
            for actor in queryset.only("name", "description", "description_ko")
            if description_problems(
                description=actor.description, description_ko=actor.description_ko, published=True
            )
        ]
        ready = queryset.exclude(pk__in=[actor.pk for actor in short])
        count = _save_each(request, ready, status=Status.PUBLISHED, reason="published")
        self.message_user(
            request, _("%(count)d actor(s) published.") % {"count": count}, messages.SUCCESS
        )
        if count:
            # A bulk change: the ranking index is rebuilt once, by a job, not by each page.
            schedule_index_rebuild(
                by=request.user, reason=_("publishing %(count)d actor(s)") % {"count": count}
            )
        # Profiles without a Korean description are told the English rule as it always was.
        english = [actor for actor in short if not actor.description_ko.strip()]
        bilingual = [actor for actor in short if actor.description_ko.strip()]
        if english:
            self.message_user(
                request,
                _("Not published, their description has fewer than %(minimum)d words: %(names)s.")
                % {"minimum": DESCRIPTION_MIN_WORDS, "names": _some_names(english)},
                messages.WARNING,
            )
        if bilingual:
            self.message_user(
                request,
                _(
                    "Not published, a description is too short (English needs %(minimum)d words, "
                    "Korean %(minimum_ko)d Hangul characters; an empty English one is fine beside "
                    "a Korean one): %(names)s."
                )
                % {
                    "minimum": DESCRIPTION_MIN_WORDS,
                    "minimum_ko": KOREAN_DESCRIPTION_MIN_CHARS,
                    "names": _some_names(bilingual),
                },
                messages.WARNING,
            )

    @admin.action(description=gettext_lazy("Archive the selected actors"))
    def archive(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = _save_each(request, queryset, status=Status.ARCHIVED, reason="archived")
        self.message_user(
            request, _("%(count)d actor(s) archived.") % {"count": count}, messages.SUCCESS
        )
        if count:
            schedule_index_rebuild(
                by=request.user, reason=_("archiving %(count)d actor(s)") % {"count": count}
            )

    @admin.action(description=gettext_lazy("Mark the selected actors as verified today"))
    def mark_verified_today(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = _save_each(
            request, queryset, last_verified=timezone.localdate(), reason="marked as verified"
        )
        self.message_user(
            request,
            _("%(count)d actor(s) marked as verified today.") % {"count": count},
            messages.SUCCESS,
        )


@admin.register(SourceDocument)
class SourceDocumentAdmin(BoundedRelationsAdmin, admin.ModelAdmin):
    # Profiles cite documents by key; pages show these fields instead (directory/citations.py).
    list_display = ["key", "title", "publisher", "year", "url"]
    search_fields = ["key", "title", "publisher"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Sector)
class SectorAdmin(BoundedRelationsAdmin, admin.ModelAdmin):
    list_display = ["label", "code", "group"]
    list_filter = ["group"]
    search_fields = ["label", "code"]


@admin.register(Interest)
class InterestAdmin(BoundedRelationsAdmin, admin.ModelAdmin):
    list_display = ["label", "code"]
    search_fields = ["label", "code"]


@admin.register(Region)
class RegionAdmin(BoundedRelationsAdmin, admin.ModelAdmin):
    list_display = ["name", "country", "economic_region", "code"]
    list_filter = ["country", "economic_region"]
    search_fields = ["name", "code"]


@admin.register(ContactPerson)
class ContactPersonAdmin(BoundedRelationsAdmin, admin.ModelAdmin):
    list_display = ["name", "role", "actor", "email"]
    search_fields = ["name", "email", "actor__name"]
    autocomplete_fields = ["actor"]


admin.site.site_header = gettext_lazy("Cluster Match curation")
admin.site.login_form = AdminLoginForm
admin.site.site_title = "Cluster Match"
admin.site.index_title = gettext_lazy("Directory curation")


@admin.register(CurationSettings)
class CurationSettingsAdmin(BoundedRelationsAdmin, admin.ModelAdmin):
    list_display = ["__str__", "review_manager_edits"]


@admin.register(PendingChange)
class PendingChangeAdmin(BoundedRelationsAdmin, admin.ModelAdmin):
    list_display = ["actor", "author", "created_at", "status", "reviewer"]
    list_filter = ["status"]
    readonly_fields = ["actor", "author", "created_at", "proposed", "reviewer", "reviewed_at"]


@admin.register(MergeRecord)
class MergeRecordAdmin(BoundedRelationsAdmin, admin.ModelAdmin):
    list_display = ["removed_name", "kept", "merged_by", "merged_at"]
    readonly_fields = ["kept", "removed_slug", "removed_name", "removed", "merged_by"]


class PartnershipAdminForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["first", "second", "kind", "since", "source", "note"]

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("first"), data.get("second")
        try:
            partnership_check(actor=first, partner=second, since=data.get("since"))
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                # On a field, not the form: a field in error is left out of the constraint
                # checks, which would otherwise add a database-speak message of their own.
                self.add_error("since" if field == "since" else "second", problems)
        if first and second and first.pk > second.pk:
            # Stored lower id first (one row per pair): the curator may name them either way.
            data["first"], data["second"] = second, first
        return data


@admin.register(Partnership)
class PartnershipAdmin(BoundedRelationsAdmin, admin.ModelAdmin):
    form = PartnershipAdminForm
    list_display = ["first", "second", "kind", "since", "source_short", "recorded_at"]
    list_filter = ["kind", "recorded_at"]
    list_select_related = ["first", "second", "recorded_by"]
    search_fields = [
        "first__name", "first__acronym", "second__name", "second__acronym", "source", "note",
    ]  # fmt: skip
    autocomplete_fields = ["first", "second"]
    readonly_fields = ["recorded_by", "recorded_at"]

    @admin.display(description=gettext_lazy("source"), ordering="source")
    def source_short(self, obj: Partnership) -> str:
        # A whole web address or document title would push the other columns off the page.
        return Truncator(obj.source).chars(60)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
