"""One error shape for every API response that is not a success (docs/api.md, Errors).

    {"error": {"status": 400, "code": "invalid", "detail": "Invalid value for sector.",
               "fields": {"sector": ["Select a valid choice. ..."]}}}

`fields` appears only on 400 responses, `retry_after` (seconds) only on 429. `detail` and the
messages are for people, in the request's language (LocaleMiddleware: the language cookie, else
Accept-Language; DRF's own messages come with its Korean catalogue); `code` and the field names
stay English for programs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.signals import got_request_exception
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

logger = logging.getLogger("api")

SERVER_ERROR_DETAIL = gettext_lazy("Something went wrong on our side. The error has been logged.")


def error_body(
    *,
    status_code: int,
    code: str,
    detail: str,
    fields: dict[str, list[str]] | None = None,
    retry_after: int | None = None,
) -> dict:
    error: dict = {"status": status_code, "code": code, "detail": detail}
    if fields is not None:
        error["fields"] = fields
    if retry_after is not None:
        error["retry_after"] = retry_after
    return {"error": error}


def _messages(value) -> list[str]:
    """Every message under one field, nested errors flattened."""
    if isinstance(value, Mapping):
        return [m for item in value.values() for m in _messages(item)]
    if isinstance(value, list | tuple):
        return [m for item in value for m in _messages(item)]
    return [str(value)]


def _fields(detail) -> dict[str, list[str]]:
    if isinstance(detail, Mapping):
        return {str(name): _messages(value) for name, value in detail.items()}
    return {api_settings.NON_FIELD_ERRORS_KEY: _messages(detail)}


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def api_exception_handler(exc: Exception, context: dict) -> Response:
    # As DRF's own handler does, so that the code and detail below come from the API error.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = exception_handler(exc, context)
    if response is None:
        # Not an API error: a bug. Log it, let error reporters (and the test client) see it,
        # and answer in the same shape rather than with an HTML page.
        request = context.get("request")
        logger.error("Unhandled error in %s", context.get("view"), exc_info=exc)
        got_request_exception.send(sender=None, request=getattr(request, "_request", request))
        return Response(
            error_body(
                status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
                code="server_error",
                detail=str(SERVER_ERROR_DETAIL),
            ),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        fields = _fields(exc.detail)
        names = [n for n in fields if n != api_settings.NON_FIELD_ERRORS_KEY]
        detail = (
            _("Invalid value for %(parameters)s.") % {"parameters": ", ".join(names)}
            if names
            else " ".join(fields.get(api_settings.NON_FIELD_ERRORS_KEY, [])) or _("Invalid input.")
        )
        response.data = error_body(
            status_code=response.status_code, code="invalid", detail=detail, fields=fields
        )
        return response
    if isinstance(exc, exceptions.APIException):
        retry_after = None
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            retry_after = max(1, round(exc.wait))
        response.data = error_body(
            status_code=response.status_code,
            code=_code(exc),
            detail=" ".join(_messages(exc.detail)),
            retry_after=retry_after,
        )
    return response
