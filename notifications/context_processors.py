from notifications.service import unread_count


def inbox(request) -> dict:
    """The bell's unread count, on every page of a signed-in person."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": unread_count(user=user)}
