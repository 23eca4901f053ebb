"""Hours by the rounding rule: whole hours count, the rest of a started hour rounds by steps."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from lianxin.volunteering.rules.hours import rounded_hours


def minutes(m: float) -> timedelta:
    return timedelta(minutes=m)


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        (minutes(0), "0"),
        (minutes(15), "0"),
        (minutes(15) + timedelta(seconds=1), "0.5"),
        (minutes(30), "0.5"),
        (minutes(45), "0.5"),
        (minutes(45) + timedelta(seconds=1), "1"),
        (minutes(59), "1"),
        (minutes(60), "1"),
        (minutes(75), "1"),
        (minutes(76), "1.5"),
        (minutes(105), "1.5"),
        (minutes(106), "2"),
        (minutes(120), "2"),
        (minutes(-5), "0"),
    ],
)
def test_the_default_rule_rounds_the_rest_of_a_started_hour_at_15_and_45_minutes(
    length: timedelta, expected: str
) -> None:
    assert rounded_hours(length) == Decimal(expected)


def test_hours_are_capped_by_the_session_length() -> None:
    assert rounded_hours(minutes(200), cap=minutes(120)) == Decimal("2")
    assert rounded_hours(minutes(100), cap=minutes(120)) == Decimal("1.5")


@override_settings(LIANXIN_HOUR_ROUNDING=[(30, "0"), (60, "1")])
def test_a_city_can_set_its_own_steps() -> None:
    assert rounded_hours(minutes(30)) == Decimal("0")
    assert rounded_hours(minutes(31)) == Decimal("1")
    assert rounded_hours(minutes(90)) == Decimal("1")


@override_settings(LIANXIN_HOUR_ROUNDING=[(15, "0"), (45, "0.5")])
def test_a_rule_without_a_step_for_sixty_minutes_is_refused_clearly() -> None:
    with pytest.raises(ImproperlyConfigured, match="60 minutes"):
        rounded_hours(minutes(50))


@override_settings(LIANXIN_HOUR_ROUNDING=[(45, "0.5"), (15, "0"), (60, "1")])
def test_a_rule_with_steps_out_of_order_is_refused_clearly() -> None:
    with pytest.raises(ImproperlyConfigured, match="increasing minutes"):
        rounded_hours(minutes(50))
