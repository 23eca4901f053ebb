"""One way for a stateful record to change state: the table allows it, nobody moved it first,
and the move is on the timeline.

Every stateful model states `Status` and `TRANSITIONS`. The move is a conditional UPDATE
(`... WHERE status = <what this process read>`), so of two concurrent moves exactly one
wins on PostgreSQL and SQLite alike, and the loser gets a clear message instead of a
silent overwrite.
"""

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.core.services import event_record
from lianxin.core.types import Person

M = TypeVar("M", bound=models.Model)


def _label(model: type[models.Model], value: str) -> str:
    field = model._meta.get_field("status")
    return str(dict(field.flatchoices).get(value, value))  # type: ignore[union-attr]


def state_transition(
    *,
    obj: M,
    to: str,
    actor: Person,
    changes: dict[str, Any] | None = None,
    stamps: dict[str, str] | None = None,
    note: str = "",
    verb: str = "",
    conflict: str = "",
    data: dict[str, Any] | None = None,
) -> M:
    """Move `obj.status` to `to` with `changes`, stamping `stamps[to]` with now; record the event.

    Raises ValidationError(code="invalid_transition") when the table forbids the move and
    ValidationError(code="conflict") when someone changed the row since it was read.
    """
    model = type(obj)
    from_state: str = obj.status  # type: ignore[attr-defined]
    table: dict[str, tuple[str, ...]] = model.TRANSITIONS  # type: ignore[attr-defined]
    if to not in table.get(from_state, ()):
        raise ValidationError(
            _("This %(thing)s is %(from)s and cannot become %(to)s.")
            % {"thing": model._meta.verbose_name, "from": _label(model, from_state), "to": _label(model, to)},
            code="invalid_transition",
        )
    update: dict[str, Any] = {"status": to, **(changes or {})}
    if stamps and to in stamps:
        update[stamps[to]] = timezone.now()
    if not model._default_manager.filter(pk=obj.pk, status=from_state).update(**update):
        raise ValidationError(
            conflict or _("This has just been changed by someone else; reload the page."), code="conflict"
        )
    for field, value in update.items():
        setattr(obj, field, value)
    event_record(subject=obj, actor=actor, verb=verb or to, from_state=from_state, to_state=to, note=note, data=data)
    return obj
