"""Reads of briefings, always through the viewer's roster scope: the briefings of organizations they
manage, and nobody else's (out of scope answers 404, as if there were none)."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.briefings.models import Briefing, BriefingFigure, BriefingSection
from lianxin.core.figures import measure_named


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
