"""Hostile roster workbooks: each is refused with a message on the import's page, and no member is written."""

import io
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import Settings

from conftest import City
from lianxin.accounts.models import User
from lianxin.accounts.permissions import roster_scope
from lianxin.core.tests import hostile_workbooks as hostile
from lianxin.members.documents.roster import ROSTER_COLUMNS
from lianxin.members.models import Member, RosterImport
from lianxin.members.services.imports import roster_workbook_import
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in ROSTER_COLUMNS if c.required]
ROW_LIMIT = 1000
FILES: dict[str, Callable[[Sequence[str]], bytes]] = {
    **hostile.HOSTILE,
    "rows_beyond_the_limit": lambda headers: hostile.rows_beyond(headers, ROW_LIMIT + 1),
}
MESSAGES = {
    "en": {
        "far_column": "delete the columns to the right of the table",
        "rows_beyond_the_limit": f"more than {ROW_LIMIT} rows",
    },
    "zh-hans": {
        "far_column": "请删除表格右侧的列",
        "rows_beyond_the_limit": f"工作表超过 {ROW_LIMIT} 行",
    },
}
NOT_A_WORKBOOK = {"en": "save it as .xlsx", "zh-hans": "该文件不是Excel工作簿（.xlsx）或已损坏"}


@pytest.fixture(autouse=True)
def private_media_and_a_row_limit(settings: Settings, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path
    settings.LIANXIN_SHEET_MAX_ROWS = ROW_LIMIT
    yield


@pytest.mark.parametrize("case", sorted(FILES))
def test_the_import_refuses_a_hostile_workbook_and_writes_nothing(
    city: City, branch_secretary: User, case: str
) -> None:
    make_member(city.east)
    before = list(Member.objects.values_list("pk", "updated_at"))
    with translation.override("en"):
        result = roster_workbook_import(
            actor=branch_secretary,
            scope=roster_scope(branch_secretary),
            source=io.BytesIO(FILES[case](HEADERS)),
        )
    assert not result.is_valid
    assert MESSAGES["en"].get(case, NOT_A_WORKBOOK["en"]) in result.file_error
    assert result.total_rows == 0 and result.created == 0
    assert list(Member.objects.values_list("pk", "updated_at")) == before


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("case", sorted(FILES))
def test_the_import_page_shows_why_a_hostile_workbook_was_refused(
    client: Client, branch_secretary: User, case: str, language: str
) -> None:
    client.force_login(branch_secretary)
    upload = io.BytesIO(FILES[case](HEADERS))
    upload.name = "名册.xlsx"
    response = client.post(reverse("members:import"), {"file": upload}, headers={"Accept-Language": language})
    if response.status_code == 302:  # stored, then checked by the task (run at once in tests)
        response = client.get(response["Location"], headers={"Accept-Language": language})
        assert RosterImport.objects.get().status == RosterImport.Status.INVALID
    assert response.status_code == 200
    assert "alert-error" in response.text
    expected = MESSAGES[language].get(case, NOT_A_WORKBOOK[language])
    if case == "empty_file":  # refused by the upload form itself
        expected = {"en": "The submitted file is empty.", "zh-hans": "所提交的是空文件。"}[language]
    assert expected in response.text
    assert not Member.objects.exists()
