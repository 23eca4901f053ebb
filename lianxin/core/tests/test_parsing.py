"""Tests for lianxin.core.parsing: the values found in real Excel rosters."""

from datetime import date, datetime

import pytest
from django.utils.translation import gettext_lazy

from lianxin.core.parsing import (
    ParseError,
    normalize_mobile,
    normalize_text,
    parse_choice,
    parse_date,
)

pytestmark = pytest.mark.usefixtures("english_messages")  # lianxin/core/tests/conftest.py


# --------------------------------------------------------------------------- text


def test_full_width_digits_letters_and_punctuation_become_half_width() -> None:
    assert normalize_text("１９７４－０７－０１ ＡＢｃ（Ｘ）") == "1974-07-01 ABc(X)"


def test_ideographic_spaces_are_stripped_and_inner_runs_collapse_to_one_space() -> None:
    assert normalize_text("\u3000 张\u3000\u3000 三 \t\n") == "张 三"


def test_none_normalizes_to_an_empty_string() -> None:
    assert normalize_text(None) == ""


def test_chinese_punctuation_is_left_alone() -> None:
    assert normalize_text("党员、预备党员。") == "党员、预备党员。"


def test_non_string_values_are_converted_to_text() -> None:
    assert normalize_text(27211) == "27211"


# ---------------------------------------------------------------------- ParseError


def test_a_parse_error_is_a_value_error_with_code_and_params() -> None:
    with pytest.raises(ValueError, match="garbage") as info:
        parse_date("garbage")
    error = info.value
    assert isinstance(error, ParseError)
    assert error.code == "invalid_date"
    assert error.params == {"value": "garbage"}


def test_a_parse_error_message_names_the_original_value() -> None:
    with pytest.raises(ParseError) as info:
        parse_date("1974-02-30")
    assert info.value.message == "Invalid date: 1974-02-30"
    assert str(info.value) == "Invalid date: 1974-02-30"


# -------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text",
    [
        "1974-07-01",
        "1974/7/1",
        "1974/07/01",
        "1974.07.01",
        "1974.7.1",
        "1974年7月1日",
        "1974年07月01日",
        "1974年07月01号",
        "1974年 7月 1日",
        "19740701",
        "1974-07-01 00:00:00",
        "1974-07-01T00:00:00",
        "1974/7/1 8:30",
        "1974年7月1日 00:00",
        "1974年7月1日 08:30:00.000",
        "  1974-07-01  ",
    ],
)
def test_full_dates_are_accepted_in_every_common_roster_format(text: str) -> None:
    assert parse_date(text) == date(1974, 7, 1)


@pytest.mark.parametrize(
    "text",
    [
        "1974.7",
        "1974.07",
        "1974-7",
        "1974-07",
        "1974/07",
        "1974/7",
        "1974年7月",
        "1974年07月",
        "197407",
    ],
)
def test_a_month_without_a_day_means_the_first_of_that_month(text: str) -> None:
    assert parse_date(text) == date(1974, 7, 1)


def test_a_two_digit_month_after_a_dot_is_read_as_october_not_january() -> None:
    assert parse_date("1974.10") == date(1974, 10, 1)


def test_full_width_chinese_dates_are_accepted() -> None:
    assert parse_date("１９７４年７月１日") == date(1974, 7, 1)


def test_date_objects_are_returned_unchanged() -> None:
    assert parse_date(date(1974, 7, 1)) == date(1974, 7, 1)


def test_datetimes_are_reduced_to_their_date() -> None:
    result = parse_date(datetime(1974, 7, 1, 23, 59))
    assert result == date(1974, 7, 1)
    assert type(result) is date


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (27211, date(1974, 7, 1)),
        (27211.75, date(1974, 7, 1)),  # the fraction is the time of day
        (45292, date(2024, 1, 1)),
        (61, date(1900, 3, 1)),
        (59, date(1900, 2, 28)),
        (1, date(1900, 1, 1)),
        (2_958_465, date(9999, 12, 31)),
    ],
)
def test_excel_serial_numbers_are_read_in_the_1900_date_system(serial: float, expected: date) -> None:
    assert parse_date(serial) == expected


@pytest.mark.parametrize("serial", [0, -1, 60, 2_958_466, 1e300, 10**400, float("nan"), float("inf")])
def test_excel_serial_numbers_out_of_range_are_rejected(serial: float) -> None:
    with pytest.raises(ParseError) as info:
        parse_date(serial)
    assert info.value.code == "invalid_date"


def test_an_eight_digit_number_from_a_numeric_cell_is_read_as_year_month_day() -> None:
    assert parse_date(19740701) == date(1974, 7, 1)


@pytest.mark.parametrize("number", [1974, 1974.07, 2100])
def test_a_year_typed_into_a_numeric_cell_is_rejected_as_ambiguous(
    number: float,
) -> None:
    with pytest.raises(ParseError) as info:
        parse_date(number)
    assert info.value.code == "ambiguous_date"
    assert str(number) in str(info.value)


def test_a_boolean_is_not_taken_for_an_excel_serial() -> None:
    with pytest.raises(ParseError):
        parse_date(True)


@pytest.mark.parametrize("empty", [None, "", "   ", "\u3000"])
def test_empty_cells_give_no_date(empty: object) -> None:
    assert parse_date(empty) is None


@pytest.mark.parametrize(
    "text",
    [
        "1974-02-30",
        "1974-13-01",
        "1974年2月30日",
        "19740230",
        "197413",
        "1974.0",
        "1974",
        "74-07-01",
        "1974-07/01",
        "2023-02-29",
        "not a date",
        "1974-07-01 25",
        "一九七四年七月",
    ],
)
def test_impossible_or_unknown_dates_raise_an_error_naming_the_value(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_date(text)
    assert info.value.code == "invalid_date"
    assert text in str(info.value)


def test_a_leap_day_in_a_leap_year_is_accepted() -> None:
    assert parse_date("2024年2月29日") == date(2024, 2, 29)


def test_future_dates_are_not_refused_by_the_parser() -> None:
    assert parse_date("2099-01-01") == date(2099, 1, 1)


# ------------------------------------------------------------------------ mobiles


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        " 138 1234 5678 ",
        "138-1234-5678",
        "１３８１２３４５６７８",
        "+86 138 1234 5678",
        "+8613812345678",
        "008613812345678",
        "86-138-1234-5678",
        13812345678,
        13812345678.0,
    ],
)
def test_mobile_numbers_are_normalized_to_eleven_digits(raw: object) -> None:
    assert normalize_mobile(raw) == "13812345678"


@pytest.mark.parametrize("prefix", ["13", "14", "15", "16", "17", "18", "19"])
def test_every_mainland_mobile_prefix_is_accepted(prefix: str) -> None:
    number = prefix + "812345678"
    assert normalize_mobile(number) == number


@pytest.mark.parametrize("empty", [None, "", "  ", "\u3000"])
def test_an_empty_mobile_normalizes_to_an_empty_string(empty: object) -> None:
    assert normalize_mobile(empty) == ""


@pytest.mark.parametrize(
    "bad",
    [
        "12812345678",  # no 12x mobiles
        "1381234567",  # ten digits
        "138123456789",  # twelve digits
        "0571-88886666",  # a landline
        "+1 13812345678",  # not a Chinese country code
        "+86 0571 8888666",
        "1381234567a",
        "1381234567\u0663",  # an Arabic-Indic digit
        "无",
    ],
)
def test_invalid_mobile_numbers_are_rejected(bad: str) -> None:
    with pytest.raises(ParseError) as info:
        normalize_mobile(bad)
    assert info.value.code == "invalid_mobile"
    assert str(info.value) == f"Invalid mobile number: {bad}"


# ------------------------------------------------------------------------ choices

SEX_CHOICES = {"male": "男", "female": "女"}
STATUS_CHOICES = {"FORMAL": "正式党员", "PROBATIONARY": "预备党员"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("男", "male"),
        (" 女 ", "female"),
        ("male", "male"),
        ("FEMALE", "female"),
        ("Ｍａｌｅ", "male"),
    ],
)
def test_a_choice_matches_its_label_or_its_code(value: str, expected: str) -> None:
    assert parse_choice(value, SEX_CHOICES) == expected


def test_codes_are_matched_case_insensitively_and_returned_as_defined() -> None:
    assert parse_choice("probationary", STATUS_CHOICES) == "PROBATIONARY"
    assert parse_choice("预备党员", STATUS_CHOICES) == "PROBATIONARY"


def test_a_code_wins_over_a_label_that_happens_to_equal_it() -> None:
    assert parse_choice("b", {"a": "B", "b": "Other"}) == "b"


def test_lazy_labels_are_matched_too() -> None:
    assert parse_choice("Male", {"m": gettext_lazy("Male")}) == "m"


def test_an_empty_choice_normalizes_to_an_empty_string() -> None:
    assert parse_choice(None, SEX_CHOICES) == ""


def test_an_unknown_choice_is_rejected_with_the_allowed_labels() -> None:
    with pytest.raises(ParseError) as info:
        parse_choice("未知", SEX_CHOICES)
    assert info.value.code == "invalid_choice"
    assert str(info.value) == "Invalid value 未知: choose one of 男 / 女"
