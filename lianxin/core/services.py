"""Writes shared by every app: timeline events and audit entries."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from lianxin.core import timeline
from lianxin.core.models import AuditEntry, Event
from lianxin.core.types import AnyActor


def _signed_in(actor: AnyActor) -> Any:
    """The account to store as the actor (the installed user model), or None for nobody."""
    return actor if actor is not None and actor.is_authenticated else None


def event_record(
    *,
    subject: models.Model,
    actor: AnyActor,
    verb: str,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    timeline.check_verb(subject, verb)
    return Event.objects.create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        actor=_signed_in(actor),
        verb=verb,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
    )


def audit_record(*, actor: AnyActor, action: str, target: str, detail: dict[str, Any] | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=_signed_in(actor),
        action=action,
        target=target,
        detail=detail or {},
    )
