"""The directory's own filters (`directory.filters.ActorFilter`) through django-filter's backend."""

from django_filters.rest_framework import DjangoFilterBackend


class ActorFilterBackend(DjangoFilterBackend):
    """django-filter's backend, documented by the view's own parameters, not by inspection.

    drf-spectacular's django-filter extension reads `filter.field` on the FilterSet's class-level
    filters, which builds and caches their form fields before a FilterSet instance has given
    them the model: every later ActorFilter, on the directory page too, then copies fields with
    no label ("None: Korea" in the summary of active filters). The views declare these query
    parameters themselves (`api.views.ACTOR_FILTER_PARAMETERS`), and `api.schema` tells
    drf-spectacular to leave this backend alone.
    """
