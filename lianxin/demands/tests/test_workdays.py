"""Working days: weekends off, public holidays off, weekend days worked in exchange (调休) on."""

from datetime import date

import pytest

from lianxin.core.models import Holiday
from lianxin.core.workdays import add_working_days, working_days_between

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_day_2025() -> None:
    """2025 National Day and Mid-Autumn: 1–8 October off; Sunday 28 September and Saturday 11 October worked."""
    for day in range(1, 9):
        Holiday.objects.create(date=date(2025, 10, day), name="国庆节、中秋节")
    Holiday.objects.create(date=date(2025, 9, 28), name="国庆节调休", is_workday=True)
    Holiday.objects.create(date=date(2025, 10, 11), name="国庆节调休", is_workday=True)


def test_an_ordinary_week_skips_the_weekend() -> None:
    # Thursday 2025-03-06 + 2 working days: Friday, then Monday.
    assert add_working_days(date(2025, 3, 6), 2) == date(2025, 3, 10)


def test_zero_days_is_the_start_itself_and_negative_days_are_refused() -> None:
    assert add_working_days(date(2025, 3, 6), 0) == date(2025, 3, 6)
    with pytest.raises(ValueError, match="must not be negative"):
        add_working_days(date(2025, 3, 6), -1)


def test_a_deadline_across_national_day_skips_the_holiday_and_counts_the_exchanged_saturday(
    national_day_2025: None,
) -> None:
    # Tuesday 30 September + 1: 1–8 October are off, so Thursday 9 October.
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    # + 3: 9 (Thu), 10 (Fri), 11 (Saturday worked in exchange).
    assert add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 11)


def test_a_sunday_worked_in_exchange_counts(national_day_2025: None) -> None:
    # Friday 26 September + 1: Saturday 27 is off, Sunday 28 is worked.
    assert add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)


def test_working_days_between_counts_after_the_start_up_to_the_end(national_day_2025: None) -> None:
    # 28, 29, 30 September and 9, 10, 11 October.
    assert working_days_between(date(2025, 9, 26), date(2025, 10, 11)) == 6
    assert working_days_between(date(2025, 3, 7), date(2025, 3, 10)) == 1
    assert working_days_between(date(2025, 3, 10), date(2025, 3, 10)) == 0
    assert working_days_between(date(2025, 3, 10), date(2025, 3, 1)) == 0
