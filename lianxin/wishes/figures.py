"""Micro-wishes' figures for the dashboard and the briefings (lianxin.core.figures): wishes of the
subtree's communities posted in the period (passed review), and of those, claimed and fulfilled. A
row shows the wish's title and state, never who made it."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.core.figures import FigureGroup, Measure, Row, figures_register
from lianxin.core.periods import Period
from lianxin.organizations.selectors import Subtree
from lianxin.wishes.models import Wish
from lianxin.wishes.selectors import wishes_posted

COLUMNS = (("date", _("Posted on")), ("title", _("Title")), ("community", _("Community")), ("status", _("State")))


def wish_row(wish: Wish) -> Row:
    return {
        "date": wish.created_at.date().isoformat(),
        "title": wish.title,
        "community": str(wish.organization),
        "status": wish.get_status_display(),
    }


def fulfilled(org: Subtree, period: Period) -> QuerySet[Wish]:
    return wishes_posted(org, period, Wish.FULFILLED_STATUSES)


MEASURES = (
    Measure(
        "wishes-posted",
        _("Micro-wishes posted"),
        pgettext_lazy("unit", "wishes"),
        _("Wishes of this subtree's communities posted in the period that passed review."),
        wishes_posted,
        COLUMNS,
        wish_row,
        dated="created_at",
        organization="organization",
    ),
    Measure(
        "wishes-fulfilled",
        _("Micro-wishes fulfilled"),
        pgettext_lazy("unit", "wishes"),
        _("Of the wishes posted, those fulfilled since (confirmed or not)."),
        fulfilled,
        COLUMNS,
        wish_row,
        headline=True,
        dated="created_at",
        organization="organization",
    ),
)

figures_register(FigureGroup("wishes", _("Micro-wishes"), 40, MEASURES))
