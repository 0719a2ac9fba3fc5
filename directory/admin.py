from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from directory.models import Actor, ContactPerson, Interest, Region, Sector, Status


class ContactInline(admin.TabularInline):
    model = ContactPerson
    extra = 0
    fields = ["name", "role", "email", "phone"]


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "side", "country", "kind", "status", "last_verified"]
    list_filter = ["status", "side", "kind", "country", "sectors", "region"]
    search_fields = ["name", "acronym", "slug", "city", "keywords", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "region", "managers"]
    filter_horizontal = ["sectors", "offers", "seeks"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ContactInline]
    list_per_page = 50
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["publish", "archive", "mark_verified_today"]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "status", "side", "kind", "parent"]}),
        ("Place", {"fields": ["country", "region", "city", "latitude", "longitude"]}),
        ("Profile", {"fields": ["description", "keywords", "sectors", "offers", "seeks"]}),
        ("Facts", {"fields": ["website", "founded", "members", "source", "last_verified"]}),
        ("Access", {"fields": ["managers", "created_at", "updated_at"]}),
    ]

    @admin.action(description="Publish the selected actors")
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(status=Status.PUBLISHED, updated_at=timezone.now())
        self.message_user(request, f"{count} actor(s) published.", messages.SUCCESS)

    @admin.action(description="Archive the selected actors")
    def archive(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(status=Status.ARCHIVED, updated_at=timezone.now())
        self.message_user(request, f"{count} actor(s) archived.", messages.SUCCESS)

    @admin.action(description="Mark the selected actors as verified today")
    def mark_verified_today(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(last_verified=timezone.localdate(), updated_at=timezone.now())
        self.message_user(request, f"{count} actor(s) marked as verified today.", messages.SUCCESS)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "group"]
    list_filter = ["group"]
    search_fields = ["label", "code"]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["label", "code"]
    search_fields = ["label", "code"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "economic_region", "code"]
    list_filter = ["country", "economic_region"]
    search_fields = ["name", "code"]


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "actor", "email"]
    search_fields = ["name", "email", "actor__name"]
    autocomplete_fields = ["actor"]


admin.site.site_header = "Cluster Match curation"
admin.site.site_title = "Cluster Match"
admin.site.index_title = "Directory curation"
