"""What curators see of messages in the admin: who was told what, and e-mails that could not
be sent, with "Send again". Nothing here is edited by hand: a message is history."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from notifications.delivery import send_again
from notifications.models import EmailStatus, Notification, OutgoingEmail


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return [field.name for field in self.model._meta.fields]


class ReadFilter(admin.SimpleListFilter):
    title = gettext_lazy("read")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("no", _("unread")), ("yes", _("read"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(read_at__isnull=self.value() == "no")
        return queryset


@admin.register(Notification)
class NotificationAdmin(_ReadOnly):
    list_display = ["created_at", "recipient", "kind", "subject", "read_at"]
    list_filter = ["kind", ReadFilter]
    search_fields = ["subject", "recipient__username", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(_ReadOnly):
    list_display = [
        "created_at", "to", "subject", "status", "attempts", "last_error", "why_not_sent_shown",
        "sent_at",
    ]  # fmt: skip
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    actions = ["send_again_action"]
    fields = [
        "to", "subject", "status", "why_not_sent_shown", "attempts", "last_error", "created_at",
        "sent_at", "notification", "headers", "text", "html",
    ]  # fmt: skip

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "why_not_sent_shown"]

    @admin.display(description=gettext_lazy("why not sent"))
    def why_not_sent_shown(self, obj: OutgoingEmail) -> str:
        # Stored in English (notifications.delivery); read in the curator's language.
        return _(obj.why_not_sent) if obj.why_not_sent else ""

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_outgoingemail")

    @admin.action(
        description=gettext_lazy("Send the selected e-mails again"), permissions=["resend"]
    )
    def send_again_action(self, request: HttpRequest, queryset: QuerySet) -> None:
        unsent = list(queryset.exclude(status=EmailStatus.SENT))
        # send_again() applies the send-time rule: a person who removed their address or
        # turned these e-mails off since is not written to, and the e-mail says why.
        queued = sum(send_again(email=email) for email in unsent)
        not_wanted = len(unsent) - queued
        skipped = queryset.count() - len(unsent)
        if queued:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail queued to be sent again.",
                    "%(count)d e-mails queued to be sent again.",
                    queued,
                )
                % {"count": queued},
                messages.SUCCESS,
            )
        if not_wanted:
            self.message_user(
                request,
                _(
                    "%(count)d not sent: the person no longer gets these e-mails (no address,"
                    " e-mail turned off or account deactivated; each e-mail says why)."
                )
                % {"count": not_wanted},
                messages.WARNING,
            )
        if skipped:
            self.message_user(
                request,
                _("%(count)d already sent: not sent twice.") % {"count": skipped},
                messages.WARNING,
            )
