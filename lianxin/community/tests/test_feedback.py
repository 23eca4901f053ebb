"""The quarterly feedback to a member's own organization: figures, page, xlsx, docx, command, task."""

import io
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.community.documents.feedback import headers
from lianxin.community.models import PostClaim
from lianxin.community.selectors.feedback import feedback_build
from lianxin.community.services.reports import record_create, report_decide, report_end
from lianxin.community.tasks import community_feedback_task
from lianxin.community.tests.factories import Bureau, make_bureau, make_claim, make_member_user, make_post, make_report
from lianxin.core.models import AuditEntry
from lianxin.core.periods import Period, parse_quarter
from lianxin.members.models import Member

pytestmark = pytest.mark.django_db

Q3 = Period.quarter(2026, 3)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


def _serve(user: User, city: City, day: date, hours: str) -> None:
    record_create(
        actor=user,
        community=city.east,
        served_on=day,
        hours=Decimal(hours),
        description="楼道清理",
        today=date(2026, 11, 1),
    )


@pytest.fixture
def bureau(city: City, branch_secretary: User, district_admin: User) -> Bureau:
    """张工 reported to 东社区 in June, claimed a post in July and served twice in Q3 (and once either side).

    Around him: a colleague rejected by 西社区, one whose report ended before Q3, and a member of
    东社区 itself, who is not the bureau's to hear about.
    """
    bureau = make_bureau(city)
    make_report(bureau.worker, city.east, approver=branch_secretary, today=date(2026, 6, 20))
    claim = make_claim(make_post(city.east, branch_secretary, title="楼道清理岗"), bureau.worker)
    PostClaim.objects.filter(pk=claim.pk).update(claimed_at=_at(date(2026, 7, 10)))
    for day, hours in (
        (date(2026, 6, 30), "5"),
        (date(2026, 7, 15), "2.5"),
        (date(2026, 9, 30), "1"),
        (date(2026, 10, 1), "3"),
    ):
        _serve(bureau.worker, city, day, hours)

    rejected = make_member_user(bureau.unit, "rejected", "李拒")
    report = make_report(rejected, city.west, today=date(2026, 8, 1))
    report_decide(report=report, actor=district_admin, approve=False, reason="不在本社区")
    gone = make_member_user(bureau.unit, "gone", "赵走")
    report = make_report(gone, city.west, approver=district_admin, today=date(2026, 3, 1))
    report_end(report=report, actor=gone, today=date(2026, 6, 30))
    local = make_member_user(city.east, "local", "钱本")
    make_report(local, city.west, approver=district_admin, today=date(2026, 7, 1))
    return bureau


def test_quarters_parse_from_their_code_and_refuse_anything_else() -> None:
    assert parse_quarter("2026Q3") == Q3 and parse_quarter(" 2026q3 ") == Q3
    assert (Q3.start, Q3.end) == (date(2026, 7, 1), date(2026, 9, 30))
    Q4, Q1 = Period.quarter(2026, 4), Period.quarter(2026, 1)
    assert Q4.end == date(2026, 12, 31) and Q1.previous_quarter() == Period.quarter(2025, 4)
    assert Period.quarter_of(date(2026, 11, 23)) == Period.quarter(2026, 4)
    for bad in ("2026Q5", "Q3", "2026-07", ""):
        with pytest.raises(ValidationError, match=re.escape("Give the quarter as year and quarter, e.g. 2026Q3")):
            parse_quarter(bad)


def test_the_feedback_counts_the_organizations_own_members_in_the_quarter(city: City, bureau: Bureau) -> None:
    feedback = feedback_build(organization=bureau.unit, quarter=Q3)
    assert [row.report.member.name for row in feedback.rows] == ["张工"]
    row = feedback.rows[0]
    assert row.report.community == city.east
    assert row.posts == ["楼道清理岗"]
    assert (row.records, row.hours) == (2, Decimal("3.5"))
    assert (feedback.members, feedback.approved, feedback.posts, feedback.records) == (1, 1, 1, 2)
    assert feedback.hours == Decimal("3.5")


def test_the_feedback_follows_the_organization_of_the_time_of_reporting_after_a_transfer(
    city: City, bureau: Bureau
) -> None:
    Member.objects.filter(user=bureau.worker).update(organization=city.west)
    assert [r.report.member.name for r in feedback_build(organization=bureau.unit, quarter=Q3).rows] == ["张工"]
    assert feedback_build(organization=city.other_district, quarter=Q3).members == 1


def test_a_quarter_without_reports_gives_an_empty_feedback(bureau: Bureau) -> None:
    feedback = feedback_build(organization=bureau.unit, quarter=Period.quarter(2025, 3))
    assert feedback.rows == [] and feedback.hours == 0


# ------------------------------------------------------------------- page and files


def _chinese_headers() -> tuple[str, ...]:
    """The headings as the Chinese interface reads them (msgids are English)."""
    with translation.override("zh-hans"):
        return tuple(headers())


def _as(client: Client, user: User) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_home_organizations_admin_sees_the_page_with_totals_and_download_links(
    client: Client, bureau: Bureau
) -> None:
    response = _as(client, bureau.secretary).get(reverse("community:feedback"), {"org": "D2J", "quarter": "2026Q3"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "张工" in html and "楼道清理岗" in html and "3.5" in html
    assert "李拒" not in html and "赵走" not in html and "钱本" not in html
    assert "1 members reported (1 approved), 1 posts claimed, 2 service records, 3.5 hours." in html
    assert reverse("community:feedback_download", args=["xlsx"]) + "?org=D2J&quarter=2026Q3" in html


def test_the_page_defaults_to_the_admins_organization_and_the_current_quarter(client: Client, bureau: Bureau) -> None:
    response = _as(client, bureau.secretary).get(reverse("community:feedback"))
    assert response.status_code == 200
    assert response.context["feedback"].organization == bureau.unit
    assert response.context["feedback"].quarter == Period.quarter_of(timezone.localdate())


def test_a_bad_quarter_on_the_page_says_so(client: Client, bureau: Bureau) -> None:
    response = _as(client, bureau.secretary).get(reverse("community:feedback"), {"org": "D2J", "quarter": "2026Q9"})
    assert "Give the quarter as year and quarter, e.g. 2026Q3; 2026Q9 is not one." in response.content.decode()
    assert response.context["feedback"] is None


def test_the_feedback_of_an_organization_outside_ones_scope_is_not_found(
    client: Client, bureau: Bureau, branch_secretary: User, member_user: User
) -> None:
    client = _as(client, branch_secretary)
    assert client.get(reverse("community:feedback"), {"org": "D2J", "quarter": "2026Q3"}).status_code == 404
    url = reverse("community:feedback_download", args=["xlsx"])
    assert client.get(url, {"org": "D2J", "quarter": "2026Q3"}).status_code == 404
    assert _as(Client(), member_user).get(reverse("community:feedback")).status_code == 404
    assert not AuditEntry.objects.exists()


def test_the_xlsx_download_has_headings_in_the_readers_language_the_rows_and_totals_and_is_audited(
    client: Client, bureau: Bureau
) -> None:
    client = _as(client, bureau.secretary)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    url = reverse("community:feedback_download", args=["xlsx"])
    response = client.get(url, {"org": "D2J", "quarter": "2026Q3"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=3, values_only=True))  # under the title and where-and-when line
    assert rows[0] == _chinese_headers()
    assert rows[1][0] == "张工" and rows[1][2] == "东社区党支部" and rows[1][6] == "楼道清理岗"
    assert rows[1][7] == 2 and rows[1][8] == 3.5
    assert rows[-1][7:] == (2, 3.5)
    entry = AuditEntry.objects.get()
    assert entry.actor == bureau.secretary and entry.action == "export"
    assert entry.detail == {"format": "xlsx", "organization": "D2J", "quarter": "2026Q3", "rows": 1, "source": "web"}


def test_the_docx_download_has_the_title_totals_and_table(client: Client, bureau: Bureau) -> None:
    from docx import Document

    url = reverse("community:feedback_download", args=["docx"])
    response = _as(client, bureau.secretary).get(url, {"org": "D2J", "quarter": "2026Q3"})
    document = Document(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "岛县住建局机关党支部" in text and "Q3 2026" in text
    assert "2 service records, 3.5 hours" in text
    table = document.tables[0]
    assert table.rows[1].cells[0].text == "张工" and table.rows[1].cells[8].text == "3.5"
    assert AuditEntry.objects.get().detail["format"] == "docx"


def test_an_unknown_download_format_is_not_found(client: Client, bureau: Bureau) -> None:
    url = reverse("community:feedback_download", args=["pdf"])
    assert _as(client, bureau.secretary).get(url, {"org": "D2J", "quarter": "2026Q3"}).status_code == 404
    assert not AuditEntry.objects.exists()


# ------------------------------------------------------------------ command and task


def test_the_command_writes_xlsx_or_docx_by_the_files_ending_and_audits_it(bureau: Bureau, tmp_path: Path) -> None:
    for name in ("feedback.xlsx", "feedback.docx"):
        call_command("community_feedback", "--org", "D2J", "--quarter", "2026Q3", "--out", str(tmp_path / name))
        assert (tmp_path / name).stat().st_size > 0
    assert AuditEntry.objects.filter(actor=None, detail__source="command line").count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "NOPE", "--quarter", "2026Q3", "--out", "x.xlsx"], "No organization has the code NOPE."),
        (["--org", "D2J", "--quarter", "Q3", "--out", "x.xlsx"], "Give the quarter as year and quarter"),
        (["--org", "D2J", "--quarter", "2026Q3", "--out", "x.pdf"], "The output file must end in .xlsx or .docx."),
        (["--quarter", "2026Q3", "--out", "x.xlsx"], "Give --org and --out (or --all)."),
        (["--all", "--quarter", "2026Q9"], "Give the quarter as year and quarter"),
    ],
)
def test_the_command_refuses_bad_arguments_clearly_and_writes_nothing(
    bureau: Bureau, tmp_path: Path, args: list[str], message: str, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("community_feedback", *args)
    assert not any(tmp_path.iterdir())
    assert not AuditEntry.objects.exists()


def test_the_quarter_end_task_writes_each_organizations_feedback_in_both_formats(
    bureau: Bureau, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    result = community_feedback_task.enqueue("2026Q3")
    assert result.return_value is not None
    # Organizations whose own members reported in Q3: the bureau (张工) and 东社区 (钱本).
    assert sorted(result.return_value) == [
        "community/feedback/2026Q3/D1E.docx",
        "community/feedback/2026Q3/D1E.xlsx",
        "community/feedback/2026Q3/D2J.docx",
        "community/feedback/2026Q3/D2J.xlsx",
    ]
    with default_storage.open("community/feedback/2026Q3/D2J.xlsx") as f:
        sheet = openpyxl.load_workbook(f).active
        assert sheet is not None and sheet["A3"].value == _chinese_headers()[0] and sheet["A4"].value == "张工"
    assert AuditEntry.objects.filter(detail__source="quarterly task").count() == 4
    community_feedback_task.enqueue("2026Q3")  # a rerun replaces the files
    assert sorted(p.name for p in (tmp_path / "community/feedback/2026Q3").iterdir()) == [
        "D1E.docx",
        "D1E.xlsx",
        "D2J.docx",
        "D2J.xlsx",
    ]


def test_the_task_defaults_to_the_quarter_that_has_just_ended(bureau: Bureau, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    result = community_feedback_task.enqueue()
    assert result.return_value is not None
    expected = Period.quarter_of(timezone.localdate()).previous_quarter().quarter_code
    assert all(f"/{expected}/" in path for path in result.return_value)


def test_the_command_queues_the_quarter_end_task_for_every_organization(
    bureau: Bureau, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("community_feedback", "--all", "--quarter", "2026Q3", stdout=out)
    assert "Quarterly feedback queued as task" in out.getvalue()
    assert (tmp_path / "community/feedback/2026Q3/D2J.docx").exists()
