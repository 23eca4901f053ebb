"""Similar open demands: real complaints about square-dance noise find each other; unrelated ones do not."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from conftest import City
from lianxin.accounts.models import User
from lianxin.demands.models import Demand
from lianxin.demands.rules.similarity import (
    demand_text,
    features,
    similar_open_demands,
    text_similarity,
)
from lianxin.demands.tests.factories import make_demand
from lianxin.organizations.models import Area
from lianxin.organizations.tests.factories import make_area

NOISE = demand_text("广场舞噪音扰民", "每天晚上小区广场跳广场舞，音响声音太大，影响休息。")
NOISE_VARIANTS = [
    ("广场舞音响太吵", "晚上八点后广场舞音乐声音很大，老人孩子睡不好。"),
    ("广场舞扰民问题", "滨海公园广场舞噪声大。"),
    ("夜间跳舞噪音", "楼下空地每晚有人跳舞放音乐到十点，严重扰民。"),
]
UNRELATED = [
    ("路灯不亮", "小区东门路灯坏了一个多月，晚上出行不安全。"),
    ("垃圾清运不及时", "菜市场旁边垃圾桶满了没人清理，气味难闻。"),
    ("楼道堆放杂物", "3号楼楼道堆满杂物，存在消防隐患。"),
    ("小区停车难", "晚上回家没有车位，车辆乱停乱放。"),
]


def test_punctuation_and_function_characters_split_the_text_into_ngrams() -> None:
    found = features("广场舞，的噪音！")

    assert {"广场", "场舞", "广场舞", "噪音"} <= set(found)
    assert "舞噪" not in found and "的" not in found and "，" not in "".join(found)


def test_latin_words_and_numbers_count_as_whole_words() -> None:
    assert {"#wifi", "#3"} <= set(features("3号楼 WiFi 信号差"))


def test_every_square_dance_complaint_scores_above_every_unrelated_one() -> None:
    noise_scores = [text_similarity(NOISE, demand_text(t, d)) for t, d in NOISE_VARIANTS]
    other_scores = [text_similarity(NOISE, demand_text(t, d)) for t, d in UNRELATED]

    assert min(noise_scores) > max(other_scores)
    assert max(other_scores) < 0.1


def test_a_text_is_wholly_like_itself_and_nothing_like_an_empty_one() -> None:
    assert text_similarity(NOISE, NOISE) == pytest.approx(1.0)
    assert text_similarity(NOISE, "") == 0.0
    assert text_similarity("！？。", NOISE) == 0.0


@pytest.fixture
def community(city: City) -> Area:
    return make_area(name="幸福社区", kind=Area.Kind.COMMUNITY, parent=city.east.area)


def _file(city: City, district_admin: User, title: str, description: str, area: Area, **extra: Any) -> Demand:
    return make_demand(city.east, by=district_admin, title=title, description=description, area=area, **extra)


def test_similar_open_demands_ranks_the_noise_complaints_first_and_leaves_out_the_rest(
    city: City, district_admin: User, community: Area
) -> None:
    noise = [_file(city, district_admin, t, d, community) for t, d in NOISE_VARIANTS]
    for t, d in UNRELATED:
        _file(city, district_admin, t, d, community)

    found = similar_open_demands(text=NOISE, area=community)

    assert {s.demand.pk for s in found} == {d.pk for d in noise}
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert found[0].demand.title in ("广场舞扰民问题", "广场舞音响太吵")


def test_only_open_recent_demands_of_the_area_subtree_are_suggested(
    city: City, district_admin: User, community: Area
) -> None:
    title, description = NOISE_VARIANTS[0]
    open_here = _file(city, district_admin, title, description, community)
    _file(city, district_admin, title, description, community, until=Demand.Status.RESOLVED, unit=city.east)
    _file(city, district_admin, title, description, city.other_district.area)
    old = _file(city, district_admin, title, description, community)
    Demand.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))

    found = similar_open_demands(text=NOISE, area=community)

    assert [s.demand for s in found] == [open_here]


def test_a_demand_is_not_suggested_as_similar_to_itself_and_the_limit_holds(
    city: City, district_admin: User, community: Area
) -> None:
    demands = [_file(city, district_admin, t, d, community) for t, d in NOISE_VARIANTS]

    found = similar_open_demands(text=NOISE, area=city.east.area, exclude=demands[0], limit=1)

    assert len(found) == 1 and found[0].demand != demands[0]


def test_the_same_category_tips_the_balance_between_equal_texts(
    city: City, district_admin: User, community: Area
) -> None:
    title, description = NOISE_VARIANTS[1]
    other = _file(city, district_admin, title, description, community, category="environment")
    same = _file(city, district_admin, title, description, community, category="noise")

    found = similar_open_demands(text=NOISE, area=community, category=same.category)

    assert [s.demand for s in found] == [same, other]


def test_suggestions_cost_two_queries_one_for_candidates_and_one_for_the_best(
    city: City, district_admin: User, community: Area, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _file(city, district_admin, *NOISE_VARIANTS[0], community)

    with django_assert_max_num_queries(2):
        found = similar_open_demands(text=NOISE, area=community)

    assert len(found) == 1


def test_a_text_without_words_finds_nothing(city: City, community: Area) -> None:
    assert similar_open_demands(text="。。。", area=community) == []
