from django.http import HttpRequest

from directory.permissions import is_curator, is_organiser


def roles(request: HttpRequest) -> dict:
    user = request.user
    return {
        "is_curator": is_curator(user),
        "is_organiser": is_organiser(user),
        "manages_any": user.is_authenticated and user.managed_actors.exists(),
    }
