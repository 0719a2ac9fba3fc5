"""What the API answers with. Every serializer here is read-only: the API changes nothing."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from directory.models import Actor, ContactPerson, Interest, Kind, Region, Sector, Side
from directory.permissions import can_see_contacts
from events.models import Event, EventSession, Meeting, Participant, ParticipantStatus
from matching.bands import BANDS, BELOW


class PercentField(serializers.IntegerField):
    """A 0-1 score stored by the engine, shown out of 100 as on the pages."""

    def to_representation(self, value) -> int:
        return round(float(value) * 100)


# -- the taxonomy ---------------------------------------------------------------------------------


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "label", "group"]
        read_only_fields = fields


class InterestSerializer(serializers.ModelSerializer):
    class Meta:
        model = Interest
        fields = ["code", "label"]
        read_only_fields = fields


class CodeLabelSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class RegionSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", help_text="ISO 3166-1 alpha-2 code.")

    class Meta:
        model = Region
        fields = ["code", "name", "country"]
        read_only_fields = fields


# -- actors ---------------------------------------------------------------------------------------


class ContactSerializer(serializers.ModelSerializer):
    email = serializers.CharField(help_text="An e-mail address, or an empty string.")

    class Meta:
        model = ContactPerson
        fields = ["name", "role", "email", "phone"]
        read_only_fields = fields


class ActorSerializer(serializers.ModelSerializer):
    """An actor as the directory lists it."""

    side = serializers.ChoiceField(choices=Side.choices)
    kind = serializers.ChoiceField(choices=Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    country = serializers.CharField(source="country.code", help_text="ISO 3166-1 alpha-2 code.")
    country_name = serializers.CharField(source="country.name")
    region = RegionSerializer(allow_null=True)
    website = serializers.CharField(help_text="The actor's website, or an empty string.")
    name_ko = serializers.CharField(help_text="The name in Korean (Hangul), or an empty string.")
    sectors = CodeLabelSerializer(many=True)
    url = serializers.SerializerMethodField(help_text="This actor in the API.")
    page_url = serializers.SerializerMethodField(help_text="This actor's page on the site.")

    class Meta:
        model = Actor
        fields = [
            "slug",
            "name",
            "name_ko",
            "acronym",
            "side",
            "kind",
            "kind_label",
            "country",
            "country_name",
            "region",
            "city",
            "website",
            "status",
            "sectors",
            "updated_at",
            "url",
            "page_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, actor: Actor) -> str:
        return reverse("api:actor-detail", args=[actor.slug], request=self.context.get("request"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, actor: Actor) -> str:
        request = self.context.get("request")
        path = actor.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ActorDetailSerializer(ActorSerializer):
    """The whole profile. `contacts` only for logged-in users (token or session)."""

    description = serializers.CharField(
        help_text="In English; may be empty when description_ko is given (a published profile "
        "has at least one of the two)."
    )
    description_ko = serializers.CharField(
        help_text="In Korean, beside or instead of the English description, or an empty string."
    )
    keywords = serializers.ListField(
        child=serializers.CharField(), source="keyword_list", help_text="Keywords, in order."
    )
    offers = CodeLabelSerializer(many=True, help_text="Kinds of cooperation it offers.")
    seeks = CodeLabelSerializer(many=True, help_text="Kinds of cooperation it seeks.")
    latitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, coerce_to_string=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, coerce_to_string=False, allow_null=True
    )
    parent = serializers.SerializerMethodField(
        help_text="Slug of the parent (a Mini Cluster's industrial complex, a complex's managing "
        "body), or null."
    )
    children = serializers.SerializerMethodField(help_text="Slugs of its children.")
    contacts = ContactSerializer(
        many=True,
        required=False,
        help_text="Contact persons: present only when the request is authenticated; the key is "
        "left out entirely for anonymous requests.",
    )

    class Meta(ActorSerializer.Meta):
        fields = [
            *ActorSerializer.Meta.fields,
            "description",
            "description_ko",
            "keywords",
            "offers",
            "seeks",
            "founded",
            "members",
            "latitude",
            "longitude",
            "source",
            "last_verified",
            "parent",
            "children",
            "contacts",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None or not can_see_contacts(request.user):
            # Personal data: never in an anonymous response, not even as an empty list.
            fields.pop("contacts", None)
        return fields

    def _user(self):
        request = self.context.get("request")
        return request.user if request else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_parent(self, actor: Actor) -> str | None:
        if actor.parent_id is None:
            return None
        visible = Actor.objects.visible_to(self._user()).filter(pk=actor.parent_id)
        return visible.values_list("slug", flat=True).first()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_children(self, actor: Actor) -> list[str]:
        children = Actor.objects.visible_to(self._user()).filter(parent=actor)
        return list(children.order_by("kind", "name").values_list("slug", flat=True))


# -- matches --------------------------------------------------------------------------------------


class ComponentsSerializer(serializers.Serializer):
    text = serializers.FloatField()
    sector = serializers.FloatField()
    interest = serializers.FloatField()


class ScoreComponentsSerializer(ComponentsSerializer):
    peers = serializers.FloatField(
        help_text="Partners of similar organisations: how many of the actor's most similar "
        "organisations already work with the candidate, weighted by similarity."
    )


class SharedTermSerializer(serializers.Serializer):
    term = serializers.CharField()
    weight = serializers.FloatField(help_text="Product of the two TF-IDF weights.")


class MatchSerializer(serializers.Serializer):
    """One row of a ranking: the same content as `manage.py rank --json`, plus where it is."""

    rank = serializers.IntegerField(min_value=1)
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 code.")
    region = serializers.CharField(allow_null=True, help_text="Region code, or null.")
    score = serializers.IntegerField(
        min_value=0, max_value=100, help_text="Out of 100, as the Find partners page shows it."
    )
    band = serializers.ChoiceField(
        choices=[name for _lowest, name, _meaning in BANDS] + [BELOW[0]],
        help_text="Where the score stands against documented partnerships (docs/matching.md).",
    )
    components = ScoreComponentsSerializer(help_text="Each component's value, out of 100.")
    contributions = ScoreComponentsSerializer(
        help_text="The points each component adds to the score (they add up to it)."
    )
    explanation = serializers.CharField(help_text="Why, in one or two sentences.")
    shared_terms = SharedTermSerializer(many=True)
    shared_sectors = serializers.ListField(child=serializers.CharField())
    they_offer_you_seek = serializers.ListField(child=serializers.CharField())
    you_offer_they_seek = serializers.ListField(child=serializers.CharField())
    similar_organisations_working_with_them = serializers.ListField(
        child=serializers.CharField(),
        help_text="Names of the actor's most similar organisations that are known partners "
        "of the candidate.",
    )
    url = serializers.URLField(help_text="The candidate in the API.")


class ActorRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class RankingSerializer(serializers.Serializer):
    actor = ActorRefSerializer(help_text="The actor the ranking is for.")
    weights = ComponentsSerializer(help_text="The weights used, rescaled to add up to 1.")
    count = serializers.IntegerField(min_value=0)
    results = MatchSerializer(many=True)


# -- events ---------------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "pattern": r"^[0-2][0-9]:[0-5][0-9]$", "example": "14:00"})
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in the event's time zone, HH:MM (no offset: it is a local time)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%H:%M", **kwargs)


class SessionSerializer(serializers.ModelSerializer):
    start = LocalTimeField(help_text="Local time in the event's time zone.")
    end = LocalTimeField(help_text="Local time in the event's time zone.")

    class Meta:
        model = EventSession
        fields = ["name", "date", "start", "end"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    published = serializers.BooleanField(help_text="Whether the schedule is published.")
    sessions = SessionSerializer(many=True)
    participant_count = serializers.IntegerField(min_value=0)
    meeting_count = serializers.IntegerField(min_value=0)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "slug",
            "name",
            "description",
            "place",
            "online",
            "timezone",
            "starts_on",
            "ends_on",
            "meeting_minutes",
            "break_minutes",
            "tables",
            "max_meetings",
            "registration_open",
            "published",
            "published_at",
            "sessions",
            "participant_count",
            "meeting_count",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, event: Event) -> str:
        return reverse("api:event-detail", args=[event.slug], request=self.context.get("request"))


class ParticipantActorSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    side = serializers.ChoiceField(choices=Side.choices)
    kind = serializers.ChoiceField(choices=Kind.choices)
    country = serializers.CharField(source="country.code")


class AttendeeSerializer(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    job_title = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class ParticipantSerializer(serializers.ModelSerializer):
    actor = ParticipantActorSerializer()
    status = serializers.ChoiceField(choices=ParticipantStatus.choices)
    meetings = serializers.IntegerField(min_value=0, help_text="Meetings in the schedule.")
    absent_from = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True, help_text="Names of the sessions it misses."
    )
    attendees = AttendeeSerializer(many=True)
    registered_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Participant
        fields = [
            "id",
            "actor",
            "status",
            "meetings",
            "absent_from",
            "attendees",
            "registered_at",
            "decided_at",
        ]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    start = serializers.SerializerMethodField(
        help_text="ISO 8601 with the offset of the event's time zone."
    )
    end = serializers.SerializerMethodField(
        help_text="ISO 8601 with the offset of the event's time zone."
    )
    session = serializers.CharField(source="slot.session.name")
    eu = ActorRefSerializer(source="eu.actor", help_text="The European participant.")
    kr = ActorRefSerializer(source="kr.actor", help_text="The Korean participant.")
    score = PercentField(help_text="The pair's ranking score, out of 100.")
    reason = serializers.CharField(help_text="Why the two were matched.")

    class Meta:
        model = Meeting
        fields = ["id", "start", "end", "session", "table", "eu", "kr", "score", "fixed", "reason"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_start(self, meeting: Meeting) -> str:
        return meeting.slot.starts_at.astimezone(self.context["zone"]).isoformat()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_end(self, meeting: Meeting) -> str:
        return meeting.slot.ends_at.astimezone(self.context["zone"]).isoformat()


class ScheduleSerializer(serializers.Serializer):
    event = serializers.CharField(help_text="The event's slug.")
    timezone = serializers.CharField()
    published = serializers.BooleanField(
        help_text="Whether participants' managers can see it; organisers always can."
    )
    published_at = serializers.DateTimeField(allow_null=True)
    meetings = MeetingSerializer(many=True)


# -- errors ---------------------------------------------------------------------------------------


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(
        help_text="Machine-readable: invalid, not_authenticated, authentication_failed, "
        "permission_denied, not_found, method_not_allowed, not_acceptable, throttled, "
        "server_error."
    )
    detail = serializers.CharField(
        help_text="What went wrong, in words, in the request's language (Accept-Language or the "
        "site's language cookie: English, the default, or Korean)."
    )
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="400 only: the messages for each invalid parameter, by parameter name.",
    )
    retry_after = serializers.IntegerField(
        required=False, min_value=1, help_text="429 only: seconds to wait before trying again."
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
