"""Every list or document handed out as a file is in the audit trail: who took it, which one,
with which filters (issue 11, item 7). The roster export and the community feedback have
their own tests; these are the downloads that wrote nothing before."""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.tests.factories import make_activity
from lianxin.briefings.tests.factories import make_briefing, make_month
from lianxin.core.audit import download_file_name
from lianxin.core.models import AuditEntry
from lianxin.demands.views.sources import HOTLINE_ERRORS_KEY
from lianxin.members.models import RosterImport
from lianxin.members.services.development import training_class_create

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Download:
    target: str
    user: str  # the persona fixture that may take it
    url: Callable[[City, User, Client], str]
    query: dict[str, str]


def _activity(city: City, user: User, client: Client) -> str:
    return reverse("activities:activity_attendance_xlsx", args=[make_activity(city.east, planner=user).pk])


def _training_class(city: City, user: User, client: Client) -> str:
    klass = training_class_create(
        organization=city.east, name="积极分子培训班", starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 3)
    )
    return reverse("members:training_detail", args=[klass.pk])


def _import_errors(city: City, user: User, client: Client) -> str:
    roster_import = RosterImport.objects.create(
        created_by=user, file_name="名册.xlsx", file="imports/x.xlsx", status=RosterImport.Status.INVALID
    )
    roster_import.error_file.save("名册_错误说明.xlsx", ContentFile(b"PK workbook"))
    return reverse("members:import_errors", args=[roster_import.pk])


def _hotline_errors(city: City, user: User, client: Client) -> str:
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as target:
        target.write(b"PK workbook")
    session = client.session
    session[HOTLINE_ERRORS_KEY] = target.name
    session.save()
    return reverse("demands:hotline_errors")


def _briefing(city: City, user: User, client: Client) -> str:
    make_month(city, user)
    return reverse("briefings:docx", args=[make_briefing(city, user).pk])


def _named(name: str) -> Callable[[City, User, Client], str]:
    return lambda city, user, client: reverse(name)


QUARTER = {"from": "2026-04-01", "to": "2026-06-30"}
DOWNLOADS = {
    "activity list": Download("activities", "branch_secretary", _named("activities:activity_list"), {"format": "xlsx"}),
    "sign-in sheet": Download("activities.sign_in_sheet", "branch_secretary", _activity, {}),
    "compliance": Download(
        "activities.compliance", "district_admin", _named("activities:compliance_xlsx"), {"org": "D1E", **QUARTER}
    ),
    "coverage": Download(
        "activities.coverage", "district_admin", _named("activities:coverage_xlsx"), {"org": "D1", **QUARTER}
    ),
    "development pipeline": Download(
        "development.pipeline", "branch_secretary", _named("members:development_export"), {"org": "D1E"}
    ),
    "training class": Download("development.training_class", "branch_secretary", _training_class, {"export": "1"}),
    "oaths": Download("development.oaths", "branch_secretary", _named("members:oaths"), {"export": "due"}),
    "political birthdays": Download(
        "development.political_birthdays",
        "branch_secretary",
        _named("members:birthdays"),
        {"month": "7", "export": "1"},
    ),
    "party statistics": Download(
        "members.statistics", "district_admin", _named("members:statistics_xlsx"), {"org": "D1", "year": "2025"}
    ),
    "certificate": Download("volunteering.certificate", "member_user", _named("volunteering:certificate_docx"), {}),
    "roster import errors": Download("members.import_errors", "branch_secretary", _import_errors, {}),
    "12345 errors": Download("demands.hotline_errors", "district_admin", _hotline_errors, {}),
    "briefing": Download("briefings.docx", "district_admin", _briefing, {}),
}


@pytest.mark.parametrize("name", DOWNLOADS)
def test_each_download_writes_one_audit_entry(name: str, city: City, request: pytest.FixtureRequest) -> None:
    download = DOWNLOADS[name]
    user: User = request.getfixturevalue(download.user)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    url = download.url(city, user, client)
    AuditEntry.objects.all().delete()

    response = client.get(url, download.query)

    file_name = download_file_name(response)
    assert response.status_code == 200 and file_name
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (user, AuditEntry.Action.EXPORT)
    assert entry.target.split(":")[0] == download.target
    assert entry.detail == {"file": file_name, "filters": download.query}


def test_a_page_of_a_view_that_also_downloads_writes_no_entry(city: City, branch_secretary: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=branch_secretary.username, password=PASSWORD)
    AuditEntry.objects.all().delete()  # granting the persona's role is audited
    for url in (reverse("activities:activity_list"), reverse("members:oaths"), reverse("members:birthdays")):
        assert client.get(url).status_code == 200
    assert not AuditEntry.objects.exists()


def test_a_refused_download_writes_no_entry(city: City, branch_secretary: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=branch_secretary.username, password=PASSWORD)
    AuditEntry.objects.all().delete()  # granting the persona's role is audited
    assert client.get(reverse("activities:compliance_xlsx"), {"from": "2026-13-01"}).status_code in (400, 404)
    assert client.get(reverse("demands:hotline_errors")).status_code == 404
    assert not AuditEntry.objects.exists()


def test_a_filter_with_a_nul_character_is_kept_in_the_audit_as_a_replacement_character(
    city: City, branch_secretary: User
) -> None:
    """PostgreSQL's JSON holds no NUL: the audit keeps the filter as asked, the NUL shown as U+FFFD."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=branch_secretary.username, password=PASSWORD)
    AuditEntry.objects.all().delete()  # granting the persona's role is audited
    response = client.get(reverse("members:export"), {"q": "王\x00海"})
    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert entry.detail["filters"]["q"] == "王\ufffd海"
