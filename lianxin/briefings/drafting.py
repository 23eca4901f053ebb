"""A template filled in for a subtree and a period: the figures it names counted once, each phrased the
way the seed articles write it, and every part without data left out. Nothing here writes.

Only those with data: a `[[…]]` fragment, a paragraph or a section whose figures are all zero (or a
share of nothing) is left out, and so is one naming a figure no app registers (yet): the honours and
care modules will register theirs, and their sections appear from then on. A paragraph or section
without any figure is kept as it is.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import translation

from lianxin.briefings.phrasing import about, percent, share
from lianxin.briefings.textfiles import BriefingText, Fragment, Paragraph, Piece, Placeholder, placeholders_of
from lianxin.core.figures import FigureGroup, Number, figures_of, measure_named
from lianxin.core.periods import Period
from lianxin.organizations.models import Area, Organization

# The Party was founded in 1921: 2024 is its 103rd year (seed 000: 庆祝建党103周年).
FOUNDED = 1921
QUARTERS = "一二三四"


@dataclass(frozen=True)
class Counted:
    """The registered figures a template names, counted for one subtree and period."""

    numbers: Mapping[str, Number]
    labels: Mapping[str, str]  # in the platform's language, as a briefing is written

    def registered(self, name: str) -> bool:
        return name in self.numbers


@dataclass
class DraftFigure:
    measure: str
    label: str
    value: Number
    phrase: str


@dataclass
class DraftSection:
    heading: str
    paragraphs: list[str]
    figures: list[DraftFigure] = field(default_factory=list)


@dataclass(frozen=True)
class Draft:
    title: str
    sections: list[DraftSection]


def counted(names: Iterable[str], organization: Organization, period: Period) -> Counted:
    """The named figures that are registered, each group that holds one counted once (figures_of)."""
    groups: dict[str, FigureGroup] = {}
    for name in names:
        found = measure_named(name)
        if found is not None:
            groups[found[0].key] = found[0]
    numbers: dict[str, Number] = {}
    labels: dict[str, str] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for group in figures_of(organization, period, list(groups.values())):
            for measure, number in group.items():
                numbers[measure.name] = number
                labels[measure.name] = str(measure.label)
    return Counted(numbers, labels)


# ------------------------------------------------------------------------------- words


def _day(value: date, *, year: bool = True) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if year else f"{value.month}月{value.day}日"


def period_words(period: Period) -> str:
    """The period as a briefing says it: 2026年, 2026年第二季度, 2026年6月, 2026年6月至7月, 2026年1月1日至12月7日."""
    start, end = period.start, period.end
    if period == Period.year(start.year):
        return f"{start.year}年"
    if period.is_quarter:
        return f"{start.year}年第{QUARTERS[period.quarter_number - 1]}季度"
    if period.is_month:
        return f"{start.year}年{start.month}月"
    same_year = start.year == end.year
    if start.day == 1 and end == Period.month_of(end).end:
        return f"{start.year}年{start.month}月至{'' if same_year else f'{end.year}年'}{end.month}月"
    return f"{_day(start)}至{_day(end, year=not same_year)}"


def whole_of(organization: Organization) -> str:
    """ "全市", "全区", "全街道", "全支部": the whole subtree as the seeds say it (全市开展……)."""
    if organization.kind in Organization.BRANCH_KINDS:
        return "全总支" if organization.kind == Organization.Kind.GENERAL_BRANCH else "全支部"
    if organization.kind == Organization.Kind.GROUP:
        return "全小组"
    name: str = organization.area.name
    for ending in ("街道", "社区", "县", "乡", "镇", "村", "岛"):
        if name.endswith(ending):
            return f"全{ending}"
    by_kind = {Area.Kind.CITY: "全市", Area.Kind.DISTRICT: "全区", Area.Kind.TOWN: "全镇"}
    return by_kind.get(organization.area.kind, "全市" if name.endswith("市") else "全区")


def words_of(organization: Organization, period: Period) -> dict[str, str]:
    return {
        "org": organization.name,
        "whole": whole_of(organization),
        "period": period_words(period),
        "year": str(period.end.year),
        "party_years": str(period.end.year - FOUNDED),
        "start": _day(period.start),
        "end": _day(period.end),
    }


# ------------------------------------------------------------------------------- figures


def _whole(number: Number) -> int:
    return int(number or 0)


def has_data(placeholder: Placeholder, counts: Counted) -> bool:
    numbers = [counts.numbers.get(name) for name in placeholder.measures]
    if placeholder.kind == "percent":
        return numbers[-1] is not None and (len(numbers) == 1 or _whole(numbers[-1]) > 0)
    return _whole(numbers[0]) > 0


def phrase_of(placeholder: Placeholder, counts: Counted) -> str:
    numbers = [counts.numbers.get(name) for name in placeholder.measures]
    if placeholder.kind == "about":
        return about(_whole(numbers[0]), placeholder.unit)
    if placeholder.kind == "count":
        return f"{_whole(numbers[0])}{placeholder.unit}"
    if len(numbers) == 2:
        return percent(_whole(numbers[0]), _whole(numbers[1]))
    value = numbers[0]
    return share(value if isinstance(value, Decimal) or value is None else Decimal(value))


def _figures_in(pieces: Iterable[Piece]) -> list[Placeholder]:
    """The figures named directly in `pieces`, not in their fragments."""
    return [p for p in pieces if isinstance(p, Placeholder) and p.is_figure]


class _Filler:
    """Fills one section's paragraphs, collecting the figures of the parts it keeps."""

    def __init__(self, counts: Counted, words: Mapping[str, str]) -> None:
        self.counts, self.words = counts, words
        self.figures: dict[str, DraftFigure] = {}

    def written(self, pieces: Iterable[Piece]) -> str | None:
        """The pieces as text, or None when they are left out: a figure is not registered, or none of
        their own figures has data (or, naming figures only in fragments, every fragment is left out)."""
        own = _figures_in(pieces)
        if not all(self.counts.registered(name) for p in own for name in p.measures):
            return None
        if own and not any(has_data(p, self.counts) for p in own):
            return None
        parts: list[str] = []
        optional = kept = 0
        for piece in pieces:
            if isinstance(piece, Fragment):
                text = self.written(piece.pieces)
                optional += bool(_figures_in(piece.pieces))
                if text is not None:
                    parts.append(text)
                    kept += bool(_figures_in(piece.pieces))
            elif isinstance(piece, Placeholder):
                parts.append(phrase_of(piece, self.counts) if piece.is_figure else self.words[piece.kind])
            else:
                parts.append(piece)
        if not own and optional and not kept:
            return None
        return "".join(parts)

    def paragraph(self, paragraph: Paragraph) -> str | None:
        text = self.written(paragraph)
        if text is not None:
            for placeholder in self._kept(paragraph):
                phrase = phrase_of(placeholder, self.counts)
                for name in placeholder.measures:
                    figure = DraftFigure(name, self.counts.labels[name], self.counts.numbers[name], phrase)
                    self.figures.setdefault(name, figure)
        return text

    def _kept(self, pieces: Iterable[Piece]) -> list[Placeholder]:
        found: list[Placeholder] = []
        for piece in pieces:
            if isinstance(piece, Placeholder) and piece.is_figure:
                found.append(piece)
            elif isinstance(piece, Fragment) and self.written(piece.pieces) is not None:
                found += _figures_in(piece.pieces)
        return found


def draft_of(text: BriefingText, organization: Organization, period: Period, counts: Counted | None = None) -> Draft:
    """The template filled in for the subtree and period; `counts` when already counted."""
    counts = counts or counted(text.measures(), organization, period)
    words = words_of(organization, period)
    sections: list[DraftSection] = []
    for section in text.sections:
        filler = _Filler(counts, words)
        measured = [p for p in section.paragraphs if any(x.is_figure for x in placeholders_of(p))]
        paragraphs = [(p, filler.paragraph(p)) for p in section.paragraphs]
        kept = [written for _p, written in paragraphs if written is not None]
        if measured and not any(written is not None for p, written in paragraphs if p in measured):
            continue  # only those with data
        if kept:
            sections.append(DraftSection(section.heading, kept, list(filler.figures.values())))
    return Draft(_Filler(counts, words).written(text.title) or "", sections)
