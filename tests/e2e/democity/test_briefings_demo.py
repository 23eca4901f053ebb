"""Briefings on the small demo city: the "七一" series of the current year drafts the sections the city
has data for, its numbers phrased as the seeds write them, and the whole city's year in review is
drafted well within a second. Nothing is written: the drafts are read, not saved."""

import re
import time
from decimal import Decimal

from django.utils import timezone

from lianxin.briefings.drafting import Draft, draft_of
from lianxin.briefings.phrasing import about, share
from lianxin.briefings.textfiles import briefing_template
from lianxin.core.periods import Period
from lianxin.organizations.models import Organization

# "7200余场", "8.9万余人", "87场", "96.52%": two figures and 余, or a count below a hundred, or a share.
SEED_PHRASE = re.compile(r"(\d{2}0*|\d\.\d|\d{1,2})(万|亿)?余?\D+|\d{2}|\d+\.\d\d%")


def _draft(key: str, org: Organization, period: Period) -> Draft:
    text = briefing_template(key)
    assert text is not None
    return draft_of(text, org, period)


def test_the_july_first_series_of_this_year_drafts_the_sections_with_data_phrased_as_the_seeds() -> None:
    city = Organization.objects.get(depth=1)
    today = timezone.localdate()
    draft = _draft("july_first", city, Period.year(today.year))
    headed = [s for s in draft.sections if s.heading]
    assert len(headed) >= 3, [s.heading for s in draft.sections]
    assert {"支部书记讲党课", "开展主题党日"} <= {s.heading for s in headed}
    phrases = 0
    for section in draft.sections:
        text = "".join(section.paragraphs)
        assert "{" not in text and "[[" not in text and "None" not in text
        for figure in section.figures:
            assert figure.phrase in text, figure
            assert SEED_PHRASE.fullmatch(figure.phrase), figure.phrase
            if figure.phrase.endswith("%") and figure.value is not None:
                assert figure.phrase == share(Decimal(figure.value))
            elif "余" in figure.phrase:
                unit = re.sub(r"^[\d.]+(万|亿)?余", "", figure.phrase)
                assert figure.phrase == about(int(figure.value or 0), unit)
                phrases += 1
    assert phrases >= 3, "the demo city's counts read as 250余场次, 920余场"


def test_the_whole_citys_year_in_review_is_drafted_within_a_second() -> None:
    city = Organization.objects.get(depth=1)
    today = timezone.localdate()
    started = time.monotonic()
    draft = _draft("year_in_review", city, Period(today.replace(month=1, day=1), today))
    seconds = time.monotonic() - started
    print(f"\nthe demo city's year in review drafted in {seconds:.3f} s")
    assert seconds < 1.0
    assert draft.title.endswith(f"{today.year}年党建工作回顾")
    assert len([s for s in draft.sections if s.figures]) >= 5
