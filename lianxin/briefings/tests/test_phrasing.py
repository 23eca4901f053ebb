import re
from decimal import Decimal

import pytest

from lianxin.briefings.phrasing import about, leading_two, percent, share

# The seeds' own phrases, each from a count that gives it (the articles print only the phrase).
SEED_PHRASES = [
    (7236, "场", "7200余场"),  # 全市开展集中学习活动7200余场 (seed 000)
    (89_412, "人", "8.9万余人"),  # 覆盖党员8.9万余人
    (4012, "场次", "4000余场次"),  # 累计举办党课4000余场次
    (2846, "场", "2800余场"),
    (603, "名", "600余名"),  # 全市600余名老党员获颁纪念章
    (1312, "人", "1300余人"),  # 走访慰问……1300余人
    (11_035, "次", "1.1万余次"),
    (6130, "次", "6100余次"),  # 3750个基层党支部集中学习6100余次
    (17_204, "人", "1.7万余人"),
    (22_310, "名", "2.2万余名"),
    (100_412, "名", "10万余名"),  # 10万余名涉海党员
    (80_391, "名", "8万余名"),
    (636, "次", "630余次"),
    (455, "人次", "450余人次"),
    (64, "名", "64名"),  # 走访慰问建国前老党员、生活困难党员64名 (seed 002): two figures are written whole
]


@pytest.mark.parametrize(("n", "unit", "phrase"), SEED_PHRASES)
def test_the_seeds_counts_read_as_the_seeds_write_them(n: int, unit: str, phrase: str) -> None:
    assert about(n, unit) == phrase


def test_the_seeds_resolution_rate_reads_to_two_decimals() -> None:
    assert percent(18_487, 19_153) == "96.52%"  # 问题化解整改率96.52%


def test_a_count_shown_whole_has_no_more_and_below_ten_is_always_whole() -> None:
    assert about(80, "名") == "80名"  # 评选表彰舟山市优秀共产党员80名
    assert about(7200, "场") == "7200场"
    assert about(10_000, "人") == "1万人" and about(10_001, "人") == "1万余人"
    assert about(120_000_000) == "1.2亿" and about(123_456_789, "元") == "1.2亿余元"
    assert [about(n) for n in (0, 1, 9, 10, 95)] == ["0", "1", "9", "10", "95"]


def test_rates_round_half_up_and_a_rate_of_nothing_is_a_dash() -> None:
    assert percent(1, 8) == "12.50%" and percent(2, 3) == "66.67%" and percent(1, 400) == "0.25%"
    assert percent(1, 800) == "0.13%"  # 0.125 rounds up
    assert percent(5, 5) == "100.00%" and percent(0, 7) == "0.00%"
    assert percent(3, 0) == "—" and percent(-1, 5) == "—"


def test_a_share_the_registry_gives_reads_like_a_rate_of_its_parts() -> None:
    assert share(Decimal("96.52")) == percent(18_487, 19_153) == "96.52%"  # 问题化解整改率96.52%
    assert share(Decimal("95.8")) == "95.80%" and share(Decimal("100")) == "100.00%"
    assert share(None) == "—"


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="not negative"):
        about(-1)


def _shown(phrase: str) -> tuple[Decimal, bool]:
    """The number a phrase states, and whether it says 余."""
    found = re.fullmatch(r"(\d+(?:\.\d)?)(亿|万)?(余)?", phrase)
    assert found is not None, phrase
    size = {"亿": 10**8, "万": 10**4, None: 1}[found.group(2)]
    return Decimal(found.group(1)) * size, found.group(3) is not None


def _spread() -> list[int]:
    """Every count below 2,000, then counts around each power of ten and a geometric spread to 10^11."""
    counts = set(range(2000))
    for power in range(2, 12):
        counts |= {10**power + d for d in (-1001, -11, -1, 0, 1, 9, 11, 999)}
    n = 2000
    while n < 10**11:
        counts.add(n)
        n = n * 37 // 31 + 1
    return sorted(c for c in counts if c >= 0)


def test_a_phrase_never_claims_more_than_the_count_and_says_more_exactly_when_it_leaves_some_off() -> None:
    for n in _spread():
        shown, more = _shown(about(n))
        assert shown <= n, n
        assert more == (shown < n), n
        # Two figures: the next two-figure number up would claim more than the count.
        step = 1 if n < 100 else 10 ** (len(str(int(shown))) - 2)
        assert n < shown + step, n


def test_leading_two_keeps_the_first_two_figures() -> None:
    assert [leading_two(n) for n in (0, 7, 95, 100, 636, 7236, 89_412, 1_000_001)] == [
        0,
        7,
        95,
        100,
        630,
        7200,
        89_000,
        1_000_000,
    ]
