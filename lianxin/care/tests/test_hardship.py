"""Hardship members: recorded, reviewed once a year, ended with a reason; read only from above."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.tests.factories import given_role
from lianxin.care.models import HardshipRecord, HardshipVerb
from lianxin.care.selectors.hardship import (
    access_hardship,
    due_for_review,
    hardship_list_visible_to,
    hardship_to_review_count,
)
from lianxin.care.services.hardship import hardship_end, hardship_record, hardship_review, hardship_update
from lianxin.core.models import Event
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

Level, Reason = HardshipRecord.Level, HardshipRecord.Reason
pytestmark = pytest.mark.django_db


def _record(actor: User, member: Member, **kw: object) -> HardshipRecord:
    values: dict[str, object] = {"level": Level.GENERAL, "reason": Reason.ILLNESS, "since": date(2024, 3, 1)}
    values.update(kw)
    return hardship_record(actor=actor, member=member, **values)  # type: ignore[arg-type]


def test_the_branch_records_a_member_in_hardship_on_the_timeline(branch_secretary: User, east_member: Member) -> None:
    record = _record(branch_secretary, east_member, level=Level.SPECIAL)
    assert record.is_active and record.level == Level.SPECIAL
    assert Event.objects.filter(subject_id=record.pk, verb=HardshipVerb.RECORDED).exists()


def test_a_second_active_record_is_refused_and_nothing_written(branch_secretary: User, east_member: Member) -> None:
    _record(branch_secretary, east_member)
    with pytest.raises(ValidationError, match="already has an active hardship record"):
        _record(branch_secretary, east_member, reason=Reason.DISASTER)
    assert HardshipRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": Reason.OTHER, "note": ""}, "Say what the hardship is"),
        ({"level": "dire"}, "Unknown hardship level"),
        ({"reason": "bad luck"}, "Unknown hardship reason"),
        ({"since": timezone.localdate() + timedelta(days=1)}, "cannot start in the future"),
        ({"note": "x" * 201}, "longer than 200"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    branch_secretary: User, east_member: Member, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        _record(branch_secretary, east_member, **changes)
    assert not HardshipRecord.objects.exists()
    assert not Event.objects.filter(verb=HardshipVerb.RECORDED).exists()


def test_an_admin_outside_the_members_subtree_may_not_record(
    city: City, other_member: Member, branch_secretary: User
) -> None:
    with pytest.raises(ValidationError, match="not allowed"):
        _record(branch_secretary, other_member)
    assert not HardshipRecord.objects.exists()


def test_the_branch_and_those_above_read_it_others_never(
    city: City, east_member: Member, branch_secretary: User, district_admin: User, city_admin: User, member_user: User
) -> None:
    record = _record(branch_secretary, east_member)
    for reader in (branch_secretary, district_admin, city_admin):
        assert access_hardship(reader, record.pk) == record
        assert list(hardship_list_visible_to(user=reader)) == [record]
    west = User.objects.create(username="west_admin")
    given_role(user=west, role=RoleAssignment.Role.ORG_ADMIN, organization=city.west)
    for outsider in (west, member_user):
        with pytest.raises(Http404):
            access_hardship(outsider, record.pk)
        assert not hardship_list_visible_to(user=outsider).exists()


def test_a_member_finds_no_hardship_pages(
    client: Client, member_user: User, branch_secretary: User, east_member: Member
) -> None:
    record = _record(branch_secretary, east_member)
    client.login(username="member", password=PASSWORD)
    assert client.get(reverse("care:hardship_list")).status_code == 404
    assert client.get(reverse("care:hardship_detail", args=[record.pk])).status_code == 404


def test_due_for_review_is_a_record_not_confirmed_this_year(branch_secretary: User, city: City) -> None:
    year = timezone.localdate().year
    old = _record(branch_secretary, make_member(city.east), since=date(year - 1, 12, 31))
    new = _record(branch_secretary, make_member(city.east), since=date(year, 1, 1))
    reviewed = _record(branch_secretary, make_member(city.east), since=date(year - 3, 5, 1))
    hardship_review(actor=branch_secretary, record=reviewed, on=date(year, 1, 1))
    due = set(due_for_review(HardshipRecord.objects.all(), year))
    assert due == {old}
    assert hardship_to_review_count(user=branch_secretary, year=year) == 1
    assert old.due_for_review(year) and not new.due_for_review(year)
    reviewed.refresh_from_db()
    assert not reviewed.due_for_review(year)
    assert Event.objects.filter(subject_id=reviewed.pk, verb=HardshipVerb.REVIEWED).exists()


def test_a_review_dated_in_the_future_is_refused(branch_secretary: User, east_member: Member) -> None:
    record = _record(branch_secretary, east_member)
    with pytest.raises(ValidationError, match="review date"):
        hardship_review(actor=branch_secretary, record=record, on=timezone.localdate() + timedelta(days=1))
    record.refresh_from_db()
    assert record.reviewed_on is None


def test_ending_needs_a_reason_and_leaves_the_active_list(branch_secretary: User, east_member: Member) -> None:
    record = _record(branch_secretary, east_member)
    with pytest.raises(ValidationError, match="Say why"):
        hardship_end(actor=branch_secretary, record=record, on=timezone.localdate(), reason=" ")
    record.refresh_from_db()
    assert record.is_active
    hardship_end(actor=branch_secretary, record=record, on=timezone.localdate(), reason="家庭收入好转")
    record.refresh_from_db()
    assert record.status == HardshipRecord.Status.ENDED and record.end_reason == "家庭收入好转"
    assert not hardship_list_visible_to(user=branch_secretary).exists()
    with pytest.raises(ValidationError, match="has ended"):
        hardship_update(
            actor=branch_secretary, record=record, level=Level.SPECIAL, reason=Reason.ILLNESS, since=record.since
        )
    # A new hardship may be recorded once the old one ended.
    assert _record(branch_secretary, east_member).is_active


def test_the_pages_list_and_record_for_an_admin(client: Client, branch_secretary: User, east_member: Member) -> None:
    client.login(username="branch_secretary", password=PASSWORD)
    response = client.post(
        reverse("care:hardship_new"),
        {
            "member": east_member.pk,
            "level": Level.SPECIAL,
            "reason": Reason.DISABILITY,
            "since": "2025-01-02",
            "note": "",
        },
    )
    record = HardshipRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    page = client.get(reverse("care:hardship_list"), {"due": "1"})
    assert page.status_code == 200 and east_member.name in page.content.decode()
    bad = client.post(reverse("care:hardship_end", args=[record.pk]), {"on": "2026-01-01", "reason": ""})
    assert bad.status_code == 302
    record.refresh_from_db()
    assert record.is_active
