"""Writes shared by every app: timeline events and audit entries."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from lianxin.core import timeline
from lianxin.core.models import AuditEntry, Event
from lianxin.core.types import Person


def _actor_id(actor: Person) -> int | None:
    """The id of the account to store as the actor (the installed user model), or None for nobody.

    By id: the kernel does not know the installed user model's class."""
    if actor is None or not actor.is_authenticated:
        return None
    pk: int = actor.pk
    return pk


def event_record(
    *,
    subject: models.Model,
    actor: Person,
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
        actor_id=_actor_id(actor),
        verb=verb,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
    )


def audit_record(*, actor: Person, action: str, target: str, detail: dict[str, Any] | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor_id=_actor_id(actor),
        action=action,
        target=target,
        detail=_storable(detail or {}),
    )


def _storable(value: Any) -> Any:
    """`value` with each NUL character in its text shown as U+FFFD: an audit keeps what was asked
    (a download's filters are the request's own parameters), and PostgreSQL's JSON holds no NUL."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return value
