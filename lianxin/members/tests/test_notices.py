"""Who the members app tells: the branch's secretaries of development steps coming due (once per
member, step and due date, one message a branch), and the uploader of a roster import when it ends."""

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pytest_django.fixtures import Settings

from conftest import PASSWORD, City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import user_create
from lianxin.accounts.tests.factories import given_role
from lianxin.members.models import Member, RosterImport
from lianxin.members.models.development import DevelopmentReminder
from lianxin.members.notices import DEVELOPMENT_DUE, IMPORT_DONE, IMPORT_FAILED
from lianxin.members.services.development import activist_review_record, application_talk_record
from lianxin.members.services.development_reminders import development_remind
from lianxin.members.services.import_upkeep import roster_import_retry
from lianxin.members.services.imports import roster_import_create, roster_import_fail, roster_import_run
from lianxin.members.tasks import remind_development_task
from lianxin.members.tests.factories import make_roster_row, make_roster_workbook
from lianxin.members.tests.test_development_extension import make_probationary
from lianxin.members.tests.test_development_services import make_activist, make_applicant
from lianxin.notifications.models import Notification
from lianxin.notifications.tests.conftest import CommitCallbacks
from lianxin.notifications.tests.helpers import told as told_of
from lianxin.organizations.models import Organization

# Texts are asserted in English whatever the Chinese catalogue says (conftest.english_platform).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_platform")]
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 20)


def at(day: date) -> time_machine.travel:
    return time_machine.travel(datetime(day.year, day.month, day.day, 7, 0, tzinfo=SHANGHAI), tick=False)


def told(user: User, kind: str = DEVELOPMENT_DUE.code) -> list[Notification]:
    return told_of(user, kind)


def secretary_of(organization: Organization, username: str) -> User:
    user = user_create(username=username, password=PASSWORD, display_name=username)
    given_role(user=user, role=RoleAssignment.Role.ORG_ADMIN, organization=organization)
    return user


# ------------------------------------------------------------------ development steps coming due


@pytest.fixture
def due_in_east(city: City) -> dict[str, Member]:
    """In 东社区: a talk, a review and a probation ending within a month of TODAY, and three not yet due."""
    waiting = make_applicant(city.east, name="申请甲", applied_on=date(2026, 11, 10))  # talk due 12-10
    talked = make_applicant(city.east, name="申请乙", applied_on=date(2026, 11, 1))
    application_talk_record(member=talked, actor=None, talked_on=date(2026, 11, 5), talker="张书记", today=TODAY)
    return {
        "talk": waiting,
        "review": make_activist(city.east, activist_on=date(2026, 6, 1)),  # never reviewed: due 12-01
        "probation": make_probationary(city.east, joined_on=date(2025, 12, 15)),  # ends 2026-12-15
        "review later": make_activist(city.east, activist_on=date(2026, 9, 1)),  # due 2027-03-01
        "probation later": make_probationary(city.east, joined_on=date(2026, 3, 1)),  # ends 2027-03-01
    }


def test_each_step_coming_due_is_told_to_the_branch_secretary_in_one_message(
    city: City,
    branch_secretary: User,
    district_admin: User,
    due_in_east: dict[str, Member],
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    # Given a secretary of the next branch and of a branch in another district
    west_secretary = secretary_of(city.west, "west_secretary")
    island_secretary = secretary_of(city.other_branch, "island_secretary")
    # When the daily reminder runs
    with at(TODAY), django_capture_on_commit_callbacks(execute=True):
        branches = development_remind()
    # Then 东社区's secretary is told once, with the counts and a link to the branch's development page
    [notification] = told(branch_secretary)
    assert notification.params == {
        "branch": "东社区党支部",
        "date": "2026-12-15",
        "talks": "1",
        "reviews": "1",
        "probations": "1",
    }
    assert notification.url == f"{reverse('members:development')}?org=D1E"
    assert notification.organization == city.east
    assert notification.text == (
        "东社区党支部: development steps due by 2026-12-15: talks with applicants 1, "
        "half-yearly reviews 1, probations ending 1. Please arrange them."
    )
    assert not any(member.name in notification.text for member in due_in_east.values())
    # And each step is recorded as told with its due date
    reminders = DevelopmentReminder.objects.values_list("member__name", "step", "due_on")
    assert set(reminders) == {
        (due_in_east["talk"].name, "talk", date(2026, 12, 10)),
        (due_in_east["review"].name, "review", date(2026, 12, 1)),
        (due_in_east["probation"].name, "probation", date(2026, 12, 15)),
    }
    assert [branch.organization for branch in branches] == [city.east]
    # And nobody outside the branch hears of it: not the committee above it, not other branches
    for outsider in (district_admin, west_secretary, island_secretary):
        assert told(outsider) == []


def test_a_branch_without_its_own_admin_is_served_by_the_committee_above_and_others_by_their_own(
    city: City,
    branch_secretary: User,
    district_admin: User,
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    island_secretary = secretary_of(city.other_branch, "island_secretary")
    make_applicant(city.west, applied_on=date(2026, 11, 12))
    make_activist(city.other_branch, activist_on=date(2026, 5, 25))  # review due 2026-11-25
    with at(TODAY), django_capture_on_commit_callbacks(execute=True):
        development_remind()
    [west] = told(district_admin)
    assert west.params["branch"] == "西社区党支部" and west.params["talks"] == "1"
    assert west.url.endswith("?org=D1W")
    [island] = told(island_secretary)
    assert island.params == {
        "branch": "渔村党支部",
        "date": "2026-11-25",
        "talks": "0",
        "reviews": "1",
        "probations": "0",
    }
    assert told(branch_secretary) == []


def test_whoever_is_told_for_several_organizations_gets_one_message_for_all(
    city: City,
    district_admin: User,
    due_in_east: dict[str, Member],
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    # Neither 东社区 nor 西社区 has an administrator of its own: the district's is told for both.
    make_applicant(city.west, applied_on=date(2026, 11, 12))
    with at(TODAY), django_capture_on_commit_callbacks(execute=True):
        development_remind()
    [both] = told(district_admin)
    assert both.params.pop("branch").startswith("2 organizations under 中")  # cut to fit one text message
    assert both.params == {
        "date": "2026-12-15",
        "talks": "2",
        "reviews": "1",
        "probations": "1",
    }
    assert both.url.endswith("?org=D1")


def test_each_step_is_told_once_per_due_date_however_often_the_reminder_runs(
    city: City,
    branch_secretary: User,
    due_in_east: dict[str, Member],
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    # Given the reminder has run today
    with at(TODAY), django_capture_on_commit_callbacks(execute=True):
        development_remind()
        # When it runs again the same day, and on the following days, with nothing newly due
        development_remind()
    for later in (date(2026, 11, 21), date(2026, 12, 16)):
        with at(later), django_capture_on_commit_callbacks(execute=True):
            development_remind()
    # Then the secretary was told once
    assert len(told(branch_secretary)) == 1
    assert DevelopmentReminder.objects.count() == 3
    # When the activist is reviewed, the next review falls due half a year later: told again then
    with at(date(2026, 11, 25)):
        activist_review_record(
            member=due_in_east["review"], actor=None, reviewed_on=date(2026, 11, 25), reviewer="张书记"
        )
    with at(date(2027, 4, 30)), django_capture_on_commit_callbacks(execute=True):
        development_remind()
    _first, second = told(branch_secretary)
    # Only what is newly due: the talk still waiting and the probation ended were told already;
    # the activist who became due on 03-01 is new too.
    assert second.params == {
        "branch": "东社区党支部",
        "date": "2027-05-25",
        "talks": "0",
        "reviews": "2",
        "probations": "1",
    }
    assert ("review", date(2027, 5, 25)) in DevelopmentReminder.objects.filter(
        member=due_in_east["review"]
    ).values_list("step", "due_on")


def test_a_step_newly_due_later_the_same_day_is_a_new_message(
    city: City,
    branch_secretary: User,
    due_in_east: dict[str, Member],
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    with at(TODAY), django_capture_on_commit_callbacks(execute=True):
        development_remind()
        make_applicant(city.east, name="申请丙", applied_on=date(2026, 11, 19))
        development_remind()
    first, second = told(branch_secretary)
    assert second.params["talks"] == "1" and second.params["reviews"] == "0"
    assert first.event_key != second.event_key


def test_the_command_and_the_task_remind_once(
    city: City,
    branch_secretary: User,
    due_in_east: dict[str, Member],
    django_capture_on_commit_callbacks: CommitCallbacks,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with at(TODAY), django_capture_on_commit_callbacks(execute=True):
        call_command("remind_development")
        call_command("remind_development", "--date", TODAY.isoformat())
        result = remind_development_task.enqueue()
    output = capsys.readouterr().out
    assert "3 development step(s) coming due told to 1 organization(s)." in output
    assert "0 development step(s) coming due told to 0 organization(s)." in output
    assert result.return_value == 0
    assert len(told(branch_secretary)) == 1


def test_the_development_kind_stays_out_of_group_chats_and_text_messages() -> None:
    assert DEVELOPMENT_DUE.robot is False and DEVELOPMENT_DUE.sms is False and DEVELOPMENT_DUE.email is True


# ------------------------------------------------------------------ roster imports ending


@pytest.fixture(autouse=True)
def private_media(settings: Settings, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path
    yield


def stored(user: User, rows: list[dict[str, Any]]) -> RosterImport:
    workbook = make_roster_workbook(rows).getvalue()
    return roster_import_create(actor=user, uploaded_file=SimpleUploadedFile("名册.xlsx", workbook))


def test_a_finished_import_tells_its_uploader_with_a_link_to_its_page(
    city: City, district_admin: User, branch_secretary: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    with at(TODAY):
        roster_import = stored(district_admin, [make_roster_row(city.east), make_roster_row(city.west)])
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_run(roster_import=roster_import)
    assert RosterImport.objects.get(pk=roster_import.pk).status == RosterImport.Status.DONE
    [notification] = told(district_admin, IMPORT_DONE.code)
    assert notification.params == {"uploaded": "11-20 07:00", "created": "2", "updated": "0", "unchanged": "0"}
    assert notification.url == reverse("members:import_status", args=[roster_import.pk])
    assert told(district_admin, IMPORT_FAILED.code) == []
    assert not Notification.objects.exclude(recipient=district_admin).exists()


def test_an_import_with_errors_tells_its_uploader_it_was_not_imported(
    city: City, district_admin: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    with at(TODAY):
        roster_import = stored(district_admin, [make_roster_row(city.east, 公民身份号码="123")])
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_run(roster_import=roster_import)
    assert RosterImport.objects.get(pk=roster_import.pk).status == RosterImport.Status.INVALID
    [notification] = told(district_admin, IMPORT_FAILED.code)
    assert notification.params == {"uploaded": "11-20 07:00"}
    assert notification.url == reverse("members:import_status", args=[roster_import.pk])
    assert "123" not in notification.text
    assert told(district_admin, IMPORT_DONE.code) == []


def test_a_failed_import_tells_its_uploader_each_time_it_fails(
    city: City, district_admin: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    roster_import = stored(district_admin, [make_roster_row(city.east)])
    with django_capture_on_commit_callbacks(execute=True):
        assert roster_import_fail(roster_import=roster_import, message="The import stopped without finishing.")
    with django_capture_on_commit_callbacks(execute=True):
        retried = roster_import_retry(actor=district_admin, roster_import=roster_import)
        assert roster_import_fail(roster_import=retried, message="The import stopped without finishing.")
    assert len(told(district_admin, IMPORT_FAILED.code)) == 2
    assert told(district_admin, IMPORT_DONE.code) == []


def test_a_check_only_run_and_an_import_without_uploader_tell_nobody(
    city: City, district_admin: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    checked = stored(district_admin, [make_roster_row(city.east)])
    orphan = stored(district_admin, [make_roster_row(city.east)])
    RosterImport.objects.filter(pk=orphan.pk).update(created_by=None)
    orphan.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_run(roster_import=checked, dry_run=True)
        roster_import_run(roster_import=orphan)
    assert not Notification.objects.exists()
