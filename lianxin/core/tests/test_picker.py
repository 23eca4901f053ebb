"""The kernel's part of the pickers: pinyin initials, the cleaning of typed text, results as they read."""

from lianxin.core.picker import MAX_QUERY, Choice, clean_query, pinyin_initials


def test_pinyin_initials_are_lowercase_letters_and_digits() -> None:
    assert pinyin_initials("怡岛社区") == "ydsq"
    assert pinyin_initials("定海区委A3党支部") == "dhqwa3dzb"
    assert pinyin_initials("（第一）党小组·") == "dydxz"
    assert pinyin_initials("") == ""


def test_typed_text_is_cut_to_size_and_loses_control_characters() -> None:
    assert clean_query("  怡岛 \t 社区\x00 ") == "怡岛 社区"
    assert clean_query(None) == ""
    assert len(clean_query("x" * 10_000)) == MAX_QUERY


def test_a_chosen_item_reads_with_its_whole_path() -> None:
    assert Choice(key="1", label="怡岛社区", path="定海区 › 千岛街道").full == "定海区 › 千岛街道 › 怡岛社区"
    assert Choice(key="1", label="定海区").full == "定海区"
