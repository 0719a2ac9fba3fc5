"""The API's endpoints (docs/api.md). Read-only; the rules are the site's own.

Each view asks the same functions as the pages do: `Actor.objects.visible_to`, the directory's
`ActorFilter`, `can_see_contacts`, `can_rank_for`, `can_organise`, `actor_ranking`.
"""

from __future__ import annotations

from django import forms
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api import serializers as s
from api.exceptions import error_body
from api.permissions import EVENT_NOT_FOUND, RANKING_NOT_FOUND, CanRankFor, OrganisesEvent
from directory.filters import ORDERING_CHOICES, RELEVANCE, ActorFilter
from directory.models import Actor, ContactPerson, Interest, Kind, Sector, Side
from directory.permissions import can_see_contacts
from directory.selectors import actor_list_queryset
from events.dashboard import meetings_of, participants_with_counts
from events.models import Attendee, Event, Meeting, Participant
from matching.forms import RankingForm
from matching.ranking import actor_ranking

# -- documentation helpers ------------------------------------------------------------------------

ERROR_DESCRIPTIONS = {
    400: "A query parameter is invalid; `error.fields` names each one with its messages.",
    401: "No credentials where they are needed, or an invalid or inactive token "
    "(`WWW-Authenticate: Token`).",
    404: "No such resource, or none you may see (the API does not say which).",
    429: "Too many requests: wait `error.retry_after` seconds (also in the `Retry-After` header).",
    500: "A bug on our side; it has been logged.",
}


PAGE_NOT_FOUND = "A page past the last one."


def errors(*codes: int, not_found: str | None = None) -> dict[int, OpenApiResponse]:
    descriptions = {**ERROR_DESCRIPTIONS, **({404: not_found} if not_found else {})}
    return {
        code: OpenApiResponse(s.ErrorSerializer, description=descriptions[code]) for code in codes
    }


SLUG = r"^[-a-zA-Z0-9_]+$"
CODE_OR_EMPTY = r"^[-a-zA-Z0-9_]*$"


def _choice_values(choices) -> list[str]:
    # An empty value means "no filter", as in the directory's form.
    return ["", *(value for value, _ in choices)]


ACTOR_FILTER_PARAMETERS = [
    OpenApiParameter(
        "q",
        str,
        description="Free text over name, acronym, keywords, city and description (full-text "
        "search on PostgreSQL). With a search the default order is by relevance.",
    ),
    OpenApiParameter("side", str, enum=_choice_values(Side.choices), description="eu or kr."),
    OpenApiParameter(
        "country",
        str,
        pattern=r"^([A-Z]{2})?$",
        description="ISO 3166-1 alpha-2 code of a country that has published actors (e.g. FR, "
        "KR); any other code is a 400.",
    ),
    OpenApiParameter(
        "region", str, pattern=CODE_OR_EMPTY, description="Region code (e.g. kr-gyeongbuk)."
    ),
    OpenApiParameter("kind", str, enum=_choice_values(Kind.choices), description="Actor kind."),
    OpenApiParameter(
        "sector",
        str,
        pattern=CODE_OR_EMPTY,
        description="Sector code (see /api/v1/sectors/); an unknown code is a 400.",
    ),
    OpenApiParameter(
        "offers",
        str,
        pattern=CODE_OR_EMPTY,
        description="Interest code the actor offers (see /api/v1/interests/).",
    ),
    OpenApiParameter(
        "seeks", str, pattern=CODE_OR_EMPTY, description="Interest code the actor seeks."
    ),
    OpenApiParameter(
        "sort",
        str,
        enum=[*_choice_values(ORDERING_CHOICES), RELEVANCE],
        description="Empty (default) or relevance: by relevance with q, else by name. Or name, "
        "-name, country, kind, -updated_at (recently updated first).",
    ),
]

SLUG_PARAMETER = OpenApiParameter(
    "slug", str, OpenApiParameter.PATH, pattern=SLUG, description="The slug."
)


# -- actors and the taxonomy ----------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=["directory"],
        summary="List actors",
        description="Published actors (curators also see drafts and archived profiles), with "
        "the directory's filters, 20 a page. Filters combine; an invalid value is a 400 naming "
        "the parameter, never an unfiltered list.",
        parameters=ACTOR_FILTER_PARAMETERS,
        responses={
            200: s.ActorSerializer(many=True),
            **errors(400, 401, 404, 429, 500, not_found=PAGE_NOT_FOUND),
        },
    )
)
class ActorList(generics.ListAPIView):
    queryset = Actor.objects.none()  # the model, for the schema; get_queryset says which
    serializer_class = s.ActorSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ActorFilter

    def get_queryset(self):
        return actor_list_queryset(base=Actor.objects.visible_to(self.request.user))


@extend_schema_view(
    get=extend_schema(
        tags=["directory"],
        summary="One actor",
        description="The whole profile. `contacts` is present only for authenticated "
        "requests; anonymous responses leave the key out.",
        parameters=[SLUG_PARAMETER],
        responses={200: s.ActorDetailSerializer, **errors(401, 404, 429, 500)},
    )
)
class ActorDetail(generics.RetrieveAPIView):
    queryset = Actor.objects.none()
    serializer_class = s.ActorDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):
        queryset = (
            Actor.objects.visible_to(self.request.user)
            .select_related("region")
            .prefetch_related("sectors", "offers", "seeks")
        )
        if can_see_contacts(self.request.user):
            queryset = queryset.prefetch_related(
                Prefetch("contacts", queryset=ContactPerson.objects.order_by("name"))
            )
        return queryset

    def get_object(self) -> Actor:
        actor = self.get_queryset().filter(slug=self.kwargs["slug"]).first()
        if actor is None:
            raise NotFound(_("No actor with this slug."))
        return actor


@extend_schema_view(
    get=extend_schema(
        tags=["taxonomy"],
        summary="List sectors",
        description="Every sector, by label: European Cluster Observatory categories and Korean "
        "strategic fields. Not paginated.",
        responses={200: s.SectorSerializer(many=True), **errors(401, 429, 500)},
    )
)
class SectorList(generics.ListAPIView):
    serializer_class = s.SectorSerializer
    queryset = Sector.objects.order_by("label", "code")
    pagination_class = None


@extend_schema_view(
    get=extend_schema(
        tags=["taxonomy"],
        summary="List cooperation interests",
        description="Every kind of cooperation an actor can offer or seek, by label. Not "
        "paginated.",
        responses={200: s.InterestSerializer(many=True), **errors(401, 429, 500)},
    )
)
class InterestList(generics.ListAPIView):
    serializer_class = s.InterestSerializer
    queryset = Interest.objects.order_by("label", "code")
    pagination_class = None


# -- rankings -------------------------------------------------------------------------------------


class ApiRankingForm(RankingForm):
    """The Find partners form with any number of rows from 1 to 100, and numbers that are
    numbers: an empty `top=` or `w_text=` is an error here, not "the default"."""

    NUMBERS = ("top", "w_text", "w_sector", "w_interest")
    # The API's documented default (docs/api.md), kept when the page moved to ten.
    default_top = 20

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["top"] = forms.IntegerField(min_value=1, max_value=100, required=False)

    def clean(self) -> dict:
        data = super().clean()
        for name in self.NUMBERS:
            if name in self.data and not self.data[name].strip() and name not in self.errors:
                self.add_error(name, _("Enter a whole number (or leave the parameter out)."))
        return data


WEIGHT_FIELDS = ("w_text", "w_sector", "w_interest")


def _form_errors(form) -> ValidationError:
    fields: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        # The only form-wide error is about the three weights together: name all three.
        for target in WEIGHT_FIELDS if name == "__all__" else (name,):
            fields.setdefault(target, []).extend(messages)
    return ValidationError(fields)


@extend_schema_view(
    get=extend_schema(
        tags=["rankings"],
        summary="Best partners for an actor",
        description="The ranking of *Find partners*: the other side's published actors, best "
        "first, each with its score, the components and their contributions, the shared terms, "
        "sectors and interests, and the explanation in words. Candidates the organisation set "
        "aside on *Find partners* are left out until restored there. For the actor's managers "
        "and curators; anyone else logged in gets 404, anonymous requests 401.",
        parameters=[
            SLUG_PARAMETER,
            OpenApiParameter(
                "top",
                {"type": "integer", "minimum": 1, "maximum": 100},
                description="How many rows: 1 to 100 (default 20).",
            ),
            OpenApiParameter(
                "kind", str, enum=_choice_values(Kind.choices), description="Candidates' kind."
            ),
            OpenApiParameter(
                "region", str, pattern=CODE_OR_EMPTY, description="Candidates' region code."
            ),
            OpenApiParameter(
                "sector", str, pattern=CODE_OR_EMPTY, description="Candidates' sector code."
            ),
            OpenApiParameter(
                "hide_known",
                bool,
                description="Leave out the actor's recorded partners (default false).",
            ),
            *(
                OpenApiParameter(
                    name,
                    {"type": "integer", "minimum": 0, "maximum": 100},
                    description=f"Weight of the {label}, 0 to 100; the three are rescaled to "
                    "add up to 1, a missing one takes its default (70, 10, 20), all zero is a "
                    "400.",
                )
                for name, label in (
                    ("w_text", "text similarity"),
                    ("w_sector", "shared sectors"),
                    ("w_interest", "complementary interests"),
                )
            ),
        ],
        responses={200: s.RankingSerializer, **errors(400, 401, 404, 429, 500)},
    )
)
class ActorMatches(APIView):
    permission_classes = [CanRankFor]

    def get(self, request: Request, slug: str) -> Response:
        actor = Actor.objects.filter(slug=slug).first()
        if actor is None:
            raise NotFound(RANKING_NOT_FOUND)
        self.check_object_permissions(request, actor)
        form = ApiRankingForm(request.query_params)
        if not form.is_valid():
            raise _form_errors(form)
        weights = form.weights()
        ranking = actor_ranking(
            actor=actor,
            weights=weights,
            filters=form.filters(),
            top=form.top_n(),
            explain=100,
            hide_known_partners=form.hide_known_partners(),
        )
        text, sector, interest = weights.normalised
        rows = [
            {
                **row.as_dict(),
                "url": reverse("api:actor-detail", args=[row.actor.slug], request=request),
            }
            for row in ranking
        ]
        data = {
            "actor": {"slug": actor.slug, "name": actor.name},
            "weights": {
                "text": round(text, 4),
                "sector": round(sector, 4),
                "interest": round(interest, 4),
            },
            "count": len(rows),
            "results": rows,
        }
        return Response(s.RankingSerializer(data).data)


# -- events ---------------------------------------------------------------------------------------


def _count_of(model) -> Coalesce:
    rows = (
        model.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def _with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    # One subquery per count: two counted joins would read participants x meetings rows.
    return events.annotate(
        participant_count=_count_of(Participant), meeting_count=_count_of(Meeting)
    ).prefetch_related("sessions")


def _events_of(user) -> QuerySet[Event]:
    events = Event.objects.all() if user.is_superuser else Event.objects.filter(organisers=user)
    return _with_counts(events)


class _EventObjectMixin:
    permission_classes = [OrganisesEvent]

    def get_event(self, events: QuerySet[Event] | None = None) -> Event:
        event = (events if events is not None else Event.objects).filter(slug=self.kwargs["slug"])
        event = event.first()
        if event is None:
            raise NotFound(EVENT_NOT_FOUND)
        self.check_object_permissions(self.request, event)
        return event


@extend_schema_view(
    get=extend_schema(
        tags=["events"],
        summary="Events you organise",
        description="The matchmaking events the authenticated user organises, latest first.",
        responses={
            200: s.EventSerializer(many=True),
            **errors(400, 401, 404, 429, 500, not_found=PAGE_NOT_FOUND),
        },
    )
)
class EventList(generics.ListAPIView):
    queryset = Event.objects.none()
    serializer_class = s.EventSerializer
    permission_classes = [OrganisesEvent]

    def get_queryset(self):
        return _events_of(self.request.user).order_by("-starts_on", "name")


@extend_schema_view(
    get=extend_schema(
        tags=["events"],
        summary="One event",
        description="For the event's organisers; anyone else logged in gets 404.",
        parameters=[SLUG_PARAMETER],
        responses={200: s.EventSerializer, **errors(401, 404, 429, 500)},
    )
)
class EventDetail(_EventObjectMixin, generics.RetrieveAPIView):
    queryset = Event.objects.none()
    serializer_class = s.EventSerializer

    def get_object(self) -> Event:
        return self.get_event(_with_counts(Event.objects.all()))


@extend_schema_view(
    get=extend_schema(
        tags=["events"],
        summary="An event's participants",
        description="Every participant (any status) with its actor, meeting count, the "
        "sessions it misses and its attendees (personal data, as on the organisers' pages), "
        "European side first, then by name.",
        parameters=[SLUG_PARAMETER],
        responses={
            200: s.ParticipantSerializer(many=True),
            **errors(
                400, 401, 404, 429, 500, not_found=f"{ERROR_DESCRIPTIONS[404]} {PAGE_NOT_FOUND}"
            ),
        },
    )
)
class EventParticipants(_EventObjectMixin, generics.ListAPIView):
    queryset = Participant.objects.none()
    serializer_class = s.ParticipantSerializer

    def get_queryset(self):
        event = self.get_event()
        return participants_with_counts(event).prefetch_related(
            "absent_from",
            Prefetch("attendees", queryset=Attendee.objects.order_by("last_name", "first_name")),
        )


@extend_schema_view(
    get=extend_schema(
        tags=["events"],
        summary="An event's schedule",
        description="Every meeting in time order: start and end in ISO 8601 with the offset of "
        "the event's time zone, the table, both participants, the score, whether an organiser "
        "fixed it, and why the pair was matched. Organisers see it whether or not it is "
        "published; `published` says whether participants' managers can see it too.",
        parameters=[SLUG_PARAMETER],
        responses={200: s.ScheduleSerializer, **errors(401, 404, 429, 500)},
    )
)
class EventSchedule(_EventObjectMixin, APIView):
    def get(self, request: Request, slug: str) -> Response:
        event = self.get_event()
        data = {
            "event": event.slug,
            "timezone": event.timezone,
            "published": event.published,
            "published_at": event.published_at,
            "meetings": list(meetings_of(event)),
        }
        return Response(s.ScheduleSerializer(data, context={"zone": event.zone}).data)


# -- schema, documentation, unknown addresses ----------------------------------------------------


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; JSON with `?format=json` or `Accept: application/json`)."""


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's files, with no inline script or style, so the
    site's strict Content-Security-Policy applies unchanged (docs/api.md)."""

    url_name = "api:schema"
    template_name = "api/swagger_ui.html"
    title = "Cluster Match API"


@csrf_exempt  # changes nothing; any method gets the same 404
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other address under /api/: a 404 in the API's error shape, not an HTML page."""
    detail = _("No API endpoint at this address. The endpoints are listed at %(docs)s.") % {
        "docs": "/api/v1/docs/"
    }
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            detail = _("No API endpoint at this address. Did you mean %(path)s ?") % {
                "path": f"{request.path}/"
            }
    return JsonResponse(error_body(status_code=404, code="not_found", detail=detail), status=404)


__all__ = [
    "ActorDetail",
    "ActorList",
    "ActorMatches",
    "DocsView",
    "EventDetail",
    "EventList",
    "EventParticipants",
    "EventSchedule",
    "InterestList",
    "SchemaView",
    "SectorList",
    "not_found",
]
