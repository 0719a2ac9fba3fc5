from django.http import HttpRequest

from directory.permissions import is_curator, is_organiser


def roles(request: HttpRequest) -> dict:
    user = request.user
    manages_any = user.is_authenticated and user.managed_actors.exists()
    return {
        "is_curator": is_curator(user),
        "is_organiser": is_organiser(user),
        "manages_any": manages_any,
        # Someone who asked to manage an organisation finds their requests in the menu.
        "joining_any": user.is_authenticated and not manages_any and user.join_requests.exists(),
    }
