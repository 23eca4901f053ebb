"""Every change to a touring service (巡回服务) and its stops goes through here.

A tour is planned by its organizer (the admins whose roster scope holds tour.organization):
stops in towns on dates inside the tour's dates, each with the active teams that go there
and the items they offer. Publishing puts the schedule on the public page; after a stop the
organizer records how many people it served. Each change writes an event on the tour's
timeline.
"""

from collections.abc import Sequence
from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.core.services import event_record
from lianxin.organizations.models import Area, Organization
from lianxin.volunteering.models import ServiceItem, Team, Tour, TourStop, TourVerb
from lianxin.volunteering.selectors.touring import STOP_AREA_KINDS, can_organize

# Seed 004 runs 20 days; a season-long tour is the most anyone plans at once.
MAX_TOUR_DAYS = 366


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to organize this touring service."), code="forbidden")


def _check_organizer(actor: Actor, tour: Tour) -> None:
    if not can_organize(actor, tour.organization):
        raise _not_allowed()


def _clean_dates(starts_on: date | None, ends_on: date | None) -> tuple[date, date]:
    if starts_on is None or ends_on is None:
        raise ValidationError(_("Give the first and the last day of the tour."), code="no_dates")
    if ends_on < starts_on:
        raise ValidationError(_("The last day of the tour is before its first day."), code="dates_reversed")
    if (ends_on - starts_on).days >= MAX_TOUR_DAYS:
        raise ValidationError(
            _("A touring service lasts at most %(days)s days.") % {"days": MAX_TOUR_DAYS}, code="too_long"
        )
    return starts_on, ends_on


@transaction.atomic
def tour_create(
    *,
    actor: Actor,
    organization: Organization,
    title: str,
    starts_on: date | None,
    ends_on: date | None,
    description: str = "",
) -> Tour:
    """An organizer plans a tour; it stays off the public schedule until published."""
    if not can_organize(actor, organization):
        raise _not_allowed()
    if not organization.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": organization.name}, code="inactive")
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the touring service a title."), code="no_title")
    starts_on, ends_on = _clean_dates(starts_on, ends_on)
    tour = Tour.objects.create(
        title=title,
        organization=organization,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description.strip(),
        created_by=actor,
    )
    event_record(subject=tour, actor=actor, verb=TourVerb.CREATED, data={"from": str(starts_on), "to": str(ends_on)})
    return tour


@transaction.atomic
def tour_update(
    *, tour: Tour, actor: Actor, title: str, starts_on: date | None, ends_on: date | None, description: str = ""
) -> Tour:
    """Change the title or the dates; the new dates must still hold every stop already planned."""
    _check_organizer(actor, tour)
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the touring service a title."), code="no_title")
    starts_on, ends_on = _clean_dates(starts_on, ends_on)
    outside = tour.stops.exclude(date__range=(starts_on, ends_on)).order_by("date").first()
    if outside is not None:
        raise ValidationError(
            _("The stop in %(town)s on %(date)s would fall outside the new dates; move or remove it first.")
            % {"town": outside.area.name, "date": outside.date.isoformat()},
            code="stop_outside",
        )
    changes = {"title": title, "starts_on": starts_on, "ends_on": ends_on, "description": description.strip()}
    Tour.objects.filter(pk=tour.pk).update(**changes)
    for field, value in changes.items():
        setattr(tour, field, value)
    event_record(subject=tour, actor=actor, verb=TourVerb.UPDATED, data={"from": str(starts_on), "to": str(ends_on)})
    return tour


def _set_published(tour: Tour, actor: Actor, published: bool) -> Tour:
    _check_organizer(actor, tour)
    if published and not tour.stops.exists():
        raise ValidationError(_("Add at least one stop before publishing the schedule."), code="no_stops")
    # Conditional: of two clicks (or two organizers) only one publishes, and the timeline says so once.
    if not Tour.objects.filter(pk=tour.pk, is_published=not published).update(is_published=published):
        raise ValidationError(
            _("This schedule is already public.") if published else _("This schedule is not public."),
            code="conflict",
        )
    tour.is_published = published
    event_record(subject=tour, actor=actor, verb=TourVerb.PUBLISHED if published else TourVerb.UNPUBLISHED)
    return tour


@transaction.atomic
def tour_publish(*, tour: Tour, actor: Actor) -> Tour:
    """Put the schedule on the public page (team names and items only, never people)."""
    return _set_published(tour, actor, True)


@transaction.atomic
def tour_unpublish(*, tour: Tour, actor: Actor) -> Tour:
    return _set_published(tour, actor, False)


def _resolve(model: type[Team] | type[ServiceItem], ids: Sequence[int | str], unknown: str) -> list[Any]:
    """The rows for `ids`, in a stable order; an id that names nothing is a clear error."""
    wanted: list[int] = []
    for raw in ids:
        try:
            wanted.append(int(raw))
        except (TypeError, ValueError):
            raise ValidationError(unknown % {"id": raw}, code="unknown") from None
    found = {obj.pk: obj for obj in model._default_manager.filter(pk__in=wanted)}
    for pk in wanted:
        if pk not in found:
            raise ValidationError(unknown % {"id": pk}, code="unknown")
    return [found[pk] for pk in sorted(set(wanted))]


def _clean_stop(
    tour: Tour,
    *,
    area: Area | None,
    on: date | None,
    place: str,
    starts_at: time | None,
    ends_at: time | None,
    team_ids: Sequence[int | str],
    item_ids: Sequence[int | str],
) -> tuple[Area, date, str, list[Team], list[ServiceItem]]:
    if area is None:
        raise ValidationError(_("Choose the town of the stop."), code="no_area")
    if area.kind not in STOP_AREA_KINDS:
        raise ValidationError(
            _("%(area)s is a %(kind)s; a stop is in a town or street, or a village, community or island in one.")
            % {"area": area.name, "kind": area.get_kind_display()},
            code="area_level",
        )
    if on is None:
        raise ValidationError(_("Give the date of the stop."), code="no_date")
    if not tour.starts_on <= on <= tour.ends_on:
        raise ValidationError(
            _("The stop on %(date)s is outside the tour's dates (%(from)s to %(to)s).")
            % {"date": on.isoformat(), "from": tour.starts_on.isoformat(), "to": tour.ends_on.isoformat()},
            code="date_outside",
        )
    place = place.strip()
    if not place:
        raise ValidationError(_("Say where in the town the teams set up."), code="no_place")
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise ValidationError(_("The stop ends before it starts."), code="times_reversed")
    teams: list[Team] = _resolve(Team, team_ids, _("Unknown team: %(id)s."))
    if not teams:
        raise ValidationError(_("Choose at least one team for the stop."), code="no_teams")
    for team in teams:
        if not team.is_active:
            raise ValidationError(_("The team %(team)s is no longer active.") % {"team": team.name}, code="inactive")
    items: list[ServiceItem] = _resolve(ServiceItem, item_ids, _("Unknown service item: %(id)s."))
    team_pks = {t.pk for t in teams}
    for item in items:
        if not item.is_active:
            raise ValidationError(_("%(item)s is no longer on the menu.") % {"item": item.title}, code="inactive")
        if item.team_id not in team_pks:
            raise ValidationError(
                _("%(item)s is offered by a team that is not at this stop.") % {"item": item.title},
                code="item_team",
            )
    return area, on, place, teams, items


def _stop_label(stop: TourStop) -> str:
    return f"{stop.date.isoformat()} {stop.area.name} {stop.place}"


@transaction.atomic
def tour_stop_add(
    *,
    tour: Tour,
    actor: Actor,
    area: Area | None,
    date: date | None,
    place: str,
    team_ids: Sequence[int | str],
    item_ids: Sequence[int | str] = (),
    starts_at: time | None = None,
    ends_at: time | None = None,
) -> TourStop:
    """Add a stop: a town on a day of the tour, the active teams that go and the items they bring."""
    _check_organizer(actor, tour)
    area, on, place, teams, items = _clean_stop(
        tour,
        area=area,
        on=date,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        team_ids=team_ids,
        item_ids=item_ids,
    )
    stop = TourStop.objects.create(tour=tour, area=area, date=on, place=place, starts_at=starts_at, ends_at=ends_at)
    stop.teams.set(teams)
    stop.items.set(items)
    event_record(subject=tour, actor=actor, verb=TourVerb.STOP_ADDED, note=_stop_label(stop))
    return stop


@transaction.atomic
def tour_stop_update(
    *,
    stop: TourStop,
    actor: Actor,
    area: Area | None,
    date: date | None,
    place: str,
    team_ids: Sequence[int | str],
    item_ids: Sequence[int | str] = (),
    starts_at: time | None = None,
    ends_at: time | None = None,
) -> TourStop:
    tour = stop.tour
    _check_organizer(actor, tour)
    area, on, place, teams, items = _clean_stop(
        tour,
        area=area,
        on=date,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        team_ids=team_ids,
        item_ids=item_ids,
    )
    before = _stop_label(stop)
    changes = {"area": area, "date": on, "place": place, "starts_at": starts_at, "ends_at": ends_at}
    TourStop.objects.filter(pk=stop.pk).update(**changes)
    for field, value in changes.items():
        setattr(stop, field, value)
    stop.teams.set(teams)
    stop.items.set(items)
    after = _stop_label(stop)
    event_record(
        subject=tour, actor=actor, verb=TourVerb.STOP_CHANGED, note=after if after == before else f"{before} → {after}"
    )
    return stop


@transaction.atomic
def tour_stop_remove(*, stop: TourStop, actor: Actor) -> None:
    """A stop that has not happened (nothing recorded for it) can be taken off the schedule."""
    tour = stop.tour
    _check_organizer(actor, tour)
    label = _stop_label(stop)
    # Conditional: a stop whose beneficiaries were just recorded stays, whoever clicked first.
    deleted, _rows = TourStop.objects.filter(pk=stop.pk, beneficiaries__isnull=True).delete()
    if not deleted:
        raise ValidationError(
            _("Beneficiaries were recorded for this stop; it stays on the schedule."), code="has_record"
        )
    event_record(subject=tour, actor=actor, verb=TourVerb.STOP_REMOVED, note=label)


@transaction.atomic
def tour_stop_record(*, stop: TourStop, actor: Actor, beneficiaries: int | None) -> TourStop:
    """After the stop, the organizer records how many people it served (person-times, 人次)."""
    _check_organizer(actor, stop.tour)
    if beneficiaries is None:
        raise ValidationError(_("Give the number of people served."), code="no_number")
    if beneficiaries < 0:
        raise ValidationError(_("The number of people served cannot be negative."), code="negative")
    if stop.date > timezone.localdate():
        raise ValidationError(
            _("The stop on %(date)s has not happened yet.") % {"date": stop.date.isoformat()}, code="future"
        )
    before = stop.beneficiaries
    TourStop.objects.filter(pk=stop.pk).update(beneficiaries=beneficiaries)
    stop.beneficiaries = beneficiaries
    event_record(
        subject=stop.tour,
        actor=actor,
        verb=TourVerb.BENEFICIARIES_RECORDED,
        note=_stop_label(stop),
        data={"from": "" if before is None else str(before), "to": str(beneficiaries)},
    )
    return stop
