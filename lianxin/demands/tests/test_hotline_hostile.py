"""Hostile 12345 workbooks: each is refused on the upload page with a message, and nothing is recorded."""

import io
from collections.abc import Callable, Sequence

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.tests import hostile_workbooks as hostile
from lianxin.demands.models import Demand
from lianxin.demands.services.hotline import HOTLINE_COLUMNS, MAX_SHEET_ROWS, hotline_import

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in HOTLINE_COLUMNS]
NOT_A_WORKBOOK = {
    "en": "This file is not an Excel workbook (.xlsx) or it is damaged.",
    "zh-hans": "该文件不是Excel工作簿（.xlsx）或已损坏",
}
FILES: dict[str, Callable[[Sequence[str]], bytes]] = {
    **hostile.HOSTILE,
    "rows_beyond_the_limit": lambda headers: hostile.rows_beyond(headers, MAX_SHEET_ROWS + 1),
}
MESSAGES = {
    "en": {
        "far_column": "delete the columns to the right of the table",
        "rows_beyond_the_limit": f"more than {MAX_SHEET_ROWS} rows",
        "empty_file": "The submitted file is empty.",
    },
    "zh-hans": {
        "far_column": "请删除表格右侧的列",
        "rows_beyond_the_limit": f"工作表超过 {MAX_SHEET_ROWS} 行",
        "empty_file": "所提交的是空文件。",
    },
}


def _upload(client: Client, city: City, content: bytes, language: str) -> HttpResponse:
    upload = io.BytesIO(content)
    upload.name = "12345.xlsx"
    response = client.post(
        reverse("demands:hotline_import"),
        {"organization": city.district.code, "file": upload},
        headers={"Accept-Language": language},
    )
    assert isinstance(response, HttpResponse)
    return response


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("case", sorted(FILES))
def test_a_hostile_workbook_is_refused_with_a_message_and_nothing_is_recorded(
    client: Client, city: City, district_admin: User, case: str, language: str
) -> None:
    assert client.login(username=district_admin.username, password=PASSWORD)

    page = _upload(client, city, FILES[case](HEADERS), language)

    assert page.status_code == 200
    expected = MESSAGES[language].get(case, NOT_A_WORKBOOK[language])
    assert expected in page.text
    assert not Demand.objects.exists()
    assert client.get(reverse("demands:hotline_errors")).status_code == 404  # no error copy of it either


def test_the_service_refuses_a_sheet_over_its_row_limit_before_reading_it(city: City, district_admin: User) -> None:
    source = io.BytesIO(hostile.rows_beyond(HEADERS, 1_048_576))

    result = hotline_import(actor=district_admin, organization=city.district, source=source)

    assert not result.is_valid and f"more than {MAX_SHEET_ROWS} rows" in result.file_error
    assert result.total_rows == 0
    assert not Demand.objects.exists()
