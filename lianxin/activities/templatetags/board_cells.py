"""The compliance board's cells, written in Python: a page of 100 branches has a thousand or more,
which the template language took most of the page's time to render (docs/performance.md)."""

from collections.abc import Sequence
from functools import lru_cache

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lianxin.activities.selectors.compliance import DUE, EXEMPT, HELD, MISSED, Cell

register = template.Library()

BADGES = {HELD: "badge-ok", MISSED: "badge-red", DUE: "badge-warn"}
MARKS = {HELD: "✓", MISSED: "✗", DUE: "…"}


@lru_cache(maxsize=256)
def _escaped(source: str) -> str:
    """A rule's source, escaped once: a page has a few rules and a thousand cells."""
    return escape(source)


@register.simple_tag
def board_cells(cells_by_kind: Sequence[tuple[str, Sequence[Cell]]]) -> SafeString:
    """One branch's cells, a column for each kind (named for phones): each window a badge with its
    rule as title; a dash where the kind is not required of the branch."""
    marks = {**MARKS, EXEMPT: _("exempt")}
    none = format_html('<span class="muted" title="{}">—</span>', _("Not required of this organization"))
    columns = []
    for label, cells in cells_by_kind:
        badges = "".join(
            f'<span class="badge {BADGES.get(c.state, "")}" data-kind="{escape(c.kind)}" '
            f'data-state="{escape(c.state)}" title="{_escaped(c.rule.source)}">'
            f"{escape(c.label)} {escape(marks.get(c.state, ''))}</span> "
            for c in cells
        )
        columns.append((label, mark_safe(badges) if cells else none))  # every value in it escaped above
    return format_html_join("\n      ", '<td data-label="{}">{}</td>', columns)
