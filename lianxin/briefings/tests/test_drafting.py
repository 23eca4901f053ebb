"""Drafting: a template filled in with the figures of a subtree and period, phrased as the seeds write
them, and every part without data left out ("only those with data")."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import City
from lianxin.accounts.models import User
from lianxin.briefings.drafting import Counted, draft_of, period_words, whole_of
from lianxin.briefings.tests.factories import make_month
from lianxin.briefings.textfiles import briefing_template, parse_template
from lianxin.core.figures import Number
from lianxin.core.periods import Period

SEED_000 = """# 凝心聚力担使命 感恩奋进谱新篇
## 组织集中学习
“七一”期间，{whole}开展集中学习活动{about:activities-study:场}，覆盖党员{about:members-covered:人}。
## 支部书记讲专题党课
“七一”期间，{whole}累计举办党课{about:activities-party_lecture:场次}。
## 开展主题党日
开展知戒守纪主题党日活动{about:activities-theme_day:场}，推动党纪学习教育融入日常、抓在经常。
## 颁发“光荣在党50年”纪念章
“七一”期间，{whole}{about:honours-50-year-medals:名}老党员获颁纪念章。
## 走访慰问暖人心
“七一”期间，{whole}各级党组织累计走访慰问优秀党员、生活困难党员、老党员、老干部等{about:care-visited:人}。
## 小岛党员“三回三强”
1300余名党员“组团式”奔赴小岛，为群众提供服务{about:volunteer-participations:次}。
"""

SEED_001 = """# 以高水平组织工作服务保障高质量发展
## 集聚资源 围绕中心服务大局
发现收集各类问题诉求 {count:demands-collected:个}，
整改解决 {count:demands-resolved:个}，问题化解整改率{percent:demands-resolution-rate}。
"""


def _counts(numbers: dict[str, Number]) -> Counted:
    return Counted(numbers, {name: name for name in numbers})


def test_the_seeds_own_numbers_give_the_seeds_own_sentences(city: City) -> None:
    counts = _counts(
        {
            "activities-study": 7236,
            "members-covered": 89_412,
            "activities-party_lecture": 4012,
            "activities-theme_day": 2846,
            "volunteer-participations": 11_035,
        }
    )
    draft = draft_of(parse_template(SEED_000, "seed"), city.root, Period.year(2024), counts)
    text = {s.heading: s.paragraphs for s in draft.sections}
    assert text["组织集中学习"] == ["“七一”期间，全市开展集中学习活动7200余场，覆盖党员8.9万余人。"]
    assert text["支部书记讲专题党课"] == ["“七一”期间，全市累计举办党课4000余场次。"]
    assert text["开展主题党日"] == ["开展知戒守纪主题党日活动2800余场，推动党纪学习教育融入日常、抓在经常。"]
    assert text["小岛党员“三回三强”"] == ["1300余名党员“组团式”奔赴小岛，为群众提供服务1.1万余次。"]
    # 光荣在党50年 and 走访慰问 wait for the honours and care modules to register their figures
    assert "颁发“光荣在党50年”纪念章" not in text and "走访慰问暖人心" not in text


def test_the_seeds_resolution_rate_reads_as_the_seed_prints_it(city: City) -> None:
    counts = _counts(
        {"demands-collected": 19_153, "demands-resolved": 18_487, "demands-resolution-rate": Decimal("96.52")}
    )
    draft = draft_of(parse_template(SEED_001, "seed"), city.root, Period.year(2023), counts)
    assert draft.sections[0].paragraphs == ["发现收集各类问题诉求 19153个，整改解决 18487个，问题化解整改率96.52%。"]
    figures = [(f.measure, f.value, f.phrase) for f in draft.sections[0].figures]
    assert figures == [
        ("demands-collected", 19_153, "19153个"),
        ("demands-resolved", 18_487, "18487个"),
        ("demands-resolution-rate", Decimal("96.52"), "96.52%"),
    ]


RULES = """# {org}{year}年简报
{period}，{whole}。
## 都有
开展组织生活{about:activities-held:场}[[，其中党课{about:activities-party_lecture:场次}]][[，主题党日{about:activities-theme_day:场}]]。

仅有可选部分：[[党课{about:activities-party_lecture:场次}]][[主题党日{about:activities-theme_day:场}]]。

没有数字的段落总是保留。
## 全为零
开展集中学习{about:activities-study:场}。

没有数字的段落。
## 未登记
走访慰问{about:care-visited:人}，开展组织生活{about:activities-held:场}。
## 部分为零
组织入党宣誓{about:activities-oath:场}。

集体过政治生日{about:activities-political_birthday:场}。
## 比例
占比{percent:activities-party_lecture/activities-held}[[，解决率{percent:demands-resolution-rate}]]。
"""


def test_parts_whose_figures_are_all_zero_or_not_registered_are_left_out(city: City) -> None:
    counts = _counts(
        {
            "activities-held": 40,
            "activities-party_lecture": 0,
            "activities-theme_day": 12,
            "activities-study": 0,
            "activities-oath": 0,
            "activities-political_birthday": 3,
            "demands-resolution-rate": None,
        }
    )
    period = Period(date(2025, 6, 1), date(2025, 7, 31))
    draft = draft_of(parse_template(RULES, "rules"), city.district, period, counts)
    assert draft.title == "中共城区委员会2025年简报"
    text = {s.heading: s.paragraphs for s in draft.sections}
    assert text[""] == ["2025年6月至7月，全区。"]
    assert text["都有"] == [
        "开展组织生活40场，主题党日12场。",
        "仅有可选部分：主题党日12场。",
        "没有数字的段落总是保留。",
    ]
    assert "全为零" not in text  # its only figure is zero: the section goes, its text without figures too
    assert "未登记" not in text  # care-visited is not registered (yet)
    assert text["部分为零"] == ["集体过政治生日3场。"]
    assert text["比例"] == ["占比0.00%。"]  # a share of nothing (the rate) is left out, 0 of 40 is a share
    used = {s.heading: [f.measure for f in s.figures] for s in draft.sections}
    assert used["都有"] == ["activities-held", "activities-theme_day"]  # the left-out party lectures are not listed
    assert used["部分为零"] == ["activities-political_birthday"]


@pytest.mark.parametrize(
    ("period", "words"),
    [
        (Period.year(2026), "2026年"),
        (Period.quarter(2026, 2), "2026年第二季度"),
        (Period.month(2026, 6), "2026年6月"),
        (Period(date(2026, 6, 1), date(2026, 7, 31)), "2026年6月至7月"),
        (Period(date(2025, 12, 1), date(2026, 1, 31)), "2025年12月至2026年1月"),
        (Period(date(2026, 1, 1), date(2026, 12, 7)), "2026年1月1日至12月7日"),
        (Period(date(2025, 7, 1), date(2026, 6, 30)), "2025年7月至2026年6月"),
        (Period(date(2025, 12, 20), date(2026, 1, 10)), "2025年12月20日至2026年1月10日"),
    ],
)
def test_the_period_reads_as_a_briefing_says_it(period: Period, words: str) -> None:
    assert period_words(period) == words


def test_the_whole_subtree_reads_as_the_seeds_say_it(city: City) -> None:
    assert [whole_of(o) for o in (city.root, city.district, city.other_district, city.east)] == [
        "全市",
        "全区",
        "全县",
        "全支部",
    ]


def test_the_july_first_series_of_a_districts_month_drafts_the_sections_with_data(
    city: City, district_admin: User
) -> None:
    month = make_month(city, district_admin)
    text = briefing_template("july_first")
    assert text is not None
    draft = draft_of(text, city.district, month.period)
    sections = {s.heading: s.paragraphs for s in draft.sections}
    when = period_words(month.period)
    assert sections["支部书记讲党课"][0].endswith(f"{when}，全区累计举办党课2场次。")
    assert sections["开展主题党日"] == [
        "全区各级党组织通过参观教育基地、重温入党誓词、开展志愿服务等多种形式，开展主题党日活动1场，"
        "推动党员教育融入日常、抓在经常。",
        f"{when}，全区各类组织生活覆盖党员2人，占党员总数的100.00%。",
    ]
    assert sections["调查研究解民难"][0].endswith(
        f"{when}，全区收集群众反映问题诉求1个，累计解决问题1个，问题化解整改率100.00%。"
    )
    # no study, no oath, nobody reporting to a community, no volunteering; care and honours not registered
    assert set(sections) == {"", "支部书记讲党课", "开展主题党日", "调查研究解民难"}
    assert draft.title == "凝心聚力担使命 感恩奋进谱新篇"


def test_drafting_counts_each_group_once(city: City, district_admin: User) -> None:
    month = make_month(city, district_admin)
    text = briefing_template("year_in_review")
    assert text is not None
    with CaptureQueriesContext(connection) as queries:
        draft_of(text, city.district, month.period)
    # the roster, organizational life, volunteering, wishes, community and demands: a few queries each
    assert len(queries) <= 40, [q["sql"][:120] for q in queries.captured_queries]
