"""Shortlists in the admin, for curators and superusers."""

from django.contrib import admin

from matching.models import ShortlistEntry

admin.site.register(ShortlistEntry)
