"""After the handling: the follow-up with the resident (回访), and escalation of overdue demands."""

import secrets
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.accounts.types import Viewer
from lianxin.core.services import event_record
from lianxin.demands import permissions
from lianxin.demands.models import Demand, DemandVerb, FollowUp
from lianxin.demands.services.handling import deadline_from, demand_transition
from lianxin.demands.services.notifying import notify_escalated, notify_sent_back
from lianxin.organizations.models import Organization

Status = Demand.Status
Satisfaction = Demand.Satisfaction


def _answered_by_resident(demand: Demand, actor: Viewer | None, lookup_code: str) -> bool:
    """True for the resident (lookup code, or their own account); False for the collector; else refused."""
    code = (lookup_code or "").strip().upper()
    if code and secrets.compare_digest(code, demand.lookup_code):
        return True
    if actor is not None and permissions.is_collector(actor, demand):
        return False
    if isinstance(actor, User) and actor.is_authenticated and actor.pk in (demand.submitted_by_id, demand.resident_id):
        return True
    raise ValidationError(_("You are not allowed to do this with this demand."), code="forbidden")


def _answer_transition(
    *,
    demand: Demand,
    actor: Viewer | None,
    result: str,
    comment: str,
    days: int | None,
    done: str,
    data: dict[str, Any],
) -> None:
    """Unsatisfied sends the demand back with a new deadline; otherwise the answer closes it."""
    round_ = data["round"]
    if result == Satisfaction.UNSATISFIED:
        due = deadline_from(category=demand.category, days=days)
        demand_transition(
            demand=demand,
            to=Status.ASSIGNED,
            actor=actor,
            changes={
                "satisfaction": result,
                "rework_count": round_,
                "deadline": due,
                "escalated_to": None,
                "escalated_at": None,
            },
            note=comment,
            verb=DemandVerb.SENT_BACK,
            conflict=done,
            data={**data, "deadline": due.isoformat()},
        )
        notify_sent_back(demand=demand, round_=round_)
    else:
        demand_transition(
            demand=demand,
            to=Status.CLOSED,
            actor=actor,
            changes={"satisfaction": result},
            note=comment,
            verb=DemandVerb.FOLLOWED_UP,
            conflict=done,
            data=data,
        )


@transaction.atomic
def demand_follow_up(
    *,
    demand: Demand,
    actor: Viewer | None,
    result: str,
    comment: str = "",
    lookup_code: str = "",
    days: int | None = None,
) -> FollowUp:
    """The resident's answer to a resolution, once per round of handling.

    Satisfied or basically satisfied closes the demand; unsatisfied sends it back to the
    responsible unit with a new deadline (`days` working days, default the category's) and
    counts one more rework. The resident answers with the lookup code; the collector records
    the answer on their behalf.
    """
    if result not in Satisfaction.values:
        raise ValidationError(_("Unknown follow-up result %(value)s.") % {"value": result}, code="result")
    by_resident = _answered_by_resident(demand, actor, lookup_code)
    round_ = demand.rework_count + 1
    done = _("This demand has already been followed up for this round of handling.")
    if FollowUp.objects.filter(demand_id=demand.pk, round=round_).exists():
        raise ValidationError(done, code="already_followed_up")
    if demand.status != Status.RESOLVED:
        raise ValidationError(_("Only a resolved demand can be followed up."), code="invalid_transition")
    comment = (comment or "").strip()[:500]
    data = {"round": round_, "result": result, "by_resident": by_resident}
    _answer_transition(demand=demand, actor=actor, result=result, comment=comment, days=days, done=done, data=data)
    try:
        with transaction.atomic():
            return FollowUp.objects.create(
                demand=demand,
                round=round_,
                result=result,
                comment=comment,
                by_resident=by_resident,
                recorded_by=actor if isinstance(actor, User) and actor.is_authenticated else None,
            )
    except IntegrityError as exc:
        raise ValidationError(done, code="already_followed_up") from exc


def _escalation_target(unit: Organization, parents: dict[int, Organization]) -> Organization:
    """The unit's parent organization; a unit at the top escalates to itself."""
    if unit.pk not in parents:
        parents[unit.pk] = Organization.objects.get_parent(unit) or unit
    return parents[unit.pk]


def demand_escalate_overdue(*, today: date | None = None) -> int:
    """Escalate demands being handled past their deadline to the unit's parent organization, whose
    admins are told, and remind the handlers (and the unit's group robots), once per deadline.
    Returns how many were escalated; running it again the same day escalates none."""
    today = today or timezone.localdate()
    overdue = (
        Demand.objects.filter(status=Status.ASSIGNED, deadline__lt=today, escalated_at__isnull=True)
        .select_related("responsible_unit", "category")
        .order_by("deadline", "id")
    )
    parents: dict[int, Organization] = {}
    count = 0
    for demand in overdue.iterator(chunk_size=500):
        unit = demand.responsible_unit
        if unit is None:
            continue
        target = _escalation_target(unit, parents)
        with transaction.atomic():
            # Conditional: a demand resolved, reassigned or escalated meanwhile is left alone.
            now = timezone.now()
            if not Demand.objects.filter(
                pk=demand.pk,
                status=Status.ASSIGNED,
                responsible_unit_id=unit.pk,
                deadline=demand.deadline,
                escalated_at__isnull=True,
            ).update(escalated_to=target, escalated_at=now):
                continue
            assert demand.deadline is not None
            late = (today - demand.deadline).days
            data = {"unit": unit.name, "to": target.name, "deadline": demand.deadline.isoformat(), "days_late": late}
            event_record(subject=demand, actor=None, verb=DemandVerb.ESCALATED, data=data)
            reminded = {"unit": unit.name, "deadline": demand.deadline.isoformat(), "days_late": late}
            event_record(subject=demand, actor=None, verb=DemandVerb.REMINDED, data=reminded)
            notify_escalated(demand=demand, parent=target, days_late=late)
        count += 1
    return count
