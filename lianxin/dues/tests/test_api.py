from datetime import date

import pytest
from django.test import Client

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.dues.tests.factories import assessed_member, pay

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    return client


def test_the_api_lists_a_subtrees_ledger_arrears_and_payments(city: City, district_admin: User) -> None:
    paid_up = assessed_member(city.east, name="钱一")
    pay(paid_up, date(2026, 11, 1), "110.00")
    behind = assessed_member(city.west, name="孙二")
    pay(behind, date(2026, 4, 1), "40.00")
    assessed_member(city.other_branch, name="李三")
    client = _client(district_admin)
    ledger = client.get("/api/v1/dues/ledger", {"org": "D1"}).json()
    assert ledger["count"] == 2
    row = next(r for r in ledger["items"] if r["name"] == "孙二")
    assert row["paid_through"] == "2026-04"
    assert row["monthly_amount"] == "10.00"
    arrears = client.get("/api/v1/dues/arrears", {"org": "D1"}).json()
    assert [(r["name"], r["months_behind"], r["six_month_warning"]) for r in arrears["items"]] == [("孙二", 7, True)]
    payments = client.get("/api/v1/dues/payments", {"org": "D1"}).json()
    assert {p["member_name"] for p in payments["items"]} == {"钱一", "孙二"}
    assert all(p["receipt"].startswith("2026-") for p in payments["items"])


def test_the_api_answers_404_outside_the_callers_scope(city: City, branch_secretary: User, resident: User) -> None:
    assessed_member(city.other_branch)
    assert _client(branch_secretary).get("/api/v1/dues/arrears", {"org": "D2"}).status_code == 404
    assert _client(resident).get("/api/v1/dues/ledger").status_code == 404
    assert Client().get("/api/v1/dues/payments").status_code == 401
