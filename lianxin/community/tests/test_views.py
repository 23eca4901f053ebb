"""Community reporting pages: a member's "my community", the community's queue, and who gets a 404."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import role_assign
from lianxin.community.models import CommunityReport, PostClaim, ServicePost, ServiceRecord
from lianxin.community.tests.factories import Bureau, make_bureau, make_claim, make_member_user, make_post, make_report
from lianxin.core.tests.images import HTML, SVG, photo_bytes

pytestmark = pytest.mark.django_db

PNG = photo_bytes("PNG")


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    """Pages pick their language per request; these assertions read the English messages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def bureau(city: City) -> Bureau:
    return make_bureau(city)


def _as(client: Client, user: User) -> Client:
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _page(client: Client, url: str, data: dict[str, Any] | None = None) -> str:
    response = client.post(url, data or {}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------------- the member


def test_a_member_without_a_report_is_offered_the_report_form(client: Client, bureau: Bureau) -> None:
    html = _as(client, bureau.worker).get(reverse("community:mine")).content.decode()
    assert "You have not reported to a community." in html
    # The community is chosen with a picker (typed name, pinyin initials or code), not from a list of codes.
    assert 'name="community_q"' in html and 'role="combobox"' in html and "/pick/community/" in html


def test_my_community_needs_a_login_and_a_member_record(client: Client, resident: User) -> None:
    assert client.get(reverse("community:mine")).status_code == 302
    assert _as(client, resident).get(reverse("community:mine")).status_code == 404


def test_a_member_reports_by_community_code_and_sees_it_awaiting_approval(
    client: Client, city: City, bureau: Bureau
) -> None:
    html = _page(_as(client, bureau.worker), reverse("community:report_new"), {"community": "D1E", "note": "3幢"})
    assert "You reported to 东社区党支部; it will approve your report." in html
    assert "awaiting approval" in html
    assert CommunityReport.objects.get().community == city.east


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("NOPE", "NOPE is not a community or village organization."),
        ("D2J", "D2J is not a community or village organization."),
        ("", "This field is required."),
    ],
)
def test_reporting_to_an_unknown_or_wrong_organization_says_why_and_writes_nothing(
    client: Client, bureau: Bureau, code: str, message: str
) -> None:
    html = _page(_as(client, bureau.worker), reverse("community:report_new"), {"community": code})
    assert message in html
    assert not CommunityReport.objects.exists()


def test_a_member_without_javascript_reports_by_typing_the_communitys_full_name(
    client: Client, city: City, bureau: Bureau
) -> None:
    html = _page(_as(client, bureau.worker), reverse("community:report_new"), {"community_q": " 东社区党支部 "})
    assert "You reported to 东社区党支部" in html
    assert CommunityReport.objects.get().community == city.east


def test_a_second_report_from_the_page_is_refused(client: Client, city: City, bureau: Bureau) -> None:
    make_report(bureau.worker, city.east)
    html = _page(_as(client, bureau.worker), reverse("community:report_new"), {"community": "D1W"})
    assert "You have already reported to 东社区党支部" in html
    assert CommunityReport.objects.count() == 1


def test_an_approved_member_sees_the_posts_claims_one_and_records_service_with_a_photo(
    client: Client, city: City, bureau: Bureau, branch_secretary: User, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_report(bureau.worker, city.east, approver=branch_secretary)
    post = make_post(city.east, branch_secretary, title="助老陪护岗", category="care")
    client = _as(client, bureau.worker)
    assert "助老陪护岗" in client.get(reverse("community:mine")).content.decode()
    html = _page(client, reverse("community:post_claim", args=[post.pk]))
    assert "You claimed the post 助老陪护岗. Thank you!" in html
    claim = PostClaim.objects.get()
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    data = {"claim": claim.pk, "served_on": "2026-11-01", "hours": "2", "description": "陪老人就医", "photo": photo}
    html = _page(client, reverse("community:record_new"), data)
    assert "Your service is recorded." in html and "陪老人就医" in html
    record = ServiceRecord.objects.get()
    assert record.claim == claim and record.photo
    response = client.get(reverse("community:record_photo", args=[record.pk]))
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="service-record-{record.pk}.png"'
    assert b"".join(response.streaming_content) == record.photo.open("rb").read()  # type: ignore[attr-defined]


def test_a_photo_that_is_no_image_is_refused_on_the_page_and_nothing_is_written(
    client: Client, city: City, bureau: Bureau, branch_secretary: User, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_report(bureau.worker, city.east, approver=branch_secretary)
    client = _as(client, bureau.worker)
    for name, content in (("logo.svg", SVG), ("evil.html", b"\x89PNG\r\n\x1a\n" + HTML)):
        photo = SimpleUploadedFile(name, content, content_type="image/png")
        data = {"served_on": "2026-11-01", "hours": "2", "description": "陪老人就医", "photo": photo}
        html = _page(client, reverse("community:record_new"), data)
        assert name in html and ("is not a JPEG, PNG or WebP photo." in html or "is damaged or incomplete" in html)
    assert not ServiceRecord.objects.exists() and not any(tmp_path.rglob("*"))


def test_a_web_page_stored_as_a_photo_before_photos_were_checked_is_only_offered_as_bytes(
    client: Client, city: City, bureau: Bureau, branch_secretary: User, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_report(bureau.worker, city.east, approver=branch_secretary)
    record = ServiceRecord.objects.create(
        member=bureau.worker.member,
        community=city.east,
        served_on=date(2026, 11, 1),
        description="旧记录",
        photo=SimpleUploadedFile("evil.svg", SVG),
    )
    response = _as(client, bureau.worker).get(reverse("community:record_photo", args=[record.pk]))
    assert response["Content-Type"] == "application/octet-stream" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="service-record-{record.pk}"'


def test_a_record_dated_in_the_future_is_refused_on_the_page(
    client: Client, city: City, bureau: Bureau, branch_secretary: User
) -> None:
    make_report(bureau.worker, city.east, approver=branch_secretary)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    data = {"served_on": future, "hours": "1", "description": "提前写"}
    html = _page(_as(client, bureau.worker), reverse("community:record_new"), data)
    assert "The date of service cannot be in the future." in html
    assert not ServiceRecord.objects.exists()


def test_a_record_with_negative_hours_is_refused_on_the_page(
    client: Client, city: City, bureau: Bureau, branch_secretary: User
) -> None:
    make_report(bureau.worker, city.east, approver=branch_secretary)
    data = {"served_on": "2026-11-01", "hours": "-2", "description": "倒扣"}
    html = _page(_as(client, bureau.worker), reverse("community:record_new"), data)
    assert "Hours cannot be negative." in html
    assert not ServiceRecord.objects.exists()


def test_recording_without_a_report_is_not_found(client: Client, bureau: Bureau) -> None:
    data = {"served_on": "2026-11-01", "hours": "1", "description": "x"}
    assert _as(client, bureau.worker).post(reverse("community:record_new"), data).status_code == 404


def test_a_claim_while_the_report_awaits_approval_is_refused_and_a_stranger_does_not_find_the_post(
    client: Client, city: City, bureau: Bureau, branch_secretary: User, member_user: User
) -> None:
    post = make_post(city.east, branch_secretary)
    make_report(bureau.worker, city.east)
    html = _page(_as(client, bureau.worker), reverse("community:post_claim", args=[post.pk]))
    assert "Report to 东社区党支部 and wait for its approval before claiming its posts." in html
    assert _as(client, member_user).post(reverse("community:post_claim", args=[post.pk])).status_code == 404
    assert not PostClaim.objects.exists()


def test_a_full_post_refuses_on_the_page(client: Client, city: City, branch_secretary: User) -> None:
    post = make_post(city.east, branch_secretary, capacity=1)
    first, second = make_member_user(city.west, "first"), make_member_user(city.west, "second")
    for user in (first, second):
        make_report(user, city.east, approver=branch_secretary)
    make_claim(post, first)
    html = _page(_as(client, second), reverse("community:post_claim", args=[post.pk]))
    assert "This post is full: every place has been taken." in html
    assert PostClaim.objects.count() == 1


def test_a_member_withdraws_a_claim_and_ends_the_report(
    client: Client, city: City, bureau: Bureau, branch_secretary: User
) -> None:
    report = make_report(bureau.worker, city.east, approver=branch_secretary)
    claim = make_claim(make_post(city.east, branch_secretary), bureau.worker)
    client = _as(client, bureau.worker)
    assert "the place is free again" in _page(client, reverse("community:claim_withdraw", args=[claim.pk]))
    assert "The report has ended." in _page(client, reverse("community:report_end", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == CommunityReport.Status.ENDED
    assert "You have not reported to a community." in client.get(reverse("community:mine")).content.decode()


def test_someone_elses_claim_photo_and_report_are_not_found(
    client: Client, city: City, bureau: Bureau, branch_secretary: User, member_user: User
) -> None:
    report = make_report(bureau.worker, city.east, approver=branch_secretary)
    claim = make_claim(make_post(city.east, branch_secretary), bureau.worker)
    record = ServiceRecord.objects.create(
        member=claim.member, community=city.east, served_on=date(2026, 11, 1), description="x"
    )
    client = _as(client, member_user)
    assert client.post(reverse("community:claim_withdraw", args=[claim.pk])).status_code == 404
    assert client.get(reverse("community:record_photo", args=[record.pk])).status_code == 404
    assert client.get(reverse("community:report_detail", args=[report.pk])).status_code == 404
    assert client.post(reverse("community:report_end", args=[report.pk])).status_code == 404
    assert PostClaim.objects.get().withdrawn_at is None
    assert CommunityReport.objects.get().status == CommunityReport.Status.APPROVED


# ------------------------------------------------------------------- the community


def test_the_community_queue_lists_pending_reports_and_approves_one(
    client: Client, city: City, bureau: Bureau, branch_secretary: User
) -> None:
    report = make_report(bureau.worker, city.east)
    client = _as(client, branch_secretary)
    html = client.get(reverse("community:manage")).content.decode()
    assert "张工" in html and "岛县住建局机关党支部" in html
    html = _page(client, reverse("community:report_decide", args=[report.pk]), {"decision": "approve"})
    assert "The report is approved." in html
    report.refresh_from_db()
    assert report.status == CommunityReport.Status.APPROVED


def test_a_rejection_without_a_reason_is_refused_on_the_page(
    client: Client, city: City, bureau: Bureau, branch_secretary: User
) -> None:
    report = make_report(bureau.worker, city.east)
    html = _page(
        _as(client, branch_secretary), reverse("community:report_decide", args=[report.pk]), {"decision": "reject"}
    )
    assert "Say why the report is rejected." in html
    assert CommunityReport.objects.get().status == CommunityReport.Status.PENDING


def test_the_members_own_organization_sees_the_report_but_cannot_decide_it(
    client: Client, city: City, bureau: Bureau
) -> None:
    report = make_report(bureau.worker, city.east)
    client = _as(client, bureau.secretary)
    assert client.get(reverse("community:report_detail", args=[report.pk])).status_code == 200
    html = _page(client, reverse("community:report_decide", args=[report.pk]), {"decision": "approve"})
    assert "You are not allowed to do this." in html
    assert CommunityReport.objects.get().status == CommunityReport.Status.PENDING


def test_the_queue_is_for_organization_admins_only(client: Client, member_user: User) -> None:
    assert _as(client, member_user).get(reverse("community:manage")).status_code == 404
    assert client.post(reverse("community:post_new"), {}).status_code == 404


def test_the_community_publishes_and_closes_a_post(client: Client, city: City, branch_secretary: User) -> None:
    client = _as(client, branch_secretary)
    data = {"community": city.east.pk, "title": "平安巡逻岗", "category": "safety", "capacity": "4", "description": ""}
    assert "The post 平安巡逻岗 is published." in _page(client, reverse("community:post_new"), data)
    post = ServicePost.objects.get()
    assert post.capacity == 4
    assert "The post is closed." in _page(client, reverse("community:post_close", args=[post.pk]))
    post.refresh_from_db()
    assert not post.is_open


def test_a_post_for_a_community_outside_the_scope_is_refused(
    client: Client, city: City, branch_secretary: User, district_admin: User
) -> None:
    client = _as(client, branch_secretary)
    data = {"community": city.west.pk, "title": "x", "category": "safety", "capacity": "1"}
    assert "Select a valid choice." in _page(client, reverse("community:post_new"), data)
    west_post = make_post(city.west, district_admin)
    assert client.post(reverse("community:post_close", args=[west_post.pk])).status_code == 404
    assert ServicePost.objects.get().is_open


def test_a_post_with_no_places_is_refused_on_the_page(client: Client, city: City, branch_secretary: User) -> None:
    data = {"community": city.east.pk, "title": "x", "category": "safety", "capacity": "0"}
    assert "A post needs at least one member." in _page(
        _as(client, branch_secretary), reverse("community:post_new"), data
    )
    assert not ServicePost.objects.exists()


def test_the_community_sees_the_records_of_members_reported_to_it_and_another_does_not(
    client: Client, city: City, bureau: Bureau, branch_secretary: User, district_admin: User
) -> None:
    make_report(bureau.worker, city.east, approver=branch_secretary)
    ServiceRecord.objects.create(
        member=bureau.worker.member, community=city.east, served_on=date(2026, 11, 1), description="清理楼道杂物"
    )
    assert "清理楼道杂物" in _as(client, branch_secretary).get(reverse("community:manage")).content.decode()
    west_secretary = make_member_user(city.west, "west_admin")
    role_assign(user=west_secretary, role=RoleAssignment.Role.ORG_ADMIN, organization=city.west)
    assert "清理楼道杂物" not in _as(client, west_secretary).get(reverse("community:manage")).content.decode()


def test_the_django_admin_lists_and_adds_community_records_and_the_api_documents_them(
    client: Client, city: City
) -> None:
    admin = User.objects.create_superuser(username="root", password=PASSWORD)
    client = _as(client, admin)
    for model in ("communityreport", "servicepost", "servicerecord"):
        assert client.get(f"/admin/community/{model}/").status_code == 200
    assert client.get("/admin/community/servicepost/add/").status_code == 200
    # Photos come in through record_create, which decodes them; the admin shows them and takes none.
    assert 'type="file"' not in client.get("/admin/community/servicerecord/add/").content.decode()
    schema = client.get("/api/v1/openapi.json").content.decode()
    assert "/api/v1/community/posts/{pk}/claim" in schema and "/api/v1/community/feedback" in schema
