"""Community reporting services: reporting, deciding, posts, claims and service records.

Every refusal says why and leaves nothing behind.
"""

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.community.models import CommunityReport, PostClaim, ServicePost, ServiceRecord
from lianxin.community.selectors.reports import record_list_managed
from lianxin.community.services import reports as services
from lianxin.community.tests.factories import make_bureau, make_claim, make_member_user, make_post, make_report
from lianxin.core.models import Event
from lianxin.core.tests.images import GPS_IFD, HTML, SVG, exif_of, photo_bytes, png_claiming
from lianxin.members.models import Member
from lianxin.organizations.models import Organization

pytestmark = pytest.mark.django_db

Status = CommunityReport.Status
PNG = photo_bytes("PNG")


def _refused(message: str) -> Any:
    return pytest.raises(ValidationError, match=re.escape(message))


# ------------------------------------------------------------------------- reports


def test_a_member_reports_to_a_community_and_waits_for_its_approval(city: City) -> None:
    bureau = make_bureau(city)
    report = services.report_create(actor=bureau.worker, community=city.east, note="住在东社区3幢")
    assert report.status == Status.PENDING
    assert report.home_organization == bureau.unit
    assert report.reported_on == timezone.localdate()
    assert Event.objects.filter(subject_id=report.pk, verb="reported").exists()


def test_reporting_to_an_unknown_community_code_is_refused_and_nothing_is_written(city: City) -> None:
    with _refused("No organization has the code NOPE."):
        services.community_by_code("NOPE")
    with _refused("Choose a community."):
        services.community_by_code("  ")
    assert not CommunityReport.objects.exists()


def test_reporting_to_an_organization_that_is_not_a_community_is_refused(city: City) -> None:
    bureau = make_bureau(city)
    with _refused("岛县住建局机关党支部 is not a community or village organization."):
        services.report_create(actor=bureau.worker, community=bureau.unit)
    assert not CommunityReport.objects.exists()


def test_a_village_counts_as_a_community_but_a_dissolved_one_does_not(city: City) -> None:
    bureau = make_bureau(city)
    assert services.report_create(actor=bureau.worker, community=city.other_branch).status == Status.PENDING
    Organization.objects.filter(pk=city.west.pk).update(status=Organization.Status.DISSOLVED)
    city.west.refresh_from_db()
    other = make_member_user(bureau.unit, "other")
    with _refused("西社区党支部 is no longer active."):
        services.report_create(actor=other, community=city.west)
    assert CommunityReport.objects.count() == 1


def test_a_second_active_report_is_refused_until_the_first_has_ended(city: City, branch_secretary: User) -> None:
    bureau = make_bureau(city)
    first = make_report(bureau.worker, city.east, approver=branch_secretary)
    with _refused("You have already reported to 东社区党支部; end that report before reporting elsewhere."):
        services.report_create(actor=bureau.worker, community=city.west)
    assert CommunityReport.objects.count() == 1
    services.report_end(report=first, actor=bureau.worker)
    assert services.report_create(actor=bureau.worker, community=city.west).status == Status.PENDING


def test_the_database_refuses_a_second_active_report_that_slips_past_the_check(city: City) -> None:
    bureau = make_bureau(city)
    make_report(bureau.worker, city.east)
    member = Member.objects.get(user=bureau.worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunityReport.objects.create(
            member=member, community=city.west, home_organization=bureau.unit, reported_on=date(2026, 1, 5)
        )


def test_only_party_members_with_a_linked_record_can_report(city: City, resident: User) -> None:
    with _refused("Only Party members with a roster record linked to their account can do this."):
        services.report_create(actor=resident, community=city.east)
    assert not CommunityReport.objects.exists()


def test_a_former_member_cannot_report(city: City) -> None:
    bureau = make_bureau(city)
    Member.objects.filter(user=bureau.worker).update(category=Member.Category.FORMER)
    bureau.worker.refresh_from_db()
    with _refused("A former member cannot report to a community."):
        services.report_create(actor=bureau.worker, community=city.east)
    assert not CommunityReport.objects.exists()


def test_the_community_approves_and_the_decision_is_on_the_timeline(city: City, branch_secretary: User) -> None:
    bureau = make_bureau(city)
    report = make_report(bureau.worker, city.east)
    services.report_decide(report=report, actor=branch_secretary, approve=True)
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    assert report.decided_by == branch_secretary and report.decided_at is not None
    assert Event.objects.filter(subject_id=report.pk, from_state="pending", to_state="approved").exists()


def test_an_admin_outside_the_community_cannot_decide(city: City) -> None:
    bureau = make_bureau(city)
    report = make_report(bureau.worker, city.east)
    with _refused("You are not allowed to do this."):
        services.report_decide(report=report, actor=bureau.secretary, approve=True)
    report.refresh_from_db()
    assert report.status == Status.PENDING and report.decided_at is None


def test_a_rejection_needs_a_reason_and_keeps_it(city: City, branch_secretary: User) -> None:
    bureau = make_bureau(city)
    report = make_report(bureau.worker, city.east)
    with _refused("Say why the report is rejected."):
        services.report_decide(report=report, actor=branch_secretary, approve=False, reason=" ")
    report.refresh_from_db()
    assert report.status == Status.PENDING
    services.report_decide(report=report, actor=branch_secretary, approve=False, reason="不在本社区居住")
    report.refresh_from_db()
    assert report.status == Status.REJECTED and report.reject_reason == "不在本社区居住"


def test_a_report_decided_twice_is_refused_the_second_time(city: City, branch_secretary: User) -> None:
    bureau = make_bureau(city)
    report = make_report(bureau.worker, city.east, approver=branch_secretary)
    with pytest.raises(ValidationError, match="cannot become rejected") as refused:
        services.report_decide(report=report, actor=branch_secretary, approve=False, reason="重复")
    assert refused.value.code == "invalid_transition"
    report.refresh_from_db()
    assert report.status == Status.APPROVED


def test_a_decision_on_a_report_changed_meanwhile_is_refused(city: City, branch_secretary: User) -> None:
    bureau = make_bureau(city)
    report = make_report(bureau.worker, city.east)
    stale = CommunityReport.objects.get(pk=report.pk)
    services.report_end(report=report, actor=bureau.worker)
    with _refused("This report has just been changed by someone else; reload the page."):
        services.report_decide(report=stale, actor=branch_secretary, approve=True)
    assert CommunityReport.objects.get(pk=report.pk).status == Status.ENDED


def test_ending_a_report_withdraws_the_members_open_claims_there(city: City, branch_secretary: User) -> None:
    bureau = make_bureau(city)
    report = make_report(bureau.worker, city.east, approver=branch_secretary)
    claim = make_claim(make_post(city.east, branch_secretary), bureau.worker)
    services.report_end(report=report, actor=bureau.worker, note="搬家了")
    report.refresh_from_db()
    claim.refresh_from_db()
    assert report.status == Status.ENDED and report.ended_on == timezone.localdate()
    assert claim.withdrawn_at is not None


def test_the_community_can_end_an_approved_report(city: City, branch_secretary: User) -> None:
    bureau = make_bureau(city)
    report = make_report(bureau.worker, city.east, approver=branch_secretary)
    services.report_end(report=report, actor=branch_secretary)
    assert CommunityReport.objects.get(pk=report.pk).status == Status.ENDED


def test_a_pending_report_is_withdrawn_by_the_member_but_decided_by_the_community(
    city: City, branch_secretary: User
) -> None:
    bureau = make_bureau(city)
    report = make_report(bureau.worker, city.east)
    with _refused("Approve or reject a report that awaits approval."):
        services.report_end(report=report, actor=branch_secretary)
    assert CommunityReport.objects.get(pk=report.pk).status == Status.PENDING
    services.report_end(report=report, actor=bureau.worker)
    assert CommunityReport.objects.get(pk=report.pk).status == Status.ENDED


def test_a_stranger_cannot_end_a_report_and_an_ended_one_cannot_end_again(
    city: City, branch_secretary: User, member_user: User
) -> None:
    bureau = make_bureau(city)
    report = make_report(bureau.worker, city.east, approver=branch_secretary)
    with _refused("You are not allowed to do this."):
        services.report_end(report=report, actor=member_user)
    services.report_end(report=report, actor=bureau.worker)
    with _refused("This report is no longer active."):
        services.report_end(report=report, actor=bureau.worker)
    assert Event.objects.filter(subject_id=report.pk, verb="ended").count() == 1


# --------------------------------------------------------------------------- posts


def test_the_community_publishes_a_post_by_category_with_capacity(city: City, branch_secretary: User) -> None:
    post = make_post(city.east, branch_secretary, capacity=3)
    assert post.is_open and post.capacity == 3 and post.category == ServicePost.Category.ENVIRONMENT
    assert Event.objects.filter(subject_id=post.pk, verb="published").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "  "}, "Give the post a title."),
        ({"category": "cooking"}, "Unknown category cooking."),
        ({"capacity": 0}, "A post needs at least one member."),
        ({"capacity": -2}, "A post needs at least one member."),
    ],
)
def test_a_post_with_bad_input_is_refused_and_nothing_is_written(
    city: City, branch_secretary: User, overrides: dict[str, object], message: str
) -> None:
    with _refused(message):
        make_post(city.east, branch_secretary, **overrides)
    assert not ServicePost.objects.exists()


def test_only_the_communitys_admins_publish_its_posts(city: City, branch_secretary: User) -> None:
    with _refused("You are not allowed to do this."):
        make_post(city.west, branch_secretary)
    bureau = make_bureau(city)
    with _refused("is not a community or village organization"):
        make_post(bureau.unit, bureau.secretary)
    assert not ServicePost.objects.exists()


def test_a_closed_post_cannot_be_closed_again(city: City, branch_secretary: User) -> None:
    post = make_post(city.east, branch_secretary)
    services.post_close(post=post, actor=branch_secretary)
    with _refused("This post is already closed."):
        services.post_close(post=post, actor=branch_secretary)
    assert Event.objects.filter(subject_id=post.pk, verb="closed").count() == 1


# -------------------------------------------------------------------------- claims


def test_a_claim_needs_an_approved_report_to_the_posts_community(city: City, branch_secretary: User) -> None:
    bureau = make_bureau(city)
    post = make_post(city.east, branch_secretary)
    message = "Report to 东社区党支部 and wait for its approval before claiming its posts."
    with _refused(message):
        services.post_claim(post=post, actor=bureau.worker)
    make_report(bureau.worker, city.east)  # pending
    with _refused(message):
        services.post_claim(post=post, actor=bureau.worker)
    assert not PostClaim.objects.exists()


def test_a_reported_member_claims_a_post_once(city: City, branch_secretary: User) -> None:
    bureau = make_bureau(city)
    make_report(bureau.worker, city.east, approver=branch_secretary)
    post = make_post(city.east, branch_secretary)
    claim = services.post_claim(post=post, actor=bureau.worker)
    assert claim.member.user == bureau.worker
    with _refused("You have already claimed this post."):
        services.post_claim(post=post, actor=bureau.worker)
    assert PostClaim.objects.count() == 1


def test_a_full_post_refuses_the_next_claimer_clearly(city: City, branch_secretary: User) -> None:
    post = make_post(city.east, branch_secretary, capacity=1)
    first, second = (make_member_user(city.west, f"m{i}") for i in range(2))
    for user in (first, second):
        make_report(user, city.east, approver=branch_secretary)
    make_claim(post, first)
    with _refused("This post is full: every place has been taken."):
        services.post_claim(post=post, actor=second)
    assert PostClaim.objects.count() == 1


def test_a_closed_post_refuses_claims(city: City, branch_secretary: User) -> None:
    bureau = make_bureau(city)
    make_report(bureau.worker, city.east, approver=branch_secretary)
    post = make_post(city.east, branch_secretary)
    services.post_close(post=post, actor=branch_secretary)
    with _refused("This post is closed."):
        services.post_claim(post=post, actor=bureau.worker)
    assert not PostClaim.objects.exists()


def test_withdrawing_frees_the_place_once_and_only_for_the_claimer(city: City, branch_secretary: User) -> None:
    post = make_post(city.east, branch_secretary, capacity=1)
    first, second = (make_member_user(city.west, f"m{i}") for i in range(2))
    for user in (first, second):
        make_report(user, city.east, approver=branch_secretary)
    claim = make_claim(post, first)
    with _refused("You are not allowed to do this."):
        services.claim_withdraw(claim=claim, actor=second)
    services.claim_withdraw(claim=claim, actor=first)
    with _refused("This claim was already withdrawn."):
        services.claim_withdraw(claim=claim, actor=first)
    assert make_claim(post, second).post == post


# ------------------------------------------------------------------------- records


@pytest.fixture
def reported(city: City, branch_secretary: User) -> User:
    bureau = make_bureau(city)
    make_report(bureau.worker, city.east, approver=branch_secretary)
    return bureau.worker


def _record(user: User, city: City, **overrides: object) -> ServiceRecord:
    values: dict[str, object] = {
        "served_on": timezone.localdate() - timedelta(days=1),
        "hours": Decimal("2.5"),
        "description": "入户宣传垃圾分类",
    }
    values.update(overrides)
    return services.record_create(actor=user, community=city.east, **values)  # type: ignore[arg-type]


def test_a_reported_member_records_service_for_a_claimed_post(
    city: City, branch_secretary: User, reported: User
) -> None:
    claim = make_claim(make_post(city.east, branch_secretary), reported)
    record = _record(reported, city, claim=claim)
    assert record.hours == Decimal("2.5") and record.claim == claim and not record.photo
    assert list(record_list_managed(user=branch_secretary)) == [record]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"served_on": date.today() + timedelta(days=2)}, "The date of service cannot be in the future."),
        ({"hours": Decimal("-1")}, "Hours cannot be negative."),
        ({"hours": Decimal("24.5")}, "A day has at most 24 hours."),
        ({"hours": Decimal("1.25")}, "Give hours to one decimal place, e.g. 1.5."),
        ({"hours": "lots"}, "Hours must be a number."),
        ({"description": "   "}, "Say what you did."),
    ],
)
def test_a_record_with_bad_input_is_refused_and_nothing_is_written(
    city: City, reported: User, overrides: dict[str, object], message: str
) -> None:
    with _refused(message):
        _record(reported, city, **overrides)
    assert not ServiceRecord.objects.exists()


def test_a_record_where_the_member_has_no_approved_report_is_refused(
    city: City, branch_secretary: User, member_user: User, reported: User
) -> None:
    with _refused("Record service only in a community that approved your report."):
        _record(member_user, city)
    with _refused("Record service only in a community that approved your report."):
        services.record_create(
            actor=reported, community=city.west, served_on=date(2026, 1, 5), hours=Decimal(1), description="x"
        )
    assert not ServiceRecord.objects.exists()


def test_a_record_cannot_name_someone_elses_post(city: City, branch_secretary: User, reported: User) -> None:
    neighbour = make_member_user(city.west, "neighbour")
    make_report(neighbour, city.east, approver=branch_secretary)
    claim = make_claim(make_post(city.east, branch_secretary), neighbour)
    with _refused("Choose one of your own posts in this community."):
        _record(reported, city, claim=claim)
    assert not ServiceRecord.objects.exists()


def test_a_photo_is_optional_and_kept_when_it_is_a_real_image(
    city: City, reported: User, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("现场.png", PNG + HTML, content_type="image/png")
    record = _record(reported, city, photo=photo)
    # A new copy under a generated name: the image alone, without what followed it.
    assert re.fullmatch(r"community/\d{4}/\d{2}/[0-9a-f]{32}\.png", record.photo.name)
    stored = record.photo.read()
    assert stored.startswith(b"\x89PNG") and b"<script" not in stored


def test_a_photo_is_kept_without_its_gps_location(city: City, reported: User, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    located = photo_bytes("JPEG", gps=True)
    assert exif_of(located).get_ifd(GPS_IFD)
    record = _record(reported, city, photo=SimpleUploadedFile("IMG_0001.JPG", located, content_type="image/jpeg"))
    assert record.photo.name.endswith(".jpg") and not exif_of(record.photo.read())


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (SimpleUploadedFile("x.png", b"MZ not an image", content_type="image/png"), "x.png is not a JPEG, PNG or WebP"),
        (SimpleUploadedFile("x.pdf", b"%PDF-1.7", content_type="application/pdf"), "x.pdf is not a JPEG, PNG or WebP"),
        (SimpleUploadedFile("x.svg", SVG, content_type="image/svg+xml"), "x.svg is not a JPEG, PNG or WebP"),
        (
            SimpleUploadedFile("evil.html", b"\x89PNG\r\n\x1a\n" + HTML, content_type="image/png"),
            "The photo evil.html is damaged or incomplete",
        ),
        (
            SimpleUploadedFile("cut.jpg", photo_bytes("JPEG", (300, 200))[:600], content_type="image/jpeg"),
            "The photo cut.jpg is damaged or incomplete",
        ),
        (SimpleUploadedFile("bomb.png", png_claiming(30_000, 30_000)), "bomb.png has more than 50 million pixels"),
        (
            SimpleUploadedFile("x.jpg", b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024), content_type="image/jpeg"),
            "The photo x.jpg is larger than 5 MB.",
        ),
    ],
)
def test_a_photo_that_is_not_an_image_or_too_large_is_refused_and_nothing_is_written(
    city: City, reported: User, settings: Any, tmp_path: Path, photo: SimpleUploadedFile, message: str
) -> None:
    settings.MEDIA_ROOT = tmp_path
    with _refused(message):
        _record(reported, city, photo=photo)
    assert not ServiceRecord.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_the_photo_cap_follows_the_shared_setting(city: City, reported: User, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.LIANXIN_PHOTO_MAX_BYTES = 1024 * 1024
    photo = SimpleUploadedFile("x.png", PNG + b"\x00" * (1024 * 1024), content_type="image/png")
    with _refused("The photo x.png is larger than 1 MB."):
        _record(reported, city, photo=photo)
    assert not ServiceRecord.objects.exists()
