from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from notifications import kinds
from notifications.forms import PreferencesForm
from notifications.models import Notification
from notifications.service import mark_all_read, mark_read, safe_link, set_email_preference
from notifications.tokens import read_unsubscribe_token

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "HEAD"])
def inbox(request):
    notifications = Notification.objects.filter(recipient=request.user)
    show = "unread" if request.GET.get("show") == "unread" else ""
    if show:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "show": show, "here": request.get_full_path()},
    )


def _own(request, pk: int) -> Notification:
    # Another person's message answers as if it did not exist.
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


def _back(request):
    """Back to the inbox page the person acted on (its filter and page kept)."""
    target = request.POST.get("next", "")
    if target.startswith(reverse("notifications:inbox")) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def open_notification(request, pk: int):
    notification = _own(request, pk)
    mark_read(notification=notification)
    link = safe_link(notification.link)
    return HttpResponseRedirect(link) if link else _back(request)


@login_required
@require_POST
def set_read(request, pk: int):
    notification = _own(request, pk)
    mark_read(notification=notification, read=request.POST.get("read") != "0")
    return _back(request)


@login_required
@require_POST
def read_all(request):
    if mark_all_read(user=request.user):
        messages.success(request, _("Every message is marked as read."))
    return _back(request)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# RFC 8058: a mail client's one-click unsubscribe is a POST without our CSRF cookie; the
# signed token is the only authority, and it can only turn one kind of e-mail off for one
# person. A GET (a link checker, a preview) changes nothing: it shows the button.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    data = read_unsubscribe_token(token)
    if data is None:
        raise Http404("This unsubscribe link is not valid.")
    user_id, kind_key = data
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise Http404("This unsubscribe link is not valid.")
    kind = kinds.get(kind_key)
    done = request.method == "POST"
    if done:
        set_email_preference(user=user, kind=kind_key, email=False)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"label": kind.label if kind else kind_key, "done": done},
    )
