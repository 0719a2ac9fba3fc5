"""Who and why, for the history records that django-simple-history writes on save."""

from __future__ import annotations

from typing import Any

from simple_history.models import HistoricalRecords
from simple_history.signals import (
    post_create_historical_m2m_records,
    pre_create_historical_m2m_records,
)

# django-simple-history's history_change_reason column (max_length=100 in every history table).
CHANGE_REASON_MAX = 100


def history_attribute(instance: Any, *, user: Any, reason: str = "") -> Any:
    """Mark the next save of `instance` as done by `user`, for `reason`, and return it.

    The reason is cut to what the history column holds, so a long slug or message can never
    make a save fail.
    """
    instance._history_user = user
    if reason:
        instance._change_reason = reason[:CHANGE_REASON_MAX]
    return instance


class LinkedHistoricalRecords(HistoricalRecords):
    """django-simple-history's records, with a cheaper copy of the many-to-many links.

    For each versioned link table the library reloads the saved row (`history_instance.instance`,
    a query whenever fields are excluded from history) and reads the links with their related
    rows joined in: nine queries and three extra model instances per version of an actor. The
    version needs only the link rows themselves, read once per table, keyed by the instance
    that was just saved.
    """

    def create_historical_record_m2ms(self, history_instance: Any, instance: Any) -> None:
        for field in history_instance._history_m2m_fields:
            link_model = field.remote_field.through
            history_model = self.m2m_models[field]
            columns = [f.attname for f in link_model._meta.concrete_fields]
            rows = link_model.objects.filter(**{field.m2m_field_name(): instance.pk})
            new = [history_model(history=history_instance, **row) for row in rows.values(*columns)]
            pre_create_historical_m2m_records.send(
                sender=history_model,
                rows=new,
                history_instance=history_instance,
                instance=instance,
                field=field,
            )
            created = history_model.objects.bulk_create(new)
            post_create_historical_m2m_records.send(
                sender=history_model,
                created_rows=created,
                history_instance=history_instance,
                instance=instance,
                field=field,
            )
