"""Writes shared by every app: timeline events and audit entries."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from lianxin.core.models import AuditEntry, Event


def event_record(
    *,
    subject: models.Model,
    actor: Any,
    verb: str,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    return Event.objects.create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
    )


def audit_record(*, actor: Any, action: str, target: str, detail: dict[str, Any] | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target=target,
        detail=detail or {},
    )
