"""Tests for lianxin.core.parsing: citizen ID numbers (GB 11643) and the masks of ID and phone numbers."""

from datetime import date, timedelta

import pytest

from lianxin.core.parsing import (
    ParseError,
    id_checksum,
    id_number_birth_date,
    id_number_sex,
    mask_id_number,
    mask_phone,
    normalize_id_number,
)

pytestmark = pytest.mark.usefixtures("english_messages")  # lianxin/core/tests/conftest.py


def valid_id(first17: str) -> str:
    """An 18-character ID number with a correct check character."""
    return first17 + id_checksum(first17)


# A man born 1974-07-01 (17th digit 1 is odd); a woman born 1985-12-31 (17th digit 8
# is even) whose check character is X.
MALE_ID = valid_id("33010219740701001")
FEMALE_ID = "11010519851231058X"


# --------------------------------------------------------------------- ID numbers


def test_the_checksum_follows_gb_11643() -> None:
    # The worked example from GB 11643-1999.
    assert id_checksum("11010519491231002") == "X"
    assert id_checksum("44052418800101001") == "4"


@pytest.mark.parametrize("bad", ["1234", "1101051949123100X", "１１０１０５１９４９１２３１００２"])
def test_the_checksum_needs_17_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="17 ASCII digits"):
        id_checksum(bad)


def test_a_valid_id_number_is_returned_unchanged() -> None:
    assert normalize_id_number(MALE_ID) == MALE_ID
    assert normalize_id_number(FEMALE_ID) == FEMALE_ID


def test_a_lower_case_x_is_upper_cased() -> None:
    assert normalize_id_number(FEMALE_ID.lower()) == FEMALE_ID


def test_full_width_characters_and_spaces_in_an_id_number_are_tolerated() -> None:
    full_width = " ".join(FEMALE_ID[i : i + 6] for i in range(0, 18, 6)).translate(
        {code: code + 0xFEE0 for code in range(0x21, 0x7F)}
    )
    assert full_width != FEMALE_ID
    assert normalize_id_number(f"\u3000{full_width}\u3000".replace("Ｘ", "ｘ")) == FEMALE_ID


def test_a_15_digit_id_number_is_converted_to_18_digits() -> None:
    old = "330102740701001"
    expected = valid_id("33010219740701001")
    assert normalize_id_number(old) == expected
    assert len(expected) == 18


def test_a_15_digit_id_number_from_a_numeric_cell_is_converted() -> None:
    assert normalize_id_number(330102740701001) == MALE_ID
    assert normalize_id_number(330102740701001.0) == MALE_ID


def test_an_18_digit_id_number_stored_as_a_number_is_rejected_as_truncated() -> None:
    with pytest.raises(ParseError) as info:
        normalize_id_number(3.30102197407010e17)
    assert info.value.code == "id_number_numeric"


def test_an_empty_id_number_normalizes_to_an_empty_string() -> None:
    assert normalize_id_number(None) == ""
    assert normalize_id_number("  ") == ""


@pytest.mark.parametrize("bad", ["3301021974070100", "33010219740701001X1", "33010274070100"])
def test_an_id_number_of_the_wrong_length_is_rejected(bad: str) -> None:
    with pytest.raises(ParseError) as info:
        normalize_id_number(bad)
    assert info.value.code == "id_number_length"
    assert info.value.params["length"] == len(bad)
    assert bad in str(info.value)


@pytest.mark.parametrize(
    "bad",
    [
        "3301021974070100A1",
        "X30102197407010011",
        "33010219740701-011",
        "33010219740701001\u0663",  # an Arabic-Indic digit, not 0-9
    ],
)
def test_an_id_number_with_wrong_characters_is_rejected(bad: str) -> None:
    with pytest.raises(ParseError) as info:
        normalize_id_number(bad)
    assert info.value.code == "id_number_characters"
    assert bad in str(info.value)


def test_an_id_number_with_a_bad_checksum_is_rejected() -> None:
    wrong = MALE_ID[:17] + ("0" if MALE_ID[17] != "0" else "1")
    with pytest.raises(ParseError) as info:
        normalize_id_number(wrong)
    assert info.value.code == "id_number_checksum"
    assert wrong in str(info.value)


def test_a_swapped_pair_of_digits_fails_the_checksum() -> None:
    swapped = MALE_ID[:6] + MALE_ID[7] + MALE_ID[6] + MALE_ID[8:]
    with pytest.raises(ParseError) as info:
        normalize_id_number(swapped)
    assert info.value.code == "id_number_checksum"


@pytest.mark.parametrize(
    "first17",
    [
        "11010519740230001",  # 30 February
        "11010519741301001",  # month 13
        "11010500000101001",  # year 0
        "11010518000101001",  # implausibly early
        f"110105{date.today() + timedelta(days=1):%Y%m%d}001",  # tomorrow
        "11010520990101001",  # far future
    ],
)
def test_an_id_number_with_an_impossible_birth_date_is_rejected(first17: str) -> None:
    id18 = valid_id(first17)  # checksum is right, only the date is wrong
    with pytest.raises(ParseError) as info:
        normalize_id_number(id18)
    assert info.value.code == "id_number_birth_date"
    assert id18 in str(info.value)


def test_a_15_digit_id_number_with_an_impossible_birth_date_is_rejected() -> None:
    with pytest.raises(ParseError) as info:
        normalize_id_number("110105740230001")
    assert info.value.code == "id_number_birth_date"


def test_someone_born_today_has_a_valid_id_number() -> None:
    id18 = valid_id(f"110105{date.today():%Y%m%d}001")
    assert normalize_id_number(id18) == id18


def test_the_birth_date_is_read_from_the_id_number() -> None:
    assert id_number_birth_date(MALE_ID) == date(1974, 7, 1)
    assert id_number_birth_date(FEMALE_ID) == date(1985, 12, 31)


def test_reading_a_birth_date_from_a_malformed_id_number_fails() -> None:
    with pytest.raises(ParseError) as info:
        id_number_birth_date("110105")
    assert info.value.code == "id_number_birth_date"


def test_the_sex_is_read_from_the_seventeenth_digit() -> None:
    assert id_number_sex(MALE_ID) == "male"
    assert id_number_sex(FEMALE_ID) == "female"


def test_reading_the_sex_from_a_malformed_id_number_fails() -> None:
    with pytest.raises(ValueError, match="18-character"):
        id_number_sex("1101051985")


# -------------------------------------------------------------------------- masks


def test_an_id_number_is_masked_to_its_first_and_last_four_characters() -> None:
    assert mask_id_number("33090219740701123X") == "3309**********123X"
    assert len(mask_id_number(MALE_ID)) == 18


def test_a_too_short_id_number_is_masked_entirely() -> None:
    assert mask_id_number("12345678") == "********"
    assert mask_id_number("") == ""


def test_a_mobile_is_masked_to_its_first_three_and_last_four_digits() -> None:
    assert mask_phone("13812345678") == "138****5678"


def test_other_phone_numbers_keep_two_characters_at_each_end() -> None:
    assert mask_phone("0571-88886666") == "05*********66"
    assert mask_phone("88886666") == "88****66"


def test_masking_an_empty_or_tiny_phone_number_reveals_nothing() -> None:
    assert mask_phone("") == ""
    assert mask_phone("110") == "***"
