"""Where demands come from: visits (走访), research topics (调研课题), 民生面对面 sessions, 12345
hotline transfers and other modules' records. Each change is on the record's timeline.

The records belong to an organization; the admins whose roster scope holds it record and edit
them. A demand collected from one goes through demand_create with the record as its
source_object, so the demand links back (lianxin.demands.rules.sources.source_link).
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.core.services import event_record
from lianxin.core.transitions import state_transition
from lianxin.demands.models import (
    Demand,
    DemandCategory,
    FaceToFace,
    FaceToFaceVerb,
    ResearchTopic,
    ResearchTopicVerb,
    Visit,
    VisitVerb,
)
from lianxin.demands.selectors.sources import can_record_for
from lianxin.demands.services.handling import demand_create
from lianxin.organizations.models import Area, Organization
from lianxin.wishes.models import Wish

# A research topic runs for a season or a year; nobody plans one longer than this.
MAX_TOPIC_DAYS = 3 * 366


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to record this for that organization."), code="forbidden")


def _check(actor: Actor, organization: Organization | None) -> Organization:
    if organization is None:
        raise ValidationError(_("Choose the organization."), code="organization")
    if not can_record_for(actor, organization):
        raise _not_allowed()
    if not organization.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": organization.name}, code="inactive")
    return organization


def _required(value: str | None, message: str, code: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(message, code=code)
    return text


def clean_area(area: Area | None, organization: Organization) -> Area:
    """The area a record or a demand is about must lie in the organization's own area."""
    if area is None:
        raise ValidationError(_("Choose the area."), code="area")
    if not area.path.startswith(organization.area.path):
        raise ValidationError(
            _("%(area)s is outside the area of %(organization)s.")
            % {"area": area.name, "organization": organization.name},
            code="area_outside",
        )
    return area


def _past_date(value: date | None, what: str) -> date:
    if value is None:
        raise ValidationError(_("Give the %(what)s.") % {"what": what}, code="no_date")
    if value > timezone.localdate():
        raise ValidationError(
            _("The %(what)s %(date)s is in the future.") % {"what": what, "date": value.isoformat()},
            code="future_date",
        )
    return value


def _save(obj: Model, changes: dict[str, Any]) -> None:
    type(obj)._default_manager.filter(pk=obj.pk).update(**changes)
    for field, value in changes.items():
        setattr(obj, field, value)


# ---------------------------------------------------------------------------- visits


def _visit_fields(
    *,
    actor: Actor,
    organization: Organization | None,
    kind: str,
    area: Area | None,
    visited: str,
    visitors: str,
    visited_on: date | None,
    findings: str,
    topic: ResearchTopic | None,
) -> dict[str, Any]:
    organization = _check(actor, organization)
    if kind not in Visit.Kind.values:
        raise ValidationError(_("Unknown kind of visit %(value)s.") % {"value": kind or "—"}, code="kind")
    if topic is not None and not can_record_for(actor, topic.organization):
        raise ValidationError(_("That research topic is not one of your organizations'."), code="topic")
    return {
        "organization": organization,
        "kind": kind,
        "area": clean_area(area, organization),
        "visited": _required(visited, _("Say whom or what was visited."), "no_visited")[:120],
        "visitors": _required(visitors, _("Say who went on the visit."), "no_visitors")[:200],
        "visited_on": _past_date(visited_on, _("date of the visit")),
        "findings": (findings or "").strip(),
        "topic": topic,
    }


@transaction.atomic
def visit_create(
    *,
    actor: Actor,
    organization: Organization | None,
    kind: str,
    area: Area | None,
    visited: str,
    visitors: str,
    visited_on: date | None,
    findings: str = "",
    topic: ResearchTopic | None = None,
) -> Visit:
    """Record a visit (走访) to a household, an enterprise or a member, and what was found."""
    fields = _visit_fields(
        actor=actor,
        organization=organization,
        kind=kind,
        area=area,
        visited=visited,
        visitors=visitors,
        visited_on=visited_on,
        findings=findings,
        topic=topic,
    )
    visit = Visit.objects.create(**fields, created_by=actor)
    event_record(subject=visit, actor=actor, verb=VisitVerb.CREATED, data={"kind": visit.kind})
    return visit


@transaction.atomic
def visit_update(
    *,
    visit: Visit,
    actor: Actor,
    kind: str,
    area: Area | None,
    visited: str,
    visitors: str,
    visited_on: date | None,
    findings: str = "",
    topic: ResearchTopic | None = None,
) -> Visit:
    if not can_record_for(actor, visit.organization):
        raise _not_allowed()
    fields = _visit_fields(
        actor=actor,
        organization=visit.organization,
        kind=kind,
        area=area,
        visited=visited,
        visitors=visitors,
        visited_on=visited_on,
        findings=findings,
        topic=topic,
    )
    fields.pop("organization")
    _save(visit, fields)
    event_record(subject=visit, actor=actor, verb=VisitVerb.UPDATED)
    return visit


# ------------------------------------------------------------------- research topics


def _topic_fields(
    *, title: str, leader: str, is_key: bool, starts_on: date | None, ends_on: date | None, findings: str
) -> dict[str, Any]:
    if starts_on is None or ends_on is None:
        raise ValidationError(_("Give the first and the last day of the research."), code="no_dates")
    if ends_on < starts_on:
        raise ValidationError(_("The research ends before it starts."), code="dates_reversed")
    if (ends_on - starts_on).days > MAX_TOPIC_DAYS:
        raise ValidationError(_("A research topic lasts at most three years."), code="too_long")
    return {
        "title": _required(title, _("Give the topic."), "no_title")[:200],
        "leader": _required(leader, _("Say who leads the research."), "no_leader")[:60],
        "is_key": bool(is_key),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "findings": (findings or "").strip(),
    }


@transaction.atomic
def topic_create(
    *,
    actor: Actor,
    organization: Organization | None,
    title: str,
    leader: str,
    is_key: bool,
    starts_on: date | None,
    ends_on: date | None,
    findings: str = "",
) -> ResearchTopic:
    """Open a research topic (调研课题); visits may then be recorded under it."""
    organization = _check(actor, organization)
    fields = _topic_fields(
        title=title, leader=leader, is_key=is_key, starts_on=starts_on, ends_on=ends_on, findings=findings
    )
    topic = ResearchTopic.objects.create(organization=organization, created_by=actor, **fields)
    event_record(
        subject=topic, actor=actor, verb=ResearchTopicVerb.CREATED, to_state=topic.status, data={"key": topic.is_key}
    )
    return topic


@transaction.atomic
def topic_update(
    *,
    topic: ResearchTopic,
    actor: Actor,
    title: str,
    leader: str,
    is_key: bool,
    starts_on: date | None,
    ends_on: date | None,
    findings: str = "",
) -> ResearchTopic:
    """Change an ongoing topic; a concluded one stays as it was concluded."""
    if not can_record_for(actor, topic.organization):
        raise _not_allowed()
    fields = _topic_fields(
        title=title, leader=leader, is_key=is_key, starts_on=starts_on, ends_on=ends_on, findings=findings
    )
    # Conditional on the status, so an edit racing a conclusion cannot rewrite a concluded topic.
    if not ResearchTopic.objects.filter(pk=topic.pk, status=ResearchTopic.Status.ONGOING).update(**fields):
        raise ValidationError(_("This research topic is concluded and can no longer be changed."), code="concluded")
    for field, value in fields.items():
        setattr(topic, field, value)
    event_record(subject=topic, actor=actor, verb=ResearchTopicVerb.UPDATED)
    return topic


@transaction.atomic
def topic_conclude(
    *, topic: ResearchTopic, actor: Actor, conclusion: str, findings: str | None = None
) -> ResearchTopic:
    """Close the research with its conclusion (and, optionally, the final findings)."""
    if not can_record_for(actor, topic.organization):
        raise _not_allowed()
    changes: dict[str, Any] = {"conclusion": _required(conclusion, _("Write the conclusion."), "no_conclusion")}
    if findings is not None and findings.strip():
        changes["findings"] = findings.strip()
    return state_transition(
        obj=topic,
        to=ResearchTopic.Status.CONCLUDED,
        actor=actor,
        changes=changes,
        verb=ResearchTopicVerb.CONCLUDED,
        conflict=_("This research topic has just been changed by someone else; reload the page."),
    )


# ------------------------------------------------------------------ 民生面对面 sessions


def _face_to_face_fields(
    *,
    organization: Organization,
    area: Area | None,
    title: str,
    held_on: date | None,
    place: str,
    attendance: int | None,
    notes: str,
) -> dict[str, Any]:
    if attendance is not None and attendance < 0:
        raise ValidationError(_("The number of residents attending cannot be negative."), code="attendance")
    return {
        "area": clean_area(area, organization),
        "title": _required(title, _("Give the session a title."), "no_title")[:120],
        "held_on": _past_date(held_on, _("date of the session")),
        "place": _required(place, _("Say where the session was held."), "no_place")[:200],
        "attendance": attendance or 0,
        "notes": (notes or "").strip(),
    }


@transaction.atomic
def face_to_face_create(
    *,
    actor: Actor,
    organization: Organization | None,
    area: Area | None,
    title: str,
    held_on: date | None,
    place: str,
    attendance: int | None = 0,
    notes: str = "",
) -> FaceToFace:
    """Record a 民生面对面 session; the problems raised there become demands from it."""
    organization = _check(actor, organization)
    fields = _face_to_face_fields(
        organization=organization,
        area=area,
        title=title,
        held_on=held_on,
        place=place,
        attendance=attendance,
        notes=notes,
    )
    session = FaceToFace.objects.create(organization=organization, created_by=actor, **fields)
    event_record(subject=session, actor=actor, verb=FaceToFaceVerb.CREATED)
    return session


@transaction.atomic
def face_to_face_update(
    *,
    session: FaceToFace,
    actor: Actor,
    area: Area | None,
    title: str,
    held_on: date | None,
    place: str,
    attendance: int | None = 0,
    notes: str = "",
) -> FaceToFace:
    if not can_record_for(actor, session.organization):
        raise _not_allowed()
    fields = _face_to_face_fields(
        organization=session.organization,
        area=area,
        title=title,
        held_on=held_on,
        place=place,
        attendance=attendance,
        notes=notes,
    )
    _save(session, fields)
    event_record(subject=session, actor=actor, verb=FaceToFaceVerb.UPDATED)
    return session


# ------------------------------------------------------------------- other modules


def _wish_demand_fields(wish: Wish) -> dict[str, Any]:
    if wish.status in Wish.FULFILLED_STATUSES:
        raise ValidationError(
            _("This wish has been fulfilled; there is nothing left to turn into a demand."), code="met"
        )
    organization = wish.organization
    description = wish.description.strip() or wish.title
    return {
        "title": wish.title,
        "description": _("From micro-wish #%(pk)s: %(text)s") % {"pk": wish.pk, "text": description},
        "area": organization.area,
        "organization": organization,
        # The person the wish was for is the resident to follow up with.
        "submitter_name": wish.beneficiary_name,
        "submitter_phone": wish.beneficiary_phone,
    }


# Records another module can turn into a demand, and how their fields map onto one.
DEMAND_FROM: dict[type[Model], Any] = {Wish: _wish_demand_fields}


@transaction.atomic
def demand_from(
    *,
    actor: Actor,
    obj: Model,
    category: DemandCategory | str,
    title: str = "",
    description: str = "",
) -> Demand:
    """Turn another module's record (a wish that cannot be met...) into a demand that links back to it.

    The admins of the record's organization do this; a record already turned into an open or
    handled demand is not turned into a second one."""
    build = DEMAND_FROM.get(type(obj))
    if build is None:
        raise ValidationError(
            _("A %(thing)s cannot be turned into a demand.") % {"thing": obj._meta.verbose_name}, code="kind"
        )
    fields = build(obj)
    if not can_record_for(actor, fields["organization"]):
        raise _not_allowed()
    # A write that changes nothing locks the record's row until commit (SQLite transactions
    # hold the write lock from their start), so of two people turning it into a demand at
    # once the second sees the first one's demand below.
    key = obj._meta.pk.attname
    type(obj)._default_manager.filter(pk=obj.pk).update(**{key: F(key)})
    existing = (
        Demand.objects.filter(source_type__app_label=obj._meta.app_label, source_type__model=obj._meta.model_name)
        .filter(source_id=obj.pk)
        .exclude(status__in=Demand.LEFT_OUT_STATUSES)
        .first()
    )
    if existing is not None:
        raise ValidationError(
            _("This has already been recorded as the demand %(title)s.") % {"title": existing.title}, code="exists"
        )
    return demand_create(
        actor=actor,
        source=Demand.Source.MODULE,
        title=title.strip() or fields["title"],
        description=description.strip() or fields["description"],
        category=category,
        area=fields["area"],
        organization=fields["organization"],
        submitter_name=fields.get("submitter_name", ""),
        submitter_phone=fields.get("submitter_phone", ""),
        source_object=obj,
    )
