from decimal import Decimal

import pytest

from lianxin.dues.rules.months import month_add, months_behind_on
from lianxin.dues.rules.standard import BANDS, Basis, amount_problem, is_for_centre, is_warned

D = Decimal


@pytest.mark.parametrize(
    ("basis", "fits", "refused"),
    [
        (Basis.EMPLOYED_3000, "15.00", "15.01"),  # 3000 yuan × 0.5%
        (Basis.EMPLOYED_5000, "50.00", "50.01"),  # 5000 × 1%
        (Basis.EMPLOYED_10000, "150.00", "150.01"),  # 10000 × 1.5%
        (Basis.RETIRED_5000, "25.00", "25.01"),  # 5000 × 0.5%
        (Basis.FARMER, "1.00", "1.01"),
        (Basis.STUDENT, "0.20", "0.21"),
        (Basis.UNEMPLOYED, "0.20", "0.21"),
        (Basis.RELIEF, "0.20", "0.21"),
    ],
)
def test_each_band_takes_its_highest_amount_and_refuses_a_fen_more(basis: str, fits: str, refused: str) -> None:
    assert amount_problem(basis, D(fits)) is None
    assert amount_problem(basis, D(refused)) is not None


@pytest.mark.parametrize(
    ("basis", "lowest", "below"),
    [
        (Basis.EMPLOYED_5000, "30.00", "29.99"),  # above 3000 yuan at 1%
        (Basis.EMPLOYED_10000, "75.00", "74.99"),
        (Basis.EMPLOYED_ABOVE, "200.00", "199.99"),
        (Basis.RETIRED_ABOVE, "50.00", "49.99"),
        (Basis.FARMER, "0.20", "0.19"),
        (Basis.STUDENT, "0.20", "0.19"),
    ],
)
def test_each_band_refuses_an_amount_below_its_range(basis: str, lowest: str, below: str) -> None:
    assert amount_problem(basis, D(lowest)) is None
    assert "must be" in str(amount_problem(basis, D(below)))


def test_a_salary_typed_as_the_amount_is_refused() -> None:
    assert "not the salary" in str(amount_problem(Basis.EMPLOYED_ABOVE, D("12000.00")))
    assert amount_problem(Basis.FIXED, D("0.005")) is not None


def test_every_band_names_its_article() -> None:
    assert all(band.article for band in BANDS.values())
    assert set(BANDS) == set(Basis.values)


def test_a_payment_of_1000_yuan_goes_to_the_centre_and_999_99_does_not() -> None:
    assert is_for_centre(D("1000.00"))
    assert not is_for_centre(D("999.99"))


def test_six_months_behind_warns_and_five_does_not() -> None:
    assert is_warned(6)
    assert not is_warned(5)


def test_months_behind_counts_up_to_the_month_before() -> None:
    from datetime import date

    paid = date(2026, 5, 1)
    assert months_behind_on(paid, date(2026, 11, 30)) == 5
    assert months_behind_on(paid, date(2026, 12, 1)) == 6
    assert months_behind_on(paid, date(2026, 6, 15)) == 0
    assert month_add(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert month_add(date(2026, 1, 1), -1) == date(2025, 12, 1)
