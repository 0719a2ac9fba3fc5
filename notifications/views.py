from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from notifications import kinds
from notifications.forms import PreferencesForm
from notifications.models import Notification, Preference
from notifications.service import mark_read
from notifications.tokens import read_unsubscribe_token


@login_required
def inbox(request):
    notifications = Notification.objects.filter(recipient=request.user)
    show = request.GET.get("show", "")
    if show == "unread":
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "show": show})


def _own(request, pk: int) -> Notification:
    # Another person's message answers as if it did not exist.
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


def _safe_link(request, link: str) -> str:
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return link
    return ""


@login_required
@require_POST
def open_notification(request, pk: int):
    notification = _own(request, pk)
    if notification.unread:
        mark_read(notification=notification)
    return HttpResponseRedirect(_safe_link(request, notification.link) or "/inbox/")


@login_required
@require_POST
def set_read(request, pk: int):
    notification = _own(request, pk)
    mark_read(notification=notification, read=request.POST.get("read") != "0")
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        messages.success(request, "Every message is marked as read.")
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your notification settings are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# RFC 8058: a mail client's one-click unsubscribe is a POST without our CSRF cookie; the
# signed token is the only authority, and it can only turn one kind of e-mail off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    data = read_unsubscribe_token(token)
    if data is None:
        raise Http404("This unsubscribe link is not valid.")
    user_id, kind_key = data
    user = get_user_model().objects.filter(pk=user_id).first()
    kind = kinds.get(kind_key)
    if user is None:
        raise Http404("This unsubscribe link is not valid.")
    label = kind.label if kind else kind_key
    done = False
    if request.method == "POST":
        Preference.objects.update_or_create(user=user, kind=kind_key, defaults={"email": False})
        done = True
    return render(
        request, "notifications/unsubscribe.html", {"label": label, "done": done, "token": token}
    )
