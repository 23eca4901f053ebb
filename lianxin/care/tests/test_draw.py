"""Recipients drawn by rule (a preview the organizer confirms) or added by hand."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from conftest import City
from lianxin.accounts.models import User
from lianxin.care.models import CareRecipient, CareRound, HardshipRecord, RoundVerb, TargetGroup
from lianxin.care.rules.recipients import DrawRule, Rule
from lianxin.care.selectors import rounds as selectors
from lianxin.care.selectors.rounds import draw_candidates
from lianxin.care.services.hardship import hardship_record
from lianxin.care.services.rounds import recipient_add, recipients_draw
from lianxin.core.models import Event
from lianxin.members.models import Member
from lianxin.members.rules.statistics import years_before
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db


def _drawn(round_: CareRound, rule: DrawRule, city: City) -> set[Member]:
    return set(draw_candidates(round_=round_, rule=rule, organization=city.root))


def test_party_age_counts_from_becoming_full_and_reaches_n_on_the_day(care_round: CareRound, city: City) -> None:
    # Ages are counted to 2026-07-01: full on 1976-07-01 is 50 years exactly, a day later is 49.
    exactly = make_member(
        city.east,
        joined_on=date(1975, 7, 1),
        full_on=date(1976, 7, 1),
        applied_on=None,
        activist_on=None,
        candidate_on=None,
        birth=date(1950, 1, 1),
    )
    day_short = make_member(
        city.east,
        joined_on=date(1975, 7, 2),
        full_on=date(1976, 7, 2),
        applied_on=None,
        activist_on=None,
        candidate_on=None,
        birth=date(1950, 1, 1),
    )
    no_date = make_member(city.east, full_on=None, category=Member.Category.PROBATIONARY, birth=date(1950, 1, 1))
    drawn = _drawn(care_round, DrawRule(Rule.PARTY_AGE, 50), city)
    assert exactly in drawn and day_short not in drawn and no_date not in drawn


def test_age_reaches_n_on_the_birthday(care_round: CareRound, city: City) -> None:
    eighty = make_member(city.east, birth=date(1946, 7, 1))
    younger = make_member(city.east, birth=date(1946, 7, 2))
    drawn = _drawn(care_round, DrawRule(Rule.AGE, 80), city)
    assert eighty in drawn and younger not in drawn


def test_years_before_a_leap_day_is_the_28th() -> None:
    assert years_before(date(2028, 2, 29), 50) == date(1978, 2, 28)


def test_before_1949_means_joined_before_the_founding_day(care_round: CareRound, city: City) -> None:
    early = make_member(
        city.east,
        birth=date(1928, 1, 1),
        applied_on=None,
        activist_on=None,
        candidate_on=None,
        joined_on=date(1949, 9, 30),
        full_on=date(1950, 9, 30),
    )
    on_the_day = make_member(
        city.east,
        birth=date(1928, 1, 1),
        applied_on=None,
        activist_on=None,
        candidate_on=None,
        joined_on=date(1949, 10, 1),
        full_on=date(1950, 10, 1),
    )
    drawn = _drawn(care_round, DrawRule(Rule.PRE_1949), city)
    assert early in drawn and on_the_day not in drawn


def test_hardship_draws_active_records_only(care_round: CareRound, city: City, city_admin: User) -> None:
    poor, recovered = make_member(city.east), make_member(city.west)
    hardship_record(actor=city_admin, member=poor, level="general", reason="illness", since=date(2025, 1, 1))
    ended = hardship_record(
        actor=city_admin, member=recovered, level="general", reason="illness", since=date(2025, 1, 1)
    )
    HardshipRecord.objects.filter(pk=ended.pk).update(status="ended", ended_on=date(2025, 6, 1))
    assert _drawn(care_round, DrawRule(Rule.HARDSHIP), city) == {poor}


def test_honours_come_from_the_honours_app(care_round: CareRound, city: City, monkeypatch: pytest.MonkeyPatch) -> None:
    honoured, plain = make_member(city.east), make_member(city.east)
    asked: dict[str, object] = {}

    def honoured_member_ids(*, years: set[int], kinds: tuple[str, ...], member_ids: list[int]) -> set[int]:
        asked.update(years=years, kinds=kinds)
        return {honoured.pk} & set(member_ids)

    monkeypatch.setattr(selectors, "honoured_member_ids", honoured_member_ids)
    assert _drawn(care_round, DrawRule(Rule.HONOURED, 3, ("outstanding_member",)), city) == {honoured}
    assert asked == {"years": {2024, 2025, 2026}, "kinds": ("outstanding_member",)}
    assert plain not in _drawn(care_round, DrawRule(Rule.HONOURED, 3), city)


def test_a_confirmed_preview_adds_recipients_under_the_rules_group(
    care_round: CareRound, city: City, city_admin: User
) -> None:
    old = make_member(city.east, birth=date(1940, 1, 1))
    rule = DrawRule(Rule.AGE, 80)
    added = recipients_draw(actor=city_admin, round_=care_round, rule=rule, organization=city.root, member_ids=[old.pk])
    assert [(r.member, r.group, r.source) for r in added] == [(old, TargetGroup.SENIOR, CareRecipient.Source.RULE)]
    assert Event.objects.filter(subject_id=care_round.pk, verb=RoundVerb.RECIPIENTS_DRAWN).exists()
    # Drawn once: the rule no longer offers them.
    assert old not in _drawn(care_round, rule, city)


def test_a_stale_preview_adds_nobody(care_round: CareRound, city: City, city_admin: User) -> None:
    old, young = make_member(city.east, birth=date(1940, 1, 1)), make_member(city.east, birth=date(1980, 1, 1))
    with pytest.raises(ValidationError, match="no longer drawn by this rule"):
        recipients_draw(
            actor=city_admin,
            round_=care_round,
            rule=DrawRule(Rule.AGE, 80),
            organization=city.root,
            member_ids=[old.pk, young.pk],
        )
    assert not CareRecipient.objects.exists()


def test_a_draw_outside_the_admins_subtree_is_refused(
    care_round: CareRound, city: City, branch_secretary: User
) -> None:
    make_member(city.west, birth=date(1940, 1, 1))
    with pytest.raises(ValidationError, match="not allowed"):
        recipients_draw(
            actor=branch_secretary,
            round_=care_round,
            rule=DrawRule(Rule.AGE, 80),
            organization=city.west,
            member_ids=[1],
        )
    assert not CareRecipient.objects.exists()


def test_a_person_not_on_the_roster_is_added_by_name_and_note_never_an_id(
    care_round: CareRound, city: City, branch_secretary: User
) -> None:
    person = recipient_add(
        actor=branch_secretary,
        round_=care_round,
        group=TargetGroup.NEW_EMPLOYMENT,
        name="外卖骑手张师傅",
        note="东社区驿站",
        organization=city.east,
    )
    assert not person.on_roster and person.organization == city.east
    for note in ("身份证330902198005170011", "电话13900001111"):
        with pytest.raises(ValidationError, match="Do not write ID or phone numbers"):
            recipient_add(
                actor=branch_secretary,
                round_=care_round,
                group=TargetGroup.OFF_ROSTER,
                name="李阿姨",
                note=note,
                organization=city.east,
            )
    assert CareRecipient.objects.count() == 1


def test_a_member_is_added_once_by_whoever_manages_them(
    care_round: CareRound, city: City, branch_secretary: User, east_member: Member, other_member: Member
) -> None:
    recipient_add(actor=branch_secretary, round_=care_round, group=TargetGroup.VETERAN_CADRE, member=east_member)
    with pytest.raises(ValidationError, match="already a recipient"):
        recipient_add(actor=branch_secretary, round_=care_round, group=TargetGroup.SENIOR, member=east_member)
    with pytest.raises(ValidationError, match="not allowed"):
        recipient_add(actor=branch_secretary, round_=care_round, group=TargetGroup.SENIOR, member=other_member)
    assert CareRecipient.objects.count() == 1
