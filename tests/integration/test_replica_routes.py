"""Which pages read on the replica when there is one (lianxin/core/replica.py): figures, boards and
downloads do; the pages where people work, and what they just wrote, stay on the primary."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.test import Client
from django.urls import resolve, reverse

from lianxin.accounts.models import User
from lianxin.activities.views import planning as planning_views
from lianxin.core.audit import download_file_name
from lianxin.core.replica import replica_reads
from lianxin.members.views import development as development_views

FIGURES_AND_EXPORTS = [
    ("dashboards:service_figures", {}),
    ("dashboards:service_figure_rows", {"figure": "sessions"}),
    ("activities:compliance", {}),
    ("activities:compliance_xlsx", {}),
    ("activities:coverage", {}),
    ("activities:coverage_rows", {"figure": "members"}),
    ("activities:coverage_xlsx", {}),
    ("demands:figures", {}),
    ("demands:figure_rows", {"figure": "collected"}),
    ("demands:board", {}),
    ("demands:notice_docx", {"pk": 1}),
    ("members:export", {}),
    ("members:statistics", {}),
    ("members:statistics_xlsx", {}),
    ("activities:activity_attendance_xlsx", {"pk": 1}),
    ("community:feedback_download", {"fmt": "xlsx"}),
    ("volunteering:certificate_docx", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), FIGURES_AND_EXPORTS)
def test_figures_boards_and_exports_read_on_the_replica(name: str, kwargs: dict[str, Any]) -> None:
    assert getattr(resolve(reverse(name, kwargs=kwargs)).func, "reads_on_replica", False)


@pytest.mark.parametrize("name", ["activities:compliance_rules", "demands:notices", "members:list", "home"])
def test_pages_where_people_work_read_on_the_primary(name: str) -> None:
    assert not getattr(resolve(reverse(name)).func, "reads_on_replica", False)


@pytest.fixture
def scopes_opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each replica_reads() the development and planning views open, by the page asked for."""
    opened: list[str] = []

    @contextmanager
    def recording() -> Iterator[None]:
        opened.append("scope")
        with replica_reads():
            yield

    monkeypatch.setattr(development_views, "replica_reads", recording)
    monkeypatch.setattr(planning_views, "replica_reads", recording)
    return opened


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "page_query", "query"),
    [
        ("members:development_export", None, {"org": "D1E"}),
        ("members:oaths", {}, {"export": "due"}),
        ("members:birthdays", {"month": "7"}, {"month": "7", "export": "1"}),
        ("activities:activity_list", {}, {"format": "xlsx"}),
    ],
)
def test_a_workbook_of_a_working_page_reads_its_rows_in_the_scope(
    name: str,
    page_query: dict[str, str] | None,
    query: dict[str, str],
    branch_secretary: User,
    scopes_opened: list[str],
) -> None:
    client = Client()
    client.force_login(branch_secretary)
    if page_query is not None:  # the page itself is where people work: the primary
        assert client.get(reverse(name), page_query).status_code == 200
        assert scopes_opened == []

    response = client.get(reverse(name), query)

    assert response.status_code == 200 and download_file_name(response)
    assert scopes_opened == ["scope"]
