"""drf-spectacular extensions for the API's own classes (loaded by ApiConfig.ready)."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiFilterExtension


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "The site's session cookie, after logging in at /accounts/login/.",
        }


class ActorFilterBackendScheme(OpenApiFilterExtension):
    """No parameters from inspecting ActorFilter (see `api.filters.ActorFilterBackend`)."""

    target_class = "api.filters.ActorFilterBackend"
    priority = 1  # before drf-spectacular's own extension for DjangoFilterBackend subclasses

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs) -> list:
        return []
