from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from conftest import City
from lianxin.accounts.models import User
from lianxin.activities.models import FrequencyRule, Kind
from lianxin.activities.rules.frequency import (
    MONTHLY,
    QUARTERLY,
    YEARLY,
    can_set_rules,
    rule_for,
    window_containing,
    window_label,
    windows,
)
from lianxin.activities.selectors.compliance import local_rules_for
from lianxin.activities.services.compliance import frequency_rule_create
from lianxin.core.models import Event
from lianxin.core.periods import Period
from lianxin.organizations.models import Organization


def test_a_branch_congress_is_required_quarterly_with_the_regulation_cited(city: City) -> None:
    rule = rule_for(city.east, Kind.BRANCH_CONGRESS, date(2026, 5, 1))

    assert rule is not None
    assert rule.frequency == QUARTERLY
    assert "支部工作条例" in rule.source and "第十一条" in rule.source
    assert rule.override_id is None


def test_the_party_lecture_defaults_to_quarterly_and_says_it_is_local_practice(city: City) -> None:
    rule = rule_for(city.east, Kind.PARTY_LECTURE, date(2026, 5, 1))

    assert rule is not None and rule.frequency == QUARTERLY
    assert "本地做法" in rule.source and "每年至少为党员讲1次党课" in rule.source


def test_a_committee_above_branches_has_no_rule_of_its_own(city: City) -> None:
    assert rule_for(city.district, Kind.BRANCH_CONGRESS, date(2026, 5, 1)) is None


def test_kinds_without_a_frequency_are_not_required(city: City) -> None:
    assert rule_for(city.east, Kind.STUDY, date(2026, 5, 1)) is None


def test_a_district_override_applies_to_its_branches_only_while_in_force(city: City) -> None:
    FrequencyRule.objects.create(
        kind=Kind.PARTY_LECTURE,
        organization=city.district,
        frequency=YEARLY,
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        source="城区组织部 2026 文件",
    )

    inside = rule_for(city.east, Kind.PARTY_LECTURE, date(2026, 3, 1))
    later = rule_for(city.east, Kind.PARTY_LECTURE, date(2027, 3, 1))
    elsewhere = rule_for(city.other_branch, Kind.PARTY_LECTURE, date(2026, 3, 1))

    assert inside is not None and inside.frequency == YEARLY and inside.source == "城区组织部 2026 文件"
    assert later is not None and later.frequency == QUARTERLY
    assert elsewhere is not None and elsewhere.frequency == QUARTERLY


def test_the_deeper_and_sector_specific_override_wins(city: City) -> None:
    FrequencyRule.objects.create(
        kind=Kind.THEME_DAY, organization=city.root, frequency=QUARTERLY, valid_from=date(2026, 1, 1), source="市"
    )
    FrequencyRule.objects.create(
        kind=Kind.THEME_DAY,
        organization=city.root,
        sector=Organization.Sector.VILLAGE,
        frequency=YEARLY,
        valid_from=date(2026, 1, 1),
        source="市·农村",
    )
    FrequencyRule.objects.create(
        kind=Kind.THEME_DAY, organization=city.east, frequency=MONTHLY, valid_from=date(2026, 1, 1), source="东社区"
    )

    assert rule_for(city.east, Kind.THEME_DAY, date(2026, 6, 1)).source == "东社区"  # type: ignore[union-attr]
    assert rule_for(city.west, Kind.THEME_DAY, date(2026, 6, 1)).source == "市"  # type: ignore[union-attr]
    assert rule_for(city.other_branch, Kind.THEME_DAY, date(2026, 6, 1)).source == "市·农村"  # type: ignore[union-attr]


def test_an_exemption_releases_a_branch_for_its_range(city: City) -> None:
    FrequencyRule.objects.create(
        kind=Kind.BRANCH_CONGRESS,
        organization=city.east,
        exempt=True,
        valid_from=date(2026, 4, 1),
        valid_until=date(2026, 6, 30),
        source="街道党工委批复",
    )

    rule = rule_for(city.east, Kind.BRANCH_CONGRESS, date(2026, 4, 1))

    assert rule is not None and rule.exempt and rule.source == "街道党工委批复"


def test_windows_are_calendar_months_quarters_and_years() -> None:
    assert window_containing(MONTHLY, date(2026, 2, 10)) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert window_containing(QUARTERLY, date(2026, 11, 3)) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert window_containing(YEARLY, date(2026, 7, 1)) == Period(date(2026, 1, 1), date(2026, 12, 31))
    assert [window_label(w, QUARTERLY) for w in windows(QUARTERLY, date(2026, 3, 31), date(2026, 7, 1))] == [
        "2026 Q1",
        "2026 Q2",
        "2026 Q3",
    ]


def rule_values(**overrides: object) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": Kind.BRANCH_CONGRESS,
        "valid_from": date(2026, 4, 1),
        "valid_until": date(2026, 6, 30),
        "source": "街道党工委批复〔2026〕3号",
        "exempt": True,
    }
    values.update(overrides)
    return values


def test_a_district_admin_exempts_a_branch_from_a_quarters_congress(city: City, district_admin: User) -> None:
    rule = frequency_rule_create(actor=district_admin, organization=city.east, **rule_values())

    found = rule_for(city.east, Kind.BRANCH_CONGRESS, date(2026, 5, 1))
    assert found is not None and found.exempt and found.override_id == rule.pk
    assert Event.objects.filter(verb="frequency_rule_set", subject_id=city.east.pk).count() == 1
    assert list(local_rules_for(city.district)) == [rule]
    assert list(local_rules_for(city.other_district)) == []


def test_a_branch_secretary_cannot_exempt_their_own_branch_and_nothing_is_written(
    city: City, branch_secretary: User
) -> None:
    with pytest.raises(ValidationError, match="higher organization"):
        frequency_rule_create(actor=branch_secretary, organization=city.east, **rule_values())

    assert not FrequencyRule.objects.exists()
    assert not can_set_rules(branch_secretary, city.east)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"source": "  "}, "Name the document"),
        ({"kind": Kind.STUDY}, "no required frequency"),
        ({"exempt": False, "frequency": "weekly"}, "monthly, quarterly or yearly"),
        ({"valid_until": date(2026, 3, 1)}, "ends before it starts"),
        ({"sector": "moon"}, "Unknown sector"),
    ],
)
def test_a_bad_rule_is_refused_clearly_and_nothing_is_written(
    city: City, district_admin: User, overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        frequency_rule_create(actor=district_admin, organization=city.east, **rule_values(**overrides))

    assert not FrequencyRule.objects.exists()
    assert not Event.objects.filter(verb="frequency_rule_set").exists()
