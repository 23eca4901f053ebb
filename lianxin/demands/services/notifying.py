"""Telling people that a demand waits on them: called by the services inside their transaction,
so nothing is sent for a change that rolls back (notifications.services.notify).

Whom: the responsible unit's handlers (selectors.handling.unit_handlers) for what the unit must
do, the parent organization's admins for an escalation, the resident's own account for a
resolution. Each event key names one occurrence, so a step that happens again (a second
reassignment, a second round of handling, a new deadline) is told again, and a run repeated
the same day is not.
"""

from django.urls import reverse

from lianxin.accounts.models import RoleAssignment
from lianxin.core.parsing import ParseError, normalize_mobile
from lianxin.demands import notices
from lianxin.demands.models import Demand
from lianxin.demands.selectors.handling import unit_handlers
from lianxin.notifications.kinds import Kind
from lianxin.notifications.selectors import staff_of
from lianxin.notifications.services import notify, notify_by_text
from lianxin.organizations.models import Organization


def _params(demand: Demand) -> dict[str, str]:
    # The number and the category only: the title is the resident's own words (notices.py).
    return {"number": str(demand.pk), "category": demand.category.name}


def _detail(demand: Demand) -> str:
    return reverse("demands:detail", args=[demand.pk])


def _unit_of(demand: Demand) -> Organization:
    unit = demand.responsible_unit
    assert unit is not None, "only a demand with a responsible unit waits on handlers"
    return unit


def _tell_handlers(*, demand: Demand, kind: Kind, event: str, params: dict[str, str]) -> None:
    unit = _unit_of(demand)
    assert demand.deadline is not None
    notify(
        kind=kind,
        recipients=unit_handlers(unit),
        event=event,
        params={**_params(demand), "unit": unit.name, "deadline": demand.deadline.isoformat(), **params},
        url=_detail(demand),
        organization=unit,  # its group robots post the kinds that have robots
    )


def notify_assigned(*, demand: Demand, occurrence: str) -> None:
    """The unit's handlers have a demand to handle; `occurrence` tells this assignment from any other
    ("assigned" happens once in a demand's life, "reassigned:<event pk>" as often as it is moved)."""
    _tell_handlers(demand=demand, kind=notices.ASSIGNED, event=f"demand:{demand.pk}:{occurrence}", params={})


def notify_sent_back(*, demand: Demand, round_: int) -> None:
    """The resident was not satisfied with round `round_` of handling: the unit handles it again."""
    _tell_handlers(demand=demand, kind=notices.SENT_BACK, event=f"demand:{demand.pk}:sent_back:{round_}", params={})


def notify_due_soon(*, demand: Demand) -> None:
    """The deadline is the next working day; told once per deadline."""
    assert demand.deadline is not None
    event = f"demand:{demand.pk}:due:{demand.deadline.isoformat()}"
    _tell_handlers(demand=demand, kind=notices.DUE_SOON, event=event, params={})


def notify_escalated(*, demand: Demand, parent: Organization, days_late: int) -> None:
    """Past its deadline: the handlers (and the unit's group robots) are reminded, and the admins of
    the parent organization the demand went up to oversee it. Once per deadline, as the escalation."""
    assert demand.deadline is not None
    occurrence = f"demand:{demand.pk}:%s:{demand.deadline.isoformat()}"
    params = {"days": str(days_late), "parent": parent.name}
    _tell_handlers(demand=demand, kind=notices.OVERDUE, event=occurrence % "overdue", params=params)
    notify(
        kind=notices.ESCALATED,
        recipients=staff_of(parent, (RoleAssignment.Role.ORG_ADMIN,)),
        event=occurrence % "escalated",
        params={**_params(demand), **params, "unit": _unit_of(demand).name},
        url=_detail(demand),
        organization=parent,
    )


def notify_resolved(*, demand: Demand) -> None:
    """The resident hears that their demand is resolved, with the page where they answer (回访): their
    own account, or else a text to the mobile number they gave with it (the lookup page, where their
    lookup code and the number's last digits open it)."""
    event = f"demand:{demand.pk}:resolved:{demand.rework_count}"  # one per round of handling
    if demand.resident_id is None:
        try:  # a landline or a typo is not texted
            mobile = normalize_mobile(demand.submitter_phone)
        except ParseError:
            mobile = ""
        if mobile:
            notify_by_text(
                kind=notices.RESOLVED, mobile=mobile, event=event, params=_params(demand), url=reverse("demands:lookup")
            )
        return
    notify(
        kind=notices.RESOLVED,
        recipients=[demand.resident_id],
        event=event,
        params=_params(demand),
        url=reverse("demands:mine_detail", args=[demand.pk]) + "#follow-up",
    )
