"""Reads of briefings, always through the viewer's roster scope: the briefings of organizations they
manage, and nobody else's (out of scope answers 404, as if there were none)."""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.briefings.kept import decode_ids
from lianxin.briefings.models import Briefing, BriefingFigure, BriefingSection
from lianxin.core.figures import Measure, measure_named
from lianxin.core.params import page_param
from lianxin.core.periods import Period
from lianxin.organizations.models import Organization


def can_write_briefings(user: Viewer) -> bool:
    """Who may see figures may draft, read and publish briefings of the same subtrees."""
    return user.is_authenticated and not roster_scope(user).is_empty


def briefing_list_visible_to(*, user: Viewer, status: str = "") -> QuerySet[Briefing]:
    qs: QuerySet[Briefing] = Briefing.objects.filter(roster_scope(user).q("organization__path"))
    if status in Briefing.Status.values:
        qs = qs.filter(status=status)
    return qs.select_related("organization", "created_by", "published_by").order_by("-created_at", "-id")


def access_briefing(user: Viewer, pk: int) -> Briefing:
    """The briefing, or 404 when there is none in the viewer's scope."""
    found = briefing_list_visible_to(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class ShownFigure:
    figure: BriefingFigure
    label: str  # the measure's label now, in the reader's language; as counted when no longer registered
    in_text: bool  # its phrase is still in the section's text (staff may have edited it out)


@dataclass(frozen=True)
class ShownSection:
    section: BriefingSection
    figures: list[ShownFigure]


def briefing_sections(briefing: Briefing) -> list[ShownSection]:
    """The sections in order, each with the numbers it used, in two queries."""
    sections = list(briefing.sections.order_by("position"))
    by_section: dict[int, list[BriefingFigure]] = {}
    for figure in briefing.figures.order_by("position"):
        by_section.setdefault(figure.section_id, []).append(figure)
    shown = []
    for section in sections:
        figures = []
        for figure in by_section.get(section.pk, []):
            found = measure_named(figure.measure)
            label = str(found[1].label) if found else figure.label
            figures.append(ShownFigure(figure, label, figure.phrase in section.text))
        shown.append(ShownSection(section, figures))
    return shown


@dataclass(frozen=True)
class KeptRows:
    """A page of the rows a published number counted, as they read now; those deleted since, apart."""

    figure: BriefingFigure
    measure: Measure | None
    page: Page[int]
    rows: list[list[Any]]
    gone: int  # of this page's kept rows, how many are no longer on record


def kept_rows_page(briefing: Briefing, position: int, number: int | str | None, size: int) -> KeptRows:
    """The rows kept for the number at `position` of a published briefing (404 for none kept)."""
    figure = briefing.figures.filter(position=position, kept_count__isnull=False).first()
    if figure is None:
        raise Http404
    found = measure_named(figure.measure)
    measure = found[1] if found else None
    ids = decode_ids(bytes(figure.kept_rows))
    page = Paginator(ids, size).get_page(page_param(number))
    rows: list[list[Any]] = []
    gone = 0
    organization = Organization.objects.filter(code=figure.organization_code).first()
    if measure is not None and organization is not None:
        counted = measure.rows(organization, Period(figure.starts_on, figure.ends_on))
        # The same rows by their keys, read with the joins the measure reads them with.
        by_pk = counted.model._default_manager.all()
        by_pk.query.select_related = counted.query.select_related
        found_rows = by_pk.in_bulk(list(page.object_list))
        gone = len(page.object_list) - len(found_rows)
        rows = [measure.cells(found_rows[pk]) for pk in page if pk in found_rows]
    return KeptRows(figure, measure, page, rows, gone)
