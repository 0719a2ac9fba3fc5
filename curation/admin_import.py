"""The admin's "Import actors" page and the curators' full exports (docs/import-format.md)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.import_report import ImportReport
from common.spreadsheet_read import MAX_BYTES
from curation.job_access import job_for
from curation.transfer import FORMATS
from curation.transfer.background import (
    IMPORT_KIND,
    inline_max_rows,
    report_from_result,
    start_actor_import,
)
from curation.views.transfer import export_response
from directory.models import Actor
from directory.permissions import is_curator


class ActorImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV, XLSX or JSON with one actor per row, as described in "
            "docs/import-format.md (an export from this page is a valid example)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.json"}),
    )
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label=gettext_lazy(
            "Dry run: check the file and show what would change, without writing anything"
        ),
    )


class ActorImportMixin:
    """Adds /admin/directory/actor/import/ and /admin/directory/actor/export.<fmt> to the
    actor admin, and an "Import actors" button on its change list."""

    import_template = "admin/directory/actor/import.html"

    def get_urls(self) -> list[URLPattern]:
        info = (self.opts.app_label, self.opts.model_name)
        # Before the admin's own patterns, whose "<path:object_id>/" would catch these.
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            path(
                "import/report/<int:pk>/",
                self.admin_site.admin_view(self.import_report_view),
                name="{}_{}_import_report".format(*info),
            ),
            path(
                "export.<str:fmt>",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request: HttpRequest) -> bool:
        # An import both creates and changes actors.
        return request.user.has_perm("directory.add_actor") and request.user.has_perm(
            "directory.change_actor"
        )

    def has_full_export_permission(self, request: HttpRequest) -> bool:
        # The full export carries contacts (personal data): curators who may see them.
        return (
            is_curator(request.user)
            and self.has_view_permission(request)
            and request.user.has_perm("directory.view_contactperson")
        )

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        report = None
        if request.method == "POST":
            form = ActorImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                # One byte more than the limit is enough for the import to refuse the file.
                data = upload.read(MAX_BYTES + 1)
                outcome = start_actor_import(
                    data=data,
                    filename=upload.name,
                    dry_run=form.cleaned_data["dry_run"],
                    user=request.user,
                    link=request.path,
                )
                if not isinstance(outcome, ImportReport):
                    # A large file: its job's page shows the progress, then the report.
                    return redirect("jobs:detail", outcome.pk)
                report = outcome
        else:
            form = ActorImportForm()
        return self._import_page(request, form=form, report=report)

    def _import_page(self, request: HttpRequest, *, form, report, job=None) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import actors"),
            "opts": self.opts,
            "form": form,
            "report": report,
            "job": job,
            "inline_max_rows": inline_max_rows(),
            "export_formats": FORMATS if self.has_full_export_permission(request) else (),
        }
        return TemplateResponse(request, self.import_template, context)

    def import_report_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The report of an import that ran as a job, on the import page."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = job_for(request.user, pk)
        report = report_from_result(job.result) if job.kind == IMPORT_KIND else None
        if report is None:
            raise Http404("This job kept no import report.")
        return self._import_page(request, form=ActorImportForm(), report=report, job=job)

    def export_view(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if not self.has_full_export_permission(request):
            raise PermissionDenied
        return export_response(
            queryset=Actor.objects.order_by("name", "slug"),
            fmt=fmt,
            include_contacts=True,
            with_drafts=True,
            name="cluster-match-all-actors",
        )
