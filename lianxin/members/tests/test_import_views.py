"""The import and export pages: upload, follow progress, download errors, export a list."""

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote

import openpyxl
import pytest
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.fixtures import Settings

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.models import AuditEntry
from lianxin.members.models import Member, RosterImport
from lianxin.members.tests.factories import make_member, make_roster_row, make_roster_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_and_private_media(settings: Settings, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


def _as(client: Client, user: User) -> Client:
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _upload(client: Client, rows: list[dict[str, Any]], name: str = "名册.xlsx") -> HttpResponseBase:
    workbook = make_roster_workbook(rows)
    workbook.name = name
    return client.post(reverse("members:import"), {"file": workbook}, headers={"Accept-Language": "en"})


def test_the_upload_page_names_the_required_columns(client: Client, branch_secretary: User) -> None:
    response = _as(client, branch_secretary).get(reverse("members:import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    for header in ("姓名", "公民身份号码", "人员类别", "所在党组织"):
        assert header in html


def test_uploading_a_valid_roster_imports_it_and_shows_the_summary(
    client: Client, branch_secretary: User, city: City
) -> None:
    # Given a secretary with a valid sheet of two members of their branch
    _as(client, branch_secretary)
    # When they upload it
    response = _upload(client, [make_roster_row(city.east), make_roster_row(city.east)])
    # Then they land on its status page, which (tasks run at once in tests) shows the summary
    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("members:import_status", args=[roster_import.pk])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'data-status="done"' in html
    assert "alert-success" in html
    assert "Created" in html
    assert 'hx-trigger="every 1s"' not in html  # finished: no more polling
    assert Member.objects.filter(organization=city.east).count() == 2
    # and the upload is listed on the import page
    assert "名册.xlsx" in client.get(reverse("members:import")).content.decode()


def test_uploading_something_that_is_not_a_workbook_says_so_and_stores_nothing(
    client: Client, branch_secretary: User
) -> None:
    _as(client, branch_secretary)
    for name, content in [("名册.xls", b"\xd0\xcf\x11\xe0 old excel"), ("名册.xlsx", b"a,b\n1,2\n")]:
        upload = io.BytesIO(content)
        upload.name = name
        response = client.post(reverse("members:import"), {"file": upload}, headers={"Accept-Language": "en"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "alert-error" in html
        assert "save it as .xlsx" in html
    assert not RosterImport.objects.exists()


def test_a_running_import_polls_for_its_progress(client: Client, branch_secretary: User) -> None:
    roster_import = RosterImport.objects.create(
        created_by=branch_secretary,
        file_name="大名册.xlsx",
        file="imports/x.xlsx",
        status=RosterImport.Status.RUNNING,
        total_rows=100_000,
        processed_rows=42_000,
    )
    url = reverse("members:import_status", args=[roster_import.pk])
    response = _as(client, branch_secretary).get(url, headers={"HX-Request": "true", "Accept-Language": "en"})
    html = response.content.decode()
    assert "<html" not in html  # only the partial
    assert 'hx-trigger="every 1s"' in html
    assert f'hx-get="{url}"' in html
    assert 'aria-valuenow="42"' in html
    assert "42,000 of about 100,000 rows checked" in html


def test_a_bad_upload_lists_the_errors_and_offers_the_annotated_workbook(
    client: Client, branch_secretary: User, city: City
) -> None:
    # Given an upload whose second row names an unknown organization
    _as(client, branch_secretary)
    response = _upload(client, [make_roster_row(city.east), make_roster_row(city.east, 所在党组织="无此支部")])
    # Then the status page explains row 3 and links the workbook
    page = client.get(response["Location"]).content.decode()
    roster_import = RosterImport.objects.get()
    assert 'data-status="invalid"' in page
    assert "Unknown organization 无此支部" in page
    errors_url = reverse("members:import_errors", args=[roster_import.pk])
    assert errors_url in page
    assert not Member.objects.exists()
    # When the workbook is downloaded
    download = client.get(errors_url)
    assert download.status_code == 200
    assert "名册_错误说明.xlsx" in unquote(download["Content-Disposition"])
    sheet = openpyxl.load_workbook(io.BytesIO(download.getvalue())).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    # Then 错误说明 heads a new last column, filled on the bad row only
    assert rows[0][-1] == "错误说明"
    assert rows[1][-1] is None
    assert "Unknown organization 无此支部" in cast(str, rows[2][-1])


def test_an_import_is_seen_only_by_its_uploader_and_city_admins(
    client: Client, branch_secretary: User, district_admin: User, city_admin: User, city: City
) -> None:
    _upload(_as(client, branch_secretary), [make_roster_row(city.east, 所在党组织="无此支部")])
    roster_import = RosterImport.objects.get()
    urls = [
        reverse("members:import_status", args=[roster_import.pk]),
        reverse("members:import_errors", args=[roster_import.pk]),
    ]
    other = Client()
    other.force_login(district_admin)  # has a wider scope, but did not upload it
    assert [other.get(url).status_code for url in urls] == [404, 404]
    admin = Client()
    admin.force_login(city_admin)
    assert [admin.get(url).status_code for url in urls] == [200, 200]


def test_residents_and_members_get_not_found_everywhere(
    client: Client, resident: User, member_user: User, branch_secretary: User, city: City
) -> None:
    _upload(_as(Client(), branch_secretary), [make_roster_row(city.east)])
    pk = RosterImport.objects.get().pk
    urls = [
        reverse("members:import"),
        reverse("members:import_status", args=[pk]),
        reverse("members:import_errors", args=[pk]),
        reverse("members:export"),
    ]
    for user in (resident, member_user):
        _as(client, user)
        assert [client.get(url).status_code for url in urls] == [404] * 4
        assert client.post(urls[0], {}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(reverse("members:export"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_export_downloads_the_filtered_list_with_a_named_file_and_an_audit_entry(
    client: Client, district_admin: User, city: City
) -> None:
    make_member(city.east, name="东甲")
    make_member(city.east, name="东乙", category="probationary", full_on=None)
    make_member(city.west, name="西丙")
    make_member(city.other_branch, name="岛丁")  # outside the district
    response = _as(client, district_admin).get(reverse("members:export"), {"org": "D1E", "category": "party"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    filename = f"党员名册_D1E_{timezone.localdate():%Y%m%d}.xlsx"
    assert filename in unquote(response["Content-Disposition"])
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet is not None
    names = [cast(str, row[0]) for row in sheet.iter_rows(min_row=4, values_only=True)]  # under the title and header
    assert sorted(names) == ["东乙", "东甲"]
    assert str(sheet["A2"].value).startswith("东社区党支部")  # the where-and-when line names the organization
    audit = AuditEntry.objects.get(action="export")
    assert audit.actor == district_admin
    assert audit.detail == {"filters": {"org": "D1E", "category": "party"}, "rows": 2}


def test_export_without_a_filter_covers_the_viewers_scope_only(
    client: Client, branch_secretary: User, city: City
) -> None:
    make_member(city.east, name="东甲")
    make_member(city.west, name="西丙")
    response = _as(client, branch_secretary).get(reverse("members:export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet is not None
    assert [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)] == ["东甲"]
    assert str(sheet["A2"].value).startswith("All my organizations")


def test_exporting_an_organization_outside_the_scope_is_not_found(
    client: Client, branch_secretary: User, city: City
) -> None:
    make_member(city.west)
    response = _as(client, branch_secretary).get(reverse("members:export"), {"org": "D1W"})
    assert response.status_code == 404
    assert not AuditEntry.objects.exists()
