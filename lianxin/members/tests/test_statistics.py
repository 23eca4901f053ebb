"""The yearly Party statistics of a subtree, counted from hand-built members whose every cell the test
states: the district 城区 (D1: 东社区 and 西社区) in 2025, read on 30 June 2026.

At the close of 31 December 2024 the district counts A, B, D, F, G, H and K (7). In 2025: C joins
(developed), E is transferred in from 渔村, F is transferred out to 渔村, G moves from 东 to 西 (neither
in nor out), D dies, H leaves with the relationship transferred out. At the close of 31 December 2025:
A, B, C, E, G and K (6) = 7 + 1 + 1 − 2 − 1.
"""

from datetime import date
from typing import Any

import pytest

from conftest import City
from lianxin.members.models import Member
from lianxin.members.selectors.statistics import Statistics, party_statistics
from lianxin.members.selectors.statistics_tables import Grid
from lianxin.members.services.roster import member_leave, member_transfer
from lianxin.members.tests.factories import make_id_number, make_member
from lianxin.organizations.models import Organization

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 30)
UNDATED_STEPS: dict[str, Any] = {"applied_on": None, "activist_on": None, "candidate_on": None}


def _member(org: Organization, name: str, born: date, *, female: bool = False, **fields: Any) -> Member:
    fields.setdefault("ethnicity", "汉族")
    return make_member(org, name=name, id_number=make_id_number(born, female=female), **UNDATED_STEPS, **fields)


def _full(joined: date, full: date) -> dict[str, Any]:
    return {"category": Member.Category.FULL, "joined_on": joined, "full_on": full}


# name: (branch, born, female, ethnicity, education, occupation, joined, full membership); full members
# unless full membership is None. "fishing" is 渔村, in the other district.
PEOPLE: dict[str, tuple[str, date, bool, str, str, str, date | None, date | None]] = {
    "A": ("east", date(1990, 3, 1), True, "汉族", "bachelor", "worker", date(2010, 7, 1), date(2011, 7, 1)),
    "B": ("west", date(1940, 1, 1), False, "回族", "primary", "retired", date(1965, 1, 1), date(1966, 1, 1)),
    "C": ("east", date(2000, 5, 5), False, "汉族", "", "", date(2025, 4, 1), None),
    "D": ("east", date(1950, 1, 1), False, "汉族", "junior", "", date(1980, 1, 1), date(1981, 1, 1)),
    "E": ("fishing", date(1985, 6, 1), False, "汉族", "master", "professional", date(2008, 7, 1), date(2009, 7, 1)),
    "F": ("east", date(1975, 1, 1), False, "汉族", "senior", "", date(2000, 7, 1), date(2001, 7, 1)),
    "G": ("east", date(1970, 2, 2), True, "汉族", "college", "official", date(1995, 7, 1), date(1996, 7, 1)),
    "H": ("west", date(1965, 1, 1), False, "汉族", "senior", "", date(1990, 7, 1), date(1991, 7, 1)),
    "K": ("west", date(1960, 9, 9), True, "", "junior", "farmer", date(1985, 7, 1), date(1986, 7, 1)),
    # Never counted: a member of the other district, and an applicant of this one.
    "J": ("fishing", date(1980, 1, 1), False, "汉族", "", "", date(2005, 7, 1), date(2006, 7, 1)),
    "I": ("east", date(2001, 1, 1), False, "汉族", "", "", None, None),
}


@pytest.fixture
def district_2025(city: City) -> dict[str, Member]:
    branches = {"east": city.east, "west": city.west, "fishing": city.other_branch}
    people = {}
    for name, (branch, born, female, ethnicity, education, occupation, joined, full) in PEOPLE.items():
        category = Member.Category.FULL if full else Member.Category.PROBATIONARY if joined else "applicant"
        people[name] = _member(
            branches[branch],
            name,
            born,
            female=female,
            ethnicity=ethnicity,
            education=education,
            occupation=occupation,
            category=category,
            joined_on=joined,
            full_on=full,
        )
    member_leave(actor=None, member=people["D"], reason=Member.LeaveReason.DECEASED, left_on=date(2025, 8, 1))
    member_leave(actor=None, member=people["H"], reason=Member.LeaveReason.TRANSFERRED_OUT, left_on=date(2025, 10, 1))
    for name, to, on in (("E", city.west, 3), ("F", city.other_branch, 9), ("G", city.west, 5)):
        member_transfer(
            actor=None, member=people[name], to_organization=to, transferred_on=date(2025, on, 1), reason="工作调动"
        )
    return people


def _statistics(city: City, year: int = 2025) -> Statistics:
    return party_statistics(organization=city.district, year=year, today=TODAY)


def _rows(grid: Grid) -> dict[str, dict[str, int]]:
    """Each line of a grid as {column label: number}, with its total under "total"."""
    return {
        line.key: {"total": line.total, **{c.label: n for c, n in zip(grid.columns, line.cells, strict=True)}}
        for line in grid.lines
    }


def _grid(stats: Statistics, table: str, key: str) -> dict[str, dict[str, int]]:
    member_table = stats.members if table == "members" else stats.developed
    return _rows(next(g for g in member_table.grids if g.key == key))


def _nonzero(line: dict[str, int]) -> dict[str, int]:
    return {label: n for label, n in line.items() if n}


def test_the_changes_of_the_year_in_the_district(city: City, district_2025: dict[str, Member]) -> None:
    changes = _statistics(city).changes

    assert (changes.start, changes.joined, changes.transferred_in) == (7, 1, 1)
    assert (changes.transferred_out, changes.relationship_out, changes.died, changes.expelled) == (1, 1, 1, 0)
    assert (changes.left_unrecorded, changes.end, changes.reached) == (0, 6, 6)


def test_the_members_at_the_end_of_the_year_by_sex_ethnicity_and_age(
    city: City, district_2025: dict[str, Member]
) -> None:
    stats = _statistics(city)

    assert stats.members.on == date(2025, 12, 31) and stats.members.total == 6
    sex = _grid(stats, "members", "sex")
    assert sex["total"] == {"total": 6, "male": 3, "female": 3}
    assert sex["full"] == {"total": 5, "male": 2, "female": 3}
    assert sex["probationary"] == {"total": 1, "male": 1, "female": 0}
    ethnicity = _grid(stats, "members", "ethnicity")
    assert ethnicity["total"] == {"total": 6, "Han": 4, "Ethnic minorities": 1, "回族": 1, "Not recorded": 1}
    age = _grid(stats, "members", "age")
    assert _nonzero(age["total"]) == {
        "total": 6,
        "30 or younger": 1,
        "31–35 years old": 1,
        "36–40 years old": 1,
        "51–55 years old": 1,
        "61–70 years old": 1,
        "81 or older": 1,
    }
    assert _nonzero(age["probationary"]) == {"total": 1, "30 or younger": 1}


def test_the_members_at_the_end_of_the_year_by_education_occupation_party_age_and_joining(
    city: City, district_2025: dict[str, Member]
) -> None:
    stats = _statistics(city)

    education = _grid(stats, "members", "education")["total"]
    assert _nonzero(education) == {
        "total": 6,
        "master": 1,
        "bachelor": 1,
        "junior college": 1,
        "junior middle school": 1,
        "primary school": 1,
        "Not recorded": 1,  # C
    }
    occupation = _grid(stats, "members", "occupation")
    assert _nonzero(occupation["total"]) == {
        "total": 6,
        "workers": 1,
        "farmers, herders and fishermen": 1,
        "professional and technical staff of enterprises, institutions and social organizations": 1,
        "staff of Party and government organs": 1,
        "retired": 1,
        "Not recorded": 1,
    }
    assert _nonzero(occupation["probationary"]) == {"total": 1, "Not recorded": 1}
    party_age = _grid(stats, "members", "party_age")["total"]
    assert _nonzero(party_age) == {
        "total": 6,
        "11–20 years": 2,  # A 14, E 16
        "21–30 years": 1,  # G 29
        "31–40 years": 1,  # K 39
        "51 years or more": 1,  # B 59
        "Probationary: no party age yet": 1,  # C
        "Of which: 50 years in the Party (光荣在党50年)": 1,  # B
    }
    joined = _grid(stats, "members", "joined")["total"]
    assert _nonzero(joined) == {
        "total": 6,
        "October 1949 to April 1966": 1,
        "January 1979 to October 2002": 2,
        "November 2002 to October 2012": 2,
        "November 2012 and after": 1,
    }


def test_the_members_developed_are_those_who_joined_in_the_year(city: City, district_2025: dict[str, Member]) -> None:
    stats = _statistics(city)

    assert stats.developed.total == 1
    assert _grid(stats, "developed", "sex")["probationary"] == {"total": 1, "male": 1, "female": 0}
    assert _nonzero(_grid(stats, "developed", "education")["total"]) == {"total": 1, "Not recorded": 1}
    assert _nonzero(_grid(stats, "developed", "age")["total"]) == {"total": 1, "30 or younger": 1}


def test_every_breakdown_sums_to_its_total_and_every_check_passes(city: City, district_2025: dict[str, Member]) -> None:
    stats = _statistics(city)

    for grid in (*stats.members.grids, *stats.developed.grids, stats.organizations):
        assert grid.adds_up(), grid.key
        first, *rest = grid.lines
        parts = [i for i, c in enumerate(grid.columns) if not c.of_which]
        assert first.total == sum(first.cells[i] for i in parts) == sum(line.total for line in rest)
    assert [(c.key, c.passed) for c in stats.checks] == [
        ("members_add_up", True),
        ("developed_add_up", True),
        ("organizations_add_up", True),
        ("opening", True),
        ("balance", True),
        ("dated", True),
    ]


def test_the_start_of_a_year_is_the_end_of_the_year_before(city: City, district_2025: dict[str, Member]) -> None:
    this_year, last_year = _statistics(city, 2025), _statistics(city, 2024)

    assert this_year.changes.start == last_year.members.total == last_year.changes.end == 7
    assert last_year.changes.reached == last_year.changes.end


def test_a_move_inside_the_subtree_is_neither_in_nor_out_but_a_move_across_it_is(city: City) -> None:
    mover = _member(city.east, "G", date(1970, 2, 2), **_full(date(1995, 7, 1), date(1996, 7, 1)))
    member_transfer(actor=None, member=mover, to_organization=city.west, transferred_on=date(2025, 5, 1), reason="调动")

    inside = _statistics(city).changes
    east_only = party_statistics(organization=city.east, year=2025, today=TODAY).changes

    assert (inside.start, inside.transferred_in, inside.transferred_out, inside.end) == (1, 0, 0, 1)
    assert (east_only.start, east_only.transferred_in, east_only.transferred_out, east_only.end) == (1, 0, 1, 0)


def test_the_current_year_ends_today(city: City) -> None:
    _member(city.east, "A", date(1990, 3, 1), **_full(date(2010, 7, 1), date(2011, 7, 1)))

    stats = party_statistics(organization=city.district, year=2026, today=TODAY)

    assert (stats.start, stats.end, stats.members.on) == (date(2026, 1, 1), TODAY, TODAY)
    assert stats.members.total == 1 and stats.passed


def test_a_birthday_on_the_last_day_of_the_year_counts_in_the_older_band(city: City) -> None:
    _member(city.east, "A", date(1994, 12, 31), **_full(date(2015, 7, 1), date(2016, 7, 1)))
    _member(city.east, "B", date(1995, 1, 1), **_full(date(2015, 7, 1), date(2016, 7, 1)))

    age = _grid(_statistics(city), "members", "age")["total"]

    assert _nonzero(age) == {"total": 2, "30 or younger": 1, "31–35 years old": 1}


def test_the_schema_requires_a_birth_date_so_age_has_no_not_recorded_column(city: City) -> None:
    """A birth date comes from the ID number and may not be missing: should that change, the age table
    needs a "not recorded" column like education's and occupation's."""
    assert not Member._meta.get_field("birth_date").null
    _member(city.east, "A", date(1990, 3, 1), education="", occupation="", **_full(date(2010, 7, 1), date(2011, 7, 1)))

    stats = _statistics(city)

    assert "" not in [c.key for c in next(g for g in stats.members.grids if g.key == "age").columns]
    assert _grid(stats, "members", "education")["total"]["Not recorded"] == 1
    assert _grid(stats, "members", "occupation")["total"]["Not recorded"] == 1


def test_organizations_at_the_end_of_the_year_by_kind_and_unit(city: City) -> None:
    closed = Organization.objects.get(pk=city.west.pk)
    Organization.objects.filter(pk=closed.pk).update(status=Organization.Status.DISSOLVED, closed_on=date(2025, 6, 1))
    Organization.objects.filter(pk=city.east.pk).update(founded_on=date(2026, 3, 1))

    this_year = _rows(_statistics(city).organizations)
    earlier = _rows(party_statistics(organization=city.district, year=2024, today=TODAY).organizations)

    assert _nonzero(this_year["total"]) == {"total": 1, "community": 1}  # the district's committee: 东 not yet founded
    assert _nonzero(this_year["committee"]) == {"total": 1, "community": 1}
    assert _nonzero(earlier["total"]) == {"total": 2, "community": 2}  # 西 still open at the end of 2024
    assert _nonzero(earlier["branch"]) == {"total": 1, "community": 1}
